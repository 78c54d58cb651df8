"""The two roads of the ingest agree: rows of text checked by DuckDB (``ingest_sql``, what a CSV
upload takes) give exactly the errors (row, column, field, message, in order, and their count) and
exactly the Parquet rows that the value-by-value Python checks give (``ingest``, the reference,
still what XLSX, Parquet and pulls take), on random rows with bad values of every kind."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import duckdb
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..ingest import (
    MAX_REPORTED_ERRORS,
    FieldSpec,
    IngestResult,
    RowSource,
    error_text,
    ingest_rows,
    open_rows,
)
from ..ingest_sql import WHITESPACE, _trimmed
from ..models import FieldType

relaxed = settings(
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SPACES = st.sampled_from(["", "", "", " ", "  ", "\t", "\u00a0", "\u3000", "\r\n", "\x1f"])
NOISE = st.sampled_from(
    [
        "",
        " ",
        "abc",
        "1.5",
        "--5",
        "+-3",
        "²",
        "١٢",  # Arabic-Indic digits: a whole number for Python
        "１２",  # full-width digits
        "1_000",
        "1e400",
        "-1e-400",
        "nan",
        "inf",
        "1,234.5",
        "12,5",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "31/02/1990",
        "0000-01-01",
        "2021-13-01",
        "12/03-2020",
        "1/2/21",
        "có",
        "co\u0301",  # "có" decomposed
        "KHÔNG",
        "ĐÚNG",
        "x",
        "İ",
        'a "quoted", value',
        "line\nbreak",
        "lone\rcr",
        "nul\x00byte",
    ]
)


def _integers() -> st.SearchStrategy[str]:
    plain = st.integers(-(10**19), 10**19).map(str)
    # the edges of BIGINT and of DuckDB's plain form (18 digits)
    edges = st.one_of(
        st.integers(2**63 - 3, 2**63 + 3), st.integers(10**17 - 3, 10**18 + 3)
    ).flatmap(lambda n: st.sampled_from([str(n), f"-{n}", f"+{n}", f"0{n}"]))
    spaced = st.integers(0, 10**9).map(lambda n: f"{n:,}".replace(",", " "))
    signed = st.integers(0, 10**6).map(lambda n: f"+{n:07d}")
    return st.one_of(plain, edges, spaced, signed)


def _decimals() -> st.SearchStrategy[str]:
    floats = st.floats(allow_nan=False, allow_infinity=False, width=64)
    return st.one_of(
        floats.map(repr),
        floats.map(lambda x: f"{x:.3f}".replace(".", ",")),
        floats.map(lambda x: f"{x:e}"),
        st.integers(-(10**30), 10**30).map(str),
        st.sampled_from(["1.", ".5", "-.5E+10", "+1.5e-3", "00.25", "1 234,5", "0e5", "-0"]),
    )


def _dates() -> st.SearchStrategy[str]:
    layouts = st.sampled_from(
        [
            "{d:%Y-%m-%d}",
            "{d.year}-{d.month}-{d.day}",
            "{d.day:02d}/{d.month:02d}/{d.year}",
            "{d.day}/{d.month}/{d.year}",
            "{d.day}.{d.month}.{d.year}",
            "{d.day}-{d.month}-{d.year}",
        ]
    )
    days = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
    impossible = st.tuples(
        st.integers(0, 40), st.integers(0, 14), st.integers(0, 9999), st.sampled_from("/.-")
    ).map(lambda p: f"{p[0]}{p[3]}{p[1]}{p[3]}{p[2]:04d}")
    return st.one_of(st.builds(lambda layout, d: layout.format(d=d), layouts, days), impossible)


def _booleans() -> st.SearchStrategy[str]:
    words = ["1", "0", "true", "false", "yes", "no", "y", "n", "x", "có", "co", "đúng", "t"]
    words += ["không", "khong", "sai", "f", "Có", "CÓ", "KHÔNG", "Đúng", "TRUE", "Sai"]
    return st.sampled_from(words)


TYPED = {
    FieldType.TEXT: st.text(max_size=12),
    FieldType.INTEGER: _integers(),
    FieldType.DECIMAL: _decimals(),
    FieldType.DATE: _dates(),
    FieldType.BOOLEAN: _booleans(),
}


def _value(field_type: str) -> st.SearchStrategy[str]:
    # mostly well-formed for its type, sometimes any noise, padded with any kind of white space
    core = st.one_of(TYPED[field_type], TYPED[field_type], TYPED[field_type], NOISE, st.text())
    return st.builds(lambda a, v, b: a + v + b, SPACES, core, SPACES)


@st.composite
def files(draw: st.DrawFn) -> tuple[list[str], list[FieldSpec], list[list[str]]]:
    types = draw(st.lists(st.sampled_from(list(TYPED)), min_size=1, max_size=4))
    fields = [FieldSpec(name=f"f{i}", type=t) for i, t in enumerate(types)]
    header = [f.name for f in fields]
    extra = draw(st.integers(0, len(header)))
    header.insert(extra, "ghi_chu")  # a column not in the schema, anywhere
    rows = []
    for _n in range(draw(st.integers(0, 12))):
        shape = draw(st.sampled_from(["full", "full", "full", "full", "blank", "short"]))
        if shape == "blank":
            rows.append([""] * len(header))
            continue
        row = [
            draw(_value(fields[i - (i > extra)].type)) if i != extra else draw(st.text(max_size=5))
            for i in range(len(header))
        ]
        if shape == "short":
            row = row[: draw(st.integers(1, len(row)))]
        rows.append(row)
    return header, fields, rows


def _both(
    header: list[str], fields: list[FieldSpec], rows: list[list[Any]], folder: Path
) -> tuple[IngestResult, IngestResult, Path, Path]:
    reference, checked = folder / "python.parquet", folder / "duckdb.parquet"
    python_road = ingest_rows(RowSource(header=header, rows=iter(rows)), fields, reference)
    duckdb_road = ingest_rows(
        RowSource(header=header, rows=iter(rows), text_only=True), fields, checked
    )
    return python_road, duckdb_road, reference, checked


def _parquet_rows(path: Path) -> list[tuple[Any, ...]]:
    con = duckdb.connect()
    # repr keeps what == hides (-0.0 against 0.0)
    return [
        tuple(repr(v) for v in row)
        for row in con.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    ]


def _assert_agree(python_road: IngestResult, duckdb_road: IngestResult) -> None:
    assert duckdb_road.errors == python_road.errors
    assert duckdb_road.error_count == python_road.error_count
    assert duckdb_road.row_count == python_road.row_count
    assert duckdb_road.columns == python_road.columns
    assert duckdb_road.ignored_columns == python_road.ignored_columns


@relaxed
@given(files())
def test_duckdb_checks_agree_with_the_python_checks(
    file: tuple[list[str], list[FieldSpec], list[list[str]]],
) -> None:
    # given random rows whose values are good or bad in every way each type can be
    header, fields, rows = file
    with tempfile.TemporaryDirectory() as folder:
        # when both roads ingest them
        python_road, duckdb_road, reference, checked = _both(header, fields, rows, Path(folder))
        # then the same errors, and for a good file the same rows and types
        _assert_agree(python_road, duckdb_road)
        if python_road.ok:
            assert _parquet_rows(checked) == _parquet_rows(reference)
            schema = "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))"
            con = duckdb.connect()
            assert con.execute(schema, [str(checked)]).fetchall() == (
                con.execute(schema, [str(reference)]).fetchall()
            )
        else:
            assert not checked.exists()
            assert not reference.exists()
        assert sorted(p.name for p in Path(folder).iterdir() if p.name.startswith(".")) == []


def test_more_errors_than_are_reported_are_counted_alike(tmp_path: Path) -> None:
    # given 150 rows whose dates are all wrong and whose numbers are every other one wrong
    fields = [FieldSpec("ngay", FieldType.DATE), FieldSpec("so", FieldType.INTEGER)]
    rows = [[f"{n}/13/2020", str(n) if n % 2 else f"{n}.5"] for n in range(150)]
    # when both roads ingest them
    python_road, duckdb_road, _reference, _checked = _both(["ngay", "so"], fields, rows, tmp_path)
    # then both report the first 100 in row then column order and count all 225
    _assert_agree(python_road, duckdb_road)
    assert duckdb_road.error_count == 225
    assert len(duckdb_road.errors) == MAX_REPORTED_ERRORS
    assert [(e["row"], e["column"]) for e in duckdb_road.errors[:3]] == [
        (2, "A"),
        (2, "B"),
        (3, "A"),
    ]


def test_values_only_python_reads_still_load(tmp_path: Path) -> None:
    # given whole numbers DuckDB does not read (other scripts' digits, 19 digits) in a good file
    fields = [FieldSpec("so", FieldType.INTEGER), FieldSpec("tien", FieldType.DECIMAL)]
    rows = [["١٢", "1_000,5"], ["9223372036854775807", "7"], ["3", "2"]]
    # when both roads ingest it
    python_road, duckdb_road, reference, checked = _both(["so", "tien"], fields, rows, tmp_path)
    # then it is accepted with the same values
    _assert_agree(python_road, duckdb_road)
    assert duckdb_road.ok
    assert _parquet_rows(checked) == _parquet_rows(reference)
    assert _parquet_rows(checked)[0] == ("12", "1000.5")


def test_errors_are_in_the_users_language_on_both_roads(tmp_path: Path) -> None:
    fields = [FieldSpec("ngay_sinh", FieldType.DATE)]
    with translation.override("vi"):
        python_road, duckdb_road, _r, _c = _both(["ngay_sinh"], fields, [["31/02/1990"]], tmp_path)
        _assert_agree(python_road, duckdb_road)
        text = error_text(duckdb_road.errors[0])
    assert text.startswith("Dòng 2"), text


def test_a_file_whose_encoding_breaks_midway_fails_alike(tmp_path: Path) -> None:
    # given a UTF-8 CSV file with one bad value, then past the first 64 KB a Windows-1258 byte
    body = "so\n" + "1\n" * 100 + "hai\n" + "2\n" * 40000 + "\xe0\n"
    path = tmp_path / "x.csv"
    path.write_bytes(body.encode("utf-8").replace(b"\xc3\xa0", b"\xe0"))
    fields = [FieldSpec("so", FieldType.INTEGER)]
    results = []
    for text_only in (False, True):
        with open_rows(path.name, path) as source:
            source.text_only = text_only
            results.append(ingest_rows(source, fields, tmp_path / f"{text_only}.parquet"))
    # then both name the bad value and then the break (at the row where the decoder, which reads
    # ahead, met it)
    _assert_agree(*results)
    assert [e["row"] for e in results[1].errors][:1] == [102]
    assert "encoding" in results[1].errors[-1]["message"]
    assert results[1].error_count == 2


def test_a_header_only_file_loads_empty_on_both_roads(tmp_path: Path) -> None:
    fields = [FieldSpec("so", FieldType.INTEGER)]
    python_road, duckdb_road, reference, checked = _both(["so"], fields, [["", ""]], tmp_path)
    _assert_agree(python_road, duckdb_road)
    assert duckdb_road.ok
    assert duckdb_road.row_count == 0
    assert _parquet_rows(checked) == _parquet_rows(reference) == []


def test_the_whitespace_duckdb_trims_is_pythons() -> None:
    import sys

    python = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert python == WHITESPACE
    # and each of them is trimmed at either end, alone or not
    values = [f"{space}a{space}" for space in WHITESPACE] + list(WHITESPACE) + ["a\x00", "\x08"]
    con = duckdb.connect()
    query = f"SELECT {_trimmed('v')} FROM (SELECT ? AS v)"  # noqa: S608
    trimmed = [con.execute(query, [v]).fetchone()[0] for v in values]
    assert trimmed == [v.strip() or None for v in values]


def test_a_text_value_with_a_lone_carriage_return_loads_on_both_roads(tmp_path: Path) -> None:
    # given a CSV file whose quoted value holds a lone CR (it once ended the staged row)
    path = tmp_path / "x.csv"
    path.write_bytes(b'ten,so\n"a\rb",1\n')
    fields = [FieldSpec("ten"), FieldSpec("so", FieldType.INTEGER)]
    outputs = []
    for text_only in (False, True):
        with open_rows(path.name, path) as source:
            source.text_only = text_only
            result = ingest_rows(source, fields, tmp_path / f"{text_only}.parquet")
        assert result.ok, result.errors
        outputs.append(_parquet_rows(tmp_path / f"{text_only}.parquet"))
    # then both keep it whole
    assert outputs[0] == outputs[1] == [("'a\\rb'", "1")]
