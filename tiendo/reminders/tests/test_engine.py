"""The engine on a real database: a simulated clock, escalation, exactly-once, quiet states."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tiendo.programs.models import HoldState, Task
from tiendo.programs.services import progress_submit, task_set_hold
from tiendo.reminders.engine import reminders_run
from tiendo.reminders.models import (
    Level,
    Notification,
    NotificationKind,
    ReminderSettings,
    ReportPeriod,
)

from .world import make_world

D = dt.date
pytestmark = pytest.mark.django_db


def assigned_in_january(task) -> None:
    """Tasks are assigned "now" by the services; report rules need one assigned before June."""
    Task.objects.filter(pk=task.pk).update(
        assigned_at=timezone.make_aware(dt.datetime(2026, 1, 5, 9))
    )


def run_days(start: dt.date, end: dt.date) -> None:
    day = start
    while day <= end:
        reminders_run(today=day)
        day += dt.timedelta(days=1)


def no_reports(world) -> None:
    ReminderSettings.objects.create(program=world.program, report_period=ReportPeriod.NONE)


def received(task) -> list[tuple[str, str, int, dt.date]]:
    return sorted(
        (n.recipient.username, n.kind, n.level, n.created_at.date() and n.occurrence)
        for n in Notification.objects.filter(task=task).select_related("recipient")
    )


def test_simulated_clock_across_weeks_escalates_level_by_level() -> None:
    # given a task due Friday 12 June 2026, with no periodic report rule
    world = make_world()
    no_reports(world)
    task = world.task(D(2026, 6, 12))
    # when the engine runs every day from 1 June to 3 July
    run_days(D(2026, 6, 1), D(2026, 7, 3))
    # then each person gets exactly the reminders of their level
    assert received(task) == sorted(
        [
            ("officer", NotificationKind.DEADLINE_AHEAD, Level.ASSIGNEE, D(2026, 6, 12)),
            ("officer", NotificationKind.DEADLINE_TODAY, Level.ASSIGNEE, D(2026, 6, 12)),
            ("leader", NotificationKind.DEADLINE_TODAY, Level.UNIT_LEADER, D(2026, 6, 12)),
            ("officer", NotificationKind.OVERDUE, Level.ASSIGNEE, D(2026, 6, 19)),
            ("leader", NotificationKind.OVERDUE, Level.UNIT_LEADER, D(2026, 6, 19)),
            ("officer", NotificationKind.OVERDUE, Level.ASSIGNEE, D(2026, 6, 26)),
            ("secretary", NotificationKind.OVERDUE, Level.STANDING_OFFICE, D(2026, 6, 26)),
            ("officer", NotificationKind.OVERDUE, Level.ASSIGNEE, D(2026, 7, 3)),
            ("chair", NotificationKind.OVERDUE, Level.COMMITTEE_LEADER, D(2026, 7, 3)),
        ]
    )
    # and one email per notification (everyone has an address, default mode is immediate)
    assert len(mail.outbox) == 9
    assert {m.to[0] for m in mail.outbox} == {
        "officer@x.vn",
        "leader@x.vn",
        "secretary@x.vn",
        "chair@x.vn",
    }


def test_message_says_why_and_links_to_the_task() -> None:
    world = make_world()
    no_reports(world)
    task = world.task(D(2026, 6, 12), title="Open data portal")
    reminders_run(today=D(2026, 6, 9))
    notification = Notification.objects.get(task=task)
    assert notification.message == (
        "Task “Open data portal” is due on 06/12/2026, in 3 working days."
    )
    assert notification.link == f"/tasks/{task.pk}/"
    assert f"http://localhost:8000/tasks/{task.pk}/" in mail.outbox[0].body


def test_missed_days_are_caught_up_once() -> None:
    # given the server was down from 8 to 15 June
    world = make_world()
    no_reports(world)
    task = world.task(D(2026, 6, 12))
    # when it runs again on 16 June (2 working days overdue)
    reminders_run(today=D(2026, 6, 16))
    # then nothing of the past is replayed: the task is late but below the first escalation
    assert not Notification.objects.filter(task=task).exists()
    # and on 19 June the first escalation goes out
    reminders_run(today=D(2026, 6, 19))
    assert set(Notification.objects.filter(task=task).values_list("kind", flat=True)) == {
        NotificationKind.OVERDUE
    }


def test_rerun_sends_nothing_twice() -> None:
    world = make_world()
    no_reports(world)
    tasks = [world.task(D(2026, 6, 12)) for _ in range(3)]
    first = reminders_run(today=D(2026, 6, 12))
    emails = len(mail.outbox)
    # when the same day runs again
    second = reminders_run(today=D(2026, 6, 12))
    # then no notification and no email is added
    assert first.created == 6
    assert emails == 6
    assert second.created == 0
    assert len(mail.outbox) == emails
    assert Notification.objects.filter(task__in=tasks).count() == 6


def test_interrupted_run_is_completed_exactly_once() -> None:
    # given 5 due tasks and a run that dies after its second committed batch
    world = make_world()
    no_reports(world)
    tasks = [world.task(D(2026, 6, 12)) for _ in range(5)]
    batches = []

    def crash_after_two(rows: int) -> None:
        batches.append(rows)
        if len(batches) == 2:
            raise KeyboardInterrupt("worker killed")

    with pytest.raises(KeyboardInterrupt):
        reminders_run(today=D(2026, 6, 12), batch_size=1, on_batch=crash_after_two)
    # then what was committed stays and nothing was emailed yet
    assert Notification.objects.count() == 4
    assert mail.outbox == []
    # when the run is repeated
    reminders_run(today=D(2026, 6, 12), batch_size=2)
    # then every task has exactly its two reminders, and every email went out once
    for task in tasks:
        assert Notification.objects.filter(task=task).count() == 2
    assert len(mail.outbox) == 10
    assert len({(m.to[0], m.body) for m in mail.outbox}) == 10


class FlakyBackend:
    """An SMTP server that accepts 3 messages, then goes down."""

    accepted: list = []

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        if len(FlakyBackend.accepted) >= 3:
            raise ConnectionError("SMTP server unreachable")
        FlakyBackend.accepted.extend(messages)
        return len(messages)


def test_email_outage_mid_run_is_recovered_without_duplicates(settings) -> None:
    world = make_world()
    no_reports(world)
    for _ in range(4):
        world.task(D(2026, 6, 12))
    FlakyBackend.accepted = []
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    # when the mail server fails after 3 of the 8 emails
    with pytest.raises(ConnectionError):
        reminders_run(today=D(2026, 6, 12))
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 3
    # and the next run happens with the server back
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reminders_run(today=D(2026, 6, 12))
    # then the other 5 are sent, the first 3 are not sent again
    assert len(mail.outbox) == 5
    sent_first = {(m.to[0], m.body) for m in FlakyBackend.accepted}
    assert not sent_first & {(m.to[0], m.body) for m in mail.outbox}
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_quiet_for_completed_paused_and_cancelled_tasks() -> None:
    world = make_world()
    no_reports(world)
    done = world.task(D(2026, 6, 12))
    paused = world.task(D(2026, 6, 12))
    cancelled = world.task(D(2026, 6, 12))
    draft = world.task(D(2026, 6, 12), assign=False)
    progress_submit(actor=world.officer, task=done, as_of=D(2026, 6, 1), percent=100)
    task_set_hold(
        actor=world.admin,
        task=paused,
        state=HoldState.PAUSED,
        reason="Budget",
        effective_on=D(2026, 6, 1),
        version=paused.version,
    )
    task_set_hold(
        actor=world.admin,
        task=cancelled,
        state=HoldState.CANCELLED,
        reason="Merged",
        effective_on=D(2026, 6, 1),
        version=cancelled.version,
    )
    run_days(D(2026, 6, 1), D(2026, 7, 3))
    assert not Notification.objects.filter(task__in=[done, paused, cancelled, draft]).exists()


def test_empty_level_passes_to_the_next_one() -> None:
    # given a program without a standing office member and a unit without a leader
    world = make_world()
    no_reports(world)
    world.secretary.memberships.all().delete()
    task = world.task(D(2026, 6, 12), accountable_leader=world.officer)
    world.leader.memberships.all().delete()
    # when the task reaches the second escalation (standing office)
    reminders_run(today=D(2026, 6, 26))
    # then the committee leader receives it
    assert received(task) == sorted(
        [
            ("officer", NotificationKind.OVERDUE, Level.ASSIGNEE, D(2026, 6, 26)),
            ("chair", NotificationKind.OVERDUE, Level.COMMITTEE_LEADER, D(2026, 6, 26)),
        ]
    )


def test_unit_head_is_a_unit_leader() -> None:
    world = make_world()
    no_reports(world)
    world.leader.memberships.all().delete()
    world.unit.head = world.chair
    world.unit.save(update_fields=["head"])
    task = world.task(D(2026, 6, 12), accountable_leader=world.officer)
    reminders_run(today=D(2026, 6, 12))
    assert ("chair", NotificationKind.DEADLINE_TODAY, Level.UNIT_LEADER, D(2026, 6, 12)) in (
        received(task)
    )


def test_people_without_clearance_are_not_reminded() -> None:
    world = make_world()
    no_reports(world)
    task = world.task(D(2026, 6, 12), classification=1)
    world.officer.clearance = 1
    world.officer.save(update_fields=["clearance"])
    reminders_run(today=D(2026, 6, 12))
    assert [r[0] for r in received(task)] == ["officer"]


def test_missing_monthly_report_is_reminded_and_escalated() -> None:
    # given the default rules: monthly report, due 5 working days after the month
    world = make_world()
    task = world.task(D(2026, 12, 31))
    assigned_in_january(task)
    # June's report is due Tuesday 7 July 2026
    run_days(D(2026, 6, 29), D(2026, 7, 14))
    kinds = [
        (n.recipient.username, n.kind, n.occurrence)
        for n in Notification.objects.filter(task=task)
        .select_related("recipient")
        .order_by("created_at", "id")
    ]
    assert ("officer", NotificationKind.REPORT_AHEAD, D(2026, 7, 7)) in kinds
    assert ("leader", NotificationKind.REPORT_TODAY, D(2026, 7, 7)) in kinds
    assert ("leader", NotificationKind.REPORT_OVERDUE, D(2026, 7, 14)) in kinds


def test_a_submitted_report_stops_report_reminders() -> None:
    world = make_world()
    task = world.task(D(2026, 12, 31))
    assigned_in_january(task)
    progress_submit(actor=world.officer, task=task, as_of=D(2026, 6, 20), percent=30)
    run_days(D(2026, 6, 29), D(2026, 7, 14))
    # then June's report (due 7 July) is not chased; July's (due 7 August) is not due yet
    assert not Notification.objects.filter(task=task).exists()
    # while an unreported task of the same unit is
    other = world.task(D(2026, 12, 31))
    assigned_in_january(other)
    reminders_run(today=D(2026, 7, 14))
    assert Notification.objects.filter(task=other, kind=NotificationKind.REPORT_OVERDUE).exists()


def test_program_settings_override_the_defaults() -> None:
    world = make_world()
    ReminderSettings.objects.create(
        program=world.program, days_before=1, report_period=ReportPeriod.NONE
    )
    task = world.task(D(2026, 6, 12))
    run_days(D(2026, 6, 8), D(2026, 6, 10))
    assert not Notification.objects.filter(task=task).exists()
    reminders_run(today=D(2026, 6, 11))
    assert Notification.objects.get(task=task).kind == NotificationKind.DEADLINE_AHEAD
