"""``tiendo demo``: create or migrate the database, seed the demo once, then serve it.

tiendo demo                      migrate, seed if needed, serve on 127.0.0.1:8000
tiendo demo --seed-only          migrate and seed, do not serve
tiendo demo --fresh              delete the SQLite demo database first
tiendo demo --fresh --yes        ... also on PostgreSQL (drops every table of the schema)
tiendo demo --no-index           without the example index cycle (tiendo seed-index-demo)
tiendo demo --host 0.0.0.0 --port 8080
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.translation import gettext as _

from tiendo.demo import DEMO_PASSWORD
from tiendo.demo.accounts import DEMO_ACCOUNTS
from tiendo.demo.seed import seed

INDEX_COMMAND = "seed_index_demo"
CATALOGUE_COMMAND = "seed_catalogue_demo"  # the data catalogue's databases (tiendo.datacatalog)


class Command(BaseCommand):
    help = "Create and migrate the database, seed the demo data once, then serve it."
    # Checks run against a database that may not exist yet (``--fresh``): run them after migrate.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed-only", action="store_true", help="Seed the demo data and exit.")
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Delete the demo database first (SQLite; on PostgreSQL only with --yes).",
        )
        parser.add_argument(
            "--yes", action="store_true", help="Confirm --fresh on a database other than SQLite."
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Do not add the example digital-transformation index cycle to a new demo.",
        )
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        if options["fresh"]:
            if connection.vendor == "sqlite":
                self._delete_sqlite(connection)
            elif not options["yes"]:
                raise CommandError(
                    _(
                        "--fresh deletes every table of the %(vendor)s database “%(name)s”. "
                        "Add --yes if that is what you want."
                    )
                    % {"vendor": connection.vendor, "name": connection.settings_dict["NAME"]}
                )
            else:
                self._drop_schema(connection)
        if connection.vendor == "sqlite":
            Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        try:
            result = seed()
        except (ValidationError, DatabaseError) as error:
            raise CommandError(
                _("The demo data could not be created, nothing was written: %(error)s")
                % {"error": error}
            ) from error
        if result.created:
            self.stdout.write(
                _(
                    "Demo data created in %(seconds).1f s: %(units)d units, %(users)d people, "
                    "%(tasks)d tasks."
                )
                % {
                    "seconds": result.seconds,
                    "units": result.units,
                    "users": result.users,
                    "tasks": result.tasks,
                }
            )
            if not options["no_index"]:
                self._seed_index()
            self._seed_extra(CATALOGUE_COMMAND)
        else:
            self.stdout.write(_("Demo data already present: nothing changed."))
        self.stdout.write(
            _("Sign in as %(users)s with the password %(password)s")
            % {"users": ", ".join(a.username for a in DEMO_ACCOUNTS), "password": DEMO_PASSWORD}
        )
        if options["seed_only"]:
            return
        call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)

    def _seed_index(self) -> None:
        """The indexing app's own demo cycle, scored over the demo's units, when it exists.

        It is an extra: if it fails, the tasks demo is complete and still served, so the
        failure is reported, not raised.
        """
        if INDEX_COMMAND not in get_commands():
            return
        try:
            call_command(INDEX_COMMAND, stdout=self.stdout, stderr=self.stderr)
        except Exception as error:
            self.stderr.write(
                _(
                    "The example index cycle could not be added (%(error)s); the demo runs without it."
                )
                % {"error": error}
            )

    def _seed_extra(self, command: str) -> None:
        """Another app's demo part (like the index cycle): reported, not raised, if it fails."""
        if command not in get_commands():
            return
        try:
            call_command(command, stdout=self.stdout, stderr=self.stderr)
        except Exception as error:
            self.stderr.write(
                _("%(command)s could not add its demo data (%(error)s); the demo runs without it.")
                % {"command": command, "error": error}
            )

    def _delete_sqlite(self, connection: Any) -> None:
        """Remove the database file with its WAL journal, and the audit head sealed for it."""
        name = str(connection.settings_dict["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            return
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)
        self._forget_audit_head()
        self.stdout.write(_("Deleted %(name)s.") % {"name": name})

    def _drop_schema(self, connection: Any) -> None:
        # TRUNCATE (``flush``) is refused by the append-only audit table: drop the schema instead.
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        self._forget_audit_head()
        self.stdout.write(
            _("Dropped every table of %(name)s.") % {"name": connection.settings_dict["NAME"]}
        )

    @staticmethod
    def _forget_audit_head() -> None:
        """The audit trail's sealed head belongs to the deleted database: a new chain starts."""
        from tiendo.audit.services import head_file

        path = head_file()
        for p in (path, path.with_suffix(".lock")):
            p.unlink(missing_ok=True)
