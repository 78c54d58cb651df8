"""Writes of the appraisal workflow. Each is one transaction, audited, and checks permission.

    appraisal_steps_configure   the program's procedure (steps, limits in working days, bodies)
    appraisal_submit            the project owner submits the dossier: the first step starts
    appraisal_pass_step         the responsible body passes the open step (the next one starts)
    appraisal_return            the responsible body returns the dossier, with its reason
    appraisal_resubmit          the owner resubmits: the step that returned it starts again
    appraisal_attach            a document or a body's opinion on a step

Approval (passing the last step) completes the project's task through
``tiendo.programs.services.progress_submit`` (a 100 % report dated the approval day, by the
approver), so the task's status, dashboards and reports follow from the usual facts.

Acts carry the day they happened (``on``), never in the future and never before the open step
started. ``version`` guards against two people deciding the same step at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.audit.services import audit_record, snapshot
from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for
from tiendo.programs.access import can_report_progress
from tiendo.programs.files import check_upload
from tiendo.programs.models import Program, Task, TaskKind
from tiendo.programs.services import progress_submit

from . import access
from .models import (
    Appraisal,
    AppraisalDocument,
    AppraisalState,
    AppraisalStep,
    AppraisalStepRule,
    DocumentKind,
    StepOutcome,
)
from .timing import step_due


@dataclass(frozen=True)
class StepSpec:
    name: str
    time_limit_days: int
    responsible_unit: Unit


def _check_day(on: dt.date, not_before: dt.date | None = None) -> None:
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if not_before is not None and on < not_before:
        raise ValidationError(
            {"on": _("The date cannot be before the step started (%(date)s).")
             % {"date": not_before.strftime("%d/%m/%Y")}}
        )  # fmt: skip


@transaction.atomic
def appraisal_steps_configure(
    *, actor: Any, program: Program, steps: Sequence[StepSpec]
) -> list[AppraisalStepRule]:
    """Replace the program's procedure. Steps already entered keep their copied name and limit."""
    if not access.can_configure_steps(scope_for(actor), program):
        raise PermissionDeniedError(
            _("Only the program's committee or standing office can do this.")
        )
    if not steps:
        raise ValidationError(_("The procedure needs at least one step."))
    for i, spec in enumerate(steps, start=1):
        if not spec.name.strip():
            raise ValidationError(_("Step %(n)d has no name.") % {"n": i})
        if spec.time_limit_days < 1:
            raise ValidationError(
                _("Step %(n)d needs a time limit of at least one working day.") % {"n": i}
            )
    before = list(program.appraisal_rules.values("position", "name", "time_limit_days"))
    used = set(
        AppraisalStep.objects.filter(rule__program=program).values_list("rule_id", flat=True)
    )
    existing = {r.position: r for r in program.appraisal_rules.all()}
    rules = []
    for i, spec in enumerate(steps, start=1):
        rule = existing.pop(i, None) or AppraisalStepRule(program=program, position=i)
        rule.name = spec.name.strip()
        rule.time_limit_days = spec.time_limit_days
        rule.responsible_unit = spec.responsible_unit
        rule.full_clean()
        rule.save()
        rules.append(rule)
    for rule in existing.values():
        if rule.pk in used:
            raise ValidationError(
                _("Step %(n)d cannot be removed: projects have already gone through it.")
                % {"n": rule.position}
            )
        rule.delete()
    audit_record(
        actor=actor,
        action="appraisal.configure",
        obj=program,
        summary=_("Appraisal procedure set: %(n)d steps") % {"n": len(rules)},
        before=before,
        after=[
            snapshot(r, ["position", "name", "time_limit_days", "responsible_unit"]) for r in rules
        ],
    )
    return rules


def _start_step(appraisal: Appraisal, rule: AppraisalStepRule, on: dt.date) -> AppraisalStep:
    return AppraisalStep.objects.create(
        appraisal=appraisal,
        rule=rule,
        position=rule.position,
        name=rule.name,
        responsible_unit=rule.responsible_unit,
        time_limit_days=rule.time_limit_days,
        round=appraisal.resubmissions + 1,
        started_on=on,
        due_on=step_due(on, rule.time_limit_days),
    )


def _lock(appraisal: Appraisal, version: int | None) -> Appraisal:
    locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    if version is not None and locked.version != version:
        raise ConflictError(
            _("Somebody else acted on this appraisal since you opened it. Reload and try again.")
        )
    return locked


def open_step(appraisal: Appraisal) -> AppraisalStep | None:
    return (
        appraisal.steps.filter(finished_on__isnull=True).select_related("responsible_unit").first()
    )


@transaction.atomic
def appraisal_submit(*, actor: Any, task: Task, on: dt.date) -> Appraisal:
    """The dossier of an investment project is submitted: its appraisal starts at step 1."""
    if task.kind != TaskKind.PROJECT:
        raise ValidationError(_("Only investment projects go through appraisal."))
    if not access.can_submit_dossier(scope_for(actor), task):
        raise PermissionDeniedError(_("Only the project owner can submit its dossier."))
    _check_day(on)
    first = task.program.appraisal_rules.order_by("position").first()
    if first is None:
        raise ValidationError(_("The program has no appraisal procedure yet."))
    if Appraisal.objects.filter(task=task).exists():
        raise ValidationError(_("The dossier of this project has already been submitted."))
    appraisal = Appraisal.objects.create(task=task, submitted_on=on)
    _start_step(appraisal, first, on)
    audit_record(
        actor=actor,
        action="appraisal.submit",
        obj=appraisal,
        summary=_("Dossier submitted for appraisal: %(task)s") % {"task": task},
        after=snapshot(appraisal),
    )
    return appraisal


def _decide(
    *, actor: Any, appraisal: Appraisal, on: dt.date, version: int | None
) -> tuple[Appraisal, AppraisalStep]:
    appraisal = _lock(appraisal, version)
    step = open_step(appraisal)
    if step is None:
        raise ValidationError(_("No step of this appraisal is waiting for a decision."))
    if not access.can_decide_step(scope_for(actor), step.responsible_unit):
        raise PermissionDeniedError(
            _("Only %(unit)s, responsible for this step, can decide it.")
            % {"unit": step.responsible_unit.name}
        )
    _check_day(on, step.started_on)
    return appraisal, step


class Completion:
    """What approval did to the project's task (recorded in the approval's audit entry)."""

    COMPLETED = "completed"  # a 100 % progress report dated the approval day
    ALREADY = "already_completed"  # the task already stood at 100 %: nothing to add
    LEFT_OPEN = "left_open"  # the approver may not report its progress (or it is on hold)


def _complete_project(*, actor: Any, task: Task, on: dt.date, step: AppraisalStep) -> str:
    """Record the approved project's task as completed on ``on``, through the programs service."""
    task = Task.objects.select_related("program").get(pk=task.pk)  # facts as they are now
    if task.latest_percent == 100:
        return Completion.ALREADY
    if not can_report_progress(scope_for(actor), task):
        # The approval stands; the lead unit or the program's managers report the completion.
        return Completion.LEFT_OPEN
    progress_submit(
        actor=actor, task=task, as_of=on, percent=100,
        narrative=_("Project approved at the last appraisal step: %(step)s.") % {"step": step.name},
    )  # fmt: skip
    return Completion.COMPLETED


@transaction.atomic
def appraisal_pass_step(
    *, actor: Any, appraisal: Appraisal, on: dt.date, note: str = "", version: int | None = None
) -> Appraisal:
    """The responsible body passes the open step; the next starts the same day, or, after the
    last step, the project is approved and its task completed (``_complete_project``)."""
    appraisal, step = _decide(actor=actor, appraisal=appraisal, on=on, version=version)
    step.finished_on, step.outcome, step.note, step.finished_by = (
        on,
        StepOutcome.PASSED,
        note,
        actor,
    )
    step.save(update_fields=["finished_on", "outcome", "note", "finished_by"])
    following = (
        AppraisalStepRule.objects.filter(
            program_id=appraisal.task.program_id, position__gt=step.position
        )
        .order_by("position")
        .first()
    )
    if following is None:
        appraisal.state, appraisal.approved_on = AppraisalState.APPROVED, on
    else:
        _start_step(appraisal, following, on)
    appraisal.version = F("version") + 1
    appraisal.save(update_fields=["state", "approved_on", "version", "updated_at"])
    appraisal.refresh_from_db()
    after = {"step": step.position, "on": on.isoformat(), "state": appraisal.state}
    if following is None:
        after["task"] = _complete_project(actor=actor, task=appraisal.task, on=on, step=step)
    audit_record(
        actor=actor,
        action="appraisal.pass",
        obj=appraisal,
        summary=_("Step passed: %(step)s") % {"step": step.name},
        after=after,
    )
    return appraisal


@transaction.atomic
def appraisal_return(
    *, actor: Any, appraisal: Appraisal, on: dt.date, reason: str, version: int | None = None
) -> Appraisal:
    """The responsible body returns the dossier to the project owner, saying why."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the dossier is returned.")})
    appraisal, step = _decide(actor=actor, appraisal=appraisal, on=on, version=version)
    step.finished_on, step.outcome = on, StepOutcome.RETURNED
    step.note, step.finished_by = reason.strip(), actor
    step.save(update_fields=["finished_on", "outcome", "note", "finished_by"])
    appraisal.state = AppraisalState.RETURNED
    appraisal.version = F("version") + 1
    appraisal.save(update_fields=["state", "version", "updated_at"])
    appraisal.refresh_from_db()
    audit_record(
        actor=actor,
        action="appraisal.return",
        obj=appraisal,
        summary=_("Dossier returned at step %(step)s") % {"step": step.name},
        after={"step": step.position, "on": on.isoformat(), "reason": step.note},
    )
    return appraisal


@transaction.atomic
def appraisal_resubmit(
    *, actor: Any, appraisal: Appraisal, on: dt.date, version: int | None = None
) -> Appraisal:
    """The owner resubmits a returned dossier; the step that returned it starts again."""
    appraisal = _lock(appraisal, version)
    task = appraisal.task
    if not access.can_submit_dossier(scope_for(actor), task):
        raise PermissionDeniedError(_("Only the project owner can submit its dossier."))
    if appraisal.state != AppraisalState.RETURNED:
        raise ValidationError(_("Only a returned dossier can be resubmitted."))
    returned = appraisal.steps.order_by("-started_on", "-id").select_related("rule").first()
    assert returned is not None  # a returned appraisal has at least the step that returned it
    _check_day(on, returned.finished_on)
    appraisal.resubmissions += 1
    appraisal.state = AppraisalState.IN_PROGRESS
    appraisal.version = F("version") + 1
    appraisal.save(update_fields=["resubmissions", "state", "version", "updated_at"])
    appraisal.refresh_from_db()
    _start_step(appraisal, returned.rule, on)
    audit_record(
        actor=actor,
        action="appraisal.resubmit",
        obj=appraisal,
        summary=_("Dossier resubmitted (%(n)d)") % {"n": appraisal.resubmissions},
        after={"on": on.isoformat(), "resubmissions": appraisal.resubmissions},
    )
    return appraisal


@transaction.atomic
def appraisal_attach(
    *,
    actor: Any,
    step: AppraisalStep,
    kind: str,
    title: str,
    on: dt.date,
    text: str = "",
    unit: Unit | None = None,
    file: UploadedFile | None = None,
) -> AppraisalDocument:
    """Attach a dossier document, or the opinion of ``unit`` (whose people give it)."""
    scope = scope_for(actor)
    if kind == DocumentKind.OPINION:
        if unit is None:
            raise ValidationError({"unit": _("Say which body gives this opinion.")})
        allowed = access.can_act_for(scope, unit) or access.can_decide_step(
            scope, step.responsible_unit
        )
    else:
        allowed = access.can_decide_step(scope, step.responsible_unit) or access.can_submit_dossier(
            scope, step.appraisal.task
        )
    if not allowed:
        raise PermissionDeniedError(_("You cannot add documents to this step."))
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    _check_day(on)
    if file is not None:
        check_upload(file)
    document = AppraisalDocument(
        step=step, kind=kind, unit=unit, title=title.strip(), text=text, added_on=on, added_by=actor
    )
    if file is not None:
        document.file = file
    document.full_clean()
    document.save()
    audit_record(
        actor=actor,
        action="appraisal.attach",
        obj=document,
        summary=_("Added to step %(step)s: %(title)s")
        % {"step": step.name, "title": document.title},
        after=snapshot(document, ["step", "kind", "unit", "title", "added_on"]),
    )
    return document
