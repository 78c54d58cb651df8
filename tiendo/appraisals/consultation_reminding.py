"""Reminding consulted units that have not answered, through ``tiendo.reminders.services.notify``.

Who: the consulted unit's officers (``UNIT_OFFICER``); from the deadline on (or when nobody of
that level exists), also its leaders (``UNIT_LEADER``) and its head. Nobody above the program's
classification, and never the sender themself. A unit that answered, or that the drafter marked
as not answering, is not reminded.

Two paths, one dedupe key ``consultation:<round>:unit:<unit>:<day>``, so each unit's people get
at most one reminder per round and day, whichever path comes first:
- ``consultation_remind`` (the drafter's button): every unit still without an answer;
- ``remind_due_consultations(today=...)`` (the daily reminder run, registered in ``apps.py``):
  the reminders engine's rule (``tiendo.reminders.rules.plan``, the program's reminder
  settings) on the round's deadline: within N working days before it, on the day, and every M
  working days late.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.models import Membership, Role, User
from tiendo.audit.services import audit_record
from tiendo.calendars.workdays import default_calendar
from tiendo.core.errors import PermissionDeniedError
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for
from tiendo.reminders import rules
from tiendo.reminders.models import DEFAULTS, Level, NotificationKind, ReminderSettings
from tiendo.reminders.services import notify

from .access import can_act_for
from .models import ConsultationRecipient, ConsultationRound

BEFORE = _(
    "%(sender)s asks %(unit)s for comments on “%(title)s” by %(deadline)s; no answer has been "
    "recorded yet."
)
LATE = _(
    "%(sender)s asked %(unit)s for comments on “%(title)s” by %(deadline)s; the deadline has "
    "passed and no answer has been recorded."
)
SUBJECT = _("[tiendo] Comments awaited: %(title)s")
LINK = _("Open the consultation")


def unanswered(round_: ConsultationRound) -> list[ConsultationRecipient]:
    """Consulted units with no answer recorded (neither an answer nor "did not answer")."""
    return list(round_.recipients.filter(answer="").select_related("unit").order_by("unit_path"))


def _recipients(
    round_: ConsultationRound, unit_ids: list[int], level: int, exclude: int | None
) -> dict[int, dict[int, int]]:
    """unit id -> {user id: level} of the people reminded for that unit."""
    people: dict[tuple[int, str], set[int]] = defaultdict(set)
    for unit_id, role, user_id in Membership.objects.filter(
        unit_id__in=unit_ids, role__in=[Role.UNIT_OFFICER, Role.UNIT_LEADER]
    ).values_list("unit_id", "role", "user_id"):
        people[(unit_id, role)].add(user_id)
    heads = dict(
        Unit.objects.filter(pk__in=unit_ids, head__isnull=False).values_list("pk", "head_id")
    )
    cleared = set(
        User.objects.filter(
            pk__in={u for ids in people.values() for u in ids} | set(heads.values()),
            is_active=True,
            clearance__gte=round_.program.classification,
        ).values_list("pk", flat=True)
    )
    out: dict[int, dict[int, int]] = {}
    for unit_id in unit_ids:
        officers = (people[(unit_id, Role.UNIT_OFFICER)] & cleared) - {exclude}
        leaders = (people[(unit_id, Role.UNIT_LEADER)] | {heads.get(unit_id)}) & cleared
        leaders -= {exclude}
        picked = dict.fromkeys(officers, int(Level.ASSIGNEE))
        if level >= Level.UNIT_LEADER or not picked:
            for user_id in leaders:
                picked.setdefault(user_id, int(Level.UNIT_LEADER))
        out[unit_id] = picked
    return out


def _send(
    *, actor: Any, round_: ConsultationRound, units: list[Unit], level: int, today: dt.date
) -> dict[int, int]:
    """Notify about each unit's missing answer; unit id -> notifications created now."""
    who = _recipients(round_, [u.pk for u in units], level, getattr(actor, "pk", None))
    late = today > round_.deadline
    created: dict[int, int] = {}
    for unit in units:
        if not who[unit.pk]:
            created[unit.pk] = 0
            continue
        rows = notify(
            actor=actor,
            recipients=who[unit.pk],
            kind=NotificationKind.CONSULTATION,
            message=LATE if late else BEFORE,
            params={
                "sender": round_.sender_unit.name,
                "unit": unit.name,
                "title": round_.title,
                "deadline": round_.deadline,
            },
            subject=SUBJECT,
            target_url=reverse("appraisals:round", args=[round_.pk]),
            target_label=LINK,
            dedupe_key=f"consultation:{round_.pk}:unit:{unit.pk}:{today.isoformat()}",
            due=round_.deadline,
        )
        created[unit.pk] = len(rows)
    return created


@transaction.atomic
def consultation_remind(
    *, actor: Any, round_: ConsultationRound, today: dt.date | None = None
) -> dict[int, int]:
    """The drafter reminds every consulted unit that has not answered (once per unit and day).

    Returns unit id -> notifications created now (0: already reminded today, or nobody there)."""
    if not can_act_for(scope_for(actor), round_.sender_unit):
        raise PermissionDeniedError(gettext("Only the drafting unit can do this."))
    today = today or timezone.localdate()
    units = [r.unit for r in unanswered(round_)]
    level = Level.UNIT_LEADER if today >= round_.deadline else Level.ASSIGNEE
    created = _send(actor=actor, round_=round_, units=units, level=level, today=today)
    audit_record(
        actor=actor,
        action="consultation.remind",
        obj=round_,
        summary=gettext("Units reminded to answer: %(n)d") % {"n": len(units)},
        after={"units": [u.pk for u in units], "notifications": sum(created.values())},
    )
    return created


def _settings(round_: ConsultationRound) -> ReminderSettings:
    return ReminderSettings.objects.filter(program=round_.program_id).first() or DEFAULTS


def remind_due_consultations(*, today: dt.date | None = None) -> int:
    """The daily automatic reminders of unanswered consultations (see the module docstring).
    Returns the number of notifications created; a rerun of the day creates none."""
    today = today or timezone.localdate()
    cal = default_calendar
    if not cal.is_working_day(today):
        return 0
    # A round more than a year past its deadline is no longer chased.
    rounds = (
        ConsultationRound.objects.filter(
            deadline__gte=today - dt.timedelta(days=366),
            deadline__lte=cal.add_working_days(today, 61),
            recipients__answer="",
        )
        .distinct()
        .select_related("program", "sender_unit")
        .order_by("pk")
    )
    total = 0
    for round_ in rounds:
        firing = rules.plan(round_.deadline, today, _settings(round_), cal)
        if firing is None:
            continue
        units = [r.unit for r in unanswered(round_)]
        level = Level.UNIT_LEADER if firing.level >= Level.UNIT_LEADER else Level.ASSIGNEE
        total += sum(
            _send(actor=None, round_=round_, units=units, level=level, today=today).values()
        )
    return total
