"""Writes to programs, groups, tasks and progress. Each is one transaction.

Services take keyword-only arguments, validate with ``full_clean`` and raise
``ValidationError`` (field errors in the user's language), ``PermissionDeniedError`` or
``ConflictError`` (a stale ``version``: somebody else saved first).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.audit.services import audit_record, snapshot
from tiendo.core.deadlines import DeadlineKind
from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.core.fields import common_depth
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for

from . import access
from .files import check_upload
from .models import (
    DeadlineExtension,
    Evidence,
    HoldChange,
    HoldState,
    Program,
    ProgressUpdate,
    Task,
    TaskCoordination,
    TaskGroup,
    UnitTransfer,
)

PROGRAM_FIELDS = (
    "code",
    "name",
    "kind",
    "description",
    "owner_unit",
    "standing_office",
    "decision_number",
    "decision_date",
    "issuer",
    "start_year",
    "end_year",
    "vision_year",
    "classification",
)
TASK_FIELDS = (
    "group",
    "number",
    "kind",
    "title",
    "description",
    "lead_unit",
    "accountable_leader",
    "assignee",
    "start_date",
    "deadline_kind",
    "deadline",
    "product",
    "product_quantity",
    "product_unit",
    "classification",
)


def _deny(message: str) -> None:
    raise PermissionDeniedError(message)


def _check_clearance(actor: Any, classification: int | None) -> None:
    """Nobody but an administrator classifies a record above their own clearance (they
    could not see it afterwards, and it would hide it from others without authority)."""
    scope = scope_for(actor)
    if classification is not None and classification > scope.clearance and not scope.is_admin:
        raise ValidationError(
            {"classification": _("You cannot classify a record above your own clearance.")}
        )


def _bump_version(model: type[Any], obj: Any, version: int | None) -> None:
    """Optimistic concurrency: save only if nobody saved since ``version`` was read."""
    if version is None:
        return
    updated = model.objects.filter(pk=obj.pk, version=version).update(version=F("version") + 1)
    if not updated:
        raise ConflictError(
            _(
                "Someone else changed this record after you opened it. Reload it and apply your changes again."
            )
        )
    obj.version = version + 1


def summary_maintain(*, unit_paths: Iterable[str]) -> None:
    """Keep the dashboards' summary tables exact for the tasks led by ``unit_paths``.

    Every write that changes a task's facts, lead unit, kind or classification calls this,
    in its transaction, after writing the tasks, with the old and new lead unit paths
    (``tiendo.dashboards.summary.summary_refresh``; nothing happens until the tables are built).
    """
    from tiendo.dashboards.summary import summary_refresh  # dashboards builds on programs

    summary_refresh(unit_paths=unit_paths)


# Programs and groups -----------------------------------------------------------------------


@transaction.atomic
def program_create(*, actor: Any, **fields: Any) -> Program:
    if not access.can_create_program(scope_for(actor)):
        _deny(
            _(
                "Only a committee leader, the standing office or an administrator can create programs."
            )
        )
    program = Program(**{k: v for k, v in fields.items() if k in PROGRAM_FIELDS})
    _check_clearance(actor, program.classification)
    program.full_clean()
    program.save()
    audit_record(actor=actor, action="program.create", obj=program, after=snapshot(program))
    return program


@transaction.atomic
def program_update(*, actor: Any, program: Program, version: int | None, **fields: Any) -> Program:
    scope = scope_for(actor)
    if not access.can_manage_program(scope, program):
        _deny(_("You cannot change this program."))
    before = snapshot(program)
    old_classification = program.classification
    for name, value in fields.items():
        if name in PROGRAM_FIELDS:
            setattr(program, name, value)
    if "classification" in fields:
        _check_clearance(actor, program.classification)
    program.full_clean()
    _bump_version(Program, program, version)
    program.save()
    if program.classification != old_classification:
        summary_maintain(
            unit_paths=Task.objects.filter(program=program)
            .values_list("lead_unit_path", flat=True)
            .distinct()
        )
    audit_record(
        actor=actor, action="program.update", obj=program, before=before, after=snapshot(program)
    )
    return program


@transaction.atomic
def group_create(
    *,
    actor: Any,
    program: Program,
    name: str,
    number: str = "",
    parent: TaskGroup | None = None,
    position: int = 0,
) -> TaskGroup:
    if not access.can_manage_program(scope_for(actor), program):
        _deny(_("You cannot change this program."))
    if parent is not None and parent.program_id != program.pk:
        raise ValidationError({"parent": _("The parent group belongs to another program.")})
    group = TaskGroup(
        program=program, parent=parent, name=name, number=number, position=position, path="~"
    )
    group.full_clean(exclude=["path"])
    group.save()
    group.path = f"{parent.path if parent else '/'}{group.pk}/"
    TaskGroup.objects.filter(pk=group.pk).update(path=group.path)
    audit_record(actor=actor, action="group.create", obj=group, after=snapshot(group))
    return group


@transaction.atomic
def group_update(
    *, actor: Any, group: TaskGroup, name: str, number: str = "", position: int = 0
) -> TaskGroup:
    if not access.can_manage_program(scope_for(actor), group.program):
        _deny(_("You cannot change this program."))
    before = snapshot(group)
    group.name, group.number, group.position = name, number, position
    group.full_clean(exclude=["path"])
    group.save(update_fields=["name", "number", "position", "updated_at"])
    audit_record(
        actor=actor, action="group.update", obj=group, before=before, after=snapshot(group)
    )
    return group


# The five clears ---------------------------------------------------------------------------


def missing_clears(task: Task) -> list[str]:
    """The clears a task still lacks, in words, in the active language. Empty when complete."""
    missing = []
    if not task.title.strip():
        missing.append(_("clear work: the task has no title"))
    if task.assignee_id is None:
        missing.append(_("clear person: no one is assigned to carry out the task"))
    if task.lead_unit_id is None:
        missing.append(_("clear responsibility: no lead unit"))
    if task.accountable_leader_id is None:
        missing.append(_("clear responsibility: no accountable leader"))
    if not task.deadline_kind:
        missing.append(_("clear time: no deadline"))
    if not task.product.strip():
        missing.append(_("clear product: the expected product is not described"))
    if task.product_quantity is None or not task.product_unit.strip():
        missing.append(_("clear product: no quantity and unit of measure"))
    return missing


def _validate_task(task: Task, *, checked_in_bulk: Sequence[str] = ()) -> None:
    """The rules of a task. ``checked_in_bulk`` names foreign keys whose existence, and
    check constraints, the caller verifies for many tasks at once (``bulk.task_bulk_create``)."""
    errors: dict[str, list[str]] = {}
    if task.group_id is not None and task.group.program_id != task.program_id:
        errors.setdefault("group", []).append(_("This group belongs to another program."))
    if task.deadline_kind == DeadlineKind.ONGOING:
        task.deadline = None
    elif task.deadline_kind and task.deadline is None:
        errors.setdefault("deadline", []).append(
            _("Give the deadline's date, month, quarter or year.")
        )
    elif not task.deadline_kind and task.deadline is not None:
        task.deadline_kind = DeadlineKind.DATE
    if task.start_date and task.deadline and task.start_date > task.deadline:
        errors.setdefault("start_date", []).append(_("The start date is after the deadline."))
    if task.lead_unit_id is not None and task.lead_unit.closed_on is not None:
        errors.setdefault("lead_unit", []).append(
            _("This unit is closed; choose the unit that replaced it.")
        )
    if errors:
        raise ValidationError(errors)
    task.lead_unit_path = task.lead_unit.path if task.lead_unit_id else ""
    task.full_clean(
        exclude=["lead_unit_path", *checked_in_bulk], validate_constraints=not checked_in_bulk
    )
    if not task.is_draft and (missing := missing_clears(task)):
        raise ValidationError(
            _("An assigned task must keep its five clears. Missing: %(missing)s.")
            % {"missing": "; ".join(missing)}
        )


def _set_coordinating_units(task: Task, units: Iterable[Unit]) -> None:
    wanted = {u.pk: u for u in units if u.pk != task.lead_unit_id}
    TaskCoordination.objects.filter(task=task).exclude(unit_id__in=wanted).delete()
    existing = set(TaskCoordination.objects.filter(task=task).values_list("unit_id", flat=True))
    TaskCoordination.objects.bulk_create(
        TaskCoordination.of(task, u) for pk, u in wanted.items() if pk not in existing
    )


_IDS_PER_UPDATE = 2_000  # ids in one ``pk IN (...)`` (SQLite's limit on parameters)


def coordinations_refresh(rows: QuerySet[TaskCoordination]) -> None:
    """Bring the copies of ``rows`` (``TaskCoordination``) up to date after their tasks' lead
    unit paths or the tree changed: ``lead_unit_path`` from the task, ``common_depth`` from it
    and ``unit_path`` (which must be right already). One UPDATE per new value, not per row."""
    leads: dict[str, list[int]] = defaultdict(list)
    depths: dict[int, list[int]] = defaultdict(list)
    for pk, unit_path, lead, old_lead, old_depth in rows.values_list(
        "pk", "unit_path", "task__lead_unit_path", "lead_unit_path", "common_depth"
    ).order_by():
        if lead != old_lead:
            leads[lead].append(pk)
        if (depth := common_depth(unit_path, lead)) != old_depth:
            depths[depth].append(pk)
    updates: list[tuple[dict[str, Any], list[int]]] = [
        *(({"lead_unit_path": lead}, ids) for lead, ids in leads.items()),
        *(({"common_depth": depth}, ids) for depth, ids in depths.items()),
    ]
    for values, ids in updates:
        for start in range(0, len(ids), _IDS_PER_UPDATE):
            chunk = ids[start : start + _IDS_PER_UPDATE]
            TaskCoordination.objects.filter(pk__in=chunk).update(**values)


@transaction.atomic
def task_create(
    *,
    actor: Any,
    program: Program,
    coordinating_units: Sequence[Unit] = (),
    assign: bool = False,
    **fields: Any,
) -> Task:
    """Create a task as a draft; with ``assign=True`` also assign it (all five clears needed)."""
    if not access.can_manage_program(scope_for(actor), program):
        _deny(_("Only the standing office of this program can add tasks."))
    task = Task(
        program=program, created_by=actor, **{k: v for k, v in fields.items() if k in TASK_FIELDS}
    )
    _check_clearance(actor, task.classification)
    _validate_task(task)
    task.save()
    _set_coordinating_units(task, coordinating_units)
    audit_record(actor=actor, action="task.create", obj=task, after=snapshot(task))
    if assign:
        task = task_assign(actor=actor, task=task, version=task.version)
    return task


@transaction.atomic
def task_update(
    *,
    actor: Any,
    task: Task,
    version: int | None,
    coordinating_units: Sequence[Unit] | None = None,
    **fields: Any,
) -> Task:
    """Edit a task. After assignment the deadline changes only through ``task_extend_deadline``."""
    if not access.can_edit_task(scope_for(actor), task):
        _deny(_("You cannot change this task."))
    before = snapshot(task)
    old_path = task.lead_unit_path
    for name, value in fields.items():
        if name not in TASK_FIELDS:
            continue
        if (
            not task.is_draft
            and name in ("deadline", "deadline_kind")
            and value != getattr(task, name)
        ):
            raise ValidationError(
                {
                    name: _(
                        "The deadline of an assigned task changes only by an extension, with a reason."
                    )
                }
            )
        setattr(task, name, value)
    if "classification" in fields:
        _check_clearance(actor, task.classification)
    _validate_task(task)
    _bump_version(Task, task, version)
    task.save()
    coordinations_refresh(TaskCoordination.objects.filter(task=task))
    if coordinating_units is not None:
        _set_coordinating_units(task, coordinating_units)
    audit_record(actor=actor, action="task.update", obj=task, before=before, after=snapshot(task))
    summary_maintain(unit_paths=[old_path, task.lead_unit_path])
    return task


@transaction.atomic
def task_assign(
    *, actor: Any, task: Task, version: int | None, assigned_at: dt.datetime | None = None
) -> Task:
    """Assign a task whose five clears are complete.

    ``assigned_at`` back-dates the assignment when a plan decided in the past is entered now
    (imports, onboarding); the audit entry still records when it was entered.
    """
    if not access.can_edit_task(scope_for(actor), task):
        _deny(_("Only the standing office of this program can assign tasks."))
    if not task.is_draft:
        raise ValidationError(_("This task is already assigned."))
    if missing := missing_clears(task):
        raise ValidationError(
            _(
                "This task cannot be assigned until its five clears are complete. Missing: %(missing)s."
            )
            % {"missing": "; ".join(missing)}
        )
    now = timezone.now()
    if assigned_at is not None and assigned_at > now:
        raise ValidationError({"assigned_at": _("A task cannot be assigned in the future.")})
    _bump_version(Task, task, version)
    task.assigned_at = assigned_at or now
    task.assigned_by = actor
    task.original_deadline_kind = task.deadline_kind
    task.original_deadline = task.deadline
    audit_record(
        actor=actor,
        action="task.assign",
        obj=task,
        after=snapshot(task, ["assigned_at", "deadline"]),
    )
    task.save(
        update_fields=[
            "assigned_at",
            "assigned_by",
            "original_deadline_kind",
            "original_deadline",
            "updated_at",
        ]
    )
    summary_maintain(unit_paths=[task.lead_unit_path])
    return task


@transaction.atomic
def task_extend_deadline(
    *,
    actor: Any,
    task: Task,
    version: int | None,
    deadline_kind: str,
    deadline: dt.date | None,
    reason: str,
    effective_on: dt.date | None = None,
) -> DeadlineExtension:
    """Move an assigned task's deadline later, from ``effective_on`` (the decision's date,
    default today); the original deadline stays on the task for statistics."""
    if not access.can_edit_task(scope_for(actor), task):
        _deny(_("Only the standing office or a committee leader can extend a deadline."))
    if task.is_draft:
        raise ValidationError(
            _("Edit the deadline of a draft directly; extensions are for assigned tasks.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if deadline_kind == DeadlineKind.ONGOING:
        deadline = None
    elif deadline is None:
        raise ValidationError({"deadline": _("Give the new deadline.")})
    elif task.deadline is not None and deadline <= task.deadline:
        raise ValidationError({"deadline": _("An extension must move the deadline later.")})
    extension = DeadlineExtension(
        task=task,
        previous_kind=task.deadline_kind,
        previous_deadline=task.deadline,
        new_kind=deadline_kind,
        new_deadline=deadline,
        reason=reason.strip(),
        approved_by=actor,
        effective_on=effective_on or timezone.localdate(),
    )
    if extension.effective_on > timezone.localdate():
        raise ValidationError({"effective_on": _("An extension cannot take effect in the future.")})
    extension.full_clean()
    _bump_version(Task, task, version)
    task.deadline_kind, task.deadline = deadline_kind, deadline
    task.save(update_fields=["deadline_kind", "deadline", "updated_at"])
    extension.save()
    audit_record(
        actor=actor,
        action="task.extend_deadline",
        obj=task,
        summary=extension.reason[:500],
        before={
            "deadline_kind": extension.previous_kind,
            "deadline": str(extension.previous_deadline),
        },
        after={"deadline_kind": extension.new_kind, "deadline": str(extension.new_deadline)},
    )
    summary_maintain(unit_paths=[task.lead_unit_path])
    return extension


@transaction.atomic
def task_set_hold(
    *,
    actor: Any,
    task: Task,
    version: int | None,
    state: str,
    reason: str,
    effective_on: dt.date | None = None,
) -> HoldChange:
    """Pause, cancel or resume (``state=""``) a task, with the reason and the approver recorded."""
    if not access.can_edit_task(scope_for(actor), task):
        _deny(_("Only the standing office or a committee leader can pause or cancel a task."))
    if state not in HoldState.values:
        raise ValidationError({"state": _("Unknown state.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if task.completed_on is not None and state:
        raise ValidationError(_("A completed task cannot be paused or cancelled."))
    if state == task.hold_state:
        raise ValidationError({"state": _("The task is already in this state.")})
    _bump_version(Task, task, version)
    audit_record(
        actor=actor,
        action="task.hold",
        obj=task,
        summary=reason.strip()[:500],
        before={"hold_state": task.hold_state},
        after={"hold_state": state},
    )
    task.hold_state = state
    task.save(update_fields=["hold_state", "updated_at"])
    summary_maintain(unit_paths=[task.lead_unit_path])
    return HoldChange.objects.create(
        task=task,
        state=state,
        reason=reason.strip(),
        approved_by=actor,
        effective_on=effective_on or timezone.localdate(),
    )


# Progress ---------------------------------------------------------------------------------


def progress_facts(history: Sequence[tuple[dt.date, int, int]]) -> dict[str, Any]:
    """The facts a task carries, from its history of ``(as_of, id, percent)`` in any order.

    The latest report is the one with the latest ``as_of`` (ties: the later recorded). A task
    is completed on the first day of its final run of 100 % reports, so a later correction
    report does not move the completion date, and a report below 100 % reopens it.
    """
    ordered = sorted(history)
    if not ordered:
        return {
            "latest_percent": None,
            "latest_progress_on": None,
            "started_on": None,
            "completed_on": None,
        }
    completed_on = None
    for as_of, _pk, percent in reversed(ordered):
        if percent < 100:
            break
        completed_on = as_of
    return {
        "latest_percent": ordered[-1][2],
        "latest_progress_on": ordered[-1][0],
        "started_on": min((d for d, _, p in ordered if p > 0), default=None),
        "completed_on": completed_on,
    }


def _refresh_progress_facts(task: Task) -> None:
    """Copy the facts dashboards need from the history onto the task (see ``Task``)."""
    rows = list(
        ProgressUpdate.objects.filter(task_id=task.pk).values_list(
            "as_of", "id", "percent", "achieved_quantity"
        )
    )
    facts = progress_facts([(as_of, pk, percent) for as_of, pk, percent, _ in rows])
    latest = max(rows, default=None, key=lambda r: (r[0], r[1]))
    task.latest_quantity = latest[3] if latest else None
    for name, value in facts.items():
        setattr(task, name, value)
    task.save(
        update_fields=[
            "latest_percent",
            "latest_quantity",
            "latest_progress_on",
            "started_on",
            "completed_on",
            "updated_at",
        ]
    )


def _lead_unit_on(task: Task, day: dt.date) -> int | None:
    """The unit that led ``task`` on ``day``: a report dated before a merger stays with the
    unit of that time even when it is entered afterwards."""
    later = (
        UnitTransfer.objects.filter(task=task, effective_on__gt=day)
        .order_by("effective_on", "id")
        .values_list("from_unit_id", flat=True)
        .first()
    )
    return later if later is not None else task.lead_unit_id


@transaction.atomic
def progress_submit(
    *,
    actor: Any,
    task: Task,
    as_of: dt.date,
    percent: int,
    achieved_quantity: Decimal | None = None,
    narrative: str = "",
    difficulties: str = "",
    proposals: str = "",
    files: Sequence[UploadedFile] = (),
) -> ProgressUpdate:
    """Record a progress update with its evidence files; never changes earlier updates."""
    if not access.can_report_progress(scope_for(actor), task):
        _deny(_("You cannot report progress on this task."))
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("Progress cannot be reported for a future date.")})
    checked = [check_upload(f) for f in files]  # every file checked before anything is written
    # Lock the task row so that concurrent reports refresh its facts one after the other.
    task = Task.objects.select_for_update().get(pk=task.pk)
    update = ProgressUpdate(
        task=task,
        as_of=as_of,
        percent=percent,
        achieved_quantity=achieved_quantity,
        narrative=narrative.strip(),
        difficulties=difficulties.strip(),
        proposals=proposals.strip(),
        unit_id=_lead_unit_on(task, as_of),
        reported_by=actor,
    )
    update.full_clean()
    update.save()
    for upload, content_type in checked:
        upload.seek(0)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        Evidence.objects.create(
            update=update,
            file=upload,
            original_name=getattr(upload, "original_name", upload.name)[:255],
            content_type=content_type,
            size=upload.size,
            sha256=digest.hexdigest(),
        )
    _refresh_progress_facts(task)
    audit_record(
        actor=actor,
        action="progress.submit",
        obj=task,
        after={
            **snapshot(update),
            "evidence": list(update.evidence.values_list("original_name", "sha256")),
        },
    )
    summary_maintain(unit_paths=[task.lead_unit_path])
    return update


# Organisation changes --------------------------------------------------------------------


@transaction.atomic
def tasks_transfer_unit(
    *, source: Unit, target: Unit, effective_on: dt.date, actor: Any = None
) -> int:
    """Move the open tasks led by ``source`` to ``target`` (a merger), recording each transfer.

    Completed and held tasks stay with the unit that did them, so history is not rewritten.
    """
    tasks = list(Task.objects.open().filter(lead_unit=source).values_list("pk", flat=True))
    UnitTransfer.objects.bulk_create(
        UnitTransfer(
            task_id=pk,
            from_unit=source,
            to_unit=target,
            effective_on=effective_on,
            recorded_by=actor,
        )
        for pk in tasks
    )
    audit_record(
        actor=actor,
        action="task.transfer_unit",
        obj=source,
        summary=f"{len(tasks)} -> {target.pk}",
        after={"tasks": tasks, "to_unit": target.pk, "effective_on": str(effective_on)},
    )
    Task.objects.filter(pk__in=tasks).update(
        lead_unit=target, lead_unit_path=target.path, version=F("version") + 1
    )
    TaskCoordination.objects.filter(unit=source, task__completed_on__isnull=True).exclude(
        task__coordinations__unit=target
    ).update(unit=target, unit_path=target.path)
    # The copies of the coordinations that changed unit or whose task changed lead unit.
    coordinations_refresh(
        TaskCoordination.objects.filter(Q(task__lead_unit=target) | Q(unit=target))
    )
    summary_maintain(unit_paths=[source.path, target.path])
    return len(tasks)
