"""Typed checks of text rows (CSV files) in DuckDB instead of value by value in Python.

Python's csv reader still reads the file, exactly as before (same encodings, delimiters, quoting,
blank lines and row numbers), but only copies the declared columns, untouched, with their row
number into a staging CSV. One DuckDB statement then converts every staged column to its declared
type and writes the Parquet file. DuckDB's idea of a valid value is deliberately narrower than the
Python checks of ``ingest`` (plain ASCII forms, integers of at most 18 digits, exponents of at most
2 digits): whatever it accepts, the Python check accepts with the same result (the agreement test
``tests/test_ingest_agreement.py`` holds the two to that). A value it does not accept stops the
statement; then the rows holding such values are read back in row order and only those values are
given to the Python checks, which name them (row, column, message) as they always did. If Python
accepts every value DuckDB doubted (digits of another script, ``1_000``), the staged rows are
converted by the Python checks, as before this module existed. A staging file DuckDB cannot read
at all (a line over its limit) goes the same way.

Why not DuckDB's own CSV reader on the uploaded file: its dialect (quotes, ragged and blank rows,
Windows-1258 text) and its row numbering differ from Python's in corner cases, and errors must name
the same rows as before.
"""

from __future__ import annotations

import csv
import operator
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import duckdb

from .ingest import (
    CHECKS,
    DUCKDB_TYPES,
    FALSE_WORDS,
    TRUE_WORDS,
    FieldSpec,
    IngestResult,
    RowSource,
    _add_error,
    _BadValue,
    _quote_literal,
    _report_cells,
    _report_failing,
    _text,
    _to_parquet,
    scratch_csv,
    stream_error_message,
)
from .models import FieldType

# Every character ``str.strip()`` removes (``str.isspace``); DuckDB's ``trim`` removes only spaces
# unless told which characters (the test checks this list against Python's).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
DOUBT = "tiendo-ingest: a value to check in Python"
FETCH_ROWS = 10000

# Per declared type, SQL over the trimmed text ``{t}`` (NULL when blank): the prepared text ``{p}``,
# the typed value from it, and whether the value is plainly valid. "Plainly" is narrower than the
# Python check on purpose (see the module's docstring).
_WORDS_TRUE = ", ".join(_quote_literal(w) for w in sorted(TRUE_WORDS))
_WORDS_FALSE = ", ".join(_quote_literal(w) for w in sorted(FALSE_WORDS))
SQL_BY_TYPE: dict[str, tuple[str, str, str]] = {
    FieldType.TEXT: ("{t}", "{p}", "TRUE"),
    FieldType.INTEGER: (
        "replace({t}, ' ', '')",
        "TRY_CAST({p} AS BIGINT)",
        "({t} IS NULL OR regexp_full_match({p}, '[+-]?[0-9]{{1,18}}'))",
    ),
    FieldType.DECIMAL: (
        # Vietnamese decimal comma (12,5) when there is no point, as in the Python check.
        "CASE WHEN contains({t}, ',') AND NOT contains({t}, '.') "
        "THEN replace(replace({t}, ' ', ''), ',', '.') ELSE replace({t}, ' ', '') END",
        "TRY_CAST({p} AS DOUBLE)",
        "({t} IS NULL OR (regexp_full_match({p}, "
        "'[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{{1,2}})?') "
        "AND isfinite(TRY_CAST({p} AS DOUBLE))))",
    ),
    FieldType.DATE: (
        # YYYY-MM-DD as it is; DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY (one separator) turned round.
        "CASE WHEN regexp_full_match({t}, '[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}') THEN {t} "
        "WHEN regexp_full_match({t}, '[0-9]{{1,2}}/[0-9]{{1,2}}/[0-9]{{4}}|"
        "[0-9]{{1,2}}[.][0-9]{{1,2}}[.][0-9]{{4}}|[0-9]{{1,2}}-[0-9]{{1,2}}-[0-9]{{4}}') "
        "THEN regexp_replace({t}, '^([0-9]+)[/.-]([0-9]+)[/.-]([0-9]+)$', '\\3-\\2-\\1') END",
        "TRY_CAST({p} AS DATE)",
        # year 0 exists in DuckDB (1 BC), not in Python's calendar
        "({t} IS NULL OR (TRY_CAST({p} AS DATE) IS NOT NULL AND NOT starts_with({p}, '0000')))",
    ),
    FieldType.BOOLEAN: (
        "lower({t})",
        f"CASE WHEN {{p}} IN ({_WORDS_TRUE}) THEN TRUE "
        f"WHEN {{p}} IN ({_WORDS_FALSE}) THEN FALSE END",
        # letters whose lower case Python and DuckDB agree on: ASCII and those of the words
        f"({{t}} IS NULL OR ({{p}} IN ({_WORDS_TRUE}, {_WORDS_FALSE}) "
        "AND regexp_full_match({t}, '[0-9A-Za-zÓóĐđÚúÔô]+')))",
    ),
}


def ingest_text_rows(
    source: RowSource, matched: list[tuple[int, FieldSpec]], target: Path, result: IngestResult
) -> None:
    """The text-rows path of ``ingest.ingest_rows``: same result, same errors, same file."""
    with scratch_csv(target.parent) as (fd, staged):
        stream_error = ""
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as out:
            try:
                _stage(source, [index for index, _spec in matched], out, result)
            except (UnicodeDecodeError, csv.Error) as error:
                stream_error = stream_error_message(error)
        con = _connect()
        try:
            # A file that could not be read to its end is refused whatever its values: only
            # the rows before are checked, to name their errors too.
            outcome = "doubt" if stream_error else _convert(con, staged, matched, target)
            if outcome == "ok":
                return
            target.unlink(missing_ok=True)
            accepted: bool | None = None
            if outcome == "doubt":
                accepted = _name_doubted(con, staged, matched, result)
        finally:
            con.close()
        if accepted is None:  # DuckDB could not read the staging file: all in Python
            _check_in_python(staged, matched, target, result, write=not stream_error)
        elif accepted and not stream_error and result.error_count == 0:
            _check_in_python(staged, matched, target, result, write=True)
        if stream_error:
            # as the Python path: after the errors of the rows read before it
            _add_error(
                result,
                row=source.first_row + result.row_count,
                column="",
                field="",
                message=stream_error,
            )


def _stage(source: RowSource, indices: list[int], out: IO[str], result: IngestResult) -> None:
    """Row number + the declared columns' raw text of every non-blank row, as CSV. The default
    line end ``\\r\\n`` makes the writer quote any value holding CR or LF, so DuckDB reads every
    value back exactly as Python wrote it."""
    writer = csv.writer(out)
    padding = [""] * (max(indices) + 1)
    pick: Callable[[list[str]], tuple[str, ...]]
    if len(indices) == 1:
        only = indices[0]

        def pick(raw: list[str]) -> tuple[str, ...]:
            return (raw[only],)

    else:
        pick = operator.itemgetter(*indices)

    def numbered() -> Iterator[tuple[Any, ...]]:
        # Runs once per row of files of millions of rows: nothing but picking the columns.
        number = source.first_row - 1
        for raw in source.rows:
            number += 1
            if not any(raw):  # every value is a str: a row of empty strings is a blank line
                continue
            result.row_count += 1
            try:
                yield (number, *pick(raw))  # type: ignore[arg-type]
            except IndexError:  # a short row: the missing values are empty
                yield (number, *pick([*raw, *padding]))

    writer.writerows(numbered())


def _connect() -> duckdb.DuckDBPyConnection:
    # Bounded memory whatever the file's size (DuckDB spills beyond it), no progress bar.
    con = duckdb.connect(config={"memory_limit": "512MB"})
    con.execute("SET enable_progress_bar = false")
    return con


def _checked_sql(staged: Path, matched: list[tuple[int, FieldSpec]]) -> str:
    """A query of the staged rows: ``__row``, and per column ``c<i>`` (raw text), ``v<i>`` (typed
    value) and ``ok<i>`` (plainly valid)."""
    staged_columns = ", ".join(
        ["'__row': 'BIGINT'", *(f"'c{i}': 'VARCHAR'" for i in range(len(matched)))]
    )
    texts = ", ".join(f"c{i}, {_trimmed(f'c{i}')} AS t{i}" for i in range(len(matched)))
    prepared, checked = [], []
    for i, (_index, spec) in enumerate(matched):
        prepare, value, plain = SQL_BY_TYPE.get(spec.type, SQL_BY_TYPE[FieldType.TEXT])
        prepared.append(f"c{i}, t{i}, {prepare.format(t=f't{i}')} AS p{i}")
        checked.append(
            f"c{i}, {value.format(p=f'p{i}')} AS v{i}, {plain.format(t=f't{i}', p=f'p{i}')} AS ok{i}"
        )
    # Only our own column names and quoted literals are put into the text.
    return (
        f"WITH staged AS (SELECT * FROM read_csv({_quote_literal(str(staged))}, header = false, "  # noqa: S608
        "delim = ',', quote = '\"', escape = '\"', new_line = '\\r\\n', auto_detect = false, "
        f"columns = {{{staged_columns}}})), "
        f"texts AS (SELECT __row, {texts} FROM staged), "
        f"prepared AS (SELECT __row, {', '.join(prepared)} FROM texts) "
        f"SELECT __row, {', '.join(checked)} FROM prepared"
    )


def _convert(
    con: duckdb.DuckDBPyConnection,
    staged: Path,
    matched: list[tuple[int, FieldSpec]],
    target: Path,
) -> str:
    """Write ``target`` from the staged rows in one statement: "ok"; "doubt" when a value is not
    plainly valid; "unreadable" when DuckDB cannot read the staging file."""
    columns = ", ".join(
        f"CAST(CASE WHEN ok{i} THEN v{i} ELSE error({_quote_literal(DOUBT)}) END AS "
        f"{DUCKDB_TYPES.get(spec.type, 'VARCHAR')}) AS {_quote_identifier(spec.name)}"
        for i, (_index, spec) in enumerate(matched)
    )
    try:
        con.execute(
            f"COPY (SELECT {columns} FROM ({_checked_sql(staged, matched)})) "  # noqa: S608
            f"TO {_quote_literal(str(target))} (FORMAT parquet, COMPRESSION zstd)"
        )
    except duckdb.Error as error:
        return "doubt" if DOUBT in str(error) else "unreadable"
    return "ok"


def _name_doubted(
    con: duckdb.DuckDBPyConnection,
    staged: Path,
    matched: list[tuple[int, FieldSpec]],
    result: IngestResult,
) -> bool | None:
    """Give every doubted value, in row then column order, to the Python check; bad ones become
    errors. True when the Python check accepted at least one of them; None (and no error added)
    when DuckDB cannot read the staging file."""
    count, reported = result.error_count, len(result.errors)
    try:
        return _name_doubted_rows(con, staged, matched, result)
    except duckdb.Error:
        result.error_count = count
        del result.errors[reported:]
        return None


def _name_doubted_rows(
    con: duckdb.DuckDBPyConnection,
    staged: Path,
    matched: list[tuple[int, FieldSpec]],
    result: IngestResult,
) -> bool:
    width = len(matched)
    raws = ", ".join(f"c{i}" for i in range(width))
    doubts = ", ".join(f"NOT ok{i}" for i in range(width))
    any_doubt = " OR ".join(f"NOT ok{i}" for i in range(width))
    cursor = con.execute(
        f"SELECT __row, {raws}, {doubts} FROM ({_checked_sql(staged, matched)}) "  # noqa: S608
        f"WHERE {any_doubt} ORDER BY __row"
    )
    checks = [CHECKS.get(spec.type, _text) for _index, spec in matched]
    accepted = False
    while chunk := cursor.fetchmany(FETCH_ROWS):
        for row in chunk:
            values, doubted = row[1 : width + 1], row[width + 1 :]
            bad = []
            for position, (index, spec) in enumerate(matched):
                if not doubted[position]:
                    continue
                try:
                    checks[position](values[position])
                except _BadValue:
                    bad.append((index, spec, values[position]))
                else:
                    accepted = True
            _report_cells(row[0], bad, result)
    return accepted


def _check_in_python(
    staged: Path,
    matched: list[tuple[int, FieldSpec]],
    target: Path,
    result: IngestResult,
    *,
    write: bool,
) -> None:
    """The Python checks over the staged rows (the path before DuckDB checked types), and with
    ``write`` the Parquet file from them: when DuckDB cannot read the staging file or doubted
    only values Python accepts."""
    checks = [CHECKS.get(spec.type, _text) for _index, spec in matched]
    with scratch_csv(target.parent) as (fd, canonical):
        with (
            open(staged, newline="", encoding="utf-8") as inp,
            os.fdopen(fd, "w", newline="", encoding="utf-8") as out,
        ):
            writer = csv.writer(out)
            writer.writerow([spec.name for _index, spec in matched])
            for row in csv.reader(inp):
                values = row[1:]
                try:
                    converted = [check(v) for check, v in zip(checks, values, strict=True)]
                except _BadValue:
                    cells = ((i, spec, v) for (i, spec), v in zip(matched, values, strict=True))
                    _report_failing(int(row[0]), cells, result)
                    continue
                if result.error_count == 0:
                    writer.writerow(["" if v is None else v for v in converted])
        if write and result.error_count == 0:
            _to_parquet(canonical, matched, target)


def _trimmed(column: str) -> str:
    """SQL: ``column`` as ``str.strip()`` leaves it, NULL when nothing is left. ``trim`` with a
    list of characters costs five times a read of the column, so it runs only on a value whose
    first or last character may be white space (ASCII controls included: cheap to test)."""
    edge = (
        "(ord({c}) BETWEEN 0 AND 32 OR ord({c}) IN (133, 160, 5760, 8232, 8233, 8239, 8287, 12288) "
        "OR ord({c}) BETWEEN 8192 AND 8202)"
    )
    return (
        f"CASE WHEN {edge.format(c=column)} OR {edge.format(c=f'right({column}, 1)')} "
        f"THEN nullif(trim({column}, {_quote_literal(WHITESPACE)}), '') "
        f"ELSE nullif({column}, '') END"
    )


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
