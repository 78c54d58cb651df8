"""``tiendo import-plan FILE --program CODE [--dry-run] [--sheet NAME]``: import an annex.

Runs the same steps as the web import (guessed columns, preview, confirm in one transaction)
as the user given with ``--user`` (default: the only superuser), with their permissions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils.translation import gettext as _

from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.imports import selectors
from tiendo.imports.matching import UnitMatcher
from tiendo.imports.services import ImportResult, import_file, refusal


class Command(BaseCommand):
    help = "Import a plan from an annex (XLSX, CSV or DOCX) into a program."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The annex file.")
        parser.add_argument("--program", required=True, help="The program's code.")
        parser.add_argument("--dry-run", action="store_true", help="Show the plan; write nothing.")
        parser.add_argument("--sheet", default="", help="Sheet (XLSX) or table (DOCX) to read.")
        parser.add_argument("--user", default="", help="Username to import as.")
        parser.add_argument(
            "--unit",
            action="append",
            default=[],
            metavar="NAME=CODE",
            help='Resolve an agency name: --unit "Trung tâm CNTT=HP-STTTT-CNTT" ("NAME=" for none).',
        )
        parser.add_argument(
            "--leave-unresolved",
            action="store_true",
            help="Import tasks whose agencies match no unit without those agencies.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["user"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        try:
            program = selectors.program_by_code(actor, options["program"])
            resolutions = self._resolutions(program, options["unit"])
            result = import_file(
                actor=actor,
                program=program,
                filename=path.name,
                content=path.read_bytes(),
                sheet=options["sheet"],
                dry_run=options["dry_run"],
                leave_unresolved=options["leave_unresolved"],
                resolutions=resolutions,
            )
        except Http404 as exc:
            raise CommandError(
                _("No program with code “%(code)s” that you can see.")
                % {"code": options["program"]}
            ) from exc
        except (PermissionDeniedError, ConflictError) as exc:
            raise CommandError(exc.message) from exc
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self._report(result, dry_run=options["dry_run"], leave=options["leave_unresolved"])

    def _actor(self, username: str) -> Any:
        users = get_user_model().objects.filter(is_active=True)
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(_("No active user “%(name)s”.") % {"name": username})
            return actor
        admins = list(users.filter(is_superuser=True)[:2])
        if len(admins) != 1:
            raise CommandError(_("Say which user imports the plan with --user."))
        return admins[0]

    def _resolutions(self, program: Any, pairs: list[str]) -> dict[str, list[int]]:
        matcher = UnitMatcher(program)
        by_code = {u.code: u.pk for u in matcher.units_by_id.values()}
        answers: dict[str, list[int]] = {}
        for pair in pairs:
            name, _sep, code = pair.partition("=")
            if not _sep or not name.strip():
                raise CommandError(_("Write --unit as NAME=CODE: %(value)s") % {"value": pair})
            if code.strip() and code.strip() not in by_code:
                raise CommandError(_("No unit with code “%(code)s” here.") % {"code": code})
            answers[name.strip()] = [by_code[code.strip()]] if code.strip() else []
        return answers

    def _report(self, result: ImportResult, *, dry_run: bool, leave: bool) -> None:
        plan = result.plan
        counts = plan.counts()
        out = self.stdout.write
        for task in plan.tasks:
            changes = "; ".join(f"{label}: {old} → {new}" for label, old, new in task.changes)
            out(f"{task.row:>6}  {task.action:<9}  {task.number:<8}  {task.title[:60]}  {changes}")
        for note in plan.notes:
            out(note)
        for error in plan.errors:
            self.stderr.write(str(error))
        for name, units in plan.unresolved.items():
            choices = ", ".join(f"{u.code} ({u.name})" for u in units) or _("no unit found")
            self.stderr.write(
                _("Agency to check: “%(name)s”: %(choices)s") % {"name": name, "choices": choices}
            )
        out(
            _(
                "%(create)s to create, %(update)s to update, %(unchanged)s unchanged, "
                "%(errors)s errors; %(drafts)s tasks need completing before they can be assigned."
            )
            % {
                "create": counts["create"],
                "update": counts["update"],
                "unchanged": counts["unchanged"],
                "errors": counts["errors"],
                "drafts": counts["drafts_incomplete"],
            }
        )
        if dry_run:
            problem = refusal(plan, leave_unresolved=leave)
            out(_("Dry run: nothing was written."))
            if problem is not None:
                raise CommandError("\n".join(problem.messages))
        else:
            out(
                self.style.SUCCESS(
                    _("Imported: %(created)s created, %(updated)s updated.")
                    % {"created": result.created, "updated": result.updated}
                )
            )
