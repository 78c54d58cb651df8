"""Between the API's schemas and the foundation: ids in, model objects to services; rows out.

Ids sent in a body are looked up through the caller's scope. An id the caller cannot see gets
the same field error as one that does not exist, so its existence does not leak.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from tiendo.accounts.models import DISPLAY_NAME_FIELDS
from tiendo.core.deadlines import DeadlineKind, deadline_label, parse_deadline, period_end
from tiendo.orgs.scope import Scope
from tiendo.programs import access, selectors
from tiendo.programs.models import (
    DeadlineExtension,
    HoldChange,
    Program,
    ProgressUpdate,
    Task,
    TaskGroup,
)
from tiendo.programs.services import missing_clears
from tiendo.programs.status import TaskStatus

from .selectors import visible_people, visible_units

# In -----------------------------------------------------------------------------------------


def _unknown(field: str) -> ValidationError:
    return ValidationError({field: _("No such record, or it is outside your reach.")})


def deadline_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Turn ``deadline_text`` or ``deadline_kind`` + ``deadline`` into the model's two fields.

    A month, quarter or year deadline is stored as the last day of its period, whatever day of
    the period the caller sent.
    """
    text = data.pop("deadline_text", None)
    if text is not None:
        if data.get("deadline_kind") is not None or data.get("deadline") is not None:
            raise ValidationError(
                {"deadline_text": _("Send either deadline_text or deadline_kind and deadline.")}
            )
        try:
            parsed = parse_deadline(text)
        except ValueError as exc:
            raise ValidationError({"deadline_text": str(exc)}) from exc
        data["deadline_kind"], data["deadline"] = parsed.kind, parsed.due
        return data
    kind, due = data.get("deadline_kind"), data.get("deadline")
    if kind is not None and due is not None and kind != DeadlineKind.DATE:
        if kind == DeadlineKind.QUARTER:
            data["deadline"] = period_end(kind, due.year, (due.month - 1) // 3 + 1)
        elif kind in (DeadlineKind.MONTH, DeadlineKind.YEAR):
            data["deadline"] = period_end(kind, due.year, due.month)
    if "deadline_kind" in data and kind is None:
        data["deadline_kind"] = ""
    return data


def check_clearance(scope: Scope, data: dict[str, Any]) -> None:
    """Nobody may classify a record above their own clearance: they could no longer see it."""
    level = data.get("classification")
    if level is not None and level > scope.clearance and not scope.is_admin:
        raise ValidationError(
            {"classification": _("You cannot classify a record above your own clearance.")}
        )


def _unit(scope: Scope, data: dict[str, Any], field: str) -> None:
    if data.get(field) is not None:
        unit = visible_units(scope).filter(pk=data[field]).first()
        if unit is None:
            raise _unknown(field)
        data[field] = unit


def _person(scope: Scope, data: dict[str, Any], field: str) -> None:
    if data.get(field) is not None:
        person = visible_people(scope).filter(pk=data[field]).first()
        if person is None:
            raise _unknown(field)
        data[field] = person


def program_fields(scope: Scope, data: dict[str, Any]) -> dict[str, Any]:
    check_clearance(scope, data)
    for field in ("owner_unit", "standing_office"):
        _unit(scope, data, field)
    if "owner_unit" in data and data["owner_unit"] is None:
        raise ValidationError({"owner_unit": _("This field is required.")})
    for field in ("kind", "classification"):
        if field in data and data[field] is None:
            del data[field]  # null means "leave as is" for choices
    return {k: ("" if v is None and k in _BLANK_PROGRAM else v) for k, v in data.items()}


_BLANK_PROGRAM = {"code", "name", "description", "decision_number", "issuer"}
_BLANK_TASK = {"number", "title", "description", "product", "product_unit"}


def visible_program(scope: Scope, program_id: int) -> Program:
    program = selectors.program_list(scope).filter(pk=program_id).first()
    if program is None:
        raise _unknown("program")
    return program


def group_fields(program: Program, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("parent") is not None:
        parent = TaskGroup.objects.filter(pk=data["parent"], program=program).first()
        if parent is None:
            raise _unknown("parent")
        data["parent"] = parent
    return data


def task_fields(scope: Scope, program: Program, data: dict[str, Any]) -> dict[str, Any]:
    check_clearance(scope, data)
    deadline_fields(data)
    if data.get("group") is not None:
        group = TaskGroup.objects.filter(pk=data["group"], program=program).first()
        if group is None:
            raise _unknown("group")
        data["group"] = group
    _unit(scope, data, "lead_unit")
    _person(scope, data, "assignee")
    _person(scope, data, "accountable_leader")
    if data.get("coordinating_units") is not None:
        ids = set(data["coordinating_units"])
        units = list(visible_units(scope).filter(pk__in=sorted(ids)))
        if len(units) != len(ids):
            raise _unknown("coordinating_units")
        data["coordinating_units"] = units
    for field in ("kind", "classification"):
        if field in data and data[field] is None:
            del data[field]
    return {k: ("" if v is None and k in _BLANK_TASK else v) for k, v in data.items()}


# Out ----------------------------------------------------------------------------------------


def _ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": str(obj)}


def program_out(scope: Scope, program: Program) -> dict[str, Any]:
    return {
        **{f: getattr(program, f) for f in _PROGRAM_PLAIN},
        "kind_label": str(program.get_kind_display()),
        "owner_unit": _ref(program.owner_unit),
        "standing_office": _ref(program.standing_office),
        "legal_basis": program.legal_basis,
        "can_manage": access.can_manage_program(scope, program),
    }


_PROGRAM_PLAIN = (
    "id",
    "code",
    "name",
    "kind",
    "description",
    "decision_number",
    "decision_date",
    "issuer",
    "start_year",
    "end_year",
    "vision_year",
    "classification",
    "version",
)


def group_out(group: TaskGroup) -> dict[str, Any]:
    return {
        "id": group.pk,
        "program_id": group.program_id,
        "parent_id": group.parent_id,
        "number": group.number,
        "name": group.name,
        "position": group.position,
        "depth": group.path.count("/") - 2,
    }


_TASK_PLAIN = (
    "id",
    "group_id",
    "number",
    "kind",
    "title",
    "deadline_kind",
    "deadline",
    "original_deadline_kind",
    "original_deadline",
    "product_quantity",
    "product_unit",
    "latest_percent",
    "latest_quantity",
    "latest_progress_on",
    "started_on",
    "completed_on",
    "hold_state",
    "classification",
    "assigned_at",
    "version",
)


# What ``task_out`` reads, for ``QuerySet.only``: a page of tasks with every column of the four
# tables joined (descriptions, products, the program's text, users' passwords) took a third
# longer to read and build (issue #3).
TASK_OUT_COLUMNS = (
    *(f for f in _TASK_PLAIN if f != "id"),
    "product",  # missing_clears
    "accountable_leader_id",
    "program__code",
    "program__name",
    "lead_unit__name",
    *(f"assignee__{name}" for name in DISPLAY_NAME_FIELDS),
)


def task_out(task: Task) -> dict[str, Any]:
    """A task as listed; ``task`` carries the ``status`` annotation of ``task_list``/``task_get``."""
    status = TaskStatus(task.status)  # type: ignore[attr-defined]
    return {
        **{f: getattr(task, f) for f in _TASK_PLAIN},
        "program": {"id": task.program.pk, "code": task.program.code, "name": task.program.name},
        "kind_label": str(task.get_kind_display()),
        "lead_unit": _ref(task.lead_unit),
        "assignee": _ref(task.assignee),
        "status": status.value,
        "status_label": str(status.label),
        "deadline_label": task.deadline_label,
        "deadline_extended": task.deadline_extended,
        "missing_clears": missing_clears(task) if task.is_draft else [],
    }


def task_detail_out(scope: Scope, task: Task) -> dict[str, Any]:
    return {
        **task_out(task),
        "description": task.description,
        "product": task.product,
        "start_date": task.start_date,
        "accountable_leader": _ref(task.accountable_leader),
        "coordinating_units": [_ref(u) for u in task.coordinating_units.order_by("path")],
        "can_edit": access.can_edit_task(scope, task),
        "can_report_progress": access.can_report_progress(scope, task),
    }


def progress_out(update: ProgressUpdate) -> dict[str, Any]:
    return {
        "id": update.pk,
        "task_id": update.task_id,
        "as_of": update.as_of,
        "percent": update.percent,
        "achieved_quantity": update.achieved_quantity,
        "narrative": update.narrative,
        "difficulties": update.difficulties,
        "proposals": update.proposals,
        "unit": _ref(update.unit),
        "reported_by": _ref(update.reported_by),
        "created_at": update.created_at,
        "evidence": [
            {
                "id": e.pk,
                "name": e.original_name,
                "content_type": e.content_type,
                "size": e.size,
                "sha256": e.sha256,
                "url": reverse("api:evidence_download", args=[e.pk]),
            }
            for e in update.evidence.all()
        ],
    }


def extension_out(extension: DeadlineExtension, task: Task) -> dict[str, Any]:
    return {
        "id": extension.pk,
        "task_id": extension.task_id,
        "previous_kind": extension.previous_kind,
        "previous_deadline": extension.previous_deadline,
        "new_kind": extension.new_kind,
        "new_deadline": extension.new_deadline,
        "new_deadline_label": deadline_label(extension.new_kind, extension.new_deadline),
        "reason": extension.reason,
        "approved_by": _ref(extension.approved_by),
        "created_at": extension.created_at,
        "task_version": task.version,
    }


def hold_out(change: HoldChange, task: Task) -> dict[str, Any]:
    return {
        "id": change.pk,
        "task_id": change.task_id,
        "state": change.state,
        "reason": change.reason,
        "effective_on": change.effective_on,
        "approved_by": _ref(change.approved_by),
        "task_version": task.version,
    }
