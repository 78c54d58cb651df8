"""Background jobs: they take ids and call a service, nothing more."""

from __future__ import annotations

from django_tasks import task


@task()
def generate_report_files(consolidated_id: int) -> str:
    """DOCX, XLSX and PDF of a consolidated report (``tiendo db_worker`` runs it)."""
    from .files import files_generate

    return files_generate(consolidated_id=consolidated_id).file_state


@task()
def consolidate_period(run_id: int) -> str:
    """Consolidate a period (``services.consolidation_request`` queues it); returns the state."""
    from .services import consolidation_execute

    return consolidation_execute(run_id=run_id).state
