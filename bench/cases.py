"""Benchmark cases: the app's code path next to hand-written SQL computing the same figures.

Each ``Case`` has an ``app`` and a ``raw`` callable returning the same *figures* (a total and the
ids of the first page, or counts per group and status); ``bench.run`` times both and checks the
figures are equal. Import after ``django.setup()``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.test import Client

from tiendo.accounts.models import User
from tiendo.core.fields import path_depth, subtree_bounds
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope, scope_for
from tiendo.programs.models import Task
from tiendo.programs.selectors import TaskFilters, task_list_counted, visible_tasks
from tiendo.programs.status import TaskStatus, status_q

from .dataset import Viewers

PAGE = 50
STATUSES = tuple(TaskStatus)


@dataclass
class Case:
    name: str
    app: Callable[[], Any]
    raw: Callable[[], Any]
    note: str = ""
    compare: bool = True  # False: timed only (a page whose figures another case checks)


# The app side ------------------------------------------------------------------------------


def status_counts_by_top_group(scope: Scope, on: dt.date) -> QuerySet[Task]:
    """Status counts per top-level task group, as a dashboard would ask the database for them:
    the visible tasks, conditional aggregation with ``status_q`` (one grouped query).

    The top group is the group's parent when it has one: the generated programs have two levels.
    """
    counts = {s.value: Count("pk", filter=status_q(s, on)) for s in STATUSES}
    return (
        visible_tasks(scope)
        .annotate(top_group=Coalesce("group__parent_id", "group_id"))
        .values("top_group")
        .annotate(**counts)
        .order_by("top_group")
    )


def app_counts(scope: Scope, on: dt.date) -> list[tuple[int, ...]]:
    rows = status_counts_by_top_group(scope, on)
    return [(r["top_group"], *(r[s.value] for s in STATUSES)) for r in rows]


def app_task_page(scope: Scope, filters: TaskFilters, on: dt.date) -> tuple[int, list[int]]:
    """The task list as its page and the API use it: the total, then the first page."""
    qs, total = task_list_counted(scope, filters, on=on, upto=PAGE)
    return total, [t.pk for t in qs[:PAGE]]


def html_task_page(client: Client, query: str) -> None:
    """The task list page as a browser gets it (the rendered HTML, 50 rows and the total)."""
    response = client.get(f"/tasks/?{query}")
    if response.status_code != 200:
        raise RuntimeError(f"GET /tasks/?{query}: {response.status_code}")


def api_task_page(client: Client, query: str) -> tuple[int, list[int]]:
    response = client.get(f"/api/v1/tasks?{query}&limit={PAGE}")
    if response.status_code != 200:
        raise RuntimeError(
            f"GET /api/v1/tasks?{query}: {response.status_code} {response.content[:300]!r}"
        )
    body = json.loads(response.content)
    return body["count"], [item["id"] for item in body["items"]]


# The raw side: hand-written SQL over the base tables -------------------------------------------


def _status_sql(status: str) -> str:
    """``status_q`` by hand; ``%(on)s`` is the reference date."""
    open_ = "t.assigned_at IS NOT NULL AND t.hold_state = '' AND t.completed_on IS NULL"
    within = "(t.deadline IS NULL OR t.deadline >= %(on)s)"
    done = "t.assigned_at IS NOT NULL AND t.hold_state = '' AND t.completed_on IS NOT NULL"
    on_time = "(t.deadline IS NULL OR t.completed_on <= t.deadline)"
    return {
        TaskStatus.DRAFT: "t.assigned_at IS NULL",
        TaskStatus.CANCELLED: "t.assigned_at IS NOT NULL AND t.hold_state = 'cancelled'",
        TaskStatus.PAUSED: "t.assigned_at IS NOT NULL AND t.hold_state = 'paused'",
        TaskStatus.COMPLETED_ON_TIME: f"{done} AND {on_time}",
        TaskStatus.COMPLETED_LATE: f"{done} AND NOT {on_time}",
        TaskStatus.OVERDUE: f"{open_} AND t.deadline < %(on)s",
        TaskStatus.IN_PROGRESS: f"{open_} AND {within} AND t.started_on IS NOT NULL",
        TaskStatus.NOT_STARTED: f"{open_} AND {within} AND t.started_on IS NULL",
    }[TaskStatus(status)]


def visibility_sql(scope: Scope) -> tuple[str, dict[str, Any]]:
    """The scope rules of ``tiendo.orgs.scope`` written by hand over ``t`` (task), ``p`` (program).

    Each branch is a condition on an indexed task column, so that PostgreSQL combines them in
    one ``BitmapOr``: the programs a committee role covers and the coordinated tasks are
    computed once as arrays (``= ANY(ARRAY(...))``), subtrees are path ranges. SQLite has no
    arrays; there ``IN (subquery)`` lets its OR optimisation use the same indexes.
    """
    params: dict[str, Any] = {"clearance": scope.clearance, "user": scope.user_id}
    cleared = "t.classification <= %(clearance)s AND p.classification <= %(clearance)s"
    if scope.is_admin:
        return cleared, params

    def any_of(column: str, subquery: str) -> str:
        if connection.vendor == "postgresql":
            return f"{column} = ANY(ARRAY({subquery}))"
        return f"{column} IN ({subquery})"

    reach = ["t.assignee_id = %(user)s", "t.accountable_leader_id = %(user)s"]
    coordinated = []
    for i, path in enumerate(scope.unit_paths):
        params[f"lo{i}"], params[f"hi{i}"] = subtree_bounds(path)
        reach.append(f"(t.lead_unit_path >= %(lo{i})s AND t.lead_unit_path < %(hi{i})s)")
        # Coordinated by the subtree and led outside it (those led inside are in the branch
        # above): the coordination's copy of how deep its unit's and its task's lead unit's
        # paths agree, as ``selectors._led_outside_q`` reads it.
        if depths := ", ".join(str(d) for d in range(path_depth(path))):
            coordinated.append(
                f"(c.common_depth IN ({depths}) AND c.unit_path >= %(lo{i})s "
                f"AND c.unit_path < %(hi{i})s)"
            )
    if coordinated:
        reach.append(
            any_of(
                "t.id",
                "SELECT c.task_id FROM programs_taskcoordination c "
                f"WHERE {' OR '.join(coordinated)}",
            )
        )
    if scope.program_wide_unit_ids:
        owned = []
        for i, path in enumerate(scope.program_wide_paths):
            params[f"plo{i}"], params[f"phi{i}"] = subtree_bounds(path)
            owned.append(f"(o.path >= %(plo{i})s AND o.path < %(phi{i})s)")
        offices = ", ".join(str(int(u)) for u in sorted(scope.program_wide_unit_ids))
        reach.append(
            any_of(
                "t.program_id",
                "SELECT pp.id FROM programs_program pp "
                "JOIN orgs_unit o ON o.id = pp.owner_unit_id "
                f"WHERE {' OR '.join(owned)} OR pp.standing_office_id IN ({offices})",
            )
        )
    return f"{cleared} AND ({' OR '.join(reach)})", params


def raw_task_page(
    scope: Scope, status: str, on: dt.date, unit_path: str | None = None
) -> tuple[int, list[int]]:
    where, params = visibility_sql(scope)
    where = f"{where} AND {_status_sql(status)}"
    params["on"] = on
    if unit_path:
        params["ulo"], params["uhi"] = subtree_bounds(unit_path)
        where += " AND t.lead_unit_path >= %(ulo)s AND t.lead_unit_path < %(uhi)s"
    base = "FROM programs_task t JOIN programs_program p ON p.id = t.program_id"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {base} WHERE {where}", params)
        total = cursor.fetchone()[0]
        # The columns a list row shows: task, program, lead unit.
        cursor.execute(
            f"SELECT t.id, t.number, t.title, t.deadline, t.deadline_kind, t.latest_percent, "
            f"p.name, u.name {base} LEFT JOIN orgs_unit u ON u.id = t.lead_unit_id "
            f"WHERE {where} ORDER BY t.deadline, t.program_id, t.id LIMIT {PAGE}",
            params,
        )
        ids = [row[0] for row in cursor.fetchall()]
    return total, ids


def raw_counts(scope: Scope, on: dt.date) -> list[tuple[int, ...]]:
    where, params = visibility_sql(scope)
    params["on"] = on
    columns = ", ".join(f"count(*) FILTER (WHERE {_status_sql(s)})" for s in STATUSES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(g.parent_id, g.id) AS top, {columns} "
            "FROM programs_task t JOIN programs_program p ON p.id = t.program_id "
            "LEFT JOIN programs_taskgroup g ON g.id = t.group_id "
            f"WHERE {where} GROUP BY COALESCE(g.parent_id, g.id) ORDER BY 1",
            params,
        )
        return [tuple(row) for row in cursor.fetchall()]


# The cases ----------------------------------------------------------------------------------


def viewers() -> dict[str, User]:
    names = Viewers()
    return {
        "nation": User.objects.get(username=names.admin),
        "province": User.objects.get(username=names.province_leader),
        "district": User.objects.get(username=names.district_officer),
    }


def build_cases(on: dt.date) -> list[Case]:
    """The cases, in the order printed."""
    cases: list[Case] = []
    overdue = TaskFilters(status=TaskStatus.OVERDUE)
    people = viewers()
    for who, user in people.items():
        scope = scope_for(user)
        client = Client()
        client.force_login(user)

        def api(client: Client = client) -> tuple[int, list[int]]:
            return api_task_page(client, "status=overdue")

        def raw(scope: Scope = scope) -> tuple[int, list[int]]:
            return raw_task_page(scope, TaskStatus.OVERDUE, on)

        cases.append(
            Case(f"tasks overdue API [{who}]", api, raw, "GET /api/v1/tasks: page + count")
        )
        cases.append(
            Case(
                f"tasks overdue page [{who}]",
                lambda client=client: html_task_page(client, "status=overdue"),
                raw,
                "GET /tasks/?status=overdue: the HTML page",
                compare=False,
            )
        )
        cases.append(
            Case(
                f"tasks overdue selector [{who}]",
                lambda scope=scope: app_task_page(scope, overdue, on),
                raw,
                "task_list_counted(): total + page",
            )
        )
        if who == "province":
            # The province's own subtree, as its dashboard's figures open it (?unit=).
            unit = Unit.objects.get(pk=user.memberships.get(role="committee_leader").unit_id)
            cases.append(
                Case(
                    "tasks overdue API [province ?unit=]",
                    lambda client=client, pk=unit.pk: api_task_page(
                        client, f"status=overdue&unit={pk}"
                    ),
                    lambda scope=scope, path=unit.path: raw_task_page(
                        scope, TaskStatus.OVERDUE, on, path
                    ),
                    "GET /api/v1/tasks?unit=: page + count",
                )
            )
        if who != "district":
            cases.append(
                Case(
                    f"status by top group [{who}]",
                    lambda scope=scope: app_counts(scope, on),
                    lambda scope=scope: raw_counts(scope, on),
                    "visible_tasks + status_q conditional aggregation",
                )
            )
    from .dashboard_cases import dashboard_cases

    cases += dashboard_cases(on)
    return cases
