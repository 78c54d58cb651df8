"""Reads of programs, groups and tasks, always through the user's scope.

Every page, API operation and export gets its rows from here. Objects outside the scope are
simply absent: looking one up by id raises ``Http404``, so their existence does not leak.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tiendo.core.fields import in_subtree
from tiendo.core.models import Classification
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope

from .models import Program, ProgressUpdate, Task, TaskCoordination, TaskGroup
from .status import TaskStatus, status_expression, status_q


def today() -> dt.date:
    return timezone.localdate()


def _id_in(field: str, ids: QuerySet[Any]) -> Q:
    """``field IN (ids)``, written so that the database evaluates ``ids`` once.

    On PostgreSQL, ``field = ANY(ARRAY(subquery))``: the subquery runs once (an InitPlan) and
    the condition is an index condition that can join a BitmapOr with the other branches of the
    visibility rule; a plain ``IN (subquery)`` or ``EXISTS`` inside an OR makes PostgreSQL read
    the whole task table (measured in bench/RESULTS.md: 2.3 s -> 33 ms for a district officer).
    SQLite materialises an uncorrelated ``IN (subquery)`` once by itself.
    """
    if connection.vendor == "postgresql":
        return Q(
            Func(
                F(field),
                ArraySubquery(ids),
                template="(%(expressions)s))",
                arg_joiner=" = ANY(",
                output_field=BooleanField(),
            )
        )
    return Q(**{f"{field}__in": ids})


def _task_visibility_q(scope: Scope) -> Q:
    """The visibility rule (see ``tiendo.orgs.scope``) as a filter on task columns only.

    No other table is joined: programs hidden by classification, programs a committee role
    covers and tasks the user's units coordinate are id sets evaluated once per query.
    """
    cleared = Q()
    if scope.clearance < Classification.TOP_SECRET:
        hidden = Program.objects.filter(classification__gt=scope.clearance).values("pk")
        cleared = Q(classification__lte=scope.clearance) & ~_id_in("program_id", hidden)
    if scope.is_admin:
        return cleared
    reach = (
        scope.subtree_q("lead_unit_path")
        | Q(assignee_id=scope.user_id)
        | Q(accountable_leader_id=scope.user_id)
    )
    if scope.program_wide_unit_ids:
        covered = Program.objects.filter(
            scope.program_wide_q("owner_unit__path", "standing_office_id")
        ).values("pk")
        reach |= _id_in("program_id", covered)
    if scope.unit_paths:
        coordinated = TaskCoordination.objects.filter(scope.subtree_q("unit_path")).values(
            "task_id"
        )
        reach |= _id_in("pk", coordinated)
    return cleared & reach


def visible_tasks(scope: Scope) -> QuerySet[Task]:
    if not scope.is_authenticated:
        return Task.objects.none()
    return Task.objects.filter(_task_visibility_q(scope))


def visible_programs(scope: Scope) -> QuerySet[Program]:
    if not scope.is_authenticated:
        return Program.objects.none()
    cleared = Q(classification__lte=scope.clearance)
    if scope.is_admin:
        return Program.objects.filter(cleared)
    has_task = Exists(visible_tasks(scope).filter(program_id=OuterRef("pk")))
    reach = (
        scope.program_wide_q("owner_unit__path", "standing_office_id")
        | scope.subtree_q("owner_unit__path")
        | Q(has_task)
    )
    return Program.objects.filter(cleared & reach)


def program_get(scope: Scope, program_id: int) -> Program:
    program = (
        visible_programs(scope)
        .select_related("owner_unit", "standing_office")
        .filter(pk=program_id)
        .first()
    )
    if program is None:
        raise Http404
    return program


def program_list(scope: Scope) -> QuerySet[Program]:
    return visible_programs(scope).select_related("owner_unit", "standing_office")


def group_list(scope: Scope, program: Program) -> QuerySet[TaskGroup]:
    """Groups of ``program``, empty if the caller cannot see the program."""
    return TaskGroup.objects.filter(program=program, program__in=visible_programs(scope)).order_by(
        "path"
    )


def group_get(scope: Scope, group_id: int) -> TaskGroup:
    group = TaskGroup.objects.filter(pk=group_id, program__in=visible_programs(scope)).first()
    if group is None:
        raise Http404
    return group


@dataclass(frozen=True)
class TaskFilters:
    """Filters of the task list, shared by the page, the API and exports."""

    program: int | None = None
    group: int | None = None
    unit: int | None = None  # lead unit or any unit below it
    kind: str | None = None
    status: str | None = None
    overdue: bool | None = None
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    assignee: int | None = None
    q: str | None = None


def task_list(
    scope: Scope, filters: TaskFilters | None = None, *, on: dt.date | None = None
) -> QuerySet[Task]:
    """Visible tasks matching ``filters``, each annotated with its ``status`` on date ``on``."""
    filters = filters or TaskFilters()
    on = on or today()
    qs = visible_tasks(scope)
    if filters.program:
        qs = qs.filter(program_id=filters.program)
    if filters.group:
        group = TaskGroup.objects.filter(pk=filters.group).only("path", "program_id").first()
        if group is None:
            return qs.none()
        qs = qs.filter(in_subtree("group__path", group.path), program_id=group.program_id)
    if filters.unit:
        unit = Unit.objects.filter(pk=filters.unit).only("path").first()
        if unit is None:
            return qs.none()
        qs = qs.filter(in_subtree("lead_unit_path", unit.path))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status_q(filters.status, on))
    if filters.overdue is True:
        qs = qs.filter(status_q(TaskStatus.OVERDUE, on))
    elif filters.overdue is False:
        qs = qs.exclude(status_q(TaskStatus.OVERDUE, on))
    if filters.deadline_from:
        qs = qs.filter(deadline__gte=filters.deadline_from)
    if filters.deadline_to:
        qs = qs.filter(deadline__lte=filters.deadline_to)
    if filters.assignee:
        qs = qs.filter(assignee_id=filters.assignee)
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(Q(title__icontains=term) | Q(number=term) | Q(description__icontains=term))
    return (
        qs.annotate(status=status_expression(on))
        .select_related("program", "group", "lead_unit", "assignee")
        .order_by("deadline", "program_id", "id")
    )


def task_get(scope: Scope, task_id: int, *, on: dt.date | None = None) -> Task:
    task = (
        visible_tasks(scope)
        .filter(pk=task_id)
        .annotate(status=status_expression(on or today()))
        .select_related("program", "group", "lead_unit", "assignee", "accountable_leader")
        .first()
    )
    if task is None:
        raise Http404
    return task


def my_tasks(scope: Scope, user_id: int) -> QuerySet[Task]:
    """Open tasks the user personally carries: as assignee or accountable leader."""
    return (
        task_list(scope)
        .filter(Q(assignee_id=user_id) | Q(accountable_leader_id=user_id))
        .filter(completed_on__isnull=True, hold_state="")
    )


def progress_history(task: Task) -> QuerySet[ProgressUpdate]:
    """Updates of a task the caller can already see (``task`` comes from ``task_get``)."""
    return (
        ProgressUpdate.objects.filter(task=task)
        .select_related("reported_by", "unit")
        .prefetch_related("evidence")
        .order_by("-as_of", "-id")
    )
