"""Dashboards of a program and of a unit's subtree: every figure is a ``Figure`` of a ``Cell``.

Start at ``program_dashboard`` / ``unit_dashboard``. Each figure block is ONE grouped
aggregate query over ``figures.scoped_tasks`` (conditional ``Count(filter=...)``), so a page
issues a fixed number of queries however many tasks there are; Python only rolls group rows up
their tree and sorts the league table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import NullIf, StrIndex, Substr
from django.http import Http404
from django.utils.translation import gettext as _

from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope
from tiendo.programs.models import Program, Task, TaskGroup, TaskKind
from tiendo.programs.selectors import group_list, program_get

from . import summary as summary_tables
from .confidence import Confidence, rate
from .figures import (
    Cell,
    Figure,
    FigureMap,
    bucket_q,
    day_start,
    scoped_tasks,
    sum_buckets,
    tally,
)
from .models import ConfidenceOverride
from .timeline import UNIT_TIMELINE_DAYS, Timeline, timeline

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
PRODUCT_ROWS = 10


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
    def figs(self) -> FigureMap:
        return FigureMap(self.cell, self.counts)

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
    # Timely reporting of the program's latest period due by the dashboard's date (reporting's
    # own figure and lists: ``tiendo.reporting.selectors.discipline``).
    discipline: Any = None

    @cached_property
    def fingerprint(self) -> str:
        """A digest of everything the page shows of this dashboard: its rows (labels, places,
        counts, extras, overrides), timeline and products, and its dates. The page keeps its
        rendered figures under this key (with the language), so a kept copy is shown only
        while every figure in it is still the same."""

        def row(r: Row) -> tuple[Any, ...]:
            o = r.override
            override = (o.pk, o.rating, o.reason, o.set_by_id, o.created_at) if o else None
            extra = tuple(sorted(r.extra.items()))
            return (r.label, r.cell, tuple(r.counts.items()), r.depth, extra, r.target, override)

        parts = (
            self.title,
            self.as_of,
            self.on,
            self.program.pk if self.program else None,
            self.unit.pk if self.unit else None,
            row(self.overall),
            [(k, row(r)) for k, r in self.kinds.items()],
            [row(r) for r in self.groups],
            [row(r) for r in self.league],
            self.timeline,
            self.products,
        )
        return hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()

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


def _tree_order(groups: list[TaskGroup]) -> list[TaskGroup]:
    """Groups as the plan lists them: parents before children, siblings by position then id.

    (Ordering by path would put group 10 before group 9, as paths compare as text.)
    """
    children: dict[int | None, list[TaskGroup]] = {}
    for g in groups:
        children.setdefault(g.parent_id, []).append(g)
    ordered: list[TaskGroup] = []

    def walk(parent: int | None) -> None:
        for g in sorted(children.get(parent, []), key=lambda g: (g.position, g.pk)):
            ordered.append(g)
            walk(g.pk)

    walk(None)
    return ordered


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
    groups = _tree_order(list(group_list(scope, program)))
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
        discipline=_discipline(scope, program, base.on),
        overall=overall,
        kinds=_kind_rows(sum_buckets(rows, ("_k_kind",)), base),
        groups=group_rows,
        products=_products(qs, base),
        timeline=timeline(qs, base, min(since, base.on - dt.timedelta(days=365))),
    )


def _discipline(scope: Scope, program: Program, on: dt.date) -> Any:
    """Reporting discipline of the program's latest period due by ``on``, as at the end of
    that day (None when no period is due yet). Its lists are the period page's."""
    from tiendo.reporting.selectors import discipline, period_list

    period = (
        period_list(scope, program)
        .filter(due_on__lte=on)
        .select_related("schedule")
        .order_by("-due_on", "-id")
        .first()
    )
    if period is None:
        return None
    end_of_day = day_start(on + dt.timedelta(days=1)) - dt.timedelta(microseconds=1)
    return discipline(scope, program, period, now=end_of_day)


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
    return rows, _league_rows(sum_buckets(rows, ("_k_child",), extra=("days_late",)), base, sort)


def _league_rows(
    by_child: Mapping[tuple[Any, ...], Mapping[str, Any]], base: Cell, sort: str
) -> list[Row]:
    """The league from bucket counts per child unit (live query or summary table)."""
    ids = [int(k) for (k,) in by_child if k]
    # Only what the league shows (a national league is 85 units; their other columns are long).
    units = {
        u.pk: u
        for u in Unit.objects.filter(pk__in=ids)
        .select_related("head")
        .only(
            "pk",
            "name",
            "head__full_name",
            "head__first_name",
            "head__last_name",
            "head__username",
        )
    }
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
    return sort_league(league, sort)


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
    scope: Scope,
    unit_id: int | None,
    *,
    as_of: dt.date | None = None,
    sort: str = "overdue",
    use_summary: bool = True,
) -> Dashboard:
    """Figures over a unit's subtree (or everything the caller sees) and the league of units.

    Today's figures of a whole subtree come from the summary tables when they are current
    (``summary.py``); ``use_summary=False`` counts over the task table (the same figures: the
    benchmark and the tests compare the two).
    """
    unit = unit_get(scope, unit_id) if unit_id else None
    base = Cell(unit=unit.pk if unit else None, as_of=as_of)
    since = base.on - dt.timedelta(days=UNIT_TIMELINE_DAYS)
    if use_summary and summary_tables.usable(scope, unit.path if unit else None, as_of, base.on):
        # Today's figures of a whole subtree: the same tally and timeline codes, read from the
        # summary tables maintained on write instead of counted over the task table.
        by_child, by_kind = summary_tables.read_tally(scope, unit.path if unit else None)
        league = _league_rows(by_child, base, sort)
        board_timeline = timeline(
            Task.objects.none(),
            base,
            since,
            summary_tables.read_trend(scope, unit.path if unit else None),
        )
    else:
        qs = scoped_tasks(scope, base)
        rows, league = _league(qs, base, unit.path if unit else "/", sort)
        by_kind = sum_buckets(rows, ("_k_kind",))
        board_timeline = timeline(qs, base, since)
    title = unit.name if unit else _("All units I can see")
    # Every task has one kind: the overall figures are the sum of the kinds'.
    overall_counts = {b: sum(c[b] for c in by_kind.values()) for b in BLOCK_BUCKETS}
    overall = Row(
        title,
        base,
        _block(overall_counts if by_kind else None),
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
        kinds=_kind_rows(by_kind, base),
        league=league,
        timeline=board_timeline,
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
