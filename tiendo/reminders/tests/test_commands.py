"""``tiendo reminders-run``: enqueue on the database queue, or run now; the background task."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tiendo.reminders.models import Notification, ReminderRun

from .world import make_world

D = dt.date
pytestmark = pytest.mark.django_db


def test_command_enqueues_a_run_on_the_database_queue() -> None:
    out = StringIO()
    call_command("reminders-run", "--today", "2026-06-12", stdout=out)
    assert "enqueued" in out.getvalue()
    job = DBTaskResult.objects.get()
    assert job.task_path == "tiendo.reminders.tasks.run_reminders"
    assert job.args_kwargs["args"] == ["2026-06-12"]


def test_command_runs_now() -> None:
    world = make_world()
    world.task(D(2026, 6, 12))
    out = StringIO()
    call_command("reminders_run", "--today", "2026-06-12", "--now", stdout=out)
    assert "reminders created" in out.getvalue()
    assert ReminderRun.objects.get().today == D(2026, 6, 12)
    assert Notification.objects.count() >= 2


def test_bad_date_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("reminders-run", "--today", "12/06/2026")


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
def test_background_task_calls_the_engine() -> None:
    from tiendo.reminders.tasks import run_reminders

    world = make_world()
    world.task(D(2026, 6, 12))
    result = run_reminders.enqueue("2026-06-12")
    assert (result.return_value or {}).get("created", 0) >= 2


@pytest.mark.django_db(transaction=True)  # the worker closes connections between jobs
def test_db_worker_performs_the_enqueued_run() -> None:
    # given a due task and a run enqueued by the daily command
    world = make_world()
    world.task(D(2026, 6, 12))
    call_command("reminders-run", "--today", "2026-06-12", stdout=StringIO())
    # when the database worker processes the queue once
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    # then the run happened and the job succeeded
    assert ReminderRun.objects.get().today == D(2026, 6, 12)
    assert Notification.objects.count() >= 2
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
