"""``manage.py datacatalog_unit_codes ROOT_UNIT_CODE [--list CODE] [--name NAME]``: load (or
reload) the shared code list of administrative units under a unit, from the unit tree, so that
address fields of every dataset can be checked against it (the "unified" quality dimension)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiendo.accounts.models import User
from tiendo.datacatalog.services import codelist_from_units
from tiendo.orgs.models import Unit


class Command(BaseCommand):
    help = "Load the code list of the administrative units under a unit (from the unit tree)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("root", help="Code of the unit whose subtree is listed.")
        parser.add_argument("--list", default="don-vi-hanh-chinh", help="Code of the code list.")
        parser.add_argument("--name", default="Đơn vị hành chính", help="Name of the code list.")
        parser.add_argument("--as-user", default="", help="Administrator recorded as the actor.")

    def handle(self, *args: Any, **options: Any) -> None:
        root = Unit.objects.filter(code=options["root"]).first()
        if root is None:
            raise CommandError(f"no unit with code {options['root']!r}")
        actor = (
            User.objects.filter(username=options["as_user"]).first()
            if options["as_user"]
            else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("no administrator to record as the actor (use --as-user)")
        code_list = codelist_from_units(
            actor=actor, code=options["list"], name=options["name"], root=root
        )
        self.stdout.write(f"{code_list.code}: {code_list.items.count()} units")
