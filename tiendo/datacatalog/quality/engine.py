"""Measure a dataset version (one Parquet file) on the six dimensions; list the failing rows.

Start here: ``profile`` returns a ``QualityReport``; ``failing_rows`` returns one page of the
rows (or code values) behind any rule or dimension figure, with the same SQL predicate that
counted them. Row numbers are 1-based positions in the Parquet file.

Scans: accurate + complete + unified row checks in one pass (``count(*) FILTER``), clean in a
second (duplicate groups joined back, text-form flags once per row), one anti-join per coverage.
Live and shared are facts the caller supplies (the catalogue knows the last update and the
publications); their scores are pure functions in ``scores.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from .compiler import ROW, SOURCE, Check, Plan, compile_plan, quote
from .rules import RuleError, RuleProblem, RuleSet, Standard
from .scores import DIMENSIONS, WEIGHTS, liveness, overall_score, ratio_score, shared_score


@dataclass(frozen=True)
class PublicationFacts:
    """What the warehouse knows: is the version published, how many other units use it."""

    published: bool
    users: int = 0


@dataclass(frozen=True)
class RuleResult:
    """One rule's figure. ``checked``: rows (or code values, or 1 for a fact) examined."""

    id: str
    dimension: str
    check: str
    field: str | None
    kind: str
    checked: int
    failed: int
    score: float | None
    detail: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class DimensionResult:
    """A dimension's figure. For row checks ``checked`` is the number of rows and ``failed``
    the rows failing at least one of its row rules (the list ``failing_rows(dimension)``
    shows); otherwise the sums of its rules. ``score``: mean of its rules' scores (None:
    not measured)."""

    dimension: str
    checked: int
    failed: int
    score: float | None
    rules: tuple[RuleResult, ...]


@dataclass(frozen=True)
class QualityReport:
    rows: int
    measured_on: dt.date
    dimensions: Mapping[str, DimensionResult]
    overall: float | None
    weights: Mapping[str, float]

    def rule(self, rule_id: str) -> RuleResult:
        for dim in self.dimensions.values():
            for rule in dim.rules:
                if rule.id == rule_id:
                    return rule
        raise KeyError(rule_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (dates as ISO text)."""
        data = asdict(self)
        data["measured_on"] = self.measured_on.isoformat()
        return _jsonable(data)


@dataclass(frozen=True)
class FailingRows:
    """One page of the rows behind a figure: ``columns`` then ``rows`` (first column ``row``,
    the 1-based row number; for coverage, the missing ``code``). ``total``: all of them."""

    target: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    total: int


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _connect(
    connection: duckdb.DuckDBPyConnection | None,
    plan_lists: Mapping[str, str],
    code_lists: Mapping[str, Iterable[str]],
) -> duckdb.DuckDBPyConnection:
    con = connection or duckdb.connect()
    for name, table in plan_lists.items():
        codes = sorted({str(c) for c in code_lists[name]})
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT unnest($codes::VARCHAR[]) AS code",
            {"codes": codes},
        )
    return con


def file_columns(
    path: str | Path, connection: duckdb.DuckDBPyConnection | None = None
) -> dict[str, str]:
    """Column name -> DuckDB type of a Parquet file."""
    con = connection or duckdb.connect()
    rows = con.execute("DESCRIBE SELECT * FROM read_parquet($path)", {"path": str(path)}).fetchall()
    return {r[0]: r[1] for r in rows}


def _plan(
    path: str | Path,
    rules: RuleSet,
    code_lists: Mapping[str, Iterable[str]],
    standards: Mapping[str, Standard],
    today: dt.date,
    connection: duckdb.DuckDBPyConnection | None,
) -> tuple[Plan, duckdb.DuckDBPyConnection]:
    con = connection or duckdb.connect()
    columns = file_columns(path, con)
    standard = standards.get(rules.standard) if rules.standard else None
    plan = compile_plan(rules, columns, code_lists=code_lists, standard=standard, today=today)
    _connect(con, plan.code_lists, code_lists)
    for check in plan.checks:
        if check.check == "pattern":  # RE2 is stricter than Python's re: say which rule
            try:
                con.execute(
                    "SELECT regexp_matches('', $p)", {"p": next(iter(check.params.values()))}
                )
            except duckdb.Error as exc:
                raise RuleError(
                    [RuleProblem(f"fields.{check.field}", "pattern", str(exc))]
                ) from exc
    return plan, con


def _union(checks: Sequence[Check]) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {}
    for c in checks:
        params.update(c.params)
    return "(" + " OR ".join(c.sql for c in checks) + ")", params


def _clean_source(plan: Plan) -> str:
    if not plan.clean_columns:
        return SOURCE
    needed = {f for c in plan.for_dimension("clean") for f in (c.field or "").split(",") if f}
    needed |= {b for c in plan.for_dimension("clean") for b in c.detail.get("block", [])}
    cols = ", ".join([f"t.{ROW}", *(f"t.{quote(f)}" for f in sorted(needed))])
    return f"(SELECT {cols}, {', '.join(plan.clean_columns)} FROM {SOURCE} t {' '.join(plan.clean_joins)})"  # noqa: S608


def _source(plan: Plan, dimension: str) -> str:
    return _clean_source(plan) if dimension == "clean" else SOURCE


def _count_rows(
    con: duckdb.DuckDBPyConnection,
    path: str,
    source: str,
    checks: Sequence[Check],
    groups: Mapping[str, Sequence[Check]],
) -> tuple[int, dict[str, int], dict[str, int]]:
    """One scan: total rows, failures per check, failing rows per group (dimension)."""
    params: dict[str, Any] = {"path": path}
    select = ["count(*)"]
    for c in checks:
        select.append(f"count(*) FILTER (WHERE {c.sql})")
        params.update(c.params)
    group_names = [g for g, members in groups.items() if members]
    for g in group_names:
        sql, _p = _union(groups[g])
        select.append(f"count(*) FILTER (WHERE {sql})")
    row = con.execute(f"SELECT {', '.join(select)} FROM {source}", params).fetchone()  # noqa: S608 (quoted identifiers; values are parameters)
    assert row is not None
    per_check = {c.id: int(row[1 + i]) for i, c in enumerate(checks)}
    per_group = {g: int(row[1 + len(checks) + i]) for i, g in enumerate(group_names)}
    return int(row[0]), per_check, per_group


def profile(
    path: str | Path,
    rules: RuleSet,
    *,
    code_lists: Mapping[str, Iterable[str]] | None = None,
    standards: Mapping[str, Standard] | None = None,
    today: dt.date,
    last_update: dt.date | None = None,
    frequency: str | None = None,
    publication: PublicationFacts | None = None,
    dimensions: Collection[str] = DIMENSIONS,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> QualityReport:
    """Measure the Parquet file at ``path`` against ``rules`` on the six dimensions.

    ``code_lists``: shared code lists by name (values as text); ``standards``: shared field
    standards by name; ``today``: the reference date (``max: today``, liveness);
    ``last_update`` and ``frequency`` (default: the rules' ``live.frequency``) give the live
    dimension, ``publication`` the shared one (left unmeasured when not given).
    ``dimensions``: measure only these (the others come back unmeasured: score None).
    Raises ``RuleError`` when the rules name columns, code lists or a standard that do not exist.
    """
    path = str(path)
    plan, con = _plan(path, rules, code_lists or {}, standards or {}, today, connection)
    selected = set(dimensions)
    plan.checks = [c for c in plan.checks if c.dimension in selected]
    by_dim = {d: [c for c in plan.for_dimension(d) if c.kind == "rows"] for d in DIMENSIONS}
    main = by_dim["accurate"] + by_dim["complete"] + by_dim["unified"]
    groups = {d: by_dim[d] for d in ("accurate", "complete", "unified")}
    rows, failed, dim_failed = _count_rows(con, path, SOURCE, main, groups)
    if by_dim["clean"]:
        _rows, clean_failed, clean_dim = _count_rows(
            con, path, _clean_source(plan), by_dim["clean"], {"clean": by_dim["clean"]}
        )
        failed.update(clean_failed)
        dim_failed.update(clean_dim)
    results: dict[str, list[RuleResult]] = {d: [] for d in DIMENSIONS}
    for check in plan.checks:
        if check.kind == "rows":
            checked, fails = rows, failed[check.id]
        elif check.kind == "values":
            checked, fails = _coverage_counts(con, path, check)
        else:
            checked, fails = 1, int(check.failed)
        score = ratio_score(checked, fails)
        results[check.dimension].append(
            RuleResult(
                check.id,
                check.dimension,
                check.check,
                check.field,
                check.kind,
                checked,
                fails,
                score,
                _public_detail(check),
            )
        )
    frequency = frequency or rules.frequency
    if frequency is not None and "live" in selected:
        live = liveness(last_update, frequency, today)
        detail = {
            "status": live.status,
            "days_overdue": live.days_overdue,
            "due_on": live.due_on,
            "frequency": frequency,
            "last_update": last_update,
        }
        results["live"].append(
            RuleResult(
                "live.frequency",
                "live",
                "frequency",
                None,
                "facts",
                1,
                int(live.score < 100),
                live.score,
                detail,
            )
        )
    if publication is not None and "shared" in selected:
        score = shared_score(published=publication.published, users=publication.users)
        detail = {"published": publication.published, "users": publication.users}
        results["shared"].append(
            RuleResult(
                "shared.publication",
                "shared",
                "publication",
                None,
                "facts",
                1,
                int(not publication.published),
                score,
                detail,
            )
        )
    measured: dict[str, DimensionResult] = {}
    for dim in DIMENSIONS:
        rule_results = tuple(results[dim])
        scores = [r.score for r in rule_results if r.score is not None]
        score = round(sum(scores) / len(scores), 4) if scores else None
        if by_dim[dim]:
            checked, fails = rows, dim_failed.get(dim, 0)
        else:
            checked, fails = (
                sum(r.checked for r in rule_results),
                sum(r.failed for r in rule_results),
            )
        measured[dim] = DimensionResult(dim, checked, fails, score, rule_results)
    overall = overall_score({d: r.score for d, r in measured.items()})
    return QualityReport(
        rows=rows, measured_on=today, dimensions=measured, overall=overall, weights=dict(WEIGHTS)
    )


def _public_detail(check: Check) -> dict[str, Any]:
    return {k: v for k, v in check.detail.items() if k != "table"}


def _coverage_counts(con: duckdb.DuckDBPyConnection, path: str, check: Check) -> tuple[int, int]:
    table = check.detail["table"]
    row = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {check.sql}) FROM {table}",  # noqa: S608
        {"path": path},
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def failing_rows(
    path: str | Path,
    rules: RuleSet,
    target: str,
    *,
    code_lists: Mapping[str, Iterable[str]] | None = None,
    standards: Mapping[str, Standard] | None = None,
    today: dt.date,
    limit: int = 50,
    offset: int = 0,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> FailingRows:
    """The rows behind a figure: ``target`` is a rule id (``accurate.pattern.citizen_id``) or a
    dimension (``accurate``: rows failing any of its row rules). Shows the row number and the
    fields the rule(s) look at, ordered by row number, ``limit`` from ``offset``.
    Raises ``KeyError`` for an unknown target."""
    path = str(path)
    if limit < 1 or offset < 0:
        raise ValueError("limit must be 1 or more and offset 0 or more")
    plan, con = _plan(path, rules, code_lists or {}, standards or {}, today, connection)
    if target in DIMENSIONS:
        checks = [c for c in plan.for_dimension(target) if c.kind == "rows"]
        dimension = target
    else:
        checks = [c for c in plan.checks if c.id == target]
        if not checks:
            raise KeyError(target)
        dimension = checks[0].dimension
    if not checks:
        return FailingRows(target, ("row",), [], 0)
    first = checks[0]
    if first.kind == "values":
        table = first.detail["table"]
        where = f"FROM {table} WHERE {first.sql}"
        total = con.execute(f"SELECT count(*) {where}", {"path": path}).fetchone()
        page_params = {"path": path, "limit": limit, "offset": offset}
        page = con.execute(
            f"SELECT code {where} ORDER BY code LIMIT $limit OFFSET $offset", page_params
        ).fetchall()
        return FailingRows(target, ("code",), page, int(total[0]) if total else 0)
    if first.kind == "facts":
        return FailingRows(target, ("row",), [], int(first.failed))
    fields: list[str] = []
    for c in checks:
        for name in (c.field or "").split(","):
            if name and name not in fields:
                fields.append(name)
    if dimension == "clean" and rules.near_duplicates.block:
        fields += [b for b in rules.near_duplicates.block if b not in fields]
    sql, params = _union(checks)
    params |= {"path": path}
    source = _source(plan, dimension)
    total = con.execute(f"SELECT count(*) FROM {source} WHERE {sql}", params).fetchone()  # noqa: S608 (quoted identifiers; values are parameters)
    cols = ", ".join(quote(f) for f in fields)
    page = con.execute(
        f"SELECT {ROW} + 1 AS row, {cols} FROM {source} WHERE {sql} ORDER BY {ROW} LIMIT $limit OFFSET $offset",  # noqa: S608 (quoted identifiers; values are parameters)
        params | {"limit": limit, "offset": offset},
    ).fetchall()
    return FailingRows(target, ("row", *fields), page, int(total[0]) if total else 0)
