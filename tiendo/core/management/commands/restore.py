from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiendo.core.backup import restore


class Command(BaseCommand):
    help = "Restore a backup made by `tiendo backup`: REPLACES the database and uploaded files."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.exists():
            raise CommandError(f"No such file: {archive}")
        if not options["yes"]:
            answer = input("This replaces the current database and files. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = restore(archive)
        except (ValueError, OSError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest['created_at']}."))
