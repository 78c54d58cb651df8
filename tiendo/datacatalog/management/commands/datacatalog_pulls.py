"""``manage.py datacatalog_pulls``: enqueue the scheduled pulls that are due (run it from cron
every hour; ``tiendo db_worker`` performs them), or ``--now`` to pull in this process."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tiendo.datacatalog.pulls import pull_run, pulls_due
from tiendo.datacatalog.tasks import pull_dataset


class Command(BaseCommand):
    help = "Enqueue (or run with --now) the scheduled pulls of the data catalogue that are due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="Pull here instead of enqueuing.")

    def handle(self, *args: Any, **options: Any) -> None:
        for dataset_id in pulls_due():
            if options["now"]:
                version = pull_run(dataset_id)
                self.stdout.write(f"dataset {dataset_id}: {version or 'failed'}")
            else:
                result = pull_dataset.enqueue(dataset_id)
                self.stdout.write(f"enqueued pull {result.id} of dataset {dataset_id}")
