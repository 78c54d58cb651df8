"""Exact summary tables of the unit dashboards, maintained on write (issue #3, speed).

A unit dashboard counts every task of a subtree: a million rows for the nation. The tables
``UnitTally`` and ``UnitTrend`` hold the same counts already grouped, per ancestor unit, so the
national dashboard reads a few thousand rows instead (``unit_dashboard`` uses them when
``summary_day()`` is today; otherwise it runs the live query, same figures, slower).

What is stored: the codes of the live queries themselves (``figures.tally_codes`` for the
status, flags and days late; ``timeline._timeline_codes`` for the timeline), computed on the
tables' reference day ``SummaryState.day``. The status of a task depends on the date (overdue
once its deadline passes, "at risk" within 30 days, "not reported" after 45), so the tables are
exact for that one day: ``tiendo rebuild-summary`` (run each night after midnight) moves them to
the new day in one transaction; until it has run, dashboards use the live query.

Rows, per task led by the unit at path ``/a/b/``: its "own" row ``(anc="/a/b/", child="")``
and one row per ancestor: ``("/a/", child="b")``, ``("/", child="a")``. A dashboard of unit U
reads the rows ``anc = U.path``: the league is grouped by ``child``, the unit's own tasks are
``child = ""``. Timeline rows are the same with ``own`` instead of ``child``.

Maintenance (``summary_refresh(paths)``), called by every service that changes tasks, in its
transaction: for each unit path touched, recompute the unit's own rows from the task table,
subtract the stored own rows, and add the difference to the own row and to every ancestor's row
(``n = n + delta``). Refreshes are serialised by one transaction-level lock (PostgreSQL advisory
lock; SQLite has a single writer), and the rebuild takes the same lock, so a refresh always
reads own rows that match the task table as last committed. The property test
(``tests/test_summary.py``) checks the tables equal a rebuild from scratch after random writes.

Visibility: a row's ``vis`` is the higher of the task's and its program's classification, so
``vis <= clearance`` is exactly the clearance rule of ``programs.selectors``. The tables serve
only viewers who see a whole subtree (an administrator; anyone on a unit of their own
subtree, see ``usable``); everything else (program dashboards, as-of dates, a non-administrator's
"all units I can see") runs the live query.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Greatest
from django.utils import timezone

from tiendo.core.reads import Statement
from tiendo.orgs.scope import Scope
from tiendo.programs.models import Task

from .figures import BUCKETS, bucket_code_sql, tally_codes, with_status
from .models import SummaryState, UnitTally, UnitTrend
from .timeline import UNIT_TIMELINE_DAYS, _timeline_codes, timeline_frame

LOCK_KEY = 3_000_003  # the advisory lock of summary writes (an arbitrary, fixed number)
# Add to a row, creating it if absent (same syntax on PostgreSQL and SQLite >= 3.24).
TALLY_UPSERT = (
    "INSERT INTO dashboards_unittally (anc, child, kind, vis, code, n, days) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (anc, child, kind, vis, code) DO UPDATE "
    "SET n = dashboards_unittally.n + excluded.n, days = dashboards_unittally.days + excluded.days"
)
TREND_UPSERT = (
    "INSERT INTO dashboards_unittrend (anc, own, vis, code, n) VALUES (%s, %s, %s, %s, %s) "
    "ON CONFLICT (anc, own, vis, code) DO UPDATE SET n = dashboards_unittrend.n + excluded.n"
)
TallyKey = tuple[str, str, str, int, int]  # anc, child, kind, vis, code
TrendKey = tuple[str, bool, int, int]  # anc, own, vis, code


def summary_day() -> dt.date | None:
    """The day the tables are exact for, or None when they were never built."""
    return SummaryState.objects.filter(pk=1).values_list("day", flat=True).first()


def usable(scope: Scope, unit_path: str | None, as_of: dt.date | None, on: dt.date) -> bool:
    """Whether a unit dashboard may read the tables: today's figures of a whole subtree.

    ``unit_path`` is the dashboard's unit (already checked to lie in the viewer's subtrees for
    a non-administrator, who then sees every task led there); None is "everything I can see",
    the whole country only for an administrator.
    """
    return may_use(scope, unit_path, as_of) and summary_day() == on


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _pairs(path: str) -> list[tuple[str, str]]:
    """(ancestor path, child segment) of a lead unit path, its own pair first."""
    segments = [s for s in path.split("/") if s]
    if not segments:
        return [("/", "")]
    pairs = [(path, "")]
    for depth in range(len(segments) - 1, -1, -1):
        pairs.append(("/" + "".join(f"{s}/" for s in segments[:depth]), segments[depth]))
    return pairs


def _vis() -> Greatest:
    return Greatest("classification", "program__classification")


def _compute(day: dt.date, paths: list[str] | None) -> tuple[list[dict], list[dict]]:
    """Own rows of the units at ``paths`` (all units if None), from the task table."""
    qs = Task.objects.filter(assigned_at__isnull=False)
    if paths is not None:
        qs = qs.filter(lead_unit_path__in=paths)
    from .selectors import _days_late  # the league's days-late sum, same expression

    tally = tally_codes(
        with_status(qs, day, ""),
        {"_k_path": "lead_unit_path", "_k_kind": "kind", "_k_vis": _vis()},
        extra={"days_late": _days_late("", day)},
    )
    points, quarters, weeks = timeline_frame(day, day - dt.timedelta(days=UNIT_TIMELINE_DAYS))
    trend = _timeline_codes(
        with_status(qs.annotate(_k_vis=_vis()), day, ""),
        "",
        points,
        quarters,
        weeks,
        keys={"_k_path": "lead_unit_path", "_k_vis2": "_k_vis"},
    )
    return tally, trend


def _days(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.timedelta):
        return value.days
    return int(value) // 86_400_000_000  # SQLite may return microseconds


def _expand(
    tally: Iterable[dict], trend: Iterable[dict], sign: int = 1
) -> tuple[dict[TallyKey, list[int]], dict[TrendKey, int]]:
    """Own rows -> contributions to every ancestor's rows (multiplied by ``sign``)."""
    t: dict[TallyKey, list[int]] = defaultdict(lambda: [0, 0])
    for row in tally:
        n, days = sign * row["_n"], sign * _days(row.get("days_late"))
        for anc, child in _pairs(row["_k_path"]):
            cell = t[(anc, child, row["_k_kind"], row["_k_vis"], row["_code"])]
            cell[0] += n
            cell[1] += days
    r: dict[TrendKey, int] = defaultdict(int)
    for row in trend:
        for i, (anc, _child) in enumerate(_pairs(row["_k_path"])):
            r[(anc, i == 0, row["_k_vis2"], row["_code"])] += sign * row["_n"]
    return t, r


def _stored_own(paths: list[str]) -> tuple[list[dict], list[dict]]:
    """The own rows the tables hold for ``paths``, shaped like ``_compute``'s."""
    owner = {_pairs(path)[0]: path for path in paths}
    own = Q(pk__in=[])
    for anc, child in owner:
        own |= Q(anc=anc, child=child)
    tally = [
        {
            "_k_path": owner[(anc, child)],
            "_k_kind": kind,
            "_k_vis": vis,
            "_code": code,
            "_n": n,
            "days_late": dt.timedelta(days=days),
        }
        for anc, child, kind, vis, code, n, days in UnitTally.objects.filter(own).values_list(
            "anc", "child", "kind", "vis", "code", "n", "days"
        )
    ]
    trend = [
        {"_k_path": owner[(anc, "")], "_k_vis2": vis, "_code": code, "_n": n}
        for anc, vis, code, n in UnitTrend.objects.filter(
            anc__in=[anc for anc, _child in owner], own=True
        ).values_list("anc", "vis", "code", "n")
    ]
    return tally, trend


def _upsert(tally: dict[TallyKey, list[int]], trend: dict[TrendKey, int]) -> None:
    """Add the contributions to the stored rows, then drop rows that fell to zero tasks."""
    t_rows = sorted((*k, n, d) for k, (n, d) in tally.items() if n or d)
    r_rows = sorted((*k, n) for k, n in trend.items() if n)
    with connection.cursor() as cursor:
        if t_rows:
            cursor.executemany(
                TALLY_UPSERT,
                t_rows,
            )
        if r_rows:
            cursor.executemany(
                TREND_UPSERT,
                r_rows,
            )
    ancs = sorted({k[0] for k in tally} | {k[0] for k in trend})
    UnitTally.objects.filter(anc__in=ancs, n=0).delete()
    UnitTrend.objects.filter(anc__in=ancs, n=0).delete()


@transaction.atomic
def summary_refresh(*, unit_paths: Iterable[str]) -> None:
    """Bring the tables up to date for the tasks led by ``unit_paths`` (old and new paths of
    every task a write changed). Call it in the write's transaction, after the task rows are
    written. Does nothing until the tables were first built."""
    paths = sorted(set(unit_paths))
    if not paths or summary_day() is None:
        return  # never built: no lock, nothing to keep
    _lock()  # before reading: the own rows read must be the last committed ones
    day = summary_day()  # again under the lock: a rebuild may have just moved it
    if day is None:
        return
    new_t, new_r = _expand(*_compute(day, paths))
    old_t, old_r = _expand(*_stored_own(paths), sign=-1)
    for key, (n, d) in old_t.items():
        cell = new_t[key] if key in new_t else new_t.setdefault(key, [0, 0])
        cell[0] += n
        cell[1] += d
    for key, n in old_r.items():
        new_r[key] = new_r.get(key, 0) + n
    _upsert(new_t, new_r)


@transaction.atomic
def summary_rebuild(*, day: dt.date | None = None) -> dict[str, int]:
    """Recompute both tables from the task table for ``day`` (default today)."""
    day = day or timezone.localdate()
    _lock()
    if connection.vendor == "postgresql":
        # Readers are not blocked for long: until the new day is committed, dashboards count
        # live and never read these tables; writers wait on the lock above anyway.
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE dashboards_unittally, dashboards_unittrend")
    else:
        UnitTally.objects.all().delete()
        UnitTrend.objects.all().delete()
    tally, trend = _expand(*_compute(day, None))
    _insert(
        "dashboards_unittally (anc, child, kind, vis, code, n, days)",
        sorted((*key, n, d) for key, (n, d) in tally.items() if n),
    )
    _insert(
        "dashboards_unittrend (anc, own, vis, code, n)",
        sorted((*key, n) for key, n in trend.items() if n),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics for the dashboards' plans
            cursor.execute("ANALYZE dashboards_unittally")
            cursor.execute("ANALYZE dashboards_unittrend")
    tasks = sum(n for (a, c, *_), (n, _d) in tally.items() if a == "/")
    SummaryState.objects.update_or_create(
        pk=1, defaults={"day": day, "rebuilt_at": timezone.now(), "tasks": tasks}
    )
    return {"tally_rows": len(tally), "trend_rows": len(trend), "tasks": tasks}


def _insert(table_columns: str, rows: Iterable[tuple]) -> None:
    """Write many rows: COPY on PostgreSQL (a million rows in seconds), else executemany."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table_columns} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            width = table_columns.count(",") + 1
            cursor.executemany(
                f"INSERT INTO {table_columns} VALUES ({', '.join(['%s'] * width)})",  # noqa: S608
                list(rows),
            )


# Reads -----------------------------------------------------------------------------------------


# Per child and per kind in one statement (the league, and the kinds block; the overall figures
# are the sum of the kinds): every bucket summed in the database over the stored codes
# (``figures.bucket_code_sql``, the test of ``figures.code_buckets``), so a national dashboard
# reads about a hundred rows of counts, not thousands of rows of codes to sum in Python.
# PostgreSQL reads the rows once for both groupings; written as a UNION ALL of two scans it
# plans a Parallel Append, whose worker start-up cost 4x the work itself (province: 38 ms
# against 9 ms, ``bench/RESULTS.md``). SQLite has no grouping sets.
TREND_READ = (
    "SELECT code, SUM(n) FROM dashboards_unittrend WHERE anc = %s AND vis <= %s GROUP BY code"
)


# The columns of ``tally_sql``'s rows: child, kind, days late, and one per bucket.
TALLY_COLUMNS = 3 + len(BUCKETS)


@functools.lru_cache(maxsize=4)
def tally_sql(vendor: str) -> str:
    """The read of a unit dashboard's bucket counts (parameters: ``tally_params``; rows
    decoded by ``decode_tally``)."""
    sums = ", ".join(f"SUM(n) FILTER (WHERE {bucket_code_sql(b)})" for b in BUCKETS)
    if vendor == "postgresql":
        return (
            f"SELECT child, kind, SUM(days), {sums} FROM dashboards_unittally "  # noqa: S608
            "WHERE anc = %s AND vis <= %s GROUP BY GROUPING SETS ((child), (kind))"
        )
    return (
        f"SELECT child, NULL AS kind, SUM(days), {sums} FROM dashboards_unittally "  # noqa: S608
        f"WHERE anc = %s AND vis <= %s GROUP BY child UNION ALL "
        f"SELECT NULL, kind, NULL, {sums} FROM dashboards_unittally "
        "WHERE anc = %s AND vis <= %s GROUP BY kind"
    )


def may_use(scope: Scope, unit_path: str | None, as_of: dt.date | None) -> bool:
    """``usable`` but for the tables' day (a reader checks it in the same round trip)."""
    return as_of is None and (scope.is_admin or bool(unit_path))


def tally_params(scope: Scope, unit_path: str | None) -> list[Any]:
    anc = unit_path or "/"
    if connection.vendor == "postgresql":
        return [anc, scope.clearance]
    return [anc, scope.clearance, anc, scope.clearance]


def tally_statement(scope: Scope, unit_path: str | None) -> Statement:
    """The read of a unit dashboard's bucket counts (decoded by ``decode_tally``)."""
    return tally_sql(connection.vendor), tally_params(scope, unit_path)


def decode_tally(
    rows: Iterable[tuple[Any, ...]],
) -> tuple[dict[tuple[str], dict[str, Any]], dict[tuple[str], dict[str, Any]]]:
    """A unit dashboard's bucket counts from the table, as ``figures.sum_buckets`` gives them
    over the live ``tally`` rows: per child unit (the league; "" is the unit's own tasks, with
    ``days_late``) and per kind (each task counted once in each; the overall figures are the
    sum of the kinds)."""
    per_child: dict[tuple[str], dict[str, Any]] = {}
    per_kind: dict[tuple[str], dict[str, Any]] = {}
    names = tuple(BUCKETS)
    for child, kind, days, *sums in rows:
        counts: dict[str, Any] = {
            name: int(n) if n is not None else 0 for name, n in zip(names, sums, strict=True)
        }
        if kind is None:
            counts["days_late"] = dt.timedelta(days=int(days or 0))
            per_child[(child,)] = counts
        else:
            per_kind[(kind,)] = counts
    return per_child, per_kind


def trend_statement(scope: Scope, unit_path: str | None) -> Statement:
    """The read of a unit dashboard's ``timeline._timeline_codes`` rows (``decode_trend``)."""
    return TREND_READ, [unit_path or "/", scope.clearance]


def decode_trend(rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [{"_code": code, "_n": int(n)} for code, n in rows]
