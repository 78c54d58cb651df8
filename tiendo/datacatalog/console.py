"""The read-only SQL console: one analyst query over the datasets the analyst may use.

Each query gets its own in-memory DuckDB database that can see nothing but the published
versions it is given, and is then locked:

1. the statement is parsed by DuckDB itself (``extract_statements``): exactly one statement, of
   type SELECT (``WITH ... SELECT`` included); CREATE, INSERT, COPY, ATTACH, INSTALL, LOAD, SET,
   PRAGMA, CALL, EXPLAIN ... are refused before anything runs. This check is what forbids writes:
   DuckDB itself would let ``COPY`` write into an allowed directory.
2. each allowed dataset is a view named by its code over its current version's directory;
   ``allowed_directories`` holds exactly those directories (so another dataset's files, other
   versions and the rest of the disk cannot be read, even by path);
3. ``enable_external_access = false`` (no other file, no HTTP, no extension install or load),
   then ``lock_configuration = true`` so the query cannot undo any of it;
4. memory and threads are capped, a timer thread interrupts the query after ``timeout`` seconds,
   and at most ``page_size`` rows of the requested page are fetched.

An unknown table (a dataset that is not shared with the analyst) fails as DuckDB's own
"table does not exist" error, shown in the analyst's language.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from django.utils.translation import gettext as _

from .warehouse import check_code, parquet_scan, quote_ident, quote_literal

MAX_QUERY_CHARS = 20_000
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1_000
MAX_OFFSET = 1_000_000
DEFAULT_TIMEOUT = 10.0
MEMORY_LIMIT = "512MB"


class ConsoleError(Exception):
    """A query refused or failed; ``message`` is in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ConsoleResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    page: int
    page_size: int
    has_next: bool
    tables: list[str] = field(default_factory=list)

    @property
    def first_row_number(self) -> int:
        return (self.page - 1) * self.page_size + 1

    @property
    def last_row_number(self) -> int:
        return self.first_row_number + len(self.rows) - 1


def check_statement(sql: str) -> str:
    """The one SELECT statement of ``sql``, or ``ConsoleError`` saying why it is refused."""
    text = (sql or "").strip()
    if not text:
        raise ConsoleError(_("Write a SELECT query."))
    if len(text) > MAX_QUERY_CHARS:
        raise ConsoleError(
            _("The query is too long (at most %(max)d characters).") % {"max": MAX_QUERY_CHARS}
        )
    try:
        statements = duckdb.extract_statements(text)
    except duckdb.Error as error:
        raise ConsoleError(
            _("The query cannot be read: %(error)s") % {"error": _clean(error)}
        ) from error
    if len(statements) != 1:
        raise ConsoleError(
            _("Send one statement at a time (this text holds %(count)d).")
            % {"count": len(statements)}
        )
    statement = statements[0]
    if statement.type != duckdb.StatementType.SELECT:
        raise ConsoleError(
            _(
                "Only SELECT queries (optionally starting with WITH) are allowed, not %(kind)s: "
                "the console reads data, it never changes it."
            )
            % {"kind": statement.type.name}
        )
    return str(statement.query).strip().rstrip(";")


def open_locked(tables: Mapping[str, Path]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that sees only ``tables`` (code -> version directory), locked."""
    con = duckdb.connect(":memory:")
    try:
        directories = [str(path).rstrip("/") + "/" for path in tables.values()]
        con.execute(
            "SET allowed_directories = [" + ", ".join(quote_literal(d) for d in directories) + "]"
        )
        con.execute("SET temp_directory = ''")  # nothing spilled to disk
        con.execute(f"SET memory_limit = {quote_literal(MEMORY_LIMIT)}")
        con.execute("SET threads = 1")
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        for code, path in sorted(tables.items()):
            con.execute(
                f"CREATE VIEW {quote_ident(check_code(code))} AS SELECT * FROM {parquet_scan(path)}"  # noqa: S608 -- quoted identifier and literal
            )
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def run_query(
    sql: str,
    *,
    tables: Mapping[str, Path],
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
    timeout: float = DEFAULT_TIMEOUT,
) -> ConsoleResult:
    """Run one read-only query over ``tables`` and return one page of its rows."""
    query = check_statement(sql)
    page = max(1, int(page))
    page_size = min(max(1, int(page_size)), MAX_PAGE_SIZE)
    offset = (page - 1) * page_size
    if offset > MAX_OFFSET:
        raise ConsoleError(
            _("Pages beyond row %(max)d are not shown: narrow the query instead.")
            % {"max": MAX_OFFSET}
        )
    con = open_locked(tables)
    timed_out = threading.Event()

    def interrupt() -> None:
        timed_out.set()
        con.interrupt()

    timer = threading.Timer(timeout, interrupt)
    timer.daemon = True
    timer.start()
    try:
        relation = con.sql(query)
        if relation is None:  # defensive: a SELECT always yields a relation
            raise ConsoleError(_("The query returned no result set."))
        columns = list(relation.columns)
        rows = relation.limit(page_size + 1, offset).fetchall()
    except duckdb.InterruptException as error:
        raise ConsoleError(
            _("The query took longer than %(seconds)d seconds and was stopped.")
            % {"seconds": int(timeout)}
        ) from error
    except duckdb.Error as error:
        if timed_out.is_set():
            raise ConsoleError(
                _("The query took longer than %(seconds)d seconds and was stopped.")
                % {"seconds": int(timeout)}
            ) from error
        raise ConsoleError(_explain(error, tables)) from error
    finally:
        timer.cancel()
        con.close()
    return ConsoleResult(
        columns=columns,
        rows=rows[:page_size],
        page=page,
        page_size=page_size,
        has_next=len(rows) > page_size,
        tables=sorted(tables),
    )


_TABLE_MISSING = re.compile(r"Table with name (?P<name>[^ ]+) does not exist", re.IGNORECASE)
_FUNCTION_MISSING = re.compile(r"Function with name (?P<name>[^ ]+) does not exist", re.IGNORECASE)


def _clean(error: BaseException) -> str:
    """DuckDB's message without its hint list, which can name internal tables."""
    return str(error).split("\n")[0]


def _explain(error: duckdb.Error, tables: Mapping[str, Path]) -> str:
    """DuckDB's error in the user's language, for the cases an analyst meets."""
    text = str(error)
    if isinstance(error, duckdb.PermissionException):
        return _(
            "The console reads only the published datasets shared with you: files, web "
            "addresses, extensions and settings are out of reach."
        )
    missing = _TABLE_MISSING.search(text)
    if missing:
        return _("Unknown table “%(name)s”. The tables you may query are: %(tables)s.") % {
            "name": missing.group("name"),
            "tables": ", ".join(sorted(tables)) or "—",
        }
    missing = _FUNCTION_MISSING.search(text)
    if missing:
        return _("Unknown function “%(name)s”.") % {"name": missing.group("name")}
    if isinstance(error, duckdb.ParserException):
        return _("Syntax error: %(error)s") % {"error": _clean(error)}
    if isinstance(error, duckdb.OutOfMemoryException):
        return _("The query needs more memory than the console allows: aggregate or filter more.")
    return _("The query failed: %(error)s") % {"error": _clean(error)}
