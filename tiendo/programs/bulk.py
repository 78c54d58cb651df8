"""Creating many tasks at once (imports): the same rules and the same rows as ``task_create``.

``task_bulk_create`` takes, per task, exactly the keyword arguments ``task_create`` takes and
writes what ``task_create`` would have written (the task, its coordinating units, its audit
entries, and with ``assign`` the assignment), but with a handful of queries per thousand tasks
instead of about fifteen per task:

- every rule of ``services._validate_task`` runs per task, except the two checks Django runs
  with a query per task: foreign keys are checked with one query per field for all tasks, and
  the check constraints of ``Task`` are evaluated in Python (a constraint without a Python
  twin here is still checked by Django, one query per task);
- tasks, coordinations and audit entries are inserted with ``bulk_create``; the audit entries
  are chained and sealed one per task exactly as ``audit_record`` would (``audit_record_many``).

All or nothing: every task is validated before anything is written; any invalid task raises
``BulkValidationError`` carrying the errors of each invalid task by its position.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.audit.services import audit_record_many, snapshot
from tiendo.core.deadlines import DeadlineKind
from tiendo.orgs.scope import scope_for

from . import access
from .models import Program, Task, TaskCoordination
from .services import (
    TASK_FIELDS,
    _check_clearance,
    _deny,
    _validate_task,
    missing_clears,
    summary_maintain,
)

# Foreign keys checked once for all tasks instead of once per task by ``full_clean``.
BULK_CHECKED_KEYS = (
    "program",
    "group",
    "lead_unit",
    "accountable_leader",
    "assignee",
    "created_by",
)

# Python twins of ``Task.Meta.constraints`` (the database enforces them too).
_CONSTRAINT_TWINS: dict[str, Callable[[Task], bool]] = {
    "task_percent_max_100": lambda t: t.latest_percent is None or t.latest_percent <= 100,
    "task_deadline_matches_kind": lambda t: (
        (t.deadline_kind == DeadlineKind.ONGOING and t.deadline is None)
        or (t.deadline_kind not in (DeadlineKind.ONGOING, "") and t.deadline is not None)
        or (t.deadline_kind == "" and t.deadline is None)
    ),
}


class BulkValidationError(ValidationError):
    """Some tasks are invalid; nothing was written. ``rows`` maps each invalid task's position
    (0-based, in the order given) to the ``ValidationError`` ``task_create`` would raise."""

    def __init__(self, rows: dict[int, ValidationError]) -> None:
        self.rows = dict(sorted(rows.items()))
        super().__init__(
            [
                _("Task %(position)s: %(message)s")
                % {"position": i + 1, "message": "; ".join(_messages(e))}
                for i, e in self.rows.items()
            ]
        )


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            message if field == NON_FIELD_ERRORS else f"{field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


def _merge(errors: dict[int, ValidationError], index: int, new: ValidationError) -> None:
    if index in errors:
        new = ValidationError(new.update_error_dict(errors[index].update_error_dict({})))
    errors[index] = new


def _check_keys(tasks: Sequence[Task], errors: dict[int, ValidationError]) -> None:
    """``ForeignKey.validate`` for every task, with one query per field instead of per task."""
    for name in BULK_CHECKED_KEYS:
        field = Task._meta.get_field(name)
        values = {getattr(t, field.attname) for t in tasks} - {None}
        if not values:
            continue
        related = field.remote_field.model
        target = field.remote_field.field_name
        found: set[Any] = set()
        ordered = sorted(values)
        for start in range(0, len(ordered), 5000):
            found.update(
                related._base_manager.complex_filter(field.get_limit_choices_to())
                .filter(**{f"{target}__in": ordered[start : start + 5000]})
                .values_list(target, flat=True)
            )
        for index, task in enumerate(tasks):
            value = getattr(task, field.attname)
            if value is not None and value not in found:
                message = field.error_messages["invalid"]
                params = {
                    "model": related._meta.verbose_name,
                    "pk": value,
                    "field": target,
                    "value": value,
                }
                _merge(
                    errors,
                    index,
                    ValidationError({name: ValidationError(message, "invalid", params)}),
                )


def _check_constraints(task: Task) -> None:
    for constraint in Task._meta.constraints:
        twin = _CONSTRAINT_TWINS.get(constraint.name)
        if twin is None:
            constraint.validate(Task, task)
        elif not twin(task):
            raise ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            )


@transaction.atomic
def task_bulk_create(
    *,
    actor: Any,
    program: Program,
    rows: Sequence[Mapping[str, Any]],
    batch_size: int = 2000,
) -> list[Task]:
    """Create one task per item of ``rows``, each holding ``task_create``'s keyword arguments
    (task fields, ``coordinating_units``, ``assign``), in that order. All or none."""
    if not access.can_manage_program(scope_for(actor), program):
        _deny(_("Only the standing office of this program can add tasks."))
    tasks: list[Task] = []
    errors: dict[int, ValidationError] = {}
    for index, row in enumerate(rows):
        task = Task(
            program=program, created_by=actor, **{k: v for k, v in row.items() if k in TASK_FIELDS}
        )
        tasks.append(task)
        try:
            _check_clearance(actor, task.classification)
            _validate_task(task, checked_in_bulk=BULK_CHECKED_KEYS)
            _check_constraints(task)
            if row.get("assign") and (missing := missing_clears(task)):
                raise ValidationError(
                    _(
                        "This task cannot be assigned until its five clears are complete. Missing: %(missing)s."
                    )
                    % {"missing": "; ".join(missing)}
                )
        except ValidationError as exc:
            errors[index] = exc
    _check_keys(tasks, errors)
    if errors:
        raise BulkValidationError(errors)

    now = timezone.now()
    drafts = [snapshot(task) for task in tasks]  # what task_create's "task.create" entry shows
    for task, row in zip(tasks, rows, strict=True):
        if row.get("assign"):
            _assign(task, actor=actor, at=now)
    Task.objects.bulk_create(tasks, batch_size=batch_size)
    TaskCoordination.objects.bulk_create(
        (
            TaskCoordination.of(task, unit)
            for task, row in zip(tasks, rows, strict=True)
            for unit in {
                u.pk: u for u in row.get("coordinating_units", ()) if u.pk != task.lead_unit_id
            }.values()
        ),
        batch_size=batch_size,
    )
    entries: list[dict[str, Any]] = []
    for task, draft, row in zip(tasks, drafts, rows, strict=True):
        entries.append({"action": "task.create", "obj": task, "after": {**draft, "id": task.pk}})
        if row.get("assign"):
            entries.append(
                {
                    "action": "task.assign",
                    "obj": task,
                    "after": snapshot(task, ["assigned_at", "deadline"]),
                }
            )
    audit_record_many(actor=actor, entries=entries)
    # The dashboards' summary counts assigned tasks only (drafts are not in any figure), as
    # task_create maintains it through task_assign.
    summary_maintain(unit_paths={t.lead_unit_path for t in tasks if t.assigned_at is not None})
    return tasks


def _assign(task: Task, *, actor: Any, at: dt.datetime) -> None:
    """What ``task_assign`` sets on a draft whose five clears are complete."""
    task.assigned_at = at
    task.assigned_by = actor
    task.original_deadline_kind = task.deadline_kind
    task.original_deadline = task.deadline
    task.version += 1  # task_assign bumps the version the draft was created with
