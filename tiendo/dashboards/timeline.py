"""The timeline of a dashboard: burn-up, overdue trend, quarters, the coming weeks' deadlines.

All of it comes from ONE grouped query (``_timeline_counts``); each number keeps its ``Cell``
so that it opens its own list like any other figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from tiendo.core.deadlines import deadline_label, period_end
from tiendo.programs.status import TaskStatus

from .figures import BUCKETS, STATUS, Cell, Figure, existed_q

MAX_TREND_POINTS = 16
CALENDAR_WEEKS = 8


@dataclass
class Timeline:
    points: list[dt.date]
    planned: list[Figure]  # cumulative: assigned tasks due by the point
    completed: list[Figure]  # cumulative: completed by the point
    overdue: list[Figure]  # open past the deadline on the point
    quarters: list[dict[str, Any]]  # {"label", "due", "completed", "overdue"}
    calendar: list[dict[str, Any]]  # {"start", "end", "open"}

    @property
    def rows(self) -> list[tuple[dt.date, Figure, Figure, Figure]]:
        return list(zip(self.points, self.planned, self.completed, self.overdue, strict=True))


def _quarter_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    ends, year, q = [], first.year, (first.month - 1) // 3 + 1
    while True:
        end = period_end("quarter", year, q)
        if end >= last:
            break
        ends.append(end)
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return ends


UNIT_TIMELINE_DAYS = 730  # a unit dashboard's timeline starts this many days before its date


def timeline_frame(
    on: dt.date, since: dt.date
) -> tuple[list[dt.date], list[dt.date], list[tuple[dt.date, dt.date]]]:
    """The trend points, the quarters' first days and the coming weeks of a timeline."""
    ends = _quarter_ends(since, on)[-(MAX_TREND_POINTS - 1) :]
    points = [*ends, on]
    quarter_starts = [since.replace(month=(since.month - 1) // 3 * 3 + 1, day=1)] + [
        e + dt.timedelta(days=1) for e in ends
    ]
    quarters = quarter_starts[-(MAX_TREND_POINTS - 1) :]
    week0 = on + dt.timedelta(days=1)
    weeks = [
        (week0 + dt.timedelta(weeks=w), week0 + dt.timedelta(weeks=w, days=6))
        for w in range(CALENDAR_WEEKS)
    ]
    return points, quarters, weeks


def timeline(
    qs: QuerySet, base: Cell, since: dt.date, codes: list[dict[str, Any]] | None = None
) -> Timeline:
    """Burn-up, overdue trend, quarters and the coming weeks' deadlines: one grouped query.

    Each figure keeps its ``Cell`` (for its list); the counts come from ``_timeline_codes``
    (or from ``codes``, the same rows read from the summary table, see ``summary.py``).
    """
    on = base.on
    points, quarters, weeks = timeline_frame(on, since)
    cells: dict[str, Cell] = {}
    for i, day in enumerate(points):
        cells[f"plan{i}"] = base.with_(deadline_to=day)
        cells[f"done{i}"] = base.with_(bucket="completed", completed_to=day)
        cells[f"late{i}"] = base.with_(bucket="overdue_at", at=day)
    for i, start in enumerate(quarters):
        window = base.with_(deadline_from=start, deadline_to=period_end("quarter", *_yq(start)))
        cells[f"qdue{i}"] = window
        cells[f"qdone{i}"] = window.with_(bucket="completed")
        cells[f"qlate{i}"] = window.with_(bucket="overdue")
    for i, (start, end) in enumerate(weeks):
        cells[f"week{i}"] = base.with_(bucket="open", deadline_from=start, deadline_to=end)
    if codes is None:
        codes = _timeline_codes(qs, base.prefix, points, quarters, weeks)
    counts = _timeline_sum(codes, len(points))

    def fig(name: str) -> Figure:
        return Figure(cells[name], counts.get(name, 0))

    n = range(len(points))
    return Timeline(
        points=points,
        planned=[fig(f"plan{i}") for i in n],
        completed=[fig(f"done{i}") for i in n],
        overdue=[fig(f"late{i}") for i in n],
        quarters=[
            {
                "label": deadline_label("quarter", start),
                "due": fig(f"qdue{i}"),
                "completed": fig(f"qdone{i}"),
                "overdue": fig(f"qlate{i}"),
            }
            for i, start in enumerate(quarters)
        ],
        calendar=[
            {"start": start, "end": end, "open": fig(f"week{i}")}
            for i, (start, end) in enumerate(weeks)
        ],
    )


def _first(conditions: list[Q], default: int) -> Case:
    """The index of the first true condition (each implies the next), else ``default``."""
    return Case(
        *(When(c, then=Value(i)) for i, c in enumerate(conditions)),
        default=Value(default),
        output_field=IntegerField(),
    )


def _timeline_parts(
    p: str,
    points: list[dt.date],
    quarters: list[dt.date],
    weeks: list[tuple[dt.date, dt.date]],
) -> dict[str, Any]:
    """Per task, where its dates fall: each part an integer 0..31 (5 bits of the code)."""
    n = len(points)
    deadline, completed = f"{p}deadline", f"{p}completed_on"
    statuses = sorted(TaskStatus.values)
    return {  # name -> (expression giving 0..31, after adding 1 for the -1 "none" indexes)
        "_st": Case(
            *(When(**{STATUS: st}, then=Value(i)) for i, st in enumerate(statuses)),
            output_field=IntegerField(),
        ),
        "_held": Case(
            When(**{f"{p}hold_state": ""}, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "_d_le": _first([Q(**{f"{deadline}__lte": d}) for d in points], n),
        "_d_lt": _first([Q(**{f"{deadline}__lt": d}) for d in points], n),
        "_c_le": _first([Q(**{f"{completed}__lte": d}) for d in points], n),
        "_e_le": _first([existed_q(d, p) for d in points], n),
        "_dq": _first(
            [
                Q(**{f"{deadline}__gte": s, f"{deadline}__lte": period_end("quarter", *_yq(s))})
                for s in quarters
            ],
            -1,
        )
        + 1,
        "_wk": _first([Q(**{f"{deadline}__gte": a, f"{deadline}__lte": b}) for a, b in weeks], -1)
        + 1,
    }


PARTS = ("_st", "_held", "_d_le", "_d_lt", "_c_le", "_e_le", "_dq", "_wk")


def _timeline_codes(
    qs: QuerySet,
    p: str,
    points: list[dt.date],
    quarters: list[dt.date],
    weeks: list[tuple[dt.date, dt.date]],
    keys: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """ONE query grouped by where each task's dates fall: rows of ``_code`` and ``_n``.

    Per task the database computes, once, the first trend point by which its deadline is
    reached (``deadline <= point``) and passed (``deadline < point``), by which it was completed
    and by which it existed, and which quarter and week its deadline falls in, packed into one
    integer (5 bits per part: PostgreSQL hashes few groups instead of sorting). ``keys`` (alias
    -> field) adds grouping columns (the summary groups by unit and visibility).
    """
    parts = _timeline_parts(p, points, quarters, weeks)
    code: Any = Value(0, output_field=BigIntegerField())
    for i, name in enumerate(PARTS):
        code = code + Cast(parts[name], BigIntegerField()) * Value(
            32**i, output_field=BigIntegerField()
        )
    keys = keys or {}
    grouped = qs.order_by().annotate(_code=code, **{k: F(v) for k, v in keys.items()})
    return list(grouped.values("_code", *keys).annotate(_n=Count("pk")))


def _timeline_sum(codes: list[dict[str, Any]], n: int) -> dict[str, int]:
    """Count the timeline's cells from the grouped codes; Python sums the groups per cell.

    The conditions are those of ``figures.cell_q`` for the same cells (a test checks every
    figure against its list).
    """
    per_code: dict[int, int] = {}  # one row per code from both sources; summed to be sure
    for row in codes:
        per_code[row["_code"]] = per_code.get(row["_code"], 0) + row["_n"]
    # Per status index (the 5 low bits): in the total, completed, open, overdue.
    statuses = sorted(TaskStatus.values)
    total, done = BUCKETS["total"].statuses, BUCKETS["completed"].statuses
    open_ = BUCKETS["open"].statuses
    kinds = [(st in total, st in done, st in open_, st == "overdue") for st in statuses]
    # Each condition holds on a range of trend points: add at its first point, remove after.
    plan, done_steps, late = [0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
    # Quarter (``dq``) and week (``wk``) parts: 1 + index, 0 for none (5 bits each).
    qdue, qdone, qlate, weeks = [0] * 32, [0] * 32, [0] * 32, [0] * 32
    seen_q, seen_w = [False] * 32, [False] * 32
    for value, k in per_code.items():
        # The parts in ``PARTS`` order, 5 bits each (see ``_timeline_codes``).
        in_total, in_done, in_open, overdue = kinds[value & 31]
        if in_total:
            plan[(value >> 10) & 31] += k  # d_le
        c_le = (value >> 20) & 31
        if in_done:
            done_steps[c_le] += k
        if not (value >> 5) & 31:  # not held
            d_lt, e_le = (value >> 15) & 31, (value >> 25) & 31
            first = e_le if e_le > d_lt else d_lt
            if first < c_le:
                late[first] += k
                late[c_le] -= k
        dq = (value >> 30) & 31
        if dq:
            seen_q[dq] = True
            if in_total:
                qdue[dq] += k
            if in_done:
                qdone[dq] += k
            if overdue:
                qlate[dq] += k
        if in_open:
            wk = (value >> 35) & 31
            if wk:
                seen_w[wk] = True
                weeks[wk] += k
    counts: dict[str, int] = {}
    for dq in range(1, 32):
        if seen_q[dq]:
            counts[f"qdue{dq - 1}"] = qdue[dq]
            counts[f"qdone{dq - 1}"] = qdone[dq]
            counts[f"qlate{dq - 1}"] = qlate[dq]
    for wk in range(1, 32):
        if seen_w[wk]:
            counts[f"week{wk - 1}"] = weeks[wk]
    for name, step in (("plan", plan), ("done", done_steps), ("late", late)):
        running = 0
        for i in range(n):
            running += step[i]
            counts[f"{name}{i}"] = running
    return counts


def _yq(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1
