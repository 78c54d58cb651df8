"""Streaming ingest: CSV, XLSX, Parquet or pulled rows -> validated -> a staged Parquet file.

Nothing here reads a whole file into memory: rows are read one at a time (csv reader over a text
stream, openpyxl ``read_only`` ``iter_rows``, DuckDB ``fetchmany`` over a Parquet file), checked
against the declared fields, and written as canonical text to a temporary CSV file that DuckDB
then converts, with the declared column types, into the staged Parquet file. A value of the wrong
type is reported with its row and column (Excel-style letter and header name) in the user's
language; any error leaves no staged file behind, so the current version stays as it was.

Rows of text (CSV files) take a faster road with the same outcome: DuckDB checks and converts the
values and the checks below only name the values it doubts (``ingest_sql``). The checks here stay
the reference for both roads.

Start at ``ingest_rows`` (any row source) and ``open_rows`` (an uploaded or local file).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import decimal
import hashlib
import io
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import duckdb
from django.utils.translation import gettext as _

from .models import FieldType

MAX_REPORTED_ERRORS = 100
# What a BIGINT column holds: a longer whole number is refused rather than failing the conversion.
SMALLEST_WHOLE, LARGEST_WHOLE = -(2**63), 2**63 - 1
DUCKDB_TYPES: dict[str, str] = {
    FieldType.TEXT: "VARCHAR",
    FieldType.INTEGER: "BIGINT",
    FieldType.DECIMAL: "DOUBLE",
    FieldType.DATE: "DATE",
    FieldType.BOOLEAN: "BOOLEAN",
}
TRUE_WORDS = {"1", "true", "yes", "y", "x", "có", "co", "đúng", "t"}
FALSE_WORDS = {"0", "false", "no", "n", "không", "khong", "sai", "f"}
# YYYY-MM-DD (ISO), and DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY (Vietnamese spreadsheets).
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\Z")
DMY_DATE = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})\Z")
SUFFIXES = (".csv", ".txt", ".xlsx", ".parquet")


class IngestError(Exception):
    """The file cannot be read at all (wrong kind, no header, unknown encoding...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FieldSpec:
    """The part of a ``DatasetField`` that ingest needs (plain, so pulls and tests can build it)."""

    name: str
    type: str = FieldType.TEXT
    label: str = ""


@dataclass
class IngestResult:
    row_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    checksum: str = ""
    columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column names)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- value checks -------------------------------------------------------------------------------


class _BadValue(Exception):
    pass


def _text(value: Any) -> str | None:
    if type(value) is str:  # the common case (every CSV value), first
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.isoformat(sep=" ")
    text = str(value).strip()
    return text or None


def _whole(number: int) -> str:
    if SMALLEST_WHOLE <= number <= LARGEST_WHOLE:
        return str(number)
    raise _BadValue


def _integer(value: Any) -> str | None:
    if isinstance(value, bool):
        raise _BadValue
    if isinstance(value, int):
        return _whole(value)
    if isinstance(value, float):
        if value.is_integer():
            return _whole(int(value))
        raise _BadValue
    text = _text(value)
    if text is None:
        return None
    cleaned = text.replace(" ", "")
    # One sign at most, then decimal digits of any script (what ``int`` reads); "--5" and "²"
    # once passed a looser test and then failed in ``int``.
    digits = cleaned[1:] if cleaned[:1] in ("+", "-") else cleaned
    if digits.isdecimal():
        return _whole(int(cleaned))
    raise _BadValue


def _decimal(value: Any) -> str | None:
    if isinstance(value, bool):
        raise _BadValue
    if isinstance(value, int | float | decimal.Decimal):
        return repr(float(value))
    text = _text(value)
    if text is None:
        return None
    cleaned = text.replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # Vietnamese decimal comma: 12,5
    try:
        number = decimal.Decimal(cleaned)
    except decimal.InvalidOperation:
        raise _BadValue from None
    if not number.is_finite() or math.isinf(float(number)):  # 1e999 is no DOUBLE
        raise _BadValue
    return str(number)


def _date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _text(value)
    if text is None:
        return None
    # A regular expression and ``date()`` instead of ``strptime`` in a loop: 10x faster, and
    # this runs once per value of every date column.
    if match := ISO_DATE.match(text):
        year, month, day = match.groups()
    elif match := DMY_DATE.match(text):
        day, _separator, month, year = match.groups()
    else:
        raise _BadValue
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise _BadValue from None


def _boolean(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = _text(value)
    if text is None:
        return None
    word = text.lower()
    if word in TRUE_WORDS:
        return "true"
    if word in FALSE_WORDS:
        return "false"
    raise _BadValue


CHECKS: dict[str, Any] = {
    FieldType.TEXT: _text,
    FieldType.INTEGER: _integer,
    FieldType.DECIMAL: _decimal,
    FieldType.DATE: _date,
    FieldType.BOOLEAN: _boolean,
}


def type_error_message(field_type: str, value: Any) -> str:
    shown = str(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    messages: dict[str, str] = {
        FieldType.INTEGER: _("“%(value)s” is not a whole number."),
        FieldType.DECIMAL: _("“%(value)s” is not a number."),
        FieldType.DATE: _("“%(value)s” is not a date (expected YYYY-MM-DD or DD/MM/YYYY)."),
        FieldType.BOOLEAN: _("“%(value)s” is not yes/no (expected 1/0, true/false, có/không)."),
    }
    return messages.get(field_type, _("“%(value)s” is not valid.")) % {"value": shown}


# --- row sources ---------------------------------------------------------------------------------


@dataclass
class RowSource:
    """A header and an iterator of rows; ``first_row`` is the row number of the first data row."""

    header: list[str]
    rows: Iterator[Iterable[Any]]
    first_row: int = 2
    close: Any = None
    # Every value is a ``str`` (a CSV file): DuckDB may check the values (``ingest_sql``).
    text_only: bool = False


def _detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) when the first bytes decode as such; else Windows-1258,
    the code page of Vietnamese Excel exports (legacy TCVN3/VNI text is found by the quality
    engine's text checks, not here)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is not an error.
        if error.start < len(head) - 4:
            return "cp1258"
    return "utf-8"


def csv_rows(binary: IO[bytes]) -> RowSource:
    head = binary.read(65536)
    binary.seek(0)
    encoding = _detect_encoding(head)
    text = io.TextIOWrapper(binary, encoding=encoding, newline="", errors="strict")
    first_line = head.decode(encoding, errors="ignore").split("\n", 1)[0]
    # The header names the delimiter: whichever of , ; tab | it uses most (Excel in Vietnamese
    # locales saves with ";").
    delimiter = max(",;\t|", key=first_line.count)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise IngestError(_("The file is empty: the first row must name the columns.")) from None
    except UnicodeDecodeError:
        raise IngestError(
            _("The file's text encoding cannot be read (save it as UTF-8).")
        ) from None
    return RowSource(
        header=[h.strip() for h in header], rows=reader, close=text.detach, text_only=True
    )


def xlsx_rows(binary: IO[bytes]) -> RowSource:
    import openpyxl

    try:
        book = openpyxl.load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a non-workbook
        raise IngestError(_("The file is not a readable Excel workbook (.xlsx).")) from error
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = next(rows)
    except StopIteration:
        book.close()
        raise IngestError(_("The file is empty: the first row must name the columns.")) from None
    names = [_text(h) or "" for h in header]
    while names and not names[-1]:
        names.pop()
    return RowSource(header=names, rows=rows, close=book.close)


def parquet_rows(path: str | os.PathLike[str]) -> RowSource:
    con = duckdb.connect()
    try:
        cursor = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
    except duckdb.Error as error:
        con.close()
        raise IngestError(_("The file is not a readable Parquet file.")) from error
    header = [d[0] for d in cursor.description or []]

    def batches() -> Iterator[tuple[Any, ...]]:
        while chunk := cursor.fetchmany(10000):
            yield from chunk

    return RowSource(header=header, rows=batches(), close=con.close)


def file_kind(name: str) -> str:
    lower = name.lower()
    for suffix in SUFFIXES:
        if lower.endswith(suffix):
            return "csv" if suffix == ".txt" else suffix[1:]
    raise IngestError(_("Unsupported file type: upload a CSV, XLSX or Parquet file."))


@contextlib.contextmanager
def open_rows(name: str, path: str | os.PathLike[str]) -> Iterator[RowSource]:
    """The rows of the file at ``path`` (``name`` gives its kind by suffix)."""
    kind = file_kind(name)
    if kind == "parquet":
        source = parquet_rows(path)
        try:
            yield source
        finally:
            source.close()
        return
    with open(path, "rb") as binary:
        source = csv_rows(binary) if kind == "csv" else xlsx_rows(binary)
        try:
            yield source
        finally:
            if kind == "xlsx":
                source.close()


# --- the ingest ----------------------------------------------------------------------------------


def _match_columns(
    header: list[str], fields: list[FieldSpec], result: IngestResult
) -> list[tuple[int, FieldSpec]]:
    """(column index, field) for every declared field, by name or label (case-insensitive)."""
    positions: dict[str, int] = {}
    for position, name in enumerate(header):
        key = _header_key(name)
        if key and key not in positions:
            positions[key] = position
    matched = []
    used = set()
    for spec in fields:
        index = positions.get(_header_key(spec.name))
        if index is None and spec.label:
            index = positions.get(_header_key(spec.label))
        if index is None:
            _add_error(
                result,
                row=1,
                column="",
                field=spec.name,
                message=_("The column “%(name)s” is missing from the first row.")
                % {"name": spec.name},
            )
            continue
        used.add(index)
        matched.append((index, spec))
    result.ignored_columns = [h for i, h in enumerate(header) if i not in used and h]
    return matched


def _header_key(name: str) -> str:
    """Headers match whatever Unicode form and case they were saved in (Windows-1258 files
    decode to decomposed letters)."""
    return unicodedata.normalize("NFC", name).strip().casefold()


def _add_error(result: IngestResult, *, row: int, column: str, field: str, message: str) -> None:
    result.error_count += 1
    if len(result.errors) < MAX_REPORTED_ERRORS:
        result.errors.append({"row": row, "column": column, "field": field, "message": message})


def error_text(error: dict[str, Any]) -> str:
    """One error as a sentence: "Row 12, column C (born_on): ..."."""
    if error.get("column"):
        return _("Row %(row)s, column %(column)s (%(field)s): %(message)s") % error
    if error.get("field"):
        return _("Row %(row)s (%(field)s): %(message)s") % error
    return _("Row %(row)s: %(message)s") % error


def ingest_rows(source: RowSource, fields: list[FieldSpec], target: Path) -> IngestResult:
    """Check every row of ``source`` against ``fields`` and, if all are valid, write ``target``
    (Parquet, the declared types). With errors, ``target`` is not created.

    With no declared fields, every column of the header is taken as text.
    """
    result = IngestResult()
    if not fields:
        fields = [FieldSpec(name=h) for h in source.header if h]
        if not fields:
            raise IngestError(_("The first row must name the columns."))
    matched = _match_columns(source.header, fields, result)
    if result.error_count:
        return result
    result.columns = [spec.name for _, spec in matched]
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.text_only:
        from .ingest_sql import ingest_text_rows  # it builds on this module's checks

        ingest_text_rows(source, matched, target, result)
    else:
        _ingest_checked_in_python(source, matched, target, result)
    if result.error_count:
        target.unlink(missing_ok=True)
    else:
        result.checksum = _sha256(target)
    return result


def _ingest_checked_in_python(
    source: RowSource, matched: list[tuple[int, FieldSpec]], target: Path, result: IngestResult
) -> None:
    """Every value checked by the functions above; the canonical text converted by DuckDB."""
    with scratch_csv(target.parent) as (fd, temp):
        try:
            with os.fdopen(fd, "w", newline="", encoding="utf-8") as out:
                # The default line end "\r\n" quotes a value holding a lone CR (it ended the row).
                writer = csv.writer(out)
                writer.writerow(result.columns)
                _check_rows(source, matched, writer, result)
            if result.error_count == 0:
                _to_parquet(temp, matched, target)
        except (UnicodeDecodeError, csv.Error) as error:
            _add_error(
                result,
                row=source.first_row + result.row_count,
                column="",
                field="",
                message=stream_error_message(error),
            )


def stream_error_message(error: UnicodeDecodeError | csv.Error) -> str:
    """Why a file of text rows could not be read to its end, in the user's language."""
    if isinstance(error, UnicodeDecodeError):
        return _("The text encoding changes inside the file (save it as UTF-8).")
    return _("The row cannot be read as CSV: %(error)s") % {"error": error}


@contextlib.contextmanager
def scratch_csv(directory: Path) -> Iterator[tuple[int, Path]]:
    """A new, empty CSV file in ``directory`` (beside the target: same disk), removed on
    leaving the block: its open descriptor (for ``os.fdopen``) and its path."""
    fd, name = tempfile.mkstemp(suffix=".csv", dir=directory, prefix=".ingest-")
    path = Path(name)
    try:
        yield fd, path
    finally:
        path.unlink(missing_ok=True)


def _check_rows(
    source: RowSource,
    matched: list[tuple[int, FieldSpec]],
    writer: Any,
    result: IngestResult,
) -> None:
    # This loop runs once per row of files of millions of rows: a row is converted in one
    # comprehension and only a row that fails is gone through value by value to name the cells.
    plan = [(index, CHECKS.get(spec.type, _text)) for index, spec in matched]
    width = max(index for index, _check in plan) + 1
    padding = [None] * width
    row_number = source.first_row - 1
    for raw in source.rows:
        row_number += 1
        values = raw if isinstance(raw, list) else list(raw)
        for v in values:
            if v is not None and v != "":
                break
        else:
            continue  # blank lines are not records
        if len(values) < width:
            values = values + padding[len(values) :]
        result.row_count += 1
        try:
            out = [check(values[index]) for index, check in plan]
        except _BadValue:
            cells = ((index, spec, values[index]) for index, spec in matched)
            _report_failing(row_number, cells, result)
            continue
        if result.error_count == 0:
            writer.writerow(["" if v is None else v for v in out])


def _report_failing(
    row_number: int, cells: Iterable[tuple[int, FieldSpec, Any]], result: IngestResult
) -> None:
    """Every bad value (column index, field, value) of a row that failed, with its row and
    column: each value is checked again, one by one."""
    bad = []
    for index, spec, value in cells:
        try:
            CHECKS.get(spec.type, _text)(value)
        except _BadValue:
            bad.append((index, spec, value))
    _report_cells(row_number, bad, result)


def _report_cells(
    row_number: int, cells: Iterable[tuple[int, FieldSpec, Any]], result: IngestResult
) -> None:
    """Errors for bad values (column index, field, value) of one row, in the user's language."""
    for index, spec, value in cells:
        _add_error(
            result,
            row=row_number,
            column=column_letter(index),
            field=spec.name,
            message=type_error_message(spec.type, value),
        )


def _to_parquet(temp: Path, matched: list[tuple[int, FieldSpec]], target: Path) -> None:
    columns = ", ".join(
        f"{_quote_literal(spec.name)}: {_quote_literal(DUCKDB_TYPES.get(spec.type, 'VARCHAR'))}"
        for _i, spec in matched
    )
    # Bounded memory whatever the file's size (DuckDB spills beyond it), and no progress bar
    # printed by a web worker.
    con = duckdb.connect(config={"memory_limit": "512MB"})
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(
            "COPY (SELECT * FROM read_csv(?, header = true, delim = ',', quote = '\"', "  # noqa: S608
            "escape = '\"', new_line = '\\r\\n', auto_detect = false, nullstr = '', "
            f"columns = {{{columns}}})) "
            f"TO {_quote_literal(str(target))} (FORMAT parquet, COMPRESSION zstd)",
            [str(temp)],
        )
    finally:
        con.close()


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
