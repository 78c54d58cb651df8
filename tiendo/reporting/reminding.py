"""Reminding units that have not sent their report, through ``tiendo.reminders.services.notify``.

Who is reminded about a unit's report, by level (the program's reminder settings, or the
defaults, decide how far it climbs; each level includes the ones below):

Level 0  the unit's officers (``UNIT_OFFICER``), who write the report
Level 1  the unit's head and leaders (``UNIT_LEADER``), who send it
Level 2  the program's standing office (``STANDING_OFFICE`` members and head)
Level 3  the program's committee leaders (``COMMITTEE_LEADER`` members and head of the owner)

An empty level passes to the next one up, so a unit without people still reaches someone.
Nobody is reminded about a program above their clearance, and the sender never reminds
themself. Each (period, unit, key) reaches each person once: the notify dedupe key.

Two paths use it:
- ``services.remind_missing`` (the leader's button / API): level >= 1, climbing with the
  working days late; key ``report:<period>:unit:<unit>:<day>`` — once per unit and day.
- ``remind_due_reports(today=...)`` (the daily job, ``tasks.remind_reports``): the reminders
  engine's rule (``tiendo.reminders.rules.plan``) on the period's due date: N working days
  before, on the day, and every M working days late, one level higher each step; key
  ``report:<period>:unit:<unit>:auto:<stage>:<occurrence>`` — once per firing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.models import Membership, Role, User
from tiendo.calendars.workdays import default_calendar
from tiendo.orgs.models import Unit
from tiendo.programs.models import Program
from tiendo.reminders import rules
from tiendo.reminders.models import DEFAULTS, Level, NotificationKind, ReminderSettings
from tiendo.reminders.services import notify

from .models import ReportPeriod, ReportState, UnitReport
from .periods import period_label

BEFORE = _("The report of %(unit)s for %(period)s is due on %(due)s and has not been sent yet.")
LATE = _("The report of %(unit)s for %(period)s was due on %(due)s and has not been sent.")
SUBJECT = _("[tiendo] Report not sent: %(unit)s, %(period)s")
LINK = _("Open the report")
_label = lazy(period_label, str)


def reminder_settings(program: Program) -> ReminderSettings:
    return ReminderSettings.objects.filter(program=program).first() or DEFAULTS


def escalation_level(period: ReportPeriod, today: dt.date, settings: ReminderSettings) -> int:
    """The level a reminder reaches ``today``: one step up every ``overdue_every`` working days
    late (step 1 unit leader, 2 standing office, 3 committee leader)."""
    if today <= period.due_on:
        return Level.ASSIGNEE
    late = default_calendar.working_days_between(period.due_on, today)
    return min(late // settings.overdue_every, Level.COMMITTEE_LEADER)


def missing_units(period: ReportPeriod, unit_ids: Iterable[int] | None = None) -> list[int]:
    """Obliged units (of ``unit_ids`` when given) whose newest version is not sent."""
    latest: dict[int, str] = {}
    for unit_id, state in (
        UnitReport.objects.filter(period=period)
        .order_by("-version")
        .values_list("unit_id", "state")
    ):
        latest.setdefault(unit_id, state)
    obliged = set(period.schedule.units.values_list("pk", flat=True))
    wanted = obliged if unit_ids is None else obliged & set(unit_ids)
    return sorted(u for u in wanted if latest.get(u, ReportState.DRAFT) == ReportState.DRAFT)


def _people(unit_ids: set[int], roles: list[str]) -> dict[tuple[int, str], set[int]]:
    out: dict[tuple[int, str], set[int]] = defaultdict(set)
    for unit_id, role, user_id in Membership.objects.filter(
        unit_id__in=unit_ids, role__in=roles, user__is_active=True
    ).values_list("unit_id", "role", "user_id"):
        out[(unit_id, role)].add(user_id)
    return out


def recipients_by_unit(
    program: Program, unit_ids: list[int], level: int, exclude: int | None = None
) -> dict[int, dict[int, int]]:
    """unit id -> {user id: level} of the people reminded about that unit's report."""
    office_id = program.standing_office_id or program.owner_unit_id
    all_units = set(unit_ids) | {office_id, program.owner_unit_id}
    people = _people(
        all_units,
        [Role.UNIT_OFFICER, Role.UNIT_LEADER, Role.STANDING_OFFICE, Role.COMMITTEE_LEADER],
    )
    heads = dict(
        Unit.objects.filter(pk__in=all_units, head__isnull=False).values_list("pk", "head_id")
    )

    def at(unit_id: int, lvl: int) -> set[int]:
        if lvl == Level.ASSIGNEE:
            return set(people[(unit_id, Role.UNIT_OFFICER)])
        if lvl == Level.UNIT_LEADER:
            found = set(people[(unit_id, Role.UNIT_LEADER)])
            unit = unit_id
        elif lvl == Level.STANDING_OFFICE:
            found, unit = set(people[(office_id, Role.STANDING_OFFICE)]), office_id
        else:
            unit = program.owner_unit_id
            found = set(people[(unit, Role.COMMITTEE_LEADER)])
        if heads.get(unit):
            found.add(heads[unit])
        return found

    chosen: dict[int, dict[int, int]] = {}
    candidates: set[int] = set()
    for unit_id in unit_ids:
        picked: dict[int, int] = {}
        lvl: int = Level.ASSIGNEE
        # Every level up to ``level``; past it only while nobody has been reached yet.
        while lvl <= Level.COMMITTEE_LEADER and (lvl <= level or not picked):
            for user_id in at(unit_id, lvl) - {exclude}:
                picked.setdefault(user_id, lvl)
            lvl += 1
        chosen[unit_id] = picked
        candidates |= set(picked)
    cleared = set(
        User.objects.filter(
            pk__in=candidates, is_active=True, clearance__gte=program.classification
        ).values_list("pk", flat=True)
    )
    return {u: {p: lv for p, lv in picked.items() if p in cleared} for u, picked in chosen.items()}


def send(
    *,
    actor: Any,
    period: ReportPeriod,
    unit_ids: list[int],
    level: int,
    key: str,
    today: dt.date,
) -> dict[int, int]:
    """Notify about each unit's missing report; unit id -> notifications created now."""
    program = period.schedule.program
    names = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    drafts = dict(
        UnitReport.objects.filter(period=period, unit_id__in=unit_ids, state=ReportState.DRAFT)
        .order_by("unit_id", "version")
        .values_list("unit_id", "pk")
    )
    label = _label(period.schedule.frequency, period.start, period.end)
    created: dict[int, int] = {}
    who = recipients_by_unit(program, unit_ids, level, exclude=getattr(actor, "pk", None))
    for unit_id in unit_ids:
        if not who.get(unit_id):
            created[unit_id] = 0
            continue
        target = (
            reverse("reporting:report", args=[drafts[unit_id]])
            if unit_id in drafts
            else reverse("reporting:period", args=[period.pk])
        )
        params = {"unit": names.get(unit_id, ""), "period": label, "due": period.due_on}
        rows = notify(
            actor=actor,
            recipients=who[unit_id],
            kind=NotificationKind.REPORT_MISSING,
            message=LATE if today > period.due_on else BEFORE,
            params=params,
            subject=SUBJECT,
            target_url=target,
            target_label=LINK,
            dedupe_key=f"report:{period.pk}:unit:{unit_id}:{key}",
            due=period.due_on,
        )
        created[unit_id] = len(rows)
    return created


def remind_due_reports(*, today: dt.date | None = None) -> int:
    """The daily automatic reminders of unit reports not sent (see the module docstring).

    Periods whose due date is within the reminder window of their program's settings; each
    firing reaches each person once, so a rerun (or a second worker) sends nothing more.
    Returns the number of notifications created.
    """
    today = today or timezone.localdate()
    cal = default_calendar
    if not cal.is_working_day(today):
        return 0
    # A period more than a year late is no longer chased.
    periods = (
        ReportPeriod.objects.filter(
            schedule__active=True,
            due_on__gte=today - dt.timedelta(days=366),
            due_on__lte=cal.add_working_days(today, 61),
        )
        .select_related("schedule__program")
        .order_by("pk")
    )
    total = 0
    for period in periods:
        settings = reminder_settings(period.schedule.program)
        if not settings.enabled:
            continue
        firing = rules.plan(period.due_on, today, settings, cal)
        if firing is None:
            continue
        units = missing_units(period)
        if not units:
            continue
        sent = send(
            actor=None,
            period=period,
            unit_ids=units,
            level=firing.level,
            key=f"auto:{firing.stage}:{firing.occurrence.isoformat()}",
            today=today,
        )
        total += sum(sent.values())
    return total
