"""Dashboards of a program and of a unit's subtree: every figure is a ``Figure`` of a ``Cell``.

Start at ``program_dashboard`` / ``unit_dashboard``. Each figure block is ONE grouped
aggregate query over ``figures.scoped_tasks`` (conditional ``Count(filter=...)``), so a page
issues a fixed number of queries however many tasks there are; Python only rolls group rows up
their tree and sorts the league table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DateField,
    DurationField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, NullIf, StrIndex, Substr
from django.http import Http404
from django.utils.translation import gettext as _

from tiendo.core.deadlines import deadline_label, period_end
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope
from tiendo.programs.models import Program, TaskKind
from tiendo.programs.selectors import group_list, program_get
from tiendo.programs.status import TaskStatus

from .confidence import Confidence, rate
from .figures import (
    BUCKETS,
    STATUS,
    Cell,
    bucket_q,
    day_start,
    existed_q,
    scoped_tasks,
    sum_buckets,
    tally,
)
from .models import ConfidenceOverride

# The buckets every block counts: the four-way status, the rest, and the confidence inputs.
BLOCK_BUCKETS = (
    "total",
    "deployed",
    "completed",
    "completed_on_time",
    "completed_late",
    "open_within",
    "overdue",
    "in_progress",
    "not_started",
    "paused",
    "behind",
    "due",
    "active",
    "open",
    "under_way",
    "not_begun",
    "extended",
    "at_risk",
    "stale",
)
MAX_TREND_POINTS = 16
CALENDAR_WEEKS = 8
PRODUCT_ROWS = 10


@dataclass(frozen=True)
class Figure:
    cell: Cell
    value: int

    @property
    def url(self) -> str:
        return self.cell.url

    @property
    def label(self) -> str:
        return self.cell.label


@dataclass
class Row:
    """One line of figures (a program, group, kind or unit) and its delivery confidence."""

    label: str
    cell: Cell  # the line's place; each figure is this cell with its bucket
    counts: dict[str, int]
    depth: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    override: ConfidenceOverride | None = None
    target: tuple[str, int] | None = None  # ("program"|"group"|"unit", id) for overrides

    @cached_property
    def figs(self) -> dict[str, Figure]:
        return {b: Figure(self.cell.with_(bucket=b), v) for b, v in self.counts.items()}

    @cached_property
    def confidence(self) -> Confidence:
        return rate(self.counts)

    @property
    def on_time_rate(self) -> float | None:
        """Completed on time among the tasks whose deadline has come or that are done."""
        due = self.counts.get("due", 0)
        return None if not due else self.counts["completed_on_time"] / due

    def ratio(self, part: str, whole: str = "total") -> str:
        return f"{self.counts.get(part, 0)}/{self.counts.get(whole, 0)}"


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


@dataclass
class Dashboard:
    title: str
    as_of: dt.date | None
    on: dt.date
    overall: Row
    kinds: dict[str, Row]
    groups: list[Row] = field(default_factory=list)
    league: list[Row] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    timeline: Timeline | None = None
    program: Program | None = None
    unit: Unit | None = None

    def all_figures(self) -> list[Figure]:
        """Every figure on the page (used by the test that compares each with its list)."""
        rows = [self.overall, *self.kinds.values(), *self.groups, *self.league]
        figs = [f for row in rows for f in row.figs.values()]
        for product in self.products:
            figs += [product["tasks"], product["completed"]]
        if self.timeline:
            t = self.timeline
            figs += t.planned + t.completed + t.overdue
            figs += [q[k] for q in t.quarters for k in ("due", "completed", "overdue")]
            figs += [w["open"] for w in t.calendar]
        return figs


def _cells(base: Cell) -> dict[str, Cell]:
    return {b: base.with_(bucket=b) for b in BLOCK_BUCKETS}


def _zero() -> dict[str, int]:
    return dict.fromkeys(BLOCK_BUCKETS, 0)


def _kind_rows(sums: Mapping[tuple[Any, ...], dict[str, int]], base: Cell) -> dict[str, Row]:
    """One row per kind, from ``tally`` rows summed by ``("_k_kind",)``."""
    return {
        kind: Row(str(label), base.with_(kind=kind), _block(sums.get((kind,))))
        for kind, label in TaskKind.choices
    }


def _block(counts: Mapping[str, Any] | None) -> dict[str, int]:
    """The dashboard's buckets of a summed row (zeros when nothing was counted)."""
    return {b: int(counts[b]) if counts else 0 for b in BLOCK_BUCKETS}


def _products(qs: QuerySet, base: Cell) -> list[dict[str, Any]]:
    """Expected and delivered quantities per unit of measure (the ten most frequent)."""
    p = base.prefix
    total, completed = bucket_q("total"), bucket_q("completed")
    rows = (
        qs.order_by()
        .values("product_unit")
        .annotate(
            n=Count("pk", filter=total),
            done=Count("pk", filter=completed),
            expected=Sum("product_quantity", filter=total),
            delivered=Sum(f"{p}latest_quantity", filter=total),
        )
        .filter(n__gt=0)
        .order_by("-n", "product_unit")[:PRODUCT_ROWS]
    )
    out = []
    for row in rows:
        cell = base.with_(product_unit=row["product_unit"])
        out.append(
            {
                "unit": row["product_unit"],
                "tasks": Figure(cell, row["n"]),
                "completed": Figure(cell.with_(bucket="completed"), row["done"]),
                "expected": row["expected"] or 0,
                "delivered": row["delivered"] or 0,
            }
        )
    return out


def _quarter_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    ends, year, q = [], first.year, (first.month - 1) // 3 + 1
    while True:
        end = period_end("quarter", year, q)
        if end >= last:
            break
        ends.append(end)
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return ends


def _timeline(qs: QuerySet, base: Cell, since: dt.date) -> Timeline:
    """Burn-up, overdue trend, quarters and the coming weeks' deadlines: one grouped query.

    Each figure keeps its ``Cell`` (for its list); the counts come from ``_timeline_counts``.
    """
    on = base.on
    ends = _quarter_ends(since, on)[-(MAX_TREND_POINTS - 1) :]
    points = [*ends, on]
    cells: dict[str, Cell] = {}
    for i, day in enumerate(points):
        cells[f"plan{i}"] = base.with_(deadline_to=day)
        cells[f"done{i}"] = base.with_(bucket="completed", completed_to=day)
        cells[f"late{i}"] = base.with_(bucket="overdue_at", at=day)
    quarter_starts = [since.replace(month=(since.month - 1) // 3 * 3 + 1, day=1)] + [
        e + dt.timedelta(days=1) for e in ends
    ]
    quarters = quarter_starts[-(MAX_TREND_POINTS - 1) :]
    for i, start in enumerate(quarters):
        window = base.with_(deadline_from=start, deadline_to=period_end("quarter", *_yq(start)))
        cells[f"qdue{i}"] = window
        cells[f"qdone{i}"] = window.with_(bucket="completed")
        cells[f"qlate{i}"] = window.with_(bucket="overdue")
    week0 = on + dt.timedelta(days=1)
    weeks = [
        (week0 + dt.timedelta(weeks=w), week0 + dt.timedelta(weeks=w, days=6))
        for w in range(CALENDAR_WEEKS)
    ]
    for i, (start, end) in enumerate(weeks):
        cells[f"week{i}"] = base.with_(bucket="open", deadline_from=start, deadline_to=end)
    counts = _timeline_counts(qs, base, points, quarters, weeks)

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


def _timeline_counts(
    qs: QuerySet,
    base: Cell,
    points: list[dt.date],
    quarters: list[dt.date],
    weeks: list[tuple[dt.date, dt.date]],
) -> dict[str, int]:
    """Count the timeline's cells from ONE query grouped by where each task's dates fall.

    Per task the database computes, once, the first trend point by which its deadline is
    reached (``deadline <= point``) and passed (``deadline < point``), by which it was completed
    and by which it existed, and which quarter and week its deadline falls in; Python then sums
    the groups for each cell. The conditions are those of ``figures.cell_q`` for the same cells
    (a test checks every figure against its list).
    """
    p, n = base.prefix, len(points)
    deadline, completed = f"{p}deadline", f"{p}completed_on"
    statuses = sorted(TaskStatus.values)
    parts = {  # name -> (expression giving 0..31, after adding 1 for the -1 "none" indexes)
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
    # One integer per task (5 bits per part): PostgreSQL hashes few groups instead of sorting.
    code: Any = Value(0, output_field=BigIntegerField())
    for i, expression in enumerate(parts.values()):
        code = code + Cast(expression, BigIntegerField()) * Value(
            32**i, output_field=BigIntegerField()
        )
    grouped = qs.order_by().annotate(_code=code).values("_code").annotate(_n=Count("pk"))
    rows = []
    for row in grouped:
        value, decoded = row["_code"], {}
        for name in parts:
            value, decoded[name] = divmod(value, 32)
        rows.append(
            {
                STATUS: statuses[decoded["_st"]],
                "_hold": "" if decoded["_held"] == 0 else "held",
                "_d_le": decoded["_d_le"],
                "_d_lt": decoded["_d_lt"],
                "_c_le": decoded["_c_le"],
                "_e_le": decoded["_e_le"],
                "_dq": decoded["_dq"] - 1,
                "_wk": decoded["_wk"] - 1,
                "_n": row["_n"],
            }
        )
    total, done = BUCKETS["total"].statuses, BUCKETS["completed"].statuses
    open_ = BUCKETS["open"].statuses
    counts: dict[str, int] = {}

    def add(name: str, n: int) -> None:
        counts[name] = counts.get(name, 0) + n

    # Each condition holds on a range of trend points: add at its first point, remove after.
    steps = {name: [0] * (n + 1) for name in ("plan", "done", "late")}
    for r in rows:
        st, k = r[STATUS], r["_n"]
        if st in total:
            steps["plan"][r["_d_le"]] += k
        if st in done:
            steps["done"][r["_c_le"]] += k
        first, after = max(r["_e_le"], r["_d_lt"]), r["_c_le"]
        if r["_hold"] == "" and first < after:
            steps["late"][first] += k
            steps["late"][after] -= k
        if (j := r["_dq"]) >= 0:
            add(f"qdue{j}", k if st in total else 0)
            add(f"qdone{j}", k if st in done else 0)
            add(f"qlate{j}", k if st == "overdue" else 0)
        if (w := r["_wk"]) >= 0 and st in open_:
            add(f"week{w}", k)
    for name, step in steps.items():
        running = 0
        for i in range(n):
            running += step[i]
            counts[f"{name}{i}"] = running
    return counts


def _yq(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _overrides(q: Q, on: dt.date) -> dict[tuple[str, int], ConfidenceOverride]:
    """The override in force on ``on`` per target (withdrawals included, then dropped)."""
    latest: dict[tuple[str, int], ConfidenceOverride] = {}
    rows = ConfidenceOverride.objects.filter(
        q, created_at__lt=day_start(on + dt.timedelta(days=1))
    ).select_related("set_by")
    for o in rows.order_by("-created_at", "-id"):
        latest.setdefault((o.target, o.target_id or 0), o)
    return {k: o for k, o in latest.items() if o.rating}


# Program ------------------------------------------------------------------------------------


def program_dashboard(scope: Scope, program_id: int, *, as_of: dt.date | None = None) -> Dashboard:
    """The dashboard of a program the caller can see (404 otherwise), today or ``as_of``."""
    program = program_get(scope, program_id)
    base = Cell(program=program.pk, as_of=as_of)
    qs = scoped_tasks(scope, base)
    rows = tally(qs, {"_k_group": "group_id", "_k_kind": "kind"})
    overall = Row(
        program.name, base, _block(sum_buckets(rows).get(())), target=("program", program.pk)
    )
    by_group = sum_buckets(rows, ("_k_group",))
    groups = list(group_list(scope, program))
    group_rows = []
    for g in groups:
        # A group's figures include its sub-groups, as its drill-down list does.
        counts = _zero()
        for other in groups:
            if other.path.startswith(g.path) and (other.pk,) in by_group:
                for b in BLOCK_BUCKETS:
                    counts[b] += by_group[(other.pk,)][b]
        group_rows.append(
            Row(
                str(g),
                base.with_(group=g.pk),
                counts,
                depth=g.path.count("/") - 2,
                target=("group", g.pk),
            )
        )
    since = dt.date(program.start_year, 1, 1) if program.start_year else base.on.replace(day=1)
    overrides = _overrides(Q(program=program) | Q(group__program=program), base.on)
    for row in [overall, *group_rows]:
        row.override = overrides.get(row.target)  # type: ignore[arg-type]
    return Dashboard(
        title=program.name,
        as_of=as_of,
        on=base.on,
        program=program,
        overall=overall,
        kinds=_kind_rows(sum_buckets(rows, ("_k_kind",)), base),
        groups=group_rows,
        products=_products(qs, base),
        timeline=_timeline(qs, base, min(since, base.on - dt.timedelta(days=365))),
    )


# Unit ---------------------------------------------------------------------------------------


def unit_get(scope: Scope, unit_id: int) -> Unit:
    """A unit inside the caller's own subtrees (any unit for an administrator), else 404."""
    qs = Unit.objects.select_related("head")
    if not scope.is_admin:
        if not scope.unit_paths:
            raise Http404
        qs = qs.filter(scope.subtree_q("path"))
    unit = qs.filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def _days_late(p: str, on: dt.date) -> Sum:
    """Days past the deadline: completed late (completion - deadline), overdue (date - deadline)."""
    deadline = F(f"{p}deadline")
    return Sum(
        Case(
            When(bucket_q("overdue"), then=Value(on, output_field=DateField()) - deadline),
            When(bucket_q("completed_late"), then=F(f"{p}completed_on") - deadline),
            output_field=DurationField(),
        )
    )


def _league(
    qs: QuerySet, base: Cell, parent_path: str, sort: str
) -> tuple[list[dict[str, Any]], list[Row]]:
    """One row per child unit of ``parent_path`` (its whole subtree), and the ``tally`` rows.

    The same grouped query also gives the overall and per-kind figures (summed in Python).
    """
    rest = Substr("lead_unit_path", len(parent_path) + 1)
    # The child's id is the path segment right below the parent; NULL for the parent's own tasks.
    key = Substr(rest, 1, NullIf(StrIndex(rest, Value("/")), 0) - 1)
    rows = tally(
        qs,
        {"_k_child": key, "_k_kind": "kind"},
        extra={"days_late": _days_late(base.prefix, base.on)},
    )
    by_child = sum_buckets(rows, ("_k_child",), extra=("days_late",))
    ids = [int(k) for (k,) in by_child if k]
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids).select_related("head")}
    league = []
    for (k,), counts in by_child.items():
        unit = units.get(int(k)) if k else None
        if unit is None:
            continue
        days = counts["days_late"]
        extra = {
            "days_late": days.days if days else 0,
            "leader": unit.head.display_name if unit.head else "",
        }
        league.append(
            Row(
                unit.name,
                base.with_(unit=unit.pk),
                _block(counts),
                extra=extra,
                target=("unit", unit.pk),
            )
        )
    return rows, sort_league(league, sort)


LEAGUE_SORTS = {
    "name": lambda r: r.label.lower(),
    "total": lambda r: -r.counts["total"],
    "completed": lambda r: -r.counts["completed"],
    "on_time": lambda r: -(r.on_time_rate or 0),
    "overdue": lambda r: -r.counts["overdue"],
    "days_late": lambda r: -r.extra["days_late"],
    "stale": lambda r: -r.counts["stale"],
}


def sort_league(rows: list[Row], sort: str) -> list[Row]:
    return sorted(rows, key=LEAGUE_SORTS.get(sort, LEAGUE_SORTS["overdue"]))


def unit_dashboard(
    scope: Scope, unit_id: int | None, *, as_of: dt.date | None = None, sort: str = "overdue"
) -> Dashboard:
    """Figures over a unit's subtree (or everything the caller sees) and the league of units."""
    unit = unit_get(scope, unit_id) if unit_id else None
    base = Cell(unit=unit.pk if unit else None, as_of=as_of)
    qs = scoped_tasks(scope, base)
    rows, league = _league(qs, base, unit.path if unit else "/", sort)
    title = unit.name if unit else _("All units I can see")
    overall = Row(
        title,
        base,
        _block(sum_buckets(rows).get(())),
        target=("unit", unit.pk) if unit else None,
    )
    targets = [r.target[1] for r in league if r.target] + ([unit.pk] if unit else [])
    overrides = _overrides(Q(unit_id__in=targets), base.on)
    for row in [overall, *league]:
        row.override = overrides.get(row.target) if row.target else None  # type: ignore[arg-type]
    return Dashboard(
        title=title,
        as_of=as_of,
        on=base.on,
        unit=unit,
        overall=overall,
        kinds=_kind_rows(sum_buckets(rows, ("_k_kind",)), base),
        league=league,
        timeline=_timeline(qs, base, base.on - dt.timedelta(days=730)),
    )


def summary(dashboard: Dashboard) -> Mapping[str, Any]:
    """Plain data of a dashboard for the API and the XLSX export."""

    def row(r: Row) -> dict[str, Any]:
        conf = r.confidence
        return {
            "label": r.label,
            "counts": dict(r.counts),
            "deployed_ratio": r.ratio("deployed"),
            "completed_ratio": r.ratio("completed"),
            "on_time_rate": r.on_time_rate,
            "confidence": conf.rating.value if conf.rating else None,
            "confidence_reason": conf.reason,
            "override": r.override.rating if r.override else None,
            "override_reason": r.override.reason if r.override else None,
            "override_by": str(r.override.set_by) if r.override else None,
            "extra": r.extra,
            "id": r.target[1] if r.target else None,
        }

    return {
        "title": dashboard.title,
        "as_of": dashboard.as_of,
        "on": dashboard.on,
        "overall": row(dashboard.overall),
        "kinds": {k: row(r) for k, r in dashboard.kinds.items()},
        "groups": [row(r) for r in dashboard.groups],
        "units": [row(r) for r in dashboard.league],
    }
