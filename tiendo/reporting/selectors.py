"""Reads of the reporting regime, always through the caller's scope.

Start here:
- ``period_get`` / ``schedule_list`` / ``report_list``: what the caller may see (404 otherwise);
- ``discipline(scope, program, period)``: on time / late / missing per obliged unit, the figure
  of the reporting regime and its drill-down list from ONE computation (the dashboard and the
  index engine call it);
- ``unit_figures`` / ``program_figures``: a unit's or a program's figures AS OF THE PERIOD END,
  built on ``tiendo.dashboards.figures`` (history rebuilt by ``facts_as_of``; no second engine).

Visibility of unit reports: a draft is seen only by members of its unit (or of a unit above it);
once submitted it is also seen by the program's committee leaders and standing office.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tiendo.accounts.models import Role
from tiendo.core.fields import in_subtree
from tiendo.core.models import Classification
from tiendo.dashboards.figures import (
    Cell,
    scoped_tasks,
)
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope
from tiendo.programs.access import can_manage_program
from tiendo.programs.models import Program, Task
from tiendo.programs.selectors import program_get, today
from tiendo.programs.status import TaskStatus

from . import asof
from .models import ReportPeriod, ReportSchedule, ReportState, UnitReport

TASK_ROWS = 500  # tasks listed in a report; the counts always cover all of them


def report_scope(program: Program) -> Scope:
    """The fixed viewpoint figures of a report are computed from, whoever asks.

    A report is an official record: its numbers must not depend on who generated it. It covers
    every task of the program classified no higher than the program itself.
    """
    return Scope(
        user_id=0, is_admin=True, clearance=max(program.classification, Classification.PUBLIC)
    )


# Schedules, periods, reports ----------------------------------------------------------------


def schedule_list(scope: Scope, program: Program) -> QuerySet[ReportSchedule]:
    """Schedules of a program the caller sees (``program`` comes from ``program_get``)."""
    return ReportSchedule.objects.filter(program=program).prefetch_related("units")


def schedule_get(scope: Scope, schedule_id: int) -> ReportSchedule:
    schedule = ReportSchedule.objects.filter(pk=schedule_id).first()
    if schedule is None:
        raise Http404
    program_get(scope, schedule.program_id)  # 404 when the program is out of scope
    return schedule


def period_get(scope: Scope, period_id: int) -> ReportPeriod:
    period = ReportPeriod.objects.select_related("schedule").filter(pk=period_id).first()
    if period is None:
        raise Http404
    period.schedule.program = program_get(scope, period.schedule.program_id)
    return period


def period_list(scope: Scope, program: Program) -> QuerySet[ReportPeriod]:
    return ReportPeriod.objects.filter(schedule__program=program).select_related("schedule")


def reporting_units(program: Program) -> QuerySet[Unit]:
    """Units that may be obliged to report on ``program``: those leading any of its tasks, and
    the units under the program's owner."""
    leading = Task.objects.filter(program=program).values("lead_unit_id")
    return Unit.objects.filter(
        Q(pk__in=leading) | in_subtree("path", program.owner_unit.path), closed_on__isnull=True
    ).order_by("path")


def can_edit_report(scope: Scope, unit: Unit) -> bool:
    """The unit's own leaders and officers write and send its report; a unit leader above it
    may too (they answer for their units)."""
    return any(
        (role in (Role.UNIT_LEADER, Role.UNIT_OFFICER) and unit_id == unit.pk)
        or (role == Role.UNIT_LEADER and unit.path.startswith(path))
        for unit_id, path, role in scope.memberships
    )


def reports_visible_q(scope: Scope, program: Program) -> Q:
    """Reports the caller may read in ``program``.

    A draft: members of its unit (any role) and unit leaders above it; nobody else, so units
    never see each other's drafts and the standing office sees a report once it is sent.
    A sent version: also every member of a unit above it, and the program's leaders.
    """
    leader_paths = sorted({p for _, p, role in scope.memberships if role == Role.UNIT_LEADER})
    draft = Q(unit_id__in=sorted(scope.unit_ids))
    for path in leader_paths:
        draft |= in_subtree("unit__path", path)
    sent = scope.subtree_q("unit__path") if scope.unit_paths else Q(pk__in=[])
    if can_manage_program(scope, program):
        sent = Q()
    return draft | (~Q(state=ReportState.DRAFT) & sent)


def report_list(scope: Scope, period: ReportPeriod) -> QuerySet[UnitReport]:
    """Every visible version of the period's reports, newest version first per unit."""
    program = period.schedule.program
    return (
        UnitReport.objects.filter(period=period)
        .filter(reports_visible_q(scope, program))
        .select_related("unit", "submitted_by", "reviewed_by")
        .order_by("unit__name", "unit_id", "-version")
    )


def report_get(scope: Scope, report_id: int) -> UnitReport:
    report = (
        UnitReport.objects.select_related("period__schedule", "unit", "submitted_by", "reviewed_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    program = program_get(scope, report.period.schedule.program_id)
    report.period.schedule.program = program
    if not UnitReport.objects.filter(reports_visible_q(scope, program), pk=report.pk).exists():
        raise Http404
    return report


def latest_reports(period: ReportPeriod) -> dict[int, UnitReport]:
    """The newest version of each unit's report for the period (no scope: for services)."""
    latest: dict[int, UnitReport] = {}
    for r in UnitReport.objects.filter(period=period).select_related("unit").order_by("-version"):
        latest.setdefault(r.unit_id, r)
    return latest


# Reporting discipline -----------------------------------------------------------------------


class DisciplineStatus:
    """Where a unit stands in a period of the reporting regime."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    NOT_DUE = "not_due"  # nothing sent yet, but the due date has not passed


DISCIPLINE_STATUSES = (
    DisciplineStatus.ON_TIME,
    DisciplineStatus.LATE,
    DisciplineStatus.MISSING,
    DisciplineStatus.NOT_DUE,
)


@dataclass(frozen=True)
class DisciplineRow:
    unit_id: int
    unit_name: str
    status: str
    submitted_at: dt.datetime | None
    report_id: int | None  # the latest version, whatever its state


@dataclass
class Discipline:
    period: ReportPeriod
    rows: list[DisciplineRow]
    counts: dict[str, int] = field(default_factory=dict)

    def units(self, status: str) -> list[DisciplineRow]:
        """THE drill-down list of a count: the same rows the count was taken from."""
        return [r for r in self.rows if r.status == status]

    @property
    def obliged(self) -> int:
        return len(self.rows)

    @property
    def on_time_rate(self) -> float | None:
        due = self.obliged - self.counts.get(DisciplineStatus.NOT_DUE, 0)
        return self.counts[DisciplineStatus.ON_TIME] / due if due else None


def classify_submission(due_on: dt.date, submitted_at: dt.datetime | None, now: dt.datetime) -> str:
    """On time: first sent by the end of the due day (local time); late: sent after; missing:
    not sent and the due day is over; not due: not sent yet, due day not over."""
    if submitted_at is not None:
        sent_on = timezone.localdate(submitted_at)
        return DisciplineStatus.ON_TIME if sent_on <= due_on else DisciplineStatus.LATE
    return (
        DisciplineStatus.MISSING if timezone.localdate(now) > due_on else DisciplineStatus.NOT_DUE
    )


def _discipline(period: ReportPeriod, now: dt.datetime) -> Discipline:
    units = list(period.schedule.units.order_by("name", "id"))
    # The first time each unit sent any version: a return for corrections does not make a unit
    # that reported on time late (its new version is a correction, not the report).
    sent_at: dict[int, dt.datetime] = {}
    for unit_id, at in (
        UnitReport.objects.filter(period=period, submitted_at__isnull=False, submitted_at__lte=now)
        .order_by("submitted_at")
        .values_list("unit_id", "submitted_at")
    ):
        if at is not None:
            sent_at.setdefault(unit_id, at)
    latest = {uid: r.pk for uid, r in latest_reports(period).items()}
    rows = [
        DisciplineRow(
            unit_id=u.pk,
            unit_name=u.name,
            status=classify_submission(period.due_on, sent_at.get(u.pk), now),
            submitted_at=sent_at.get(u.pk),
            report_id=latest.get(u.pk),
        )
        for u in units
    ]
    counts = {s: sum(1 for r in rows if r.status == s) for s in DISCIPLINE_STATUSES}
    return Discipline(period=period, rows=rows, counts=counts)


def discipline(
    scope: Scope, program: Program, period: ReportPeriod, *, now: dt.datetime | None = None
) -> Discipline:
    """On time / late / missing per obliged unit for ``period`` of ``program`` (as at ``now``).

    Anyone who sees the program sees the discipline figure (whether and when each unit sent its
    report, never the content of a draft). 404 if the period is not the program's.
    """
    program = program_get(scope, program.pk)
    if period.schedule.program_id != program.pk:
        raise Http404
    return _discipline(period, now or timezone.now())


# Figures as of the period end ---------------------------------------------------------------


def _as_of(period: ReportPeriod) -> dt.date:
    """The period end, or today while the period runs (history cannot be read ahead)."""
    return min(period.end, today())


def _base(program: Program, period: ReportPeriod, unit: Unit | None = None) -> tuple[Cell, Any]:
    cell = Cell(program=program.pk, unit=unit.pk if unit else None, as_of=_as_of(period))
    return cell, scoped_tasks(report_scope(program), cell)


def counts_of(counts: dict[str, int] | None) -> dict[str, int]:
    return {**asof.zero(), **(counts or {})}


def on_time_rate(counts: dict[str, int]) -> str | None:
    """Completed on time among tasks due or done, as a percentage with one decimal (a string,
    so that the frozen snapshot and its hash do not depend on float formatting)."""
    due = counts.get("due", 0)
    if not due:
        return None
    return str((Decimal(counts["completed_on_time"]) * 100 / due).quantize(Decimal("0.1")))


def unit_figures(program: Program, unit: Unit, period: ReportPeriod) -> dict[str, Any]:
    """What a unit's report is pre-filled with: its tasks in the program (led by it or a unit
    below it) as of the period end. Plain JSON data, stored with the version when it is sent."""
    cell, qs = _base(program, period, unit)
    s = asof.scan(
        qs, on=cell.on, start=period.start, end=period.end, keys={"all": lambda r: ()},
        keep_statuses=True,
    )  # fmt: skip
    counts = counts_of(s.counts["all"].get(()))
    done_in = [
        pk
        for pk, (status, _, _, completed) in s.statuses.items()
        if status in (TaskStatus.COMPLETED_ON_TIME, TaskStatus.COMPLETED_LATE)
        and period.start <= completed <= period.end
    ]
    listed = [pk for pk, v in s.statuses.items() if v[0] != TaskStatus.CANCELLED]
    return {
        "as_of": cell.on.isoformat(),
        "counts": counts,
        "on_time_rate": on_time_rate(counts),
        "tasks": asof.task_rows(listed, s, TASK_ROWS),
        "completed_in_period": asof.task_rows(done_in, s, TASK_ROWS),
        "overdue": asof.task_rows([pk for _, _, pk in s.overdue], s, TASK_ROWS),
        "products": asof.products(s),
    }


def figure_cell(
    program: Program, period: ReportPeriod, bucket: str, unit_id: int | None = None
) -> Cell:
    """The dashboard cell behind a report figure: its link opens the list of those tasks."""
    return Cell(program=program.pk, unit=unit_id, as_of=_as_of(period), bucket=bucket)
