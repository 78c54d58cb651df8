"""Compile a ``RuleSet`` into DuckDB SQL over one Parquet file.

Each check becomes a ``Check``: a boolean SQL expression that is true on a failing row, with
its parameters. The engine counts every check of a dimension in one scan
(``count(*) FILTER (WHERE ...)``) and reuses the same expression to list the failing rows, so
a figure and its list cannot disagree. Identifiers are quoted (``quote``) and only names found
in the file are accepted; every user value (pattern, bound, allowed values, code lists, the
file path) travels as a named parameter, never inside the SQL text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tiendo.datacatalog import textfix

from .rules import TODAY, FieldRule, RuleError, RuleProblem, RuleSet, Standard

ROW = "file_row_number"  # 0-based, from read_parquet(..., file_row_number=true)
SOURCE = "read_parquet($path, file_row_number=true)"

_TYPE_SQL = {"integer": "BIGINT", "number": "DOUBLE", "date": "DATE", "boolean": "BOOLEAN"}
_NATIVE = {  # Parquet/DuckDB column types that already hold a declared type
    "string": ("VARCHAR",),
    "integer": (
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
    ),
    "number": ("FLOAT", "DOUBLE", "DECIMAL", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"),
    "date": ("DATE",),
    "boolean": ("BOOLEAN",),
}


def quote(name: str) -> str:
    """A DuckDB identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def native(column_type: str, declared: str) -> bool:
    base = column_type.split("(")[0].upper()
    return base in _NATIVE[declared]


@dataclass(frozen=True)
class Check:
    """One check. ``kind``: ``rows`` (a predicate over rows), ``values`` (code-list values
    missing from the data: coverage), ``facts`` (one yes/no fact: schema, liveness, sharing)."""

    id: str
    dimension: str
    check: str
    field: str | None
    kind: str = "rows"
    sql: str = "false"
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    # facts checks: whether the fact fails, decided at compile time
    failed: bool = False
    detail: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass
class Plan:
    """Everything the engine runs: the file's columns, the code-list tables, the checks."""

    columns: dict[str, str]
    code_lists: dict[str, str]  # code list name -> temp table name
    checks: list[Check]
    clean_columns: list[str]  # per-row facts the clean dimension's source adds
    clean_joins: list[str]  # the grouped sub-queries those facts come from

    def for_dimension(self, dimension: str) -> list[Check]:
        return [c for c in self.checks if c.dimension == dimension]


class _Params:
    """The parameters of one check; names are unique across the plan (checks share a query)."""

    _counter = itertools.count()

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def add(self, value: Any) -> str:
        name = f"p{next(self._counter)}"
        self.values[name] = value
        return "$" + name


def _typed(col: str, rule: FieldRule, column_type: str, params: _Params) -> str:
    if rule.type == "string" or native(column_type, rule.type):
        return col
    text = f"CAST({col} AS VARCHAR)"
    if rule.type == "date" and rule.format:
        return f"CAST(try_strptime({text}, {params.add(rule.format)}) AS DATE)"
    return f"TRY_CAST({text} AS {_TYPE_SQL[rule.type]})"


def _bound(value: Any, rule: FieldRule, params: _Params, today: dt.date) -> str:
    if value == TODAY:
        return f"CAST({params.add(today)} AS DATE)"
    if rule.type == "date":
        return f"CAST({params.add(value)} AS DATE)"
    return f"CAST({params.add(value)} AS DOUBLE)"


def _filled(col: str) -> str:
    return f"({col} IS NOT NULL AND trim(CAST({col} AS VARCHAR)) <> '')"


def _field_checks(
    rule: FieldRule, column_type: str, code_tables: Mapping[str, str], today: dt.date
) -> list[Check]:
    col = quote(rule.name)
    text = f"CAST({col} AS VARCHAR)"
    checks: list[Check] = []

    def add(dimension: str, check: str, sql: str, params: _Params, **detail: Any) -> None:
        checks.append(
            Check(
                id=f"{dimension}.{check}.{rule.name}",
                dimension=dimension,
                check=check,
                field=rule.name,
                sql=f"coalesce({sql}, false)",
                params=dict(params.values),
                detail=detail,
            )
        )

    p = _Params()
    typed = _typed(col, rule, column_type, p)
    if typed == col:
        add("accurate", "type", "false", p, type=rule.type, column_type=column_type)
    else:
        add(
            "accurate",
            "type",
            f"({_filled(col)} AND {typed} IS NULL)",
            p,
            type=rule.type,
            column_type=column_type,
        )
    for check, value, op in (("min", rule.min, "<"), ("max", rule.max, ">")):
        if value is not None:
            p = _Params()
            typed = _typed(col, rule, column_type, p)
            add(
                "accurate",
                check,
                f"({typed} {op} {_bound(value, rule, p, today)})",
                p,
                bound=str(value),
            )
    if rule.pattern is not None:
        p = _Params()
        add(
            "accurate",
            "pattern",
            f"({_filled(col)} AND NOT regexp_full_match({text}, {p.add(rule.pattern)}))",
            p,
            pattern=rule.pattern,
        )
    if rule.length_min is not None or rule.length_max is not None:
        p = _Params()
        parts = []
        if rule.length_min is not None:
            parts.append(f"length({text}) < {p.add(rule.length_min)}")
        if rule.length_max is not None:
            parts.append(f"length({text}) > {p.add(rule.length_max)}")
        add(
            "accurate",
            "length",
            f"({_filled(col)} AND ({' OR '.join(parts)}))",
            p,
            min=rule.length_min,
            max=rule.length_max,
        )
    if rule.values is not None:
        p = _Params()
        add(
            "accurate",
            "values",
            f"({_filled(col)} AND NOT list_contains({p.add(list(rule.values))}, {text}))",
            p,
            values=list(rule.values),
        )
    if rule.code_list is not None:
        table = code_tables[rule.code_list]
        add(
            "accurate",
            "code_list",
            f"({_filled(col)} AND {text} NOT IN (SELECT code FROM {table}))",  # noqa: S608 (quoted identifiers; values are parameters)
            _Params(),
            code_list=rule.code_list,
        )
    if rule.required:
        add("complete", "required", f"(NOT {_filled(col)})", _Params())
    return checks


def _clean_checks(
    rules: RuleSet, columns: Mapping[str, str]
) -> tuple[list[Check], list[str], list[str]]:
    """Checks of the clean dimension, over a source that adds per-row facts (``extra``
    columns) computed once: duplicate flags from grouped sub-queries joined back (``joins``;
    cheaper in DuckDB than window partitions) and the text-form flags of each text field."""
    checks: list[Check] = []
    extra: list[str] = []
    joins: list[str] = []

    def add(
        check_id: str,
        check: str,
        field_name: str | None,
        sql: str,
        params: Mapping[str, Any] | None = None,
        **detail: Any,
    ) -> None:
        checks.append(
            Check(
                id=check_id,
                dimension="clean",
                check=check,
                field=field_name,
                sql=f"coalesce({sql}, false)",
                params=dict(params or {}),
                detail=detail,
            )
        )

    def repeated(alias: str, keys: list[str], where: str, having: str) -> None:
        cols = ", ".join(keys)
        on = " AND ".join(f"t.{k} IS NOT DISTINCT FROM {alias}.{k}" for k in keys)
        joins.append(
            f"LEFT JOIN (SELECT {cols}, true AS hit FROM {SOURCE} WHERE {where} "  # noqa: S608
            f"GROUP BY ALL HAVING {having}) {alias} ON {on}"
        )
        extra.append(f"coalesce({alias}.hit, false) AS __{alias}")

    if rules.key:
        keys = [quote(k) for k in rules.key]
        repeated("key", keys, " AND ".join(f"{k} IS NOT NULL" for k in keys), "count(*) > 1")
        add(
            "clean.duplicate_key",
            "duplicate_key",
            ",".join(rules.key),
            "__key",
            key=list(rules.key),
        )
    for i, rule in enumerate(r for r in rules.fields.values() if r.unique):
        col = quote(rule.name)
        repeated(f"uniq_{i}", [col], f"{col} IS NOT NULL", "count(*) > 1")
        add(f"clean.unique.{rule.name}", "unique", rule.name, f"__uniq_{i}")
    block = [quote(b) for b in rules.near_duplicates.block]
    for i, name in enumerate(rules.names):
        col = quote(name)
        # The normalised name joins back as a key column computed on both sides.
        norm = textfix.normalise_name_sql(f"CAST({col} AS VARCHAR)")
        alias = f"near_{i}"
        cols = ", ".join([*block, f"{norm} AS __norm"])
        on = " AND ".join(
            [f"t.{b} IS NOT DISTINCT FROM {alias}.{b}" for b in block]
            + [f"{textfix.normalise_name_sql(f'CAST(t.{col} AS VARCHAR)')} = {alias}.__norm"]
        )
        joins.append(
            f"LEFT JOIN (SELECT {cols}, true AS hit FROM {SOURCE} WHERE {col} IS NOT NULL "  # noqa: S608
            f"GROUP BY ALL HAVING min(CAST({col} AS VARCHAR)) <> max(CAST({col} AS VARCHAR))) "
            f"{alias} ON {on}"
        )
        extra.append(f"coalesce({alias}.hit, false) AS __{alias}")
        add(
            f"clean.near_duplicate.{name}",
            "near_duplicate",
            name,
            f"({col} IS NOT NULL AND __{alias})",
            block=list(rules.near_duplicates.block),
        )
        if rules.near_duplicates.similarity is not None:
            # Names that differ after normalisation but are similar, within the same block.
            # Each pair of distinct normalised names of a block is compared once (x < y;
            # Jaro-Winkler is symmetric), then the rows carrying a name of such a pair are
            # found by a join: comparing rows pairwise, normalising both names for every pair,
            # cost 68x the hand-written query at 100,000 rows (bench_quality --similarity).
            p = _Params()
            threshold = p.add(rules.near_duplicates.similarity)
            keyed = (
                f"(SELECT DISTINCT {', '.join(block)}, {norm} AS __norm FROM {SOURCE} "  # noqa: S608
                f"WHERE {col} IS NOT NULL)"
            )
            same_block = " AND ".join(f"x.{b} = y.{b}" for b in block)
            pairs = (
                f"SELECT {', '.join(f'x.{b}' for b in block)}, [x.__norm, y.__norm] AS __pair "  # noqa: S608
                f"FROM {keyed} x JOIN {keyed} y ON {same_block} AND x.__norm < y.__norm "
                f"WHERE jaro_winkler_similarity(x.__norm, y.__norm) >= {threshold}"
            )
            similar = f"SELECT DISTINCT {', '.join(block)}, unnest(__pair) AS __norm FROM ({pairs})"  # noqa: S608
            on = " AND ".join(
                [f"r.{b} = s.{b}" for b in block]
                + [f"{textfix.normalise_name_sql(f'CAST(r.{col} AS VARCHAR)')} = s.__norm"]
            )
            rows_sql = f"SELECT r.{ROW} FROM {SOURCE} r JOIN ({similar}) s ON {on}"  # noqa: S608
            add(
                f"clean.similar_name.{name}",
                "similar_name",
                name,
                f"({ROW} IN ({rows_sql}))",
                p.values,
                block=list(rules.near_duplicates.block),
                similarity=rules.near_duplicates.similarity,
            )
    for i, name in enumerate(rules.text_fields()):
        if not columns[name].upper().startswith("VARCHAR"):
            continue
        flags = {}
        for fact, sql in textfix.flag_sql(f"t.{quote(name)}").items():
            extra.append(f"{sql} AS __{fact}_{i}")
            flags[fact] = f"__{fact}_{i}"
        for form in (textfix.TextForm.NFD, textfix.TextForm.TCVN3, textfix.TextForm.VNI):
            add(f"clean.{form}.{name}", form, name, textfix.combine_sql(form, flags))
    return checks, extra, joins


def _unified_checks(
    rules: RuleSet, standard: Standard, columns: Mapping[str, str], code_tables: Mapping[str, str]
) -> list[Check]:
    checks: list[Check] = []
    for name, spec in standard.fields.items():
        declared = rules.fields.get(name)
        problems = []
        if name not in columns:
            problems.append("missing")
        elif not native(columns[name], spec.type) and not (
            spec.type == "date" and declared is not None and declared.type == "date"
        ):
            problems.append("column_type")
        if declared is not None and declared.type != spec.type:
            problems.append("declared_type")
        if spec.code_list and (declared is None or declared.code_list != spec.code_list):
            problems.append("code_list_not_used")
        checks.append(
            Check(
                id=f"unified.field.{name}",
                dimension="unified",
                check="field",
                field=name,
                kind="facts",
                failed=bool(problems),
                detail={
                    "standard": standard.name,
                    "problems": problems,
                    "type": spec.type,
                    "code_list": spec.code_list,
                },
            )
        )
        if spec.code_list and name in columns:
            col = quote(name)
            sql = f"coalesce(({_filled(col)} AND CAST({col} AS VARCHAR) NOT IN (SELECT code FROM {code_tables[spec.code_list]})), false)"  # noqa: S608 (quoted identifiers; values are parameters)
            checks.append(
                Check(
                    id=f"unified.code_list.{name}",
                    dimension="unified",
                    check="code_list",
                    field=name,
                    sql=sql,
                    detail={"code_list": spec.code_list, "standard": standard.name},
                )
            )
    return checks


def compile_plan(
    rules: RuleSet,
    columns: Mapping[str, str],
    *,
    code_lists: Iterable[str],
    standard: Standard | None,
    today: dt.date,
) -> Plan:
    """Check the rules against the file's ``columns`` (name -> DuckDB type) and compile them.

    Raises ``RuleError`` naming each rule that mentions a column missing from the file, an
    unknown code list or an unknown standard.
    """
    problems: list[RuleProblem] = []
    for name in sorted(rules.referenced_fields()):
        if name not in columns:
            problems.append(RuleProblem(f"fields.{name}", "", _("No such column in the file.")))
    known_lists = set(code_lists)
    wanted = {f.code_list for f in rules.fields.values() if f.code_list} | {
        c.expected for c in rules.coverage
    }
    if standard is not None:
        wanted |= {f.code_list for f in standard.fields.values() if f.code_list}
    for name in sorted(wanted - known_lists):
        problems.append(RuleProblem("code_list", name, _("Unknown code list.")))
    if rules.standard and (standard is None or standard.name != rules.standard):
        problems.append(RuleProblem("standard", rules.standard, _("Unknown shared standard.")))
    if problems:
        raise RuleError(problems)
    tables = {name: f"code_list_{i}" for i, name in enumerate(sorted(wanted))}
    checks: list[Check] = []
    for rule in rules.fields.values():
        checks += _field_checks(rule, columns[rule.name], tables, today)
    for cov in rules.coverage:
        checks.append(
            Check(
                id=f"complete.coverage.{cov.field}",
                dimension="complete",
                check="coverage",
                field=cov.field,
                kind="values",
                sql=f"code NOT IN (SELECT CAST({quote(cov.field)} AS VARCHAR) FROM {SOURCE} WHERE {quote(cov.field)} IS NOT NULL)",  # noqa: S608 (quoted identifiers; values are parameters)
                detail={"code_list": cov.expected, "table": tables[cov.expected]},
            )
        )
    clean, extra, joins = _clean_checks(rules, columns)
    checks += clean
    if standard is not None:
        checks += _unified_checks(rules, standard, columns, tables)
    return Plan(
        columns=dict(columns),
        code_lists=tables,
        checks=checks,
        clean_columns=extra,
        clean_joins=joins,
    )
