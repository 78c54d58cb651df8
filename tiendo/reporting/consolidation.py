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
from typing import Any, cast

from tiendo.appraisals.figures import report_section
from tiendo.dashboards.figures import AS_OF, Cell, facts_as_of, scoped_tasks
from tiendo.orgs.models import Unit
from tiendo.programs.models import Program, Task, TaskGroup
from tiendo.programs.status import TaskStatus

from . import asof
from .models import ReportPeriod, ReportState
from .selectors import _discipline, counts_of, latest_reports, on_time_rate, report_scope

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
        if k in asof.REPORT_BUCKETS or k == "completed_in_period":
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
    country) with the headline ratios per top group of ``groups``. One pass over the tasks."""
    qs = scoped_tasks(report_scope(program), cell)
    all_groups = list(groups.order_by("path").values("id", "path", "parent_id", "number", "name"))
    tops = {g["path"]: g for g in all_groups if g["parent_id"] is None}
    top_of = {g["id"]: (_owner(g["path"], tops) or {}).get("path") for g in all_groups}
    units = list(period.schedule.units.order_by("name", "id"))
    obliged = {u.path: u for u in units}
    # Each obliged unit counts its whole subtree, as its own report does (unit_figures); the
    # owners of each lead-unit path are looked up once per distinct path.
    owners_of: dict[str, tuple[int, ...]] = {}

    def unit_key(row: dict[str, Any]) -> tuple[int, ...]:
        path = row["lead_unit_path"] or "/"
        if path not in owners_of:
            owners_of[path] = tuple(u.pk for u in _owners(path, obliged))
        return owners_of[path]

    s = asof.scan(
        qs,
        on=cell.on,
        start=period.start,
        end=period.end,
        keys={
            "all": lambda r: (),
            "group": lambda r: top_of.get(r["group_id"]),
            "units": unit_key,
        },
    )
    overall = counts_of(s.counts["all"].get(()))
    group_rows = [
        {
            "id": g["id"],
            "number": g["number"],
            "name": g["name"],
            **_row(counts_of(s.counts["group"].get(path))),
        }
        for path, g in tops.items()
    ]
    by_unit: dict[int, dict[str, int]] = {}
    for key, counts in s.counts["units"].items():
        for unit_id in cast(tuple[int, ...], key):
            _add(by_unit.setdefault(unit_id, asof.zero()), counts)
    reports = latest_reports(period)
    disc = _discipline(period, now)
    status_of = {r.unit_id: r for r in disc.rows}
    unit_rows = []
    for u in units:
        report = reports.get(u.pk)
        unit_rows.append(
            {
                "id": u.pk,
                "name": u.name,
                **_row(counts_of(by_unit.get(u.pk))),
                "report_state": report.state if report else "",
                "discipline": status_of[u.pk].status,
                "submitted_at": _iso(status_of[u.pk].submitted_at),
            }
        )
    s.overdue.sort(key=lambda t: (t[0] is None, t[0] or dt.date.min, t[1], t[2]))
    shown = [pk for _, _, pk in s.overdue[:OVERDUE_ROWS]]
    # Progress as of the period end of the listed tasks only (the scan keeps no per-task data).
    percent = dict(
        facts_as_of(Task.objects.filter(pk__in=shown), cell.on).values_list(
            "pk", f"{AS_OF}latest_percent"
        )
    )
    s.statuses = {
        pk: (TaskStatus.OVERDUE, percent.get(pk) or 0, d, None)
        for d, _, pk in s.overdue[:OVERDUE_ROWS]
    }
    overdue_rows = asof.task_rows(shown, s, OVERDUE_ROWS)
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
        "as_of": cell.on.isoformat(),
        "headline": _row(overall),
        "groups": group_rows,
        "units": unit_rows,
        "overdue": {"count": overall["overdue"], "tasks": overdue_rows},
        "products": asof.products(s),
        "discipline": {
            "counts": disc.counts,
            "obliged": disc.obliged,
            "rows": [
                {"unit": r.unit_name, "status": r.status, "submitted_at": _iso(r.submitted_at)}
                for r in disc.rows
            ],
        },
        "notes": notes,
        # Appraisal, consultation and indicator figures (tiendo.appraisals), if the program has any.
        **_appraisals(program, cell.on),
    }


def _appraisals(program: Program, on: dt.date) -> dict[str, Any]:
    section = report_section(report_scope(program), program, on=on)
    return {"appraisals": section} if section else {}


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
