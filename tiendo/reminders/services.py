"""Writes of the reminders app: urging, reading, preferences, per-program rules. Each atomic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from tiendo.accounts.models import User
from tiendo.core.errors import PermissionDeniedError
from tiendo.orgs.scope import scope_for
from tiendo.programs.access import can_manage_program
from tiendo.programs.models import Program, Task
from tiendo.programs.status import OPEN, StatusFacts, derive_status

from .access import can_urge
from .delivery import SKIPPED
from .messages import MessageContext, render_message, user_language
from .models import (
    EmailMode,
    Level,
    Notification,
    NotificationKind,
    NotificationPreference,
    ReminderSettings,
)
from .recipients import directory_for, recipients

URGE_NOTE_MAX = 1000
SETTINGS_FIELDS = (
    "enabled",
    "days_before",
    "on_due_day",
    "overdue_every",
    "report_period",
    "report_due_days",
)


def _status(task: Task, today: dt.date) -> str:
    facts = StatusFacts(
        assigned=task.assigned_at is not None,
        hold_state=task.hold_state,
        deadline=task.deadline,
        started_on=task.started_on,
        completed_on=task.completed_on,
    )
    return derive_status(facts, today)


def _enqueue_emails(ids: list[int]) -> None:
    from .tasks import send_notification_emails

    send_notification_emails.enqueue(ids)


@transaction.atomic
def task_urge(*, actor: Any, task: Task, note: str = "") -> list[Notification]:
    """A leader urges the people carrying ``task`` (a task the actor can see).

    Recorded like an automatic reminder: one notification per recipient, with the sender.
    """
    if not can_urge(scope_for(actor), task):
        raise PermissionDeniedError(_("Only a leader of this task's unit or program can urge."))
    note = note.strip()
    if len(note) > URGE_NOTE_MAX:
        raise ValidationError(
            {
                "note": _("The message is too long (at most %(max)s characters).")
                % {"max": URGE_NOTE_MAX}
            }
        )
    today = timezone.localdate()
    if _status(task, today) not in OPEN:
        raise ValidationError(_("Only an assigned task in progress can be urged."))
    directory = directory_for([task])
    people = {
        uid: level
        for uid, level in recipients(task, Level.UNIT_LEADER, directory).items()
        if uid != actor.pk
    }
    if not people:
        raise ValidationError(_("Nobody else carries this task: there is no one to urge."))
    sender_name = str(actor)
    rows = []
    for user_id, level in people.items():
        ctx = MessageContext(
            kind=NotificationKind.URGE,
            task_label=str(task),
            due=task.deadline,
            level=level,
            sender=sender_name,
            note=note,
        )
        rows.append(
            Notification(
                recipient_id=user_id,
                task=task,
                kind=NotificationKind.URGE,
                level=level,
                occurrence=today,
                due=task.deadline,
                sender=actor,
                note=note,
                message=render_message(ctx, user_language(directory.users[user_id])),
                link=task.get_absolute_url(),
                email_claim="" if directory.wants_email(user_id) else SKIPPED,
            )
        )
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    transaction.on_commit(lambda: _enqueue_emails(ids))
    return created


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one of the user's notifications read (``notification`` from ``notification_get``)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_update(*, user: Any, email_mode: str, language: str) -> NotificationPreference:
    """Save how ``user`` receives reminders, and the language of their messages and pages."""
    errors = {}
    if email_mode not in EmailMode.values:
        errors["email_mode"] = _("Choose one of the listed email options.")
    if language and language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the listed languages.")
    if errors:
        raise ValidationError(errors)
    preference, _created = NotificationPreference.objects.update_or_create(
        user_id=user.pk, defaults={"email_mode": email_mode}
    )
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return preference


@transaction.atomic
def reminder_settings_update(*, actor: Any, program: Program, **fields: Any) -> ReminderSettings:
    """Change a program's reminder rules (``program`` from ``program_get``)."""
    if not can_manage_program(scope_for(actor), program):
        raise PermissionDeniedError(
            _("Only the program's committee or standing office can change its reminders.")
        )
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"unknown reminder settings: {sorted(unknown)}")
    row = ReminderSettings.objects.select_for_update().filter(program=program).first()
    row = row or ReminderSettings(program=program)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


DEDUPE_KEY_MAX = 200
DEFAULT_TARGET_LABEL = pgettext_lazy("notification link", "Open")


def _render_value(value: Any) -> Any:
    """One message parameter in the active language: dates formatted, lazy strings translated."""
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Promise):
        return str(value)
    return value


def _render(template: str | Promise, params: Mapping[str, Any]) -> str:
    text = str(template)
    if not params:
        return text
    return text % {name: _render_value(value) for name, value in params.items()}


@transaction.atomic
def notify(
    *,
    actor: Any,
    recipients: Iterable[Any] | Mapping[Any, int],
    kind: str,
    message: str | Promise,
    params: Mapping[str, Any] | None = None,
    subject: str | Promise | None = None,
    target_url: str,
    target_label: str | Promise = DEFAULT_TARGET_LABEL,
    dedupe_key: str,
    due: dt.date | None = None,
    note: str = "",
    level: int = Level.ASSIGNEE,
    task: Task | None = None,
) -> list[Notification]:
    """Notify people of something that is not a task deadline (a general notice), exactly once.

    - ``recipients``: users (or user ids), or a mapping user -> ``Level`` when some receive it
      as an escalation ("You receive this as: Standing office." is appended for them);
      inactive users are left out. The caller decides who may know: ``notify`` checks no scope.
    - ``kind``: a ``NotificationKind`` value (e.g. ``REPORT_MISSING``, ``CONSULTATION``,
      ``NOTICE``).
    - ``message`` / ``subject`` / ``target_label``: *lazy* translatable strings
      (``gettext_lazy``) with ``%(name)s`` placeholders filled from ``params``. Each is rendered
      once per recipient in that person's language (``user.language``); dates and datetimes in
      ``params`` are formatted in that language, lazy strings translated. ``subject`` defaults
      to "[tiendo] <kind>: <message>"; ``note`` (free text) is appended as "Message: ...".
    - ``target_url``: the path the notification opens (in-app link and, made absolute, in the
      email); ``target_label`` its link text.
    - ``dedupe_key``: identifies the event, e.g. ``"consultation:12:unit:7:2026-11-23"``.
      A recipient receives at most one notification per key, ever: calling again (a rerun,
      a double click, two workers at once) creates nothing for people already notified.
    - ``actor``: the person who caused it (recorded as sender), or None for automatic jobs.
    - ``task``: optional, when the notice concerns one task (it then shows in its history).

    Returns the notifications created by this call (none when everyone already had the key).
    Emails go out after commit through the same queue as urges (``send_notification_emails``),
    to people who want email (address present, preference not "none"); digests pick up the rest.
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind: {kind!r}")
    if not dedupe_key or len(dedupe_key) > DEDUPE_KEY_MAX:
        raise ValueError(f"dedupe_key must have 1 to {DEDUPE_KEY_MAX} characters")
    if not target_url:
        raise ValueError("target_url is required")
    params = params or {}
    if isinstance(recipients, Mapping):
        wanted = {getattr(u, "pk", u): int(lvl) for u, lvl in recipients.items()}
    else:
        wanted = {getattr(u, "pk", u): int(level) for u in recipients}
    already = set(
        Notification.objects.filter(
            dedupe_key=dedupe_key, recipient_id__in=list(wanted)
        ).values_list("recipient_id", flat=True)
    )
    users = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=[uid for uid in wanted if uid not in already], is_active=True
        ).only("id", "username", "full_name", "email", "language", "is_active")
    }
    if not users:
        return []
    no_email = set(
        NotificationPreference.objects.filter(
            user_id__in=list(users), email_mode=EmailMode.NONE
        ).values_list("user_id", flat=True)
    )
    today = timezone.localdate()
    note = note.strip()
    rows = []
    for user_id in sorted(users):
        user = users[user_id]
        user_level = wanted[user_id]
        with translation.override(user_language(user)):
            body = _render(message, params)
            parts = [body]
            if note:
                parts.append(_("Message: %(note)s") % {"note": note})
            if user_level > Level.ASSIGNEE:
                parts.append(
                    _("You receive this as: %(level)s.") % {"level": Level(user_level).label}
                )
            if subject is not None:
                subject_text = _render(subject, params)
            else:
                subject_text = _("[tiendo] %(kind)s: %(task)s") % {
                    "kind": NotificationKind(kind).label,
                    "task": Truncator(body).chars(80),
                }
            rows.append(
                Notification(
                    recipient_id=user_id,
                    task=task,
                    kind=kind,
                    level=user_level,
                    occurrence=today,
                    due=due,
                    sender=actor if getattr(actor, "pk", None) else None,
                    note=note,
                    message=" ".join(parts),
                    link=target_url,
                    target_label=_render(target_label, params)[:200],
                    subject=subject_text[:250],
                    dedupe_key=dedupe_key,
                    email_claim="" if user.email and user_id not in no_email else SKIPPED,
                )
            )
    # A concurrent call with the same key may have inserted some of these meanwhile: the
    # unique (recipient, dedupe_key) turns the second insert into nothing.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        Notification.objects.filter(dedupe_key=dedupe_key, recipient_id__in=list(users))
        .select_related("recipient")
        .order_by("recipient_id")
    )
    to_email = [n.pk for n in created if n.email_claim != SKIPPED]
    if to_email:
        transaction.on_commit(lambda: _enqueue_emails(to_email))
    return created
