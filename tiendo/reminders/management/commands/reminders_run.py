"""``tiendo reminders-run [--today YYYY-MM-DD] [--now]``: the daily reminder run.

By default the run is enqueued on the database task queue and ``tiendo db_worker`` performs
it; cron or a systemd timer calls this command once a day (see ``tiendo/reminders/README.md``).
``--now`` runs it in this process instead (no worker needed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Create and send the reminders due today (enqueued for the db_worker, or --now)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="The day to run for, YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--now", action="store_true", help="Run in this process instead of enqueuing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from tiendo.reminders.engine import reminders_run
        from tiendo.reminders.tasks import run_reminders

        today = options["today"]
        if today:
            try:
                dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today must be YYYY-MM-DD, not {today!r}") from exc
        if options["now"]:
            from django.utils import timezone

            day = dt.date.fromisoformat(today) if today else timezone.localdate()
            run = reminders_run(today=day)
            self.stdout.write(f"{day}: {run.created} reminders created, {run.emailed} emails sent")
            return
        result = run_reminders.enqueue(today)
        self.stdout.write(f"enqueued reminder run {result.id} for {today or 'today'}")
