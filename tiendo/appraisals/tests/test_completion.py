"""Approval completes the project's task through the programs service, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tiendo.audit.models import AuditEntry
from tiendo.programs.models import ProgressUpdate, Task
from tiendo.programs.services import progress_submit, task_set_hold
from tiendo.programs.status import COMPLETED, status_expression

from ..models import AppraisalState
from ..services import StepSpec, appraisal_pass_step, appraisal_steps_configure, appraisal_submit
from .world import MONDAY, World, build_world

pytestmark = pytest.mark.django_db


def _walk(w: World, last_day: dt.date | None = None):  # type: ignore[no-untyped-def]
    """Submit on Monday 4 March 2024 and pass the five steps one day apart (approval on 9/3)."""
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    for i, who in enumerate([w.reviewer, w.reviewer, w.reviewer, w.planner, w.leader], start=1):
        appraisal = appraisal_pass_step(
            actor=who, appraisal=appraisal, on=MONDAY + dt.timedelta(days=i)
        )
    return appraisal


def _approval_entry(appraisal) -> dict:  # type: ignore[no-untyped-def]
    entry = (
        AuditEntry.objects.filter(action="appraisal.pass", object_id=str(appraisal.pk))
        .order_by("-id")
        .first()
    )
    assert entry is not None
    return entry.after


def test_approval_completes_the_task_on_the_approval_day() -> None:
    # given a project whose five steps the bodies pass, the committee approving on 9 March 2024
    w = build_world()
    # when the last step passes
    appraisal = _walk(w)
    # then the task is completed that day by a 100 % report of the approver, audited twice
    assert appraisal.state == AppraisalState.APPROVED
    task = Task.objects.get(pk=w.project.pk)
    assert (task.latest_percent, task.completed_on) == (100, dt.date(2024, 3, 9))
    update = ProgressUpdate.objects.get(task=task)
    assert (update.percent, update.as_of, update.reported_by_id) == (
        100,
        dt.date(2024, 3, 9),
        w.leader.pk,
    )
    assert "Phê duyệt" in update.narrative
    assert AuditEntry.objects.filter(action="progress.submit", object_id=str(task.pk)).exists()
    assert _approval_entry(appraisal)["task"] == "completed"
    # and its derived status is a completed one
    day = dt.date(2024, 3, 20)
    assert Task.objects.annotate(status=status_expression(day)).get(pk=task.pk).status in COMPLETED


def test_earlier_steps_do_not_touch_the_task() -> None:
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    appraisal_pass_step(actor=w.reviewer, appraisal=appraisal, on=MONDAY)
    assert not ProgressUpdate.objects.filter(task=w.project).exists()


def test_a_task_already_at_100_percent_gets_no_second_report() -> None:
    # given the owner already reported the project done before the approval
    w = build_world()
    progress_submit(actor=w.officer, task=w.project, as_of=MONDAY, percent=100)
    # when it is approved
    appraisal = _walk(w)
    # then the history is unchanged, and the audit says why
    assert ProgressUpdate.objects.filter(task=w.project).count() == 1
    assert _approval_entry(appraisal)["task"] == "already_completed"


def test_an_approver_who_may_not_report_progress_leaves_the_task_open() -> None:
    # given a one-step procedure decided by the planning department, which neither leads the
    # project nor manages the program
    w = build_world()
    appraisal_steps_configure(
        actor=w.office, program=w.program, steps=[StepSpec("Phê duyệt", 5, w.planning)]
    )
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    # when it approves
    appraisal = appraisal_pass_step(actor=w.planner, appraisal=appraisal, on=MONDAY)
    # then the approval stands, the task is not completed on its behalf, and the audit says so
    assert appraisal.state == AppraisalState.APPROVED
    assert not ProgressUpdate.objects.filter(task=w.project).exists()
    assert _approval_entry(appraisal)["task"] == "left_open"


def test_a_paused_project_is_approved_but_not_completed() -> None:
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    for i, who in enumerate([w.reviewer, w.reviewer, w.reviewer, w.planner], start=1):
        appraisal = appraisal_pass_step(
            actor=who, appraisal=appraisal, on=MONDAY + dt.timedelta(days=i)
        )
    task_set_hold(
        actor=w.office, task=w.project, version=None, state="paused", reason="Chờ bố trí vốn"
    )
    appraisal = appraisal_pass_step(
        actor=w.leader, appraisal=appraisal, on=MONDAY + dt.timedelta(days=5)
    )
    assert appraisal.state == AppraisalState.APPROVED
    assert not ProgressUpdate.objects.filter(task=w.project).exists()
    assert _approval_entry(appraisal)["task"] == "left_open"


def test_the_project_page_says_when_approval_left_the_task_open() -> None:
    # given a project approved by a body that may not report its progress
    w = build_world()
    appraisal_steps_configure(
        actor=w.office, program=w.program, steps=[StepSpec("Phê duyệt", 5, w.planning)]
    )
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    appraisal_pass_step(actor=w.planner, appraisal=appraisal, on=MONDAY)
    client = Client()
    client.force_login(w.office)
    url = reverse("appraisals:detail", args=[w.project.pk])
    # then its page says the task still waits for its completion report
    assert client.get(url).context["task_left_open"] is True
    # and once the owner reports it done, the notice goes
    progress_submit(actor=w.officer, task=w.project, as_of=MONDAY, percent=100)
    assert client.get(url).context["task_left_open"] is False
