"""The document caps long tables (a national report has thousands of task groups); the XLSX
annex keeps every row, and the total row of the others adds up to the snapshot's figures."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from tiendo.reporting.exports import _ranked, docx_bytes, tables, xlsx_bytes
from tiendo.reporting.services import report_consolidate

from .builders import make_world, open_q1

pytestmark = pytest.mark.django_db


def test_capped_tables_keep_the_most_overdue_rows_and_total_the_others() -> None:
    w = make_world()
    report = report_consolidate(actor=w.office, period=open_q1(w))
    s = report.snapshot
    with translation.override("en"):
        full = {title: rows for title, _, rows in tables(s)}
        capped = {title: rows for title, _, rows in tables(s, limit=1)}
    groups, units = full["Results by task group"], full["Results by unit"]
    assert len(groups) == len(s["groups"]) == 2
    # With one row allowed: no group is kept, one row totals them all = the headline
    (other,) = capped["Results by task group"]
    assert other[0] == "Other groups (2, listed in the XLSX annex)"
    assert other[1] == s["headline"]["ratio"]
    assert other[3] == s["headline"]["overdue"]
    (other_units,) = capped["Results by unit"]
    assert other_units[0] == "Other units (2, listed in the XLSX annex)"
    assert len(units) == 2
    # Within the cap nothing changes
    with translation.override("en"):
        two = {title: rows for title, _, rows in tables(s, limit=2)}["Results by task group"]
    assert two == groups


def test_the_rows_kept_are_those_with_the_most_overdue_in_the_snapshot_order() -> None:
    rows = [
        {"name": "a", "overdue": 1, "total": 9},
        {"name": "b", "overdue": 5, "total": 5},
        {"name": "c", "overdue": 0, "total": 50},
        {"name": "d", "overdue": 5, "total": 7},
    ]
    kept, left = _ranked(rows, 3)
    assert [r["name"] for r in kept] == ["b", "d"]
    assert left == 2
    assert _ranked(rows, 4) == (rows, 0)


def test_the_document_is_capped_and_the_annex_is_complete() -> None:
    w = make_world()
    report = report_consolidate(actor=w.office, period=open_q1(w))
    s = report.snapshot
    doc = Document(
        io.BytesIO(
            docx_bytes(s, number="1/BC", issued_on=dt.date(2025, 4, 10), language="en", rows=1)
        )
    )
    text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Other groups (2, listed in the XLSX annex)" in text
    wb = load_workbook(io.BytesIO(xlsx_bytes(s, language="en")))
    names = [r[0] for r in wb["Results by task group"].iter_rows(min_row=2, values_only=True)]
    assert len(names) == 2
    assert not any(str(n).startswith("Other groups") for n in names)
