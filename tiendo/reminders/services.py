"""Writes of the reminders app: urging, reading, preferences, per-program rules. Each atomic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
