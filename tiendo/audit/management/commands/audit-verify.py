from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiendo.audit.verify import audit_verify


class Command(BaseCommand):
    help = "Verify the audit trail: names the first edited, deleted, reordered or forged entry."

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = audit_verify()
        if not verdict.ok:
            raise CommandError(
                f"Audit trail NOT intact after {verdict.checked} good entries: {verdict.problem}"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit trail intact: {verdict.checked} entries verified.")
        )
