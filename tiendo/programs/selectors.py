"""Reads of programs, groups and tasks, always through the user's scope.

Every page, API operation and export gets its rows from here. Objects outside the scope are
simply absent: looking one up by id raises ``Http404``, so their existence does not leak.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, fields
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tiendo.core.fields import in_any_subtree, in_subtree, path_depth, subtree_bounds
from tiendo.core.models import Classification
from tiendo.core.picker import PICK_LIMIT, Choice, Matches, Search, text_search
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope

from .models import Program, ProgressUpdate, Task, TaskCoordination, TaskGroup
from .status import TaskStatus, status_expression, status_q


def today() -> dt.date:
    return timezone.localdate()


def _id_in(field: str, ids: QuerySet[Any], *, walk: bool = False) -> Q:
    """``field IN (ids)``, written so that the database evaluates ``ids`` once.

    On PostgreSQL, ``field = ANY(ARRAY(subquery))``: the subquery runs once (an InitPlan) and
    the condition is an index condition that can join a BitmapOr with the other branches of the
    visibility rule; a plain ``IN (subquery)`` or ``EXISTS`` inside an OR makes PostgreSQL read
    the whole task table (measured in bench/RESULTS.md: 2.3 s -> 33 ms for a district officer).
    SQLite materialises an uncorrelated ``IN (subquery)`` once by itself.

    ``walk``: the query will rather walk an index in the list's order and test each row (a
    broad scope's first page, see ``task_list_counted``). There an array is searched element
    by element for every row (16,000 coordinated tasks x 1,800 rows walked: 300 ms for a
    province), while ``IN (subquery)`` is hashed once: plain ``IN`` then.
    """
    ids = ids.order_by()  # a model's default ordering would only sort the set for nothing
    if connection.vendor == "postgresql" and not walk:
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


def _cleared_q(scope: Scope) -> Q:
    """The clearance rule: the task's and its program's classification (no join)."""
    if scope.clearance >= Classification.TOP_SECRET:
        return Q()
    hidden = Program.objects.filter(classification__gt=scope.clearance).values("pk")
    return Q(classification__lte=scope.clearance) & ~_id_in("program_id", hidden)


def _task_visibility_q(scope: Scope, *, walk: bool = False, outside: bool = False) -> Q:
    """The visibility rule (see ``tiendo.orgs.scope``) as a filter on task columns only.

    No other table is joined: programs hidden by classification, programs a committee role
    covers and tasks the user's units coordinate are id sets evaluated once per query.
    ``walk``: see ``_id_in``. ``outside``: only the visible tasks led outside the user's
    subtrees (what the summary tables do not count, see ``task_count``).
    """
    cleared = _cleared_q(scope)
    if scope.is_admin:
        return Q(pk__in=[]) if outside else cleared
    reach = Q(assignee_id=scope.user_id) | Q(accountable_leader_id=scope.user_id)
    if scope.program_wide_unit_ids:
        # Owner units found through the path index (a join to the unit table made PostgreSQL
        # hash all 10,000 units for every list).
        owners = Unit.objects.filter(in_any_subtree("path", scope.program_wide_paths)).values("pk")
        covered = Program.objects.filter(
            Q(owner_unit_id__in=owners)
            | Q(standing_office_id__in=sorted(scope.program_wide_unit_ids))
        ).values("pk")
        if outside:
            # Each gap between the subtrees with the program: one range of the
            # (program, lead unit path) index, not every task of the programs.
            for gap in _gaps_q("lead_unit_path", scope.unit_paths):
                reach |= _id_in("program_id", covered, walk=walk) & gap
        else:
            reach |= _id_in("program_id", covered, walk=walk)
    if scope.unit_paths:
        reach |= _id_in("pk", _led_outside_task_ids(scope.unit_paths), walk=walk)
    if outside:
        return cleared & reach & ~scope.subtree_q("lead_unit_path")
    return cleared & (scope.subtree_q("lead_unit_path") | reach)


def _led_outside_q(paths: tuple[str, ...]) -> Q:
    """Coordinations (``TaskCoordination``) by a unit of the subtrees at ``paths`` of tasks led
    outside that subtree: those led inside are visible by their lead unit already. Per subtree,
    ``path_depth(path)`` ranges of the index (common depth, unit path): Hà Nội's committee
    reads the 254 tasks its units coordinate elsewhere, not the 16,437 coordinations of its
    units (its own tasks mostly). A task led in another of the subtrees may be among them: it
    is visible either way, and ``outside`` drops it."""
    q = Q(pk__in=[])
    for path in paths:
        q |= in_subtree("unit_path", path) & Q(common_depth__in=list(range(path_depth(path))))
    return q


def _led_outside_task_ids(paths: tuple[str, ...]) -> QuerySet[Any]:
    """The ids of the tasks ``_led_outside_q`` finds (a subquery, read when the query runs)."""
    return TaskCoordination.objects.filter(_led_outside_q(paths)).values("task_id")


def _gaps_q(field: str, paths: tuple[str, ...]) -> list[Q]:
    """The ranges of ``field`` outside the subtrees at ``paths`` (disjoint, as
    ``Scope.unit_paths`` gives them), one ``Q`` per range."""
    gaps: list[Q] = []
    low: str | None = None
    for path in sorted(paths):
        start, end = subtree_bounds(path)
        gaps.append(Q(**{f"{field}__lt": start}) & (Q(**{f"{field}__gte": low}) if low else Q()))
        low = end
    gaps.append(Q(**{f"{field}__gte": low}) if low else Q())
    return gaps


def visible_tasks(scope: Scope, *, walk: bool = False) -> QuerySet[Task]:
    if not scope.is_authenticated:
        return Task.objects.none()
    return Task.objects.filter(_task_visibility_q(scope, walk=walk))


def visible_programs(scope: Scope) -> QuerySet[Program]:
    if not scope.is_authenticated:
        return Program.objects.none()
    cleared = Q(classification__lte=scope.clearance)
    if scope.is_admin:
        return Program.objects.filter(cleared)
    return Program.objects.filter(cleared & _program_reach_q(scope))


def _program_reach_q(scope: Scope) -> Q:
    """Programs (already cleared) that a non-administrator sees: those their committee or
    standing-office role covers, those owned in their subtrees, and those with a task they see.

    "A task they see" is ``visible_tasks`` taken apart by branch, so that each branch is an index
    probe: for a covered program it is implied; tasks led in the user's subtrees are one range of
    the (program, lead unit path) index per program; personal and coordinated tasks are a few
    rows read once. Written as one ``EXISTS`` over ``visible_tasks``, PostgreSQL collected every
    visible task to hash their programs: 55,000 tasks, 33 ms of a province's task list page.
    """
    tasks = Task.objects.filter(classification__lte=scope.clearance)
    led_here = Exists(tasks.filter(scope.subtree_q("lead_unit_path"), program_id=OuterRef("pk")))
    personal = Q(assignee_id=scope.user_id) | Q(accountable_leader_id=scope.user_id)
    if scope.unit_paths:
        personal |= _id_in("pk", _led_outside_task_ids(scope.unit_paths))
    # Owned in the user's subtrees; this includes the programs that a committee role covers by
    # their owner (its unit is one of the user's), so of ``Scope.program_wide_q`` only the
    # standing office is left. The owners are an id set hashed once (a join hashed all 10,000
    # units; an array was searched element by element for every program). The probes come last:
    # a program found by an earlier branch is not probed.
    owners = Unit.objects.filter(scope.subtree_q("path")).values("pk")
    return (
        Q(owner_unit_id__in=owners)
        | Q(standing_office_id__in=sorted(scope.program_wide_unit_ids))
        | Q(pk__in=tasks.filter(personal).values("program_id"))
        | Q(led_here)
    )


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


def program_search(programs: QuerySet[Program], query: str, *, limit: int = PICK_LIMIT) -> Matches:
    """Programs of ``programs`` (``program_list``: those the user sees) whose name holds every
    word of ``query`` or whose code holds the whole of it, for the program picker.

    Accents and case do not matter ("chuyen doi so" finds "Chuyển đổi số"). Order: the program
    whose code is the query, then the newest first, as the program list. One query.
    """
    search = text_search(query, ("name",))
    found = _programs_found(programs, search)
    rows = list(found.values_list("pk", "name", "code", "owner_unit__name")[: limit + 1])
    return Matches(
        query=search.query, items=[Choice(*row) for row in rows[:limit]], more=len(rows) > limit
    )


def programs_matching(programs: QuerySet[Program], query: str) -> QuerySet[Program]:
    """``programs`` whose name holds every word of ``query`` (accents and case aside) or whose
    code holds the whole of it; the one whose code is the query first, then the newest. Every
    program for an empty query. The program picker, the program list and the dashboards'
    index search alike."""
    return _programs_found(programs, text_search(query, ("name",)))


def _programs_found(programs: QuerySet[Program], search: Search) -> QuerySet[Program]:
    return programs.filter(search.where).order_by(
        *search.order, F("start_year").desc(nulls_last=True), "code"
    )


def program_choice(programs: QuerySet[Program], pk: int) -> Choice | None:
    """The program ``pk`` as the picker shows it (its owner unit as where it belongs), if
    ``programs`` holds it."""
    row = programs.filter(pk=pk).values_list("pk", "name", "code", "owner_unit__name").first()
    return Choice(*row) if row else None


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
    scope: Scope,
    filters: TaskFilters | None = None,
    *,
    on: dt.date | None = None,
    walk: bool = False,
) -> QuerySet[Task]:
    """Visible tasks matching ``filters``, each annotated with its ``status`` on date ``on``.

    ``walk``: written for a plan that walks the deadline order (see ``task_list_counted``);
    the same rows either way.
    """
    filters = filters or TaskFilters()
    return _listed(scope, filters, on or today(), _unit_path(filters), walk)


def _listed(
    scope: Scope, filters: TaskFilters, on: dt.date, unit_path: str | None, walk: bool
) -> QuerySet[Task]:
    """``task_list``'s query, the unit filter's path already looked up (``_unit_path``)."""
    qs = _filtered(visible_tasks(scope, walk=walk), filters, on, unit_path)
    return (
        qs.annotate(status=status_expression(on))
        .select_related("program", "group", "lead_unit", "assignee")
        .order_by("deadline", "program_id", "id")
    )


_NO_UNIT = ""  # the filter names a unit that does not exist: nothing matches


def _unit_path(filters: TaskFilters) -> str | None:
    if not filters.unit:
        return None
    path = Unit.objects.filter(pk=filters.unit).values_list("path", flat=True).first()
    return path or _NO_UNIT


def _filtered(
    qs: QuerySet[Task], filters: TaskFilters, on: dt.date, unit_path: str | None
) -> QuerySet[Task]:
    if filters.program:
        qs = qs.filter(program_id=filters.program)
    if filters.group:
        group = TaskGroup.objects.filter(pk=filters.group).only("path", "program_id").first()
        if group is None:
            return qs.none()
        qs = qs.filter(in_subtree("group__path", group.path), program_id=group.program_id)
    if unit_path is not None:
        if unit_path == _NO_UNIT:
            return qs.none()
        qs = qs.filter(in_subtree("lead_unit_path", unit_path))
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
    return qs


# The total of a list ---------------------------------------------------------------------------

# Filters the summary tables can answer: status (a set of statuses), kind and unit subtree.
_TALLIED_FILTERS = frozenset({"status", "overdue", "kind", "unit"})


def task_list_counted(
    scope: Scope,
    filters: TaskFilters | None = None,
    *,
    on: dt.date | None = None,
    upto: int = 50,
) -> tuple[QuerySet[Task], int]:
    """``task_list`` and its exact total (``task_count``), the list written for the faster plan.

    ``upto``: the last row the caller will read (offset + page size). Knowing the total first
    lets the list be written for the plan that reads fewer rows: a scope that sees a large
    share of the matching tasks finds its first page by walking the deadline order (about
    ``upto x all / visible`` rows), a narrow one by collecting its few rows through the
    indexes of the visibility rule (``visible`` rows); see ``_id_in`` for why the form of the
    rule decides which plan PostgreSQL can take.
    """
    filters = filters or TaskFilters()
    on = on or today()
    unit_path = _unit_path(filters)
    total, everyone = _count(scope, filters, on, unit_path)
    walk = everyone is not None and total > 0 and upto * everyone < total * total
    return _listed(scope, filters, on, unit_path, walk), total


def task_count(
    scope: Scope, filters: TaskFilters | None = None, *, on: dt.date | None = None
) -> int:
    """Exactly ``task_list(scope, filters, on=on).count()``, from the dashboards' summary
    tables where they count exactly this set, else from the task table."""
    filters = filters or TaskFilters()
    on = on or today()
    return _count(scope, filters, on, _unit_path(filters))[0]


def _count(
    scope: Scope, filters: TaskFilters, on: dt.date, unit_path: str | None
) -> tuple[int, int | None]:
    """(the total, the same filter's total over all units and classifications or None)."""
    statuses = _tallied_statuses(filters)
    if statuses is not None and not statuses:
        return 0, None  # filters that contradict each other (status X, not overdue...)
    if scope.is_authenticated and statuses is not None and unit_path != _NO_UNIT:
        ancs, outside = _tally_plan(scope, unit_path)
        kind = str(filters.kind) if filters.kind else None
        tallied = _read_tally(scope, ancs, statuses, kind, on)
        if tallied is not None:
            mine, everyone = tallied
            if outside:
                mine += _outside_count(scope, statuses, kind, unit_path, on)
            return mine, everyone
    qs = _filtered(visible_tasks(scope), filters, on, unit_path)
    return qs.count(), None


def _outside_count(
    scope: Scope, statuses: frozenset[str], kind: str | None, unit_path: str | None, on: dt.date
) -> int:
    """Visible tasks led outside the user's subtrees (through a program, a coordination or
    personally), counted live. The status is tested on each of these few rows with
    ``status_expression``, not ``status_q``: an indexable deadline condition made PostgreSQL
    intersect them with every overdue task of the country (600,000 index entries)."""
    sql, params = _outside_count_sql(scope, statuses, kind, unit_path, on, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


@functools.lru_cache(maxsize=512)
def _outside_count_sql(
    scope: Scope,
    statuses: frozenset[str],
    kind: str | None,
    unit_path: str | None,
    on: dt.date,
    vendor: str,
) -> tuple[str, tuple[Any, ...]]:
    """The statement of ``_outside_count``, built by the ORM once per scope, filters and day.

    Building and compiling this query (the visibility rule's id sets, the status expression)
    cost more than running it: 4.5 of its 7 ms on a province's task list (issue #3). Its text
    depends only on the arguments (the scope's user, memberships and clearance, the day: the id
    sets are subqueries, read when it runs), so a process keeps the last few hundred."""
    rest = Task.objects.filter(_task_visibility_q(scope, outside=True))
    if unit_path is not None:
        rest = rest.filter(in_subtree("lead_unit_path", unit_path))
    if kind:
        rest = rest.filter(kind=kind)
    rest = rest.alias(_st=status_expression(on)).filter(_st__in=sorted(statuses))
    sql, params = rest.order_by().values("pk").query.sql_with_params()
    return f"SELECT COUNT(*) FROM ({sql}) AS visible_outside", tuple(params)  # noqa: S608


def _tallied_statuses(filters: TaskFilters) -> frozenset[str] | None:
    """The statuses a list's filters keep, if the summary tables can count them (no drafts,
    no filter they do not record), else None."""
    used = {f.name for f in fields(filters) if getattr(filters, f.name) not in (None, "")}
    if not used <= _TALLIED_FILTERS:
        return None
    statuses = frozenset(TaskStatus.values)
    if filters.status:
        statuses &= {filters.status}
    if filters.overdue is True:
        statuses &= {TaskStatus.OVERDUE}
    elif filters.overdue is False:
        statuses -= {TaskStatus.OVERDUE}
    return None if TaskStatus.DRAFT in statuses else statuses


def _tally_plan(scope: Scope, unit_path: str | None) -> tuple[list[str], bool]:
    """Which subtrees the tables count for this scope and unit filter, and whether visible
    tasks led elsewhere must be added (counted live).

    The tables count, per unit path, the assigned tasks led in its subtree with the higher
    of the task's and program's classification (``vis``): for the subtrees of a user's own
    units that is exactly what the user sees there (``vis <= clearance``). Tasks the user
    sees through a program, a coordination or personally and that are led elsewhere are not
    in those subtrees.
    """
    if scope.is_admin:
        return [unit_path or "/"], False
    paths = list(scope.unit_paths)
    if unit_path is None:
        return paths, True
    if scope.covers_path(unit_path):
        return [unit_path], False  # inside one of the user's subtrees: all of it is visible
    return [p for p in paths if p.startswith(unit_path)], True


def _read_tally(
    scope: Scope, ancs: list[str], statuses: frozenset[str], kind: str | None, on: dt.date
) -> tuple[int, int] | None:
    """Tasks of ``statuses`` (and ``kind``) counted by the summary tables in the subtrees
    ``ancs`` within the scope's clearance, and in the whole country at any classification;
    None unless the tables are exact for ``on``. One statement, so that the day and the counts
    come from the same snapshot (a nightly rebuild may commit in between otherwise)."""
    codes = _status_codes(statuses)
    where = f"code IN ({', '.join(['%s'] * len(codes))}){' AND kind = %s' if kind else ''}"
    where_params: list[Any] = [*codes, *([kind] if kind else [])]
    mine = f"anc IN ({', '.join(['%s'] * len(ancs))}) AND vis <= %s" if ancs else "1 = 0"
    sql = (
        "SELECT s.day, "  # noqa: S608
        f"(SELECT SUM(n) FROM dashboards_unittally WHERE {mine} AND {where}), "
        f"(SELECT SUM(n) FROM dashboards_unittally WHERE anc = '/' AND {where}) "
        "FROM dashboards_summarystate s WHERE s.id = 1"
    )
    mine_params: list[Any] = [*ancs, scope.clearance] if ancs else []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*mine_params, *where_params, *where_params])
        row = cursor.fetchone()
    if row is None or str(row[0]) != on.isoformat():  # SQLite may give the day as text
        return None
    return int(row[1] or 0), int(row[2] or 0)


@functools.cache
def _status_codes(statuses: frozenset[str]) -> list[int]:
    """The summary tables' status-and-flags codes of ``statuses`` (``figures.decode``)."""
    from tiendo.dashboards.figures import status_codes  # dashboards builds on programs

    return status_codes(statuses)


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
