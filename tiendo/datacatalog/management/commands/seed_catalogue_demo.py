"""``tiendo seed_catalogue_demo``: the demo province's specialised databases (data catalogue).

Run by ``tiendo demo`` on a new demo; idempotent (datasets that exist are left alone).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tiendo.datacatalog.demo import CatalogueDemoError, seed_catalogue


class Command(BaseCommand):
    help = "Add the demo province's specialised databases to the data catalogue and warehouse."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = seed_catalogue()
        except CatalogueDemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Data catalogue: %(datasets)d databases declared, %(versions)d loaded, "
                "%(publications)d published to the warehouse in %(seconds).1f s."
            )
            % {
                "datasets": result.created,
                "versions": result.versions,
                "publications": result.publications,
                "seconds": result.seconds,
            }
        )
