"""The figures the demo must show, and each figure's list of tasks, through the app's selectors.

Every figure is the length of a task list built from ``tiendo.programs.selectors.task_list``
(with ``TaskFilters``) and the status rule's ``status_q``: the number a leader reads and the
list behind it come from the same query. A user sees the figures of the programs in their scope;
the committee leaders and the administrator see all of them, and the same numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tiendo.orgs.scope import Scope
from tiendo.programs.models import Program, Task, TaskKind
from tiendo.programs.selectors import TaskFilters, group_list, program_list, task_list
from tiendo.programs.status import TaskStatus as S
from tiendo.programs.status import status_q

from .situation_ministry import CODE as MINISTRY_CODE
from .situation_p06 import CODE as P06_CODE
from .situation_province import CODE as PROVINCE_CODE

Q1_2024 = (dt.date(2024, 1, 1), dt.date(2024, 3, 31))

# name -> the number it must be. Lists are named by what they hold; ``*.units`` are distinct
# lead units of the list of the same prefix.
EXPECTED: dict[str, int] = {
    "province.I.tasks": 11,
    "province.I.deployed": 11,
    "province.II.tasks": 21,
    "province.II.deployed": 11,
    "province.III.tasks": 9,
    "province.III.deployed": 5,
    "province.IV.tasks": 6,
    "province.IV.deployed": 1,
    "ministry.projects": 17,
    "ministry.projects.units": 16,
    "ministry.projects.on_time": 2,
    "ministry.projects.behind": 15,
    "ministry.tasks": 46,
    "ministry.tasks.units": 35,
    "ministry.tasks.completed": 45,
    "ministry.tasks.not_completed": 1,
    "p06.groups": 10,
    "p06.tasks": 51,
    "p06.tasks.q1_not_done": 10,
    "p06.tasks.overdue": 10,
    "p06.pilots": 38,
    "p06.pilots.completed": 6,
    "p06.pilots.in_progress": 20,
    "p06.pilots.not_started": 12,
}


def deployed_q() -> Q:
    """Đã triển khai: started (a report above 0 %) or completed."""
    return Q(started_on__isnull=False) | Q(completed_on__isnull=False)


def completed_q(on: dt.date) -> Q:
    return status_q(S.COMPLETED_ON_TIME, on) | status_q(S.COMPLETED_LATE, on)


def open_q(on: dt.date) -> Q:
    """Assigned, active and not completed, whatever its deadline."""
    return status_q(S.OVERDUE, on) | status_q(S.IN_PROGRESS, on) | status_q(S.NOT_STARTED, on)


def _program(scope: Scope, code: str) -> Program | None:
    return program_list(scope).filter(code=code).first()


def _tasks(scope: Scope, on: dt.date, **filters: Any) -> QuerySet[Task]:
    """Assigned tasks of a cell (drafts are never counted: they are not yet tasks)."""
    return task_list(scope, TaskFilters(**filters), on=on).exclude(status_q(S.DRAFT, on))


def lists(scope: Scope, on: dt.date | None = None) -> dict[str, QuerySet[Task]]:
    """Each figure's task list, for the programs ``scope`` can see."""
    on = on or timezone.localdate()
    cells: dict[str, QuerySet[Task]] = {}
    if province := _program(scope, PROVINCE_CODE):
        for group in group_list(scope, province):
            tasks = _tasks(scope, on, program=province.pk, group=group.pk)
            cells[f"province.{group.number}.tasks"] = tasks
            cells[f"province.{group.number}.deployed"] = tasks.filter(deployed_q())
    if ministry := _program(scope, MINISTRY_CODE):
        projects = _tasks(scope, on, program=ministry.pk, kind=TaskKind.PROJECT)
        cells["ministry.projects"] = projects
        cells["ministry.projects.on_time"] = projects.filter(status_q(S.COMPLETED_ON_TIME, on))
        # Behind schedule: not appraised by the deadline (overdue), or appraised late.
        cells["ministry.projects.behind"] = projects.filter(
            status_q(S.OVERDUE, on) | status_q(S.COMPLETED_LATE, on)
        )
        tasks = _tasks(scope, on, program=ministry.pk, kind=TaskKind.TASK)
        cells["ministry.tasks"] = tasks
        cells["ministry.tasks.completed"] = tasks.filter(completed_q(on))
        cells["ministry.tasks.not_completed"] = tasks.filter(open_q(on))
    if p06 := _program(scope, P06_CODE):
        tasks = _tasks(scope, on, program=p06.pk, kind=TaskKind.TASK)
        cells["p06.tasks"] = tasks
        cells["p06.tasks.q1_not_done"] = _tasks(
            scope,
            on,
            program=p06.pk,
            kind=TaskKind.TASK,
            status=S.OVERDUE,
            deadline_from=Q1_2024[0],
            deadline_to=Q1_2024[1],
        )
        cells["p06.tasks.overdue"] = tasks.filter(status_q(S.OVERDUE, on))
        pilots = _tasks(scope, on, program=p06.pk, kind=TaskKind.PILOT)
        cells["p06.pilots"] = pilots
        cells["p06.pilots.completed"] = pilots.filter(completed_q(on))
        cells["p06.pilots.in_progress"] = pilots.filter(open_q(on), started_on__isnull=False)
        cells["p06.pilots.not_started"] = pilots.filter(open_q(on), started_on__isnull=True)
    return cells


def figures(scope: Scope, on: dt.date | None = None) -> dict[str, int]:
    """Every figure of ``EXPECTED`` that ``scope`` can see, counted in the database."""
    cells = lists(scope, on)
    counts = {name: qs.count() for name, qs in cells.items()}
    for name in ("ministry.projects", "ministry.tasks"):
        if name in cells:
            counts[f"{name}.units"] = (
                cells[name].order_by().values("lead_unit_id").distinct().count()
            )
    if p06 := _program(scope, P06_CODE):
        counts["p06.groups"] = group_list(scope, p06).count()
    return counts
