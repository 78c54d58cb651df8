"""The appraisal workflow: submit, pass, return, resubmit, attach; permissions and conflicts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tiendo.audit.models import AuditEntry
from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.programs.tests.factories import make_task

from ..models import AppraisalState, DocumentKind, StepOutcome
from ..services import (
    StepSpec,
    appraisal_attach,
    appraisal_pass_step,
    appraisal_resubmit,
    appraisal_return,
    appraisal_steps_configure,
    appraisal_submit,
)
from .world import MONDAY, build_world

pytestmark = pytest.mark.django_db


def test_submitting_starts_the_first_step_with_its_working_day_limit() -> None:
    # given a project of a program with a five-step procedure
    w = build_world()
    # when its owner submits the dossier on Monday 4 March 2024
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    # then step 1 (one working day) is open and due on Tuesday, and the act is audited
    step = appraisal.steps.get()
    assert (step.position, step.started_on, step.due_on) == (1, MONDAY, dt.date(2024, 3, 5))
    assert step.responsible_unit == w.appraiser
    assert AuditEntry.objects.filter(
        action="appraisal.submit", object_id=str(appraisal.pk)
    ).exists()


def test_passing_a_step_starts_the_next_and_the_last_one_approves() -> None:
    # given a submitted dossier
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    # when the responsible bodies pass every step, one day apart
    deciders = [w.reviewer, w.reviewer, w.reviewer, w.planner, w.leader]
    for i, who in enumerate(deciders, start=1):
        appraisal = appraisal_pass_step(
            actor=who,
            appraisal=appraisal,
            on=MONDAY + dt.timedelta(days=i),
            version=appraisal.version,
        )
    # then each step was entered once, and the project is approved on the last day
    assert [s.position for s in appraisal.steps.all()] == [1, 2, 3, 4, 5]
    assert appraisal.state == AppraisalState.APPROVED
    assert appraisal.approved_on == MONDAY + dt.timedelta(days=5)


def test_only_the_responsible_body_decides_a_step() -> None:
    # given a dossier waiting at step 1 (Bộ Tư lệnh 86)
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    # when the project owner, another body or a viewer tries to pass it, they are refused
    for outsider in (w.officer, w.planner, w.viewer):
        with pytest.raises(PermissionDeniedError):
            appraisal_pass_step(actor=outsider, appraisal=appraisal, on=MONDAY)
    # then nothing changed
    assert appraisal.steps.get().finished_on is None


def test_only_the_owner_submits_and_only_managers_configure() -> None:
    w = build_world()
    with pytest.raises(PermissionDeniedError):
        appraisal_submit(actor=w.reviewer, task=w.project, on=MONDAY)
    with pytest.raises(PermissionDeniedError):
        appraisal_steps_configure(
            actor=w.officer, program=w.program, steps=[StepSpec("X", 1, w.appraiser)]
        )


def test_a_returned_dossier_counts_its_resubmissions() -> None:
    # given a dossier at step 2
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    appraisal = appraisal_pass_step(actor=w.reviewer, appraisal=appraisal, on=MONDAY)
    # when the appraiser returns it with a reason and the owner resubmits two days later
    appraisal = appraisal_return(
        actor=w.reviewer, appraisal=appraisal, on=MONDAY + dt.timedelta(days=1),
        reason="Thiếu báo cáo nghiên cứu khả thi.",
    )  # fmt: skip
    assert appraisal.state == AppraisalState.RETURNED
    appraisal = appraisal_resubmit(
        actor=w.officer, appraisal=appraisal, on=MONDAY + dt.timedelta(days=3)
    )
    # then step 2 starts again in round 2, with a new limit, and the return keeps its reason
    steps = list(appraisal.steps.all())
    assert [(s.position, s.round, s.outcome) for s in steps] == [
        (1, 1, StepOutcome.PASSED),
        (2, 1, StepOutcome.RETURNED),
        (2, 2, StepOutcome.OPEN),
    ]
    assert steps[1].note == "Thiếu báo cáo nghiên cứu khả thi."
    assert appraisal.resubmissions == 1
    assert steps[2].due_on == dt.date(2024, 3, 14)


def test_a_return_needs_a_reason() -> None:
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    with pytest.raises(ValidationError):
        appraisal_return(actor=w.reviewer, appraisal=appraisal, on=MONDAY, reason="  ")


def test_a_stale_version_is_refused() -> None:
    # given two reviewers who opened the same dossier
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    opened = appraisal.version
    appraisal_pass_step(actor=w.reviewer, appraisal=appraisal, on=MONDAY, version=opened)
    # when the second one decides with the version they loaded, it is refused
    with pytest.raises(ConflictError):
        appraisal_return(
            actor=w.reviewer, appraisal=appraisal, on=MONDAY, reason="x", version=opened
        )


def test_dates_before_the_step_or_in_the_future_are_refused() -> None:
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    with pytest.raises(ValidationError):
        appraisal_pass_step(actor=w.reviewer, appraisal=appraisal, on=MONDAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        appraisal_submit(
            actor=w.officer,
            task=make_task(
                program=w.program, lead_unit=w.owner, assignee=w.officer, kind="project"
            ),
            on=dt.date.today() + dt.timedelta(days=2),
        )


def test_only_investment_projects_are_appraised() -> None:
    w = build_world()
    task = make_task(program=w.program, lead_unit=w.owner, assignee=w.officer)
    with pytest.raises(ValidationError):
        appraisal_submit(actor=w.officer, task=task, on=MONDAY)


def test_other_bodies_give_opinions_on_their_own_behalf() -> None:
    # given a dossier at step 1
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    step = appraisal.steps.get()
    # when the planning department gives its opinion, it is attached to the step
    opinion = appraisal_attach(
        actor=w.planner, step=step, kind=DocumentKind.OPINION, unit=w.planning,
        title="Ý kiến về tổng mức đầu tư", text="Thống nhất.", on=MONDAY,
    )  # fmt: skip
    assert list(step.documents.all()) == [opinion]
    # but an officer of the project owner cannot speak for the planning department
    with pytest.raises(PermissionDeniedError):
        appraisal_attach(
            actor=w.officer, step=step, kind=DocumentKind.OPINION, unit=w.planning,
            title="x", on=MONDAY,
        )  # fmt: skip


def test_a_step_already_used_cannot_be_removed_from_the_procedure() -> None:
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    appraisal_pass_step(actor=w.reviewer, appraisal=appraisal, on=MONDAY)
    with pytest.raises(ValidationError):
        appraisal_steps_configure(
            actor=w.office, program=w.program, steps=[StepSpec("Tiếp nhận", 1, w.appraiser)]
        )
