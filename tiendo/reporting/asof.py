"""Figures as of a period end in ONE pass over the tasks: a thin wrapper on the dashboards' engine.

``tiendo.dashboards.figures.facts_as_of`` rebuilds each task's facts from history with
correlated subqueries. Counting with its SQL status expression repeats those subqueries for
every bucket and flag that mentions them (the status ``CASE`` is inlined once per bucket), which
took minutes on 10,000 tasks. Here the facts are read once per task (``.values`` of the same
annotations, streamed), the status is the lead's ``derive_status`` (property-tested against the
SQL rule in ``tiendo.programs``), and the buckets are the dashboards' ``BUCKETS``. The drill-down
of any figure stays the dashboards' ``Cell`` list, built on the same ``facts_as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from tiendo.dashboards.figures import AS_OF, BUCKETS
from tiendo.programs.models import Task
from tiendo.programs.status import StatusFacts, TaskStatus, derive_status

# The figures a report shows per place (buckets of ``tiendo.dashboards.figures``).
REPORT_BUCKETS: tuple[str, ...] = (
    "total",
    "completed",
    "completed_on_time",
    "completed_late",
    "open_within",
    "in_progress",
    "not_started",
    "overdue",
    "paused",
    "due",
)
FACTS = (
    "started_on",
    "completed_on",
    "deadline",
    "hold_state",
    "latest_percent",
    "latest_quantity",
)
_MEMBERS = {s: [b for b in REPORT_BUCKETS if BUCKETS[b].matches(s, {})] for s in TaskStatus.values}
_DONE = frozenset(s for s, members in _MEMBERS.items() if "completed" in members)
_COUNTED = frozenset(s for s, members in _MEMBERS.items() if "total" in members)


def zero() -> dict[str, int]:
    return {**dict.fromkeys(REPORT_BUCKETS, 0), "completed_in_period": 0}


@dataclass
class Scan:
    """Counts per key (one dict per key function), overdue tasks and products."""

    counts: dict[str, dict[Hashable, dict[str, int]]] = field(default_factory=dict)
    overdue: list[tuple[dt.date, str, int]] = field(default_factory=list)  # deadline, number, id
    products: dict[str, dict[str, Any]] = field(default_factory=dict)
    # id -> (status, percent, deadline, completed on), when asked for
    statuses: dict[int, tuple[str, int, Any, Any]] = field(default_factory=dict)


def scan(
    qs: QuerySet[Task],
    *,
    on: dt.date,
    start: dt.date,
    end: dt.date,
    keys: dict[str, Callable[[dict[str, Any]], Hashable]],
    keep_statuses: bool = False,
) -> Scan:
    """Count the tasks of ``qs`` (from ``scoped_tasks`` with ``as_of``) per key.

    ``on`` is the date the status is judged at; "completed in the period" means completed
    between ``start`` and ``end``.
    """
    p = AS_OF
    out = Scan(counts={name: {} for name in keys})
    columns = ["id", "number", "group_id", "lead_unit_path", "product_unit", "product_quantity"]
    rows = qs.order_by().values(*columns, *(p + f for f in FACTS))
    key_fns = tuple(keys.values())
    # One increment per task: tasks are tallied per (status, completed in the period, key of
    # each key function), and the buckets are filled from these tallies at the end (the
    # buckets of a status are fixed). Per task and bucket it was ~15 increments and a fresh
    # dict per key (a third of the national consolidation's time went to this loop).
    tally: dict[tuple[Any, ...], int] = {}
    products: dict[Any, list[Any]] = {}
    overdue_status, done_status = TaskStatus.OVERDUE, _DONE
    for row in rows.iterator(chunk_size=20_000):
        completed = row[p + "completed_on"]
        deadline = row[p + "deadline"]
        status = derive_status(
            StatusFacts(True, row[p + "hold_state"], deadline, row[p + "started_on"], completed),
            on,
        )
        in_period = completed is not None and start <= completed <= end and status in done_status
        combo = (status, in_period, *[fn(row) for fn in key_fns])
        tally[combo] = tally.get(combo, 0) + 1
        if status == overdue_status:
            out.overdue.append((deadline, row["number"], row["id"]))
        if keep_statuses:
            out.statuses[row["id"]] = (status, row[p + "latest_percent"] or 0, deadline, completed)
        if status in _COUNTED:
            prod = products.get(row["product_unit"])
            if prod is None:
                prod = products[row["product_unit"]] = [0, 0, Decimal(0), Decimal(0)]
            prod[0] += 1
            prod[1] += status in done_status
            prod[2] += row["product_quantity"] or 0
            prod[3] += row[p + "latest_quantity"] or 0
    names = tuple(keys)
    for (status, in_period, *key_values), n in tally.items():
        members = _MEMBERS[status]
        for name, value in zip(names, key_values, strict=True):
            counts = out.counts[name].get(value)
            if counts is None:
                counts = out.counts[name][value] = zero()
            for b in members:
                counts[b] += n
            if in_period:
                counts["completed_in_period"] += n
    out.products = {
        unit: {"tasks": v[0], "completed": v[1], "expected": v[2], "delivered": v[3]}
        for unit, v in products.items()
    }
    return out


def products(s: Scan, limit: int = 10) -> list[dict[str, Any]]:
    """Expected and delivered per unit of measure, the most frequent first."""
    ordered = sorted(s.products.items(), key=lambda kv: (-kv[1]["tasks"], kv[0]))[:limit]
    return [
        {
            "unit": unit,
            "tasks": v["tasks"],
            "completed": v["completed"],
            "expected": format(v["expected"].normalize(), "f"),
            "delivered": format(v["delivered"].normalize(), "f"),
        }
        for unit, v in ordered
    ]


def task_rows(ids: list[int], s: Scan, limit: int) -> list[dict[str, Any]]:
    """Rows of the listed tasks (the first ``limit`` by deadline then number), facts from ``s``."""
    details = {
        r["id"]: r
        for r in Task.objects.filter(pk__in=ids).values("id", "number", "title", "lead_unit__name")
    }

    def order(pk: int) -> tuple[Any, ...]:
        deadline = s.statuses[pk][2] if pk in s.statuses else None
        return (deadline is None, deadline or dt.date.min, details[pk]["number"], pk)

    out = []
    for pk in sorted((pk for pk in ids if pk in details), key=order)[:limit]:
        status, percent, deadline, _ = s.statuses.get(pk, (TaskStatus.OVERDUE, 0, None, None))
        out.append(
            {
                "id": pk,
                "number": details[pk]["number"],
                "title": details[pk]["title"],
                "unit": details[pk]["lead_unit__name"] or "",
                "status": status,
                "deadline": deadline.isoformat() if deadline else None,
                "percent": percent,
            }
        )
    return out
