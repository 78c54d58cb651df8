"""Consolidated report: as-of figures, frozen and reproducible; DOCX, XLSX and a real PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from docx import Document
from openpyxl import load_workbook

from tiendo.audit.models import AuditEntry
from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.programs.services import progress_submit
from tiendo.reporting.consolidation import build_snapshot, snapshot_hash
from tiendo.reporting.exports import docx_bytes, pdf_from_docx, xlsx_bytes
from tiendo.reporting.models import FileState, UnitReport
from tiendo.reporting.services import (
    files_request,
    period_open,
    report_consolidate,
    report_submit,
    report_update,
)

from .builders import make_world, open_q1

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _world_with_reports():  # type: ignore[no-untyped-def]
    w = make_world()
    period = open_q1(w)
    draft = UnitReport.objects.get(period=period, unit=w.dept_a)
    draft = report_update(
        actor=w.officer_a,
        report=draft,
        edit_version=None,
        results="Electronic one-stop shop in every commune",
        difficulties="Servers are old",
        difficulties_theme="infrastructure",
        proposals="Fund a shared data centre",
        proposals_theme="funding",
    )
    report_submit(actor=w.officer_a, report=draft)
    return w, period


def _text(document: Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_headline_figures_per_group_and_unit_as_of_the_period_end() -> None:
    w, period = _world_with_reports()
    report = report_consolidate(actor=w.office, period=period)
    s = report.snapshot
    # Three tasks; at 31 March 2025: one completed on time, one overdue, one running
    assert s["headline"]["ratio"] == "1/3"
    assert s["headline"]["overdue"] == 1
    assert s["overdue"]["count"] == 1
    assert s["headline"]["on_time_rate"] == "50.0"
    assert {g["name"]: g["ratio"] for g in s["groups"]} == {
        "Digital government": "1/2",
        "Digital society": "0/1",
    }
    assert {u["name"]: (u["ratio"], u["overdue"]) for u in s["units"]} == {
        "Department A": ("1/2", 1),
        "Department B": ("0/1", 0),
    }
    assert [t["id"] for t in s["overdue"]["tasks"]] == [w.late.pk]
    assert s["notes"]["difficulties"] == [
        {"theme": "infrastructure", "unit": "Department A", "text": "Servers are old"}
    ]
    assert AuditEntry.objects.filter(action="report.consolidate").count() == 1


def test_consolidating_twice_gives_the_same_report_and_never_different_numbers() -> None:
    w, period = _world_with_reports()
    first = report_consolidate(actor=w.office, period=period)
    # Recomputing from the data gives the same hash
    assert snapshot_hash(build_snapshot(w.program, period, first.created_at)) == first.snapshot_hash
    # Consolidating again returns the stored report
    assert report_consolidate(actor=w.office, period=period).pk == first.pk
    # When the history of the period changes (a late back-dated report), numbers would differ
    progress_submit(actor=w.admin, task=w.running, as_of=dt.date(2025, 3, 20), percent=100)
    with pytest.raises(ConflictError):
        report_consolidate(actor=w.office, period=period)
    first.refresh_from_db()
    assert first.snapshot["headline"]["ratio"] == "1/3"  # the frozen report stands


def test_only_leaders_consolidate_and_only_ended_periods() -> None:
    w, period = _world_with_reports()
    with pytest.raises(PermissionDeniedError):
        report_consolidate(actor=w.officer_a, period=period)
    running = period_open(actor=w.office, schedule=w.schedule)  # the current quarter
    with pytest.raises(ValidationError):
        report_consolidate(actor=w.office, period=running)


def test_the_docx_is_an_administrative_document_with_the_figures() -> None:
    w, period = _world_with_reports()
    report = report_consolidate(actor=w.office, period=period)
    data = docx_bytes(report.snapshot, number=report.number, issued_on=dt.date(2025, 4, 10))
    text = _text(Document(io.BytesIO(data)))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: …/BC-",
        "Thái An, ngày 10 tháng 04 năm 2025",
        "BÁO CÁO",
        "Nơi nhận:",
        "1/3",  # headline ratio
        "1/2",  # group and unit ratios
        "Department A",
        "Servers are old",
        "Fund a shared data centre",
        "31/03/2025",
    ):
        assert expected in text, expected


def test_the_xlsx_holds_the_tables() -> None:
    w, period = _world_with_reports()
    report = report_consolidate(actor=w.office, period=period)
    wb = load_workbook(io.BytesIO(xlsx_bytes(report.snapshot, language="en")))
    assert wb.sheetnames == [
        "Summary",
        "Results by task group",
        "Results by unit",
        "Overdue tasks",
        "Reporting discipline",
    ]
    units = list(wb["Results by unit"].iter_rows(values_only=True))
    assert units[1][:2] == ("Department A", "1/2")


def test_libreoffice_converts_the_docx_to_pdf() -> None:
    # Real LibreOffice (scripts/ensure-browser installs Debian's libreoffice-writer-nogui)
    w, period = _world_with_reports()
    report = report_consolidate(actor=w.office, period=period)
    pdf = pdf_from_docx(
        docx_bytes(report.snapshot, number=report.number, issued_on=dt.date(2025, 4, 10))
    )
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 5000


@override_settings(TASKS=IMMEDIATE)
def test_files_are_generated_by_the_background_task_and_kept(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    w, period = _world_with_reports()
    report = report_consolidate(actor=w.office, period=period)
    with pytest.raises(PermissionDeniedError):
        files_request(actor=w.officer_a, consolidated=report)
    # When the office asks for the files (the task is enqueued on commit; run immediately here)
    with django_capture_on_commit_callbacks(execute=True):
        files_request(actor=w.office, consolidated=report)
    # Then the three files are kept with the report
    report.refresh_from_db()
    assert report.file_state == FileState.DONE, report.file_error
    assert report.file_progress == 100
    assert report.docx.read().startswith(b"PK")
    assert report.pdf.read().startswith(b"%PDF-")
    assert report.xlsx.size > 0
