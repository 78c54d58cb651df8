"""Generating and keeping the files of a consolidated report (run by the background task)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from .exports import ConversionError, docx_bytes, pdf_from_docx, xlsx_bytes
from .models import ConsolidatedReport, FileState


def _progress(report: ConsolidatedReport, percent: int, state: str = FileState.RUNNING) -> None:
    # Saved outside any long transaction so that the polling page sees each step.
    ConsolidatedReport.objects.filter(pk=report.pk).update(
        file_state=state, file_progress=percent, updated_at=timezone.now()
    )


def files_generate(*, consolidated_id: int) -> ConsolidatedReport:
    """Render the stored snapshot to DOCX, XLSX and PDF and keep them with the report.

    The files only ever show the frozen snapshot, so regenerating gives the same figures.
    """
    report = ConsolidatedReport.objects.select_related("period").get(pk=consolidated_id)
    name = f"{report.period.schedule.program.code}-{report.period.start:%Y%m%d}-{report.pk}"
    _progress(report, 5)
    issued_on = timezone.localdate(report.created_at)
    docx = docx_bytes(report.snapshot, number=report.number, issued_on=issued_on)
    report.docx.save(f"{name}.docx", ContentFile(docx), save=False)
    _progress(report, 35)
    report.xlsx.save(f"{name}.xlsx", ContentFile(xlsx_bytes(report.snapshot)), save=False)
    _progress(report, 50)
    error = ""
    try:
        report.pdf.save(f"{name}.pdf", ContentFile(pdf_from_docx(docx)), save=False)
    except (ConversionError, OSError) as exc:  # the DOCX and XLSX stay usable
        error = str(exc)
    report.file_state = FileState.FAILED if error else FileState.DONE
    report.file_progress = 100
    report.file_error = error
    report.save(
        update_fields=[
            "docx",
            "xlsx",
            "pdf",
            "file_state",
            "file_progress",
            "file_error",
            "updated_at",
        ]
    )
    return report
