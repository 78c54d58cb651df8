"""Background jobs: they take ids and call a service, nothing more."""

from __future__ import annotations

from django_tasks import task


@task()
def generate_report_files(consolidated_id: int) -> str:
    """DOCX, XLSX and PDF of a consolidated report (``tiendo db_worker`` runs it)."""
    from .files import files_generate

    return files_generate(consolidated_id=consolidated_id).file_state
