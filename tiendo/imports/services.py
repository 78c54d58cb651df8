"""Writes of the import: keep an upload, record the user's mapping and answers, confirm.

Start here: ``batch_create`` > ``batch_set_mapping`` > ``batch_resolve`` (optional) >
``batch_preview`` > ``batch_confirm``. Tasks and groups are written only through the
services of ``tiendo.programs`` (new tasks all at once with ``bulk.task_bulk_create``, the same
rules and rows as ``task_create``) inside one transaction, so a failing row leaves nothing behind.
``import_file`` runs the whole sequence for the command line.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.orgs.scope import scope_for
from tiendo.programs import access
from tiendo.programs.bulk import BulkValidationError, task_bulk_create
from tiendo.programs.models import Program, TaskGroup
from tiendo.programs.services import group_create, group_update, task_update

from .matching import UnitMatcher, normalise
from .models import BatchStatus, ImportBatch
from .parsing import (
    FIELDS,
    HEAD_ROWS,
    REQUIRED_FIELDS,
    FileFormatError,
    RawTable,
    guess_header,
    read_table,
)
from .planning import (
    Action,
    CellError,
    Plan,
    TaskPlan,
    build_plan,
    dump_plan,
    load_plan,
    plan_state,
)


def _check_manager(actor: Any, program: Program) -> None:
    if not access.can_manage_program(scope_for(actor), program):
        raise PermissionDeniedError(
            _(
                "Only the standing office, a committee leader or an administrator can import a plan into this program."
            )
        )


def read_batch_table(batch: ImportBatch, *, limit: int | None = None) -> RawTable:
    """The batch's file as rows (``limit``: only the first rows, see ``parsing.HEAD_ROWS``)."""
    try:
        return read_table(
            bytes(batch.content), batch.original_name, batch.sheet or None, limit=limit
        )
    except FileFormatError as exc:
        raise ValidationError({"file": [str(exc)]}) from exc


def _bump(batch: ImportBatch, version: int | None) -> None:
    """Optimistic lock: two tabs editing the same batch must not overwrite each other.

    Without a ``version`` (the command line) the version still goes up: a kept plan is tied
    to the version it was previewed at."""
    if version is None:
        ImportBatch.objects.filter(pk=batch.pk).update(version=F("version") + 1)
        batch.version = ImportBatch.objects.values_list("version", flat=True).get(pk=batch.pk)
        return
    updated = ImportBatch.objects.filter(pk=batch.pk, version=version).update(version=version + 1)
    if not updated:
        raise ConflictError(
            _("This import was changed in another window. Reload the page and try again.")
        )
    batch.version = version + 1


@transaction.atomic
def batch_create(
    *, actor: Any, program: Program, filename: str, content: bytes, sheet: str = ""
) -> ImportBatch:
    """Keep an uploaded annex with a guessed header row and column mapping (reads only the
    first rows: the preview reads the whole file)."""
    return _batch_create(actor, program, filename, content, sheet, limit=HEAD_ROWS)[0]


def _batch_create(
    actor: Any,
    program: Program,
    filename: str,
    content: bytes,
    sheet: str,
    *,
    limit: int | None = None,
) -> tuple[ImportBatch, RawTable]:
    _check_manager(actor, program)
    if not content:
        raise ValidationError({"file": [_("The file is empty.")]})
    if len(content) > settings.TIENDO_UPLOAD_MAX_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("The file is larger than %(mb)s MB.")
                    % {"mb": settings.TIENDO_UPLOAD_MAX_BYTES // 2**20}
                ]
            }
        )
    try:
        table = read_table(content, filename, sheet or None, limit=limit)
    except FileFormatError as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    header_row, _titles, mapping = guess_header(table.rows)
    batch = ImportBatch.objects.create(
        program=program,
        created_by=actor,
        original_name=filename[:255],
        content=content,
        sheet=table.sheet,
        header_row=header_row,
        mapping=mapping,
    )
    return batch, table


@transaction.atomic
def batch_set_mapping(
    *,
    actor: Any,
    batch: ImportBatch,
    mapping: dict[str, int | None],
    header_row: int | None = None,
    sheet: str | None = None,
    version: int | None = None,
) -> ImportBatch:
    """Record the columns the user confirmed. A new sheet is read afresh and guessed again."""
    _check_manager(actor, batch.program)
    _check_open(batch)
    if sheet is not None and sheet != batch.sheet:
        batch.sheet = sheet
        table = read_batch_table(batch, limit=HEAD_ROWS)
        guessed_row, _titles, guessed = guess_header(table.rows)
        batch.header_row, batch.mapping, batch.mapping_confirmed = guessed_row, guessed, False
        _bump(batch, version)
        batch.previewed_at, batch.plan_data = None, b""
        batch.save()
        return batch
    # The columns and rows the column step offers: those of the first rows.
    table = read_batch_table(batch, limit=max(HEAD_ROWS, header_row or batch.header_row or 0))
    width = max((len(cells) for _n, cells in table.rows), default=0)
    errors: dict[str, list[str]] = {}
    clean_mapping: dict[str, int] = {}
    used: dict[int, str] = {}
    for name, index in mapping.items():
        if name not in FIELDS:
            errors.setdefault(name, []).append(_("Unknown field."))
            continue
        if index is None or index == "":
            continue
        index = int(index)
        if not 0 <= index < width:
            errors.setdefault(name, []).append(_("The file has no such column."))
        elif index in used:
            errors.setdefault(name, []).append(
                _("This column is already used for “%(field)s”.") % {"field": FIELDS[used[index]]}
            )
        else:
            used[index] = name
            clean_mapping[name] = index
    for name in REQUIRED_FIELDS:
        if name not in clean_mapping and name not in errors:
            errors.setdefault(name, []).append(
                _("Choose the column that holds “%(field)s”.") % {"field": FIELDS[name]}
            )
    row = header_row if header_row is not None else batch.header_row
    if row is not None and not any(n == row for n, _c in table.rows):
        errors.setdefault("header_row", []).append(_("The file has no such row."))
    if errors:
        raise ValidationError(errors)
    _bump(batch, version)
    batch.mapping, batch.header_row, batch.mapping_confirmed = clean_mapping, row, True
    batch.previewed_at, batch.plan_data = None, b""
    batch.save()
    return batch


@transaction.atomic
def batch_resolve(
    *,
    actor: Any,
    batch: ImportBatch,
    resolutions: dict[str, list[int]],
    version: int | None = None,
) -> ImportBatch:
    """Record which units the user chose for agency names that matched none or several."""
    _check_manager(actor, batch.program)
    _check_open(batch)
    matcher = UnitMatcher(batch.program)
    errors: dict[str, list[str]] = {}
    answers = dict(batch.resolutions)
    for name, ids in resolutions.items():
        unknown = [i for i in ids if i not in matcher.units_by_id]
        if unknown:
            errors.setdefault(name, []).append(_("Choose units of this program's organisation."))
            continue
        answers[normalise(name)] = [int(i) for i in ids]
    if errors:
        raise ValidationError(errors)
    _bump(batch, version)
    batch.resolutions = answers
    batch.previewed_at, batch.plan_data = None, b""
    batch.save(update_fields=["resolutions", "previewed_at", "plan_data", "updated_at"])
    return batch


def _check_open(batch: ImportBatch) -> None:
    if batch.status != BatchStatus.UPLOADED:
        raise ValidationError(
            _("This file has already been imported. Upload it again to import it anew.")
        )


def plan_for(batch: ImportBatch, *, actor: Any, table: RawTable | None = None) -> Plan:
    """The plan of a batch as it stands (reads only; ``table``: the file already read)."""
    if table is None:
        table = read_batch_table(batch)
    if not batch.mapping_confirmed and batch.header_row is None:
        raise ValidationError(
            _(
                "No header row with column titles such as “TT” and “Nhiệm vụ” was found. Choose the columns yourself."
            )
        )
    return build_plan(
        table,
        mapping={k: int(v) for k, v in batch.mapping.items()},
        header_row=batch.header_row,
        program=batch.program,
        scope=scope_for(actor),
        matcher=UnitMatcher(batch.program, batch.resolutions),
    )


def _seen_versions(plan: Plan) -> dict[str, int]:
    """The versions of the tasks a plan changes, by number: the confirm refuses if one moved."""
    return {t.number: t.existing.version for t in plan.tasks if t.existing}


@transaction.atomic
def batch_preview(*, actor: Any, batch: ImportBatch) -> Plan:
    """The dry run the user confirms. Remembers the versions of the tasks it will change, and
    keeps the plan for the confirm (tied to the batch's version and the program's state)."""
    _check_manager(actor, batch.program)
    # Another page of the same preview, or the preview again after a refused confirm: the
    # kept plan is the plan (same file, batch, program and units; same language for its words).
    if (plan := kept_plan(batch, actor=actor, language=get_language())) is not None:
        batch.previewed_at = timezone.now()
        batch.save(update_fields=["previewed_at", "updated_at"])
        return plan
    plan = plan_for(batch, actor=actor)
    batch.seen_versions = _seen_versions(plan)
    batch.previewed_at = timezone.now()
    kept = {
        "version": batch.version,
        "language": get_language(),
        "state": plan_state(batch.program, scope_for(actor)),
        "plan": dump_plan(plan),
    }
    batch.plan_data = zlib.compress(
        json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode(), 1
    )
    batch.save(update_fields=["seen_versions", "previewed_at", "plan_data", "updated_at"])
    return plan


def kept_plan(batch: ImportBatch, *, actor: Any, language: str | None = None) -> Plan | None:
    """The plan the preview kept, if nothing it was built from has changed since; else None.
    ``language``: also only if its words (errors, notes, differences) are in that language."""
    if not batch.plan_data:
        return None
    kept = json.loads(zlib.decompress(bytes(batch.plan_data)))
    if kept["version"] != batch.version:
        return None
    if language is not None and kept.get("language") != language:
        return None
    scope = scope_for(actor)
    if kept["state"] != plan_state(batch.program, scope):
        return None
    return load_plan(kept["plan"], batch.program, scope)


@dataclass
class ImportResult:
    plan: Plan
    created: int
    updated: int
    groups_created: int

    def summary(self) -> dict[str, Any]:
        counts = self.plan.counts()
        return {
            **counts,
            "created": self.created,
            "updated": self.updated,
            "groups_created": self.groups_created,
        }


@transaction.atomic
def batch_confirm(
    *, actor: Any, batch: ImportBatch, leave_unresolved: bool = False, version: int | None = None
) -> ImportResult:
    """Write the previewed plan: every row or none.

    Refused (nothing written) when the file has errors, when agency names are still to be
    resolved (unless ``leave_unresolved``: those tasks come in without them), when the preview
    is stale, or when a task changed after the preview. ``version`` is the batch version the
    confirming user looked at (the preview page and the API send it): if the columns or the
    agency answers changed since, in another window, the confirm is refused rather than
    writing a preview the user never saw. The plan the preview kept is applied as it is when
    neither the batch nor the program changed since (no reading, no planning); otherwise the
    file is read and planned again.
    """
    _check_manager(actor, batch.program)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _check_open(batch)
    if version is not None and version != batch.version:
        raise ConflictError(
            _(
                "This import was changed in another window after you looked at its preview. "
                "Look at the preview again before importing."
            )
        )
    if batch.previewed_at is None:
        raise ValidationError(_("Look at the preview before importing."))
    plan = kept_plan(batch, actor=actor) or plan_for(batch, actor=actor)
    return _write(actor, batch, plan, leave_unresolved)


def _claim(batch: ImportBatch) -> None:
    """Mark the batch imported if nobody else did (the rest of the transaction writes the
    plan; a failure rolls the mark back). Two confirms of one batch cannot both write, on
    a database without row locks too."""
    claimed = ImportBatch.objects.filter(
        pk=batch.pk, status=BatchStatus.UPLOADED, version=batch.version
    ).update(status=BatchStatus.IMPORTED, version=batch.version + 1)
    if not claimed:
        raise ConflictError(
            _("This import was changed in another window. Reload the page and try again.")
        )
    batch.status, batch.version = BatchStatus.IMPORTED, batch.version + 1


def _write(actor: Any, batch: ImportBatch, plan: Plan, leave_unresolved: bool) -> ImportResult:
    """Claim the batch, then write the plan and keep the summary (in the caller's transaction)."""
    _claim(batch)
    result = _apply(actor, batch.program, plan, batch.seen_versions, leave_unresolved)
    batch.imported_at = timezone.now()
    batch.summary = result.summary()
    batch.plan_data = b""
    batch.save(
        update_fields=[
            *("status", "imported_at", "summary", "plan_data", "version"),
            *("seen_versions", "previewed_at", "updated_at"),
        ]
    )
    return result


def refusal(plan: Plan, *, leave_unresolved: bool) -> ValidationError | None:
    """Why a plan cannot be imported, as one error listing the rows, or None."""
    if plan.errors:
        messages = [str(e) for e in plan.errors[:200]]
        if len(plan.errors) > 200:
            messages.append(_("… and %(count)s more errors.") % {"count": len(plan.errors) - 200})
        return ValidationError(messages)
    if plan.unresolved and not leave_unresolved:
        return ValidationError(
            _(
                "Some agencies match no unit or several units: %(names)s. Choose the units, or import without them."
            )
            % {"names": ", ".join(f"“{n}”" for n in plan.unresolved)}
        )
    if not plan.tasks:
        return ValidationError(_("The file has no task rows."))
    return None


def _apply(
    actor: Any,
    program: Program,
    plan: Plan,
    seen_versions: dict[str, int] | None,
    leave_unresolved: bool,
) -> ImportResult:
    if (problem := refusal(plan, leave_unresolved=leave_unresolved)) is not None:
        raise problem
    groups: dict[int, TaskGroup] = {}
    groups_created = 0
    for position, group in enumerate(plan.groups, start=1):
        if group.existing is None:
            groups[group.row] = group_create(
                actor=actor,
                program=program,
                name=group.name,
                number=group.number,
                position=position,
            )
            groups_created += 1
        elif group.action == Action.UPDATE:
            groups[group.row] = group_update(
                actor=actor,
                group=group.existing,
                name=group.name,
                number=group.number,
                position=group.existing.position,
            )
        else:
            groups[group.row] = group.existing
    updated = 0
    has_groups = bool(plan.groups)
    new_tasks: list[TaskPlan] = []
    new_rows: list[dict[str, Any]] = []
    for task in plan.tasks:
        fields = dict(task.values)
        if has_groups or task.existing is None:
            fields["group"] = groups.get(task.group.row) if task.group else None
        if task.existing is None:
            lead = fields.get("lead_unit")
            if lead is not None and lead.head_id:
                fields["accountable_leader"] = lead.head
            new_tasks.append(task)
            new_rows.append({**fields, "coordinating_units": task.coordinating or ()})
        elif task.action == Action.UPDATE:
            seen = (seen_versions or {}).get(task.number)
            if seen_versions is not None and seen != task.existing.version:
                raise ConflictError(
                    _(
                        "Task %(number)s was changed by someone else after your preview. Preview again before importing."
                    )
                    % {"number": task.number}
                )
            task_update(
                actor=actor,
                task=task.existing,
                version=task.existing.version,
                coordinating_units=task.coordinating,
                **fields,
            )
            updated += 1
    try:
        if new_rows:
            task_bulk_create(actor=actor, program=program, rows=new_rows)
    except BulkValidationError as exc:
        raise ValidationError([str(e) for e in cell_errors(plan, new_tasks, exc)[:200]]) from exc
    return ImportResult(
        plan=plan, created=len(new_rows), updated=updated, groups_created=groups_created
    )


# The column of the annex that holds each task field (the first one mapped).
_COLUMN_OF_FIELD = {
    "number": ("number",),
    "title": ("title",),
    "lead_unit": ("lead",),
    "accountable_leader": ("lead",),
    "deadline": ("deadline",),
    "deadline_kind": ("deadline",),
    "product": ("product",),
    "product_quantity": ("quantity", "product"),
    "product_unit": ("unit_of_measure", "product"),
    "description": ("description",),
}


def cell_errors(plan: Plan, tasks: list[TaskPlan], error: BulkValidationError) -> list[CellError]:
    """The errors the task rules found (``tasks[i]`` is the i-th row given to the bulk
    creation), by row and column of the file; the whole row when no column holds the field."""
    found: list[CellError] = []
    for index, row_error in error.rows.items():
        if hasattr(row_error, "error_dict"):
            by_field = row_error.message_dict
        else:
            by_field = {NON_FIELD_ERRORS: row_error.messages}
        for name, messages in by_field.items():
            columns = [c for c in _COLUMN_OF_FIELD.get(name, ()) if c in plan.mapping]
            column = plan.mapping[columns[0]] if columns else None
            title = ""
            if columns:
                title = str(FIELDS[columns[0]])
                if column is not None and column < len(plan.headers) and plan.headers[column]:
                    title = plan.headers[column]
            found.extend(CellError(tasks[index].row, column, title, m) for m in messages)
    return found


@transaction.atomic
def import_file(
    *,
    actor: Any,
    program: Program,
    filename: str,
    content: bytes,
    sheet: str = "",
    dry_run: bool = False,
    leave_unresolved: bool = False,
    resolutions: dict[str, list[int]] | None = None,
) -> ImportResult:
    """Upload, guessed mapping, preview and confirm in one go (the command line).

    The file is read once and planned once; the plan is written in the same transaction.
    A dry run builds the same plan and writes nothing, not even the batch.
    """
    batch, table = _batch_create(actor, program, filename, content, sheet)
    if resolutions:
        batch_resolve(actor=actor, batch=batch, resolutions=resolutions)
    plan = plan_for(batch, actor=actor, table=table)
    if dry_run:
        transaction.set_rollback(True)
        return ImportResult(plan=plan, created=0, updated=0, groups_created=0)
    batch.seen_versions = _seen_versions(plan)
    batch.previewed_at = timezone.now()
    return _write(actor, batch, plan, leave_unresolved)
