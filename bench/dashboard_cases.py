"""Dashboard cases: ``tiendo.dashboards`` unit dashboards, national and of the largest province.

The app side is the real ``unit_dashboard`` selector (every block of the page: overall, kinds,
league of child units, timeline) or the real page through the test client. The raw side is
hand-written SQL for the overall block, the kinds block and the league; the figures compared are
the overall counts and the league's per-unit counts. The raw side computes fewer figures than the
page (no timeline), so the ratio overstates the app's overhead a little.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

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


def app_dashboard(scope: Scope, unit_id: int | None) -> dict[str, Any]:
    from tiendo.dashboards.selectors import unit_dashboard

    board = unit_dashboard(scope, unit_id)
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


def dashboard_cases(on: dt.date) -> list[Case]:
    try:
        import tiendo.dashboards.selectors  # noqa: F401
    except ImportError:
        return []
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
                "unit_dashboard(): every block",
            )
        )
        cases.append(Case(f"dashboard page [{who}]", page, raw, f"GET {url}", compare=False))
    return cases
