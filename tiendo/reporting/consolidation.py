"""The figures of a consolidated report, computed once and frozen as a JSON snapshot.

``build_snapshot`` reads the program as of the period end (``tiendo.dashboards.figures`` over
history, from ``selectors.report_scope`` so the numbers do not depend on who generates them),
the obliged units' reports and the reporting discipline. ``snapshot_hash`` is the SHA-256 of the
canonical JSON: generating again must give the same hash, or the service refuses (see
``services.report_consolidate``). Exports render the stored snapshot, never live data.

Queries: two grouped tallies (per task group, per lead unit path) + the overdue list + products
+ reports and discipline, whatever the size of the program.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from tiendo.dashboards.figures import (
    Cell,
    cell_q,
    scoped_tasks,
    sum_buckets,
    tally,
)
from tiendo.orgs.models import Unit
from tiendo.programs.models import Program, TaskGroup

from .models import ReportPeriod, ReportState
from .selectors import (
    REPORT_BUCKETS,
    _completed_in,
    _counts,
    _discipline,
    _products,
    _task_rows,
    latest_reports,
    on_time_rate,
    report_scope,
)

OVERDUE_ROWS = 300  # overdue tasks listed in the document; the count covers all
SENT = (ReportState.SUBMITTED, ReportState.ACCEPTED)


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def snapshot_hash(data: Any) -> str:
    return hashlib.sha256(canonical(data).encode()).hexdigest()


def _ratio(counts: dict[str, int], part: str = "completed") -> str:
    return f"{counts[part]}/{counts['total']}"


def _row(counts: dict[str, int]) -> dict[str, Any]:
    return {**counts, "ratio": _ratio(counts), "on_time_rate": on_time_rate(counts)}


def build_snapshot(program: Program, period: ReportPeriod, now: dt.datetime) -> dict[str, Any]:
    """Every number and text of the consolidated report, as plain JSON-ready data."""
    cell = Cell(program=program.pk, as_of=period.end)
    return compute(program, period, now, cell, TaskGroup.objects.filter(program=program))


def _add(into: dict[str, int], sums: dict[str, Any]) -> None:
    for k, v in sums.items():
        if k in REPORT_BUCKETS or k == "completed_in_period":
            into[k] = into.get(k, 0) + int(v or 0)


def _owner(path: str, wanted: dict[str, Any]) -> Any:
    """The entry of ``wanted`` (keyed by tree path) that ``path`` lies under, nearest first."""
    parts = path.strip("/").split("/")
    for n in range(len(parts), 0, -1):
        hit = wanted.get("/" + "/".join(parts[:n]) + "/")
        if hit is not None:
            return hit
    return None


def _owners(path: str, wanted: dict[str, Any]) -> list[Any]:
    """Every entry of ``wanted`` (keyed by tree path) that ``path`` lies under."""
    parts = path.strip("/").split("/")
    paths = ("/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1))
    return [wanted[p] for p in paths if p in wanted]


def compute(
    program: Program, period: ReportPeriod, now: dt.datetime, cell: Cell, groups: Any
) -> dict[str, Any]:
    """The snapshot over the tasks of ``cell`` (the program; the benchmark passes the whole
    country) with the headline ratios per top group of ``groups``."""
    qs = scoped_tasks(report_scope(program), cell)
    extra = {"completed_in_period": _completed_in(period)}

    by_group_rows = tally(qs, {"_k_group": "group_id"}, extra=extra)
    by_group = sum_buckets(by_group_rows, ("_k_group",), extra=("completed_in_period",))
    overall = _counts(sum_buckets(by_group_rows, extra=("completed_in_period",)).get(()))

    # Headline ratios per top group: each group's counts roll up to the top of its path.
    all_groups = list(groups.order_by("path").values("id", "path", "parent_id", "number", "name"))
    tops = {g["path"]: g for g in all_groups if g["parent_id"] is None}
    path_of = {g["id"]: g["path"] for g in all_groups}
    summed_by_top: dict[str, dict[str, int]] = {}
    for (group_id,), sums in by_group.items():
        top = _owner(path_of.get(group_id, "/"), tops) if group_id else None
        if top is not None:
            _add(summed_by_top.setdefault(top["path"], {}), sums)
    group_rows = []
    for path, g in tops.items():
        counts = _counts(summed_by_top.get(path) or None)
        group_rows.append({"id": g["id"], "number": g["number"], "name": g["name"], **_row(counts)})

    by_path = sum_buckets(
        tally(qs, {"_k_path": "lead_unit_path"}, extra=extra),
        ("_k_path",),
        extra=("completed_in_period",),
    )
    units = list(period.schedule.units.order_by("name", "id"))
    obliged = {u.path: u for u in units}
    summed_by_unit: dict[int, dict[str, int]] = {}
    for (path,), sums in by_path.items():
        # Each obliged unit counts its whole subtree, as its own report does (unit_figures).
        for unit in _owners(path or "/", obliged):
            _add(summed_by_unit.setdefault(unit.pk, {}), sums)
    reports = latest_reports(period)
    disc = _discipline(period, now)
    status_of = {r.unit_id: r for r in disc.rows}
    unit_rows = []
    for u in units:
        counts = _counts(summed_by_unit.get(u.pk) or None)
        report = reports.get(u.pk)
        unit_rows.append(
            {
                "id": u.pk,
                "name": u.name,
                **_row(counts),
                "report_state": report.state if report else "",
                "discipline": status_of[u.pk].status,
                "submitted_at": _iso(status_of[u.pk].submitted_at),
            }
        )
    groups = group_rows

    overdue_q = cell_q(cell.with_(bucket="overdue"))
    notes = _notes(units, reports)
    return {
        "program": {
            "id": program.pk,
            "code": program.code,
            "name": program.name,
            "decision_number": program.decision_number,
            "decision_date": _iso(program.decision_date),
            "owner": program.owner_unit.name,
            "standing_office": program.standing_office.name if program.standing_office else "",
        },
        "period": {
            "id": period.pk,
            "frequency": period.schedule.frequency,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "due_on": period.due_on.isoformat(),
        },
        "as_of": period.end.isoformat(),
        "headline": _row(overall),
        "groups": groups,
        "units": unit_rows,
        "overdue": {
            "count": overall["overdue"],
            "tasks": _task_rows(qs, overdue_q, OVERDUE_ROWS),
        },
        "products": _products(qs),
        "discipline": {
            "counts": disc.counts,
            "obliged": disc.obliged,
            "rows": [
                {"unit": r.unit_name, "status": r.status, "submitted_at": _iso(r.submitted_at)}
                for r in disc.rows
            ],
        },
        "notes": notes,
    }


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _notes(units: list[Unit], reports: dict[int, Any]) -> dict[str, list[dict[str, str]]]:
    """Results, difficulties and proposals of the sent reports, by theme then unit."""
    out: dict[str, list[dict[str, str]]] = {"results": [], "difficulties": [], "proposals": []}
    for u in units:
        r = reports.get(u.pk)
        # The newest version counts only if it was sent; a draft correction is not yet sent,
        # so the last sent version stands in for it.
        if r is None or r.state not in SENT:
            r = _last_sent(r)
        if r is None:
            continue
        if r.results.strip():
            out["results"].append({"theme": "", "unit": u.name, "text": r.results.strip()})
        if r.difficulties.strip():
            out["difficulties"].append(
                {
                    "theme": r.difficulties_theme or "other",
                    "unit": u.name,
                    "text": r.difficulties.strip(),
                }
            )
        if r.proposals.strip():
            out["proposals"].append(
                {"theme": r.proposals_theme or "other", "unit": u.name, "text": r.proposals.strip()}
            )
    for key in out:
        out[key].sort(key=lambda n: (n["theme"], n["unit"]))
    return out


def _last_sent(report: Any) -> Any:
    if report is None:
        return None
    from .models import UnitReport

    return (
        UnitReport.objects.filter(
            period_id=report.period_id, unit_id=report.unit_id, state__in=SENT
        )
        .order_by("-version")
        .first()
    )
