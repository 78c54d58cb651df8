"""Reads of appraisals, always through the user's scope (``visible_tasks``).

``appraisal_rows`` is the one query behind every appraisal figure: the board, the figures and
their drill-down lists filter its rows, so a count and its list cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tiendo.orgs.scope import Scope
from tiendo.programs.models import Program, Task, TaskKind
from tiendo.programs.selectors import visible_tasks

from .models import Appraisal, AppraisalStep, AppraisalStepRule, StepOutcome
from .timing import ProjectTiming, StepFacts, StepTiming, project_timing, step_timing, waiting_days


def facts(step: AppraisalStep) -> StepFacts:
    return StepFacts(
        started_on=step.started_on,
        due_on=step.due_on,
        finished_on=step.finished_on,
        returned=step.outcome == StepOutcome.RETURNED,
    )


@dataclass
class AppraisalRow:
    task: Task
    appraisal: Appraisal | None
    steps: list[AppraisalStep]
    timing: str
    current: AppraisalStep | None = None  # the step waiting on the day, if any
    waited: int = 0  # working days the current step has waited
    step_timings: list[tuple[AppraisalStep, str]] = field(default_factory=list)

    @property
    def timing_label(self) -> str:
        return str(ProjectTiming(self.timing).label)


def visible_projects(scope: Scope) -> QuerySet[Task]:
    """Investment projects the user sees: the general rule (``visible_tasks``), plus, for the
    bodies named in a program's appraisal procedure, that program's projects (an appraiser
    must read the dossiers it decides on). Clearance applies to both."""
    base = visible_tasks(scope).filter(kind=TaskKind.PROJECT)
    if not scope.is_authenticated or scope.is_admin or not scope.unit_paths:
        return base
    program_ids = list(
        AppraisalStepRule.objects.filter(scope.subtree_q("responsible_unit__path"))
        .values_list("program_id", flat=True)
        .distinct()
    )
    if not program_ids:
        return base
    appraised = Task.objects.filter(
        kind=TaskKind.PROJECT,
        program_id__in=program_ids,
        classification__lte=scope.clearance,
        program__classification__lte=scope.clearance,
    )
    return Task.objects.filter(Q(pk__in=base.values("pk")) | Q(pk__in=appraised.values("pk")))


def _row(task: Task, on: dt.date) -> AppraisalRow:
    appraisal: Appraisal | None = getattr(task, "appraisal", None)
    steps = list(appraisal.steps.all()) if appraisal else []
    approved_on = appraisal.approved_on if appraisal else None
    timing = project_timing([facts(s) for s in steps], approved_on, on)
    row = AppraisalRow(task=task, appraisal=appraisal, steps=steps, timing=timing)
    for step in steps:
        t = step_timing(facts(step), on)
        if t is None:
            continue
        row.step_timings.append((step, t))
        if t in (StepTiming.WAITING, StepTiming.OVERDUE):
            row.current, row.waited = step, waiting_days(facts(step), on)
    return row


def appraisal_rows(
    scope: Scope, *, program: Program | int | None = None, on: dt.date | None = None
) -> list[AppraisalRow]:
    """Every visible investment project with its appraisal as of ``on`` (default today)."""
    on = on or timezone.localdate()
    qs = visible_projects(scope).filter(assigned_at__isnull=False)
    if program is not None:
        qs = qs.filter(program_id=program.pk if isinstance(program, Program) else program)
    steps = AppraisalStep.objects.select_related("responsible_unit").order_by("started_on", "id")
    qs = (
        qs.select_related("program", "lead_unit", "appraisal")
        .prefetch_related(Prefetch("appraisal__steps", queryset=steps))
        .order_by("program_id", "id")
    )
    return [_row(task, on) for task in qs]


def appraisal_figures(rows: list[AppraisalRow]) -> dict[str, int]:
    """Projects per timing; ``behind_or_late`` is the "behind schedule" figure of reports."""
    counts = Counter(row.timing for row in rows)
    figures = {t.value: counts.get(t.value, 0) for t in ProjectTiming}
    figures["total"] = len(rows)
    figures["behind_or_late"] = (
        figures[ProjectTiming.BEHIND] + figures[ProjectTiming.APPRAISED_LATE]
    )
    return figures


def rows_with_timing(rows: list[AppraisalRow], timing: str) -> list[AppraisalRow]:
    """The drill-down list of a figure."""
    if timing == "behind_or_late":
        return [r for r in rows if r.timing in (ProjectTiming.BEHIND, ProjectTiming.APPRAISED_LATE)]
    return [r for r in rows if r.timing == timing]


@dataclass
class Timeliness:
    on_time: int = 0
    late: int = 0
    waiting: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.waiting + self.overdue

    @property
    def late_or_overdue(self) -> int:
        return self.late + self.overdue


def step_timeliness(
    rows: list[AppraisalRow],
) -> tuple[dict[str, Timeliness], dict[str, Timeliness]]:
    """Step passages per step name and per responsible body (one passage per step entered)."""
    by_step: dict[str, Timeliness] = defaultdict(Timeliness)
    by_body: dict[str, Timeliness] = defaultdict(Timeliness)
    for row in rows:
        for step, timing in row.step_timings:
            for bucket in (
                by_step[f"{step.position}. {step.name}"],
                by_body[step.responsible_unit.name],
            ):
                setattr(bucket, timing, getattr(bucket, timing) + 1)
    return dict(sorted(by_step.items())), dict(sorted(by_body.items()))


def returned_dossiers(rows: list[AppraisalRow]) -> list[tuple[AppraisalRow, AppraisalStep]]:
    """Every return (as of the rows' day), with its reason; resubmissions are on the row."""
    return [
        (row, step)
        for row in rows
        for step, timing in row.step_timings
        if step.outcome == StepOutcome.RETURNED and timing in (StepTiming.ON_TIME, StepTiming.LATE)
    ]


def appraisal_get(scope: Scope, task_id: int, *, on: dt.date | None = None) -> AppraisalRow:
    """One visible project's appraisal (404 if the project is not visible or not a project)."""
    rows_qs = visible_projects(scope).filter(pk=task_id)
    if not rows_qs.exists():
        raise Http404
    task = (
        Task.objects.filter(pk=task_id)
        .select_related("program", "program__owner_unit", "lead_unit", "appraisal")
        .prefetch_related(
            Prefetch(
                "appraisal__steps",
                queryset=AppraisalStep.objects.select_related("responsible_unit", "finished_by")
                .prefetch_related("documents__unit")
                .order_by("started_on", "id"),
            )
        )
        .get()
    )
    return _row(task, on or timezone.localdate())


def rules_for(program: Program) -> list[AppraisalStepRule]:
    return list(program.appraisal_rules.select_related("responsible_unit").order_by("position"))
