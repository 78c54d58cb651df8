import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from tiendo.core.backup import backup


class Command(BaseCommand):
    help = "Back up the database, uploaded files and audit head into one .tar.gz file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", "-o", help="File to write (default: data/backups/tiendo-<time>.tar.gz)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        output = Path(options["output"] or settings.DATA_DIR / "backups" / f"tiendo-{stamp}.tar.gz")
        manifest = backup(output)
        self.stdout.write(
            self.style.SUCCESS(f"Backup of the {manifest['vendor']} database written to {output}")
        )
