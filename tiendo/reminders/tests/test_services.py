"""Urging and per-program settings: permissions, validation, the record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from tiendo.core.errors import PermissionDeniedError
from tiendo.programs.models import HoldState
from tiendo.programs.services import task_set_hold
from tiendo.reminders.models import Notification, NotificationKind, ReminderSettings
from tiendo.reminders.services import reminder_settings_update, task_urge

from .world import make_world

D = dt.date
pytestmark = pytest.mark.django_db
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_standing_office_urges_the_assignee_and_unit_leader(django_capture_on_commit_callbacks):
    from django.core import mail

    world = make_world()
    task = world.task(D(2030, 6, 12))
    # when the standing office urges, with a message
    with django_capture_on_commit_callbacks(execute=True):
        sent = task_urge(actor=world.secretary, task=task, note="Please report by Friday.")
    # then the assignee and the unit leader receive it, recorded with the sender
    assert sorted(n.recipient.username for n in sent) == ["leader", "officer"]
    assert all(n.kind == NotificationKind.URGE and n.sender == world.secretary for n in sent)
    assert "Please report by Friday." in sent[0].message
    # and the emails go out after the commit through the task queue
    assert sorted(m.to[0] for m in mail.outbox) == ["leader@x.vn", "officer@x.vn"]


def test_unit_leader_urges_the_assignee_only() -> None:
    world = make_world()
    task = world.task(D(2030, 6, 12), accountable_leader=world.leader)
    sent = task_urge(actor=world.leader, task=task)
    assert [n.recipient for n in sent] == [world.officer]


def test_urging_twice_is_recorded_twice() -> None:
    world = make_world()
    task = world.task(D(2030, 6, 12))
    task_urge(actor=world.secretary, task=task)
    task_urge(actor=world.secretary, task=task)
    assert Notification.objects.filter(task=task, recipient=world.officer).count() == 2


def test_an_officer_cannot_urge() -> None:
    world = make_world()
    task = world.task(D(2030, 6, 12))
    with pytest.raises(PermissionDeniedError):
        task_urge(actor=world.officer, task=task)
    assert not Notification.objects.exists()


def test_a_paused_task_cannot_be_urged() -> None:
    world = make_world()
    task = world.task(D(2030, 6, 12))
    task_set_hold(
        actor=world.admin,
        task=task,
        state=HoldState.PAUSED,
        reason="Budget",
        effective_on=D(2030, 1, 1),
        version=task.version,
    )
    task.refresh_from_db()
    with pytest.raises(ValidationError, match="in progress"):
        task_urge(actor=world.secretary, task=task)


def test_too_long_message_is_refused() -> None:
    world = make_world()
    task = world.task(D(2030, 6, 12))
    with pytest.raises(ValidationError) as error:
        task_urge(actor=world.secretary, task=task, note="x" * 1001)
    assert "note" in error.value.message_dict
    assert not Notification.objects.exists()


def test_program_settings_by_its_standing_office_only() -> None:
    world = make_world()
    row = reminder_settings_update(
        actor=world.secretary, program=world.program, days_before=5, overdue_every=10
    )
    assert (row.days_before, row.overdue_every) == (5, 10)
    with pytest.raises(PermissionDeniedError):
        reminder_settings_update(actor=world.officer, program=world.program, days_before=1)
    with pytest.raises(ValidationError):
        reminder_settings_update(actor=world.secretary, program=world.program, days_before=0)
    assert ReminderSettings.objects.get(program=world.program).days_before == 5
