"""Dashboards of a program and of a unit's subtree: every figure is a ``Figure`` of a ``Cell``.

Start at ``program_dashboard`` / ``unit_dashboard``. Each figure block is ONE grouped
aggregate query over ``figures.scoped_tasks`` (conditional ``Count(filter=...)``), so a page
issues a fixed number of queries however many tasks there are; Python only rolls group rows up
their tree and sorts the league table.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connection
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

from tiendo.accounts.models import DISPLAY_NAME_FIELDS, User, display_name_of
from tiendo.core.fields import subtree_bounds
from tiendo.core.reads import ModelColumns, run_reads
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
from .models import ConfidenceOverride, SummaryState
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
    rows = ConfidenceOverride.objects.filter(
        q, created_at__lt=day_start(on + dt.timedelta(days=1))
    ).select_related("set_by")
    return _in_force(rows.order_by("-created_at", "-id"))


def _in_force(
    newest_first: Iterable[ConfidenceOverride],
) -> dict[tuple[str, int], ConfidenceOverride]:
    """The latest record per target, from records recorded by the day ordered newest first
    (``-created_at, -id``); a withdrawal (no rating) leaves its target without override."""
    latest: dict[tuple[str, int], ConfidenceOverride] = {}
    for o in newest_first:
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
    """A unit inside the caller's own subtrees (any unit for an administrator), else 404.

    The unit and its head are read by one hand-written statement (every dashboard and list
    page reads it), and ``Scope.covers_path`` decides, as ``scope.subtree_q("path")`` would.
    """
    if not (scope.is_admin or scope.unit_paths):
        raise Http404
    sql = _read_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql.unit_sql, [unit_id])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    n = len(sql.unit)
    unit = sql.unit.build(row[:n])
    if not scope.covers_path(unit.path):
        raise Http404
    head = sql.head.build(row[n:]) if unit.head_id is not None else None
    Unit._meta.get_field("head").set_cached_value(unit, head)
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
    by_child: Mapping[tuple[Any, ...], Mapping[str, Any]],
    base: Cell,
    sort: str,
    units: Mapping[int, tuple[str, str]] | None = None,
) -> list[Row]:
    """The league from bucket counts per child unit (live query or summary table), with the
    child units' names and leaders (``units``: already read, else read here)."""
    if units is None:
        ids = [int(k) for (k,) in by_child if k]
        # Only what the league shows (a national league is 85 units; other columns are long).
        units = {
            u.pk: (u.name, u.head.display_name if u.head else "")
            for u in Unit.objects.filter(pk__in=ids)
            .select_related("head")
            .only("name", "head", *(f"head__{name}" for name in DISPLAY_NAME_FIELDS))
        }
    league = []
    for (k,), counts in by_child.items():
        unit = units.get(int(k)) if k else None
        if unit is None:
            continue
        name, leader = unit
        days = counts["days_late"]
        league.append(
            Row(
                name,
                base.with_(unit=int(k)),
                _block(counts),
                extra={"days_late": days.days if days else 0, "leader": leader},
                target=("unit", int(k)),
            )
        )
    return sort_league(league, sort)


@dataclass
class _TablesRead:
    by_child: dict[tuple[str], dict[str, Any]]
    by_kind: dict[tuple[str], dict[str, Any]]
    trend: list[dict[str, Any]]
    units: dict[int, tuple[str, str]]  # id -> name, leader
    overrides: dict[tuple[str, int], ConfidenceOverride]


@dataclass(frozen=True)
class _ReadSql:
    """The hand-written statements of ``unit_get`` and ``_read_tables`` (besides the summary's
    own), and their columns."""

    state: ModelColumns
    unit: ModelColumns  # ``unit_get``'s: every column of the unit and of its head
    head: ModelColumns
    unit_sql: str
    override: ModelColumns
    set_by: ModelColumns
    day_sql: str
    tally_sql: str  # ``summary.tally_statement``'s rows, each child's with its unit and head
    overrides_sql: str


@functools.lru_cache(maxsize=4)
def _read_sql(vendor: str) -> _ReadSql:
    """Built once per database vendor (quoting, converters). Only identifiers from the
    models' metadata are written into the text; every value is a parameter."""
    q = connection.ops.quote_name
    state = ModelColumns(SummaryState, "st", ("day",))
    override = ModelColumns(ConfidenceOverride, "o")
    unit, head = ModelColumns(Unit, "u"), ModelColumns(User, "h")
    set_by = ModelColumns(User, "s")
    units, users = q(Unit._meta.db_table), q(User._meta.db_table)
    head_names = ", ".join(f"h.{q(name)}" for name in DISPLAY_NAME_FIELDS)
    return _ReadSql(
        state=state,
        unit=unit,
        head=head,
        unit_sql=(
            f"SELECT {unit.sql}, {head.sql} FROM {units} u "  # noqa: S608
            f"LEFT JOIN {users} h ON h.id = u.{q('head_id')} WHERE u.id = %s"
        ),
        override=override,
        set_by=set_by,
        day_sql=f"SELECT {state.sql} FROM {q(SummaryState._meta.db_table)} st WHERE st.id = 1",  # noqa: S608
        # The league's units are the children in the tally's own rows ("" and the kinds' rows
        # have none): joined here, not looked up by a second scan of the table. On PostgreSQL
        # a LATERAL lookup per row (LIMIT 1 keeps it from being flattened into a hash join of
        # every unit and user, which the planner picks for its estimate of 1,700 groups).
        tally_sql=(
            f"SELECT t.*, x.* FROM ({summary_tables.tally_sql(vendor)}) t "  # noqa: S608
            f"LEFT JOIN LATERAL (SELECT u.{q('name')}, u.{q('head_id')}, {head_names} "
            f"FROM {units} u LEFT JOIN {users} h ON h.id = u.{q('head_id')} "
            f"WHERE u.id = CAST(NULLIF(t.child, '') AS bigint) LIMIT 1) x ON TRUE"
            if vendor == "postgresql"
            else f"SELECT t.*, u.{q('name')}, u.{q('head_id')}, {head_names} "  # noqa: S608
            f"FROM ({summary_tables.tally_sql(vendor)}) t "
            f"LEFT JOIN {units} u ON u.id = CAST(NULLIF(t.child, '') AS bigint) "
            f"LEFT JOIN {users} h ON h.id = u.{q('head_id')}"
        ),
        # The overrides of the unit and of the units right below it (a superset of the
        # league's: only the rows shown look theirs up), recorded by the end of the day.
        overrides_sql=(
            f"SELECT {override.sql}, {set_by.sql} "  # noqa: S608
            f"FROM {q(ConfidenceOverride._meta.db_table)} o "
            f"JOIN {users} s ON s.id = o.{q('set_by_id')} "
            f"JOIN {units} u ON u.id = o.{q('unit_id')} "
            f"WHERE u.{q('path')} >= %s AND u.{q('path')} < %s AND u.{q('depth')} <= %s "
            f"AND o.{q('created_at')} < %s ORDER BY o.{q('created_at')} DESC, o.id DESC"
        ),
    )


def _read_tables(scope: Scope, unit: Unit | None, on: dt.date) -> _TablesRead | None:
    """Everything a unit dashboard reads besides its unit, from the summary tables, in ONE
    round trip on PostgreSQL (``core.reads``): the tables' day, the tally (league and kinds)
    with the league's units and their heads, the timeline codes, and the confidence overrides
    recorded by ``on`` for the unit and the units right below it (``_overrides``'s rule,
    applied by ``_in_force``). None when the tables are not for ``on`` (the caller counts
    live)."""
    sql = _read_sql(connection.vendor)
    path = unit.path if unit else None
    low, high = subtree_bounds(path or "/")
    depth = unit.depth + 1 if unit else 0
    end = connection.ops.adapt_datetimefield_value(day_start(on + dt.timedelta(days=1)))

    def current(day_rows: list[tuple[Any, ...]]) -> bool:
        return bool(day_rows) and sql.state.build(day_rows[0]).day == on

    results = run_reads(
        [
            (sql.day_sql, []),
            (sql.tally_sql, summary_tables.tally_params(scope, path)),
            summary_tables.trend_statement(scope, path),
            (sql.overrides_sql, [low, high, depth, end]),
        ],
        proceed=current,
    )
    if not current(results[0]):
        return None
    _day, tally_rows, trend_rows, override_rows = results
    n = summary_tables.TALLY_COLUMNS
    by_child, by_kind = summary_tables.decode_tally(row[:n] for row in tally_rows)
    units = {
        int(child): (name, display_name_of(*head) if head_id is not None else "")
        for (child, *_counts), (name, head_id, *head) in ((r[:n], r[n:]) for r in tally_rows)
        if name is not None
    }
    set_by_field = ConfidenceOverride._meta.get_field("set_by")
    n = len(sql.override)
    records = []
    for row in override_rows:
        o = sql.override.build(row[:n])
        set_by_field.set_cached_value(o, sql.set_by.build(row[n:]))
        records.append(o)
    return _TablesRead(
        by_child=by_child,
        by_kind=by_kind,
        trend=summary_tables.decode_trend(trend_rows),
        units=units,
        overrides=_in_force(records),
    )


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
    """Rows in the order asked, ties by name then unit id (not by the order read)."""
    key = LEAGUE_SORTS.get(sort, LEAGUE_SORTS["overdue"])
    return sorted(rows, key=lambda r: (key(r), r.label.lower(), r.target))


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
    path = unit.path if unit else None
    read = None
    if use_summary and summary_tables.may_use(scope, path, as_of):
        read = _read_tables(scope, unit, base.on)  # None: the tables are not for today
    if read is not None:
        # Today's figures of a whole subtree: the same tally and timeline codes, read from the
        # summary tables maintained on write instead of counted over the task table.
        league = _league_rows(read.by_child, base, sort, read.units)
        by_kind = read.by_kind
        board_timeline = timeline(Task.objects.none(), base, since, read.trend)
        overrides = read.overrides
    else:
        qs = scoped_tasks(scope, base)
        rows, league = _league(qs, base, path or "/", sort)
        by_kind = sum_buckets(rows, ("_k_kind",))
        board_timeline = timeline(qs, base, since)
        targets = [r.target[1] for r in league if r.target] + ([unit.pk] if unit else [])
        overrides = _overrides(Q(unit_id__in=targets), base.on)
    title = unit.name if unit else _("All units I can see")
    # Every task has one kind: the overall figures are the sum of the kinds'.
    overall_counts = {b: sum(c[b] for c in by_kind.values()) for b in BLOCK_BUCKETS}
    overall = Row(
        title,
        base,
        _block(overall_counts if by_kind else None),
        target=("unit", unit.pk) if unit else None,
    )
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
