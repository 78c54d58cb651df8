"""Background jobs: they take ids or dates and call a service, nothing more."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from .delivery import deliver_immediate
from .engine import reminders_run


@task()
def run_reminders(today: str | None = None) -> dict[str, int]:
    """The daily run (``tiendo reminders-run`` enqueues it; ``tiendo db_worker`` runs it)."""
    from django.utils import timezone

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    run = reminders_run(today=day)
    return {"created": run.created, "emailed": run.emailed}


@task()
def send_notification_emails(ids: list[int]) -> int:
    """Email notifications just created outside the daily run (urges)."""
    return deliver_immediate(ids)
