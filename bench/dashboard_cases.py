"""Dashboard cases: ``tiendo.dashboards`` unit dashboards, national and of the largest province.

The app side is the real ``unit_dashboard`` selector (every block of the page: overall, kinds,
league of child units, timeline) or the real page through the test client. It reads the
summary tables (``tiendo/dashboards/summary.py``), rebuilt here first if they are not current
(the rebuild time is printed); the `` live`` cases count over the task table instead
(``use_summary=False``). The ``page`` case shows the same page again and again, so its figure
sections come from the kept rendering (``Dashboard.fingerprint``: kept while no figure
changed); the ``page cold`` case clears it before every request, as after any write. The raw
side is hand-written SQL over the base tables for the overall block, the kinds block and the
league; the figures compared are the overall counts and the league's per-unit counts. The raw
side computes fewer figures than the page (no timeline), so the ratio overstates the app's
overhead a little. The ``tables raw`` cases compare the selector with hand-written SQL over
the summary table itself (the best raw query once the table exists).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test import Client

from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope, scope_for

from .cases import Case, _status_sql, viewers, visibility_sql

# The buckets compared, and their definition over the status rule (tiendo.dashboards.figures).
BUCKETS: dict[str, str] = {
    "total": "t.hold_state IN ('', 'paused')",
    "completed": f"(({_status_sql('completed_on_time')}) OR ({_status_sql('completed_late')}))",
    "completed_on_time": _status_sql("completed_on_time"),
    "completed_late": _status_sql("completed_late"),
    "overdue": _status_sql("overdue"),
    "in_progress": _status_sql("in_progress"),
    "not_started": _status_sql("not_started"),
    "paused": _status_sql("paused"),
}


def app_dashboard(scope: Scope, unit_id: int | None, use_summary: bool = True) -> dict[str, Any]:
    from tiendo.dashboards.selectors import unit_dashboard

    board = unit_dashboard(scope, unit_id, use_summary=use_summary)
    return {
        "overall": tuple(board.overall.counts[b] for b in BUCKETS),
        "league": sorted(
            (row.target[1], *(row.counts[b] for b in BUCKETS)) for row in board.league if row.target
        ),
    }


def raw_dashboard(scope: Scope, unit_id: int | None, on: dt.date) -> dict[str, Any]:
    where, params = visibility_sql(scope)
    params["on"] = on
    where = f"{where} AND t.assigned_at IS NOT NULL"
    parent = "/"
    if unit_id:
        parent = Unit.objects.values_list("path", flat=True).get(pk=unit_id)
        params["ulo"], params["uhi"] = parent, parent[:-1] + "0"
        where += " AND t.lead_unit_path >= %(ulo)s AND t.lead_unit_path < %(uhi)s"
    counts = ", ".join(f"count(*) FILTER (WHERE {sql})" for sql in BUCKETS.values())
    start = len(parent) + 1
    if connection.vendor == "postgresql":
        child = f"split_part(substr(t.lead_unit_path, {start}), '/', 1)"
    else:
        rest = f"substr(t.lead_unit_path, {start})"
        child = f"substr({rest}, 1, instr({rest}, '/') - 1)"
    base = f"FROM programs_task t JOIN programs_program p ON p.id = t.program_id WHERE {where}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts} {base}", params)
        overall = tuple(cursor.fetchone())
        cursor.execute(f"SELECT t.kind, {counts} {base} GROUP BY t.kind", params)
        cursor.fetchall()  # the kinds block: timed, not compared
        cursor.execute(f"SELECT {child} AS child, {counts} {base} GROUP BY 1", params)
        league = sorted((int(row[0]), *row[1:]) for row in cursor.fetchall() if row[0])
    # Only units that exist are listed (the app looks them up by id).
    known = set(Unit.objects.filter(pk__in=[r[0] for r in league]).values_list("pk", flat=True))
    return {"overall": overall, "league": [r for r in league if r[0] in known]}


# The same buckets over the summary table's status code (status index = code >> flag bits).
def _code_in(*statuses: str) -> str:
    from tiendo.dashboards.figures import FLAGS
    from tiendo.programs.status import TaskStatus

    order = sorted(TaskStatus.values)
    return f"(code >> {len(FLAGS)}) IN ({', '.join(str(order.index(s)) for s in statuses)})"


TABLE_BUCKETS: dict[str, tuple[str, ...]] = {
    "total": (
        "completed_on_time",
        "completed_late",
        "overdue",
        "in_progress",
        "not_started",
        "paused",
    ),
    "completed": ("completed_on_time", "completed_late"),
    "completed_on_time": ("completed_on_time",),
    "completed_late": ("completed_late",),
    "overdue": ("overdue",),
    "in_progress": ("in_progress",),
    "not_started": ("not_started",),
    "paused": ("paused",),
}


def raw_table_dashboard(scope: Scope, unit_id: int | None) -> dict[str, Any]:
    """Overall and league counts from the summary table ``dashboards_unittally``."""
    anc = Unit.objects.values_list("path", flat=True).get(pk=unit_id) if unit_id else "/"
    counts = ", ".join(
        f"sum(n) FILTER (WHERE {_code_in(*statuses)})" for statuses in TABLE_BUCKETS.values()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT child, {counts} FROM dashboards_unittally "
            "WHERE anc = %s AND vis <= %s GROUP BY child",
            [anc, scope.clearance],
        )
        rows = cursor.fetchall()
    overall = tuple(sum(row[i] or 0 for row in rows) for i in range(1, len(TABLE_BUCKETS) + 1))
    league = sorted((int(r[0]), *(v or 0 for v in r[1:])) for r in rows if r[0])
    known = set(Unit.objects.filter(pk__in=[r[0] for r in league]).values_list("pk", flat=True))
    return {"overall": overall, "league": [r for r in league if r[0] in known]}


def _ensure_summary(on: dt.date) -> None:
    """Build the summary tables for ``on`` unless they are current (printed: it is timed)."""
    import time

    from tiendo.dashboards.summary import summary_day, summary_rebuild

    if summary_day() == on:
        return
    started = time.perf_counter()
    result = summary_rebuild(day=on)
    print(
        f"summary tables rebuilt for {on}: {result['tasks']:,} tasks, "
        f"{result['tally_rows']:,} tally rows, {result['trend_rows']:,} trend rows, "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )


def dashboard_cases(on: dt.date) -> list[Case]:
    try:
        import tiendo.dashboards.selectors  # noqa: F401
    except ImportError:
        return []
    _ensure_summary(on)
    people = viewers()
    province_unit = people["province"].memberships.get(role="committee_leader").unit_id
    cases = []
    for who, unit_id in (("nation", None), ("province", province_unit)):
        user = people[who]
        scope = scope_for(user)
        client = Client()
        client.force_login(user)
        url = f"/dashboards/units/{unit_id}/" if unit_id else "/dashboards/units/"

        def page(client: Client = client, url: str = url) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url}: {response.status_code}")

        def raw(scope: Scope = scope, unit_id: int | None = unit_id) -> dict[str, Any]:
            return raw_dashboard(scope, unit_id, on)

        cases.append(
            Case(
                f"dashboard selector [{who}]",
                lambda scope=scope, unit_id=unit_id: app_dashboard(scope, unit_id),
                raw,
                "unit_dashboard(): every block, from the summary tables",
            )
        )

        def cold_page(client: Client = client, url: str = url) -> None:
            cache.clear()  # no kept rendering: every section rendered afresh
            page(client, url)

        cases.append(Case(f"dashboard page [{who}]", page, raw, f"GET {url}", compare=False))
        cases.append(
            Case(
                f"dashboard page cold [{who}]",
                cold_page,
                raw,
                f"GET {url} with the kept renderings cleared first",
                compare=False,
            )
        )
        cases.append(
            Case(
                f"dashboard tables raw [{who}]",
                lambda scope=scope, unit_id=unit_id: app_dashboard(scope, unit_id),
                lambda scope=scope, unit_id=unit_id: raw_table_dashboard(scope, unit_id),
                "unit_dashboard() against SQL over the summary table",
            )
        )
        cases.append(
            Case(
                f"dashboard selector live [{who}]",
                lambda scope=scope, unit_id=unit_id: app_dashboard(scope, unit_id, False),
                raw,
                "unit_dashboard(use_summary=False): counted over the task table",
            )
        )
    return cases
