"""Reminding units that have not reported: real notifications through ``reminders.notify``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from tiendo.accounts.models import Membership, Role
from tiendo.programs.tests.factories import make_user
from tiendo.reminders.models import Level, Notification, NotificationKind
from tiendo.reporting.models import UnitReport
from tiendo.reporting.reminding import remind_due_reports
from tiendo.reporting.services import report_submit, report_update

from .builders import make_world, open_q1

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
D = dt.date


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _send_a(w, period) -> None:  # type: ignore[no-untyped-def]
    draft = UnitReport.objects.get(period=period, unit=w.dept_a, version=1)
    draft = report_update(actor=w.officer_a, report=draft, edit_version=None, results="Done")
    report_submit(actor=w.officer_a, report=draft)


@override_settings(TASKS=IMMEDIATE)
def test_the_button_notifies_the_missing_unit_in_its_language_once_a_day(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    # Given Q1 2025: department A sent its report, department B did not (long overdue now)
    w = make_world()
    period = open_q1(w)
    _send_a(w, period)
    w.officer_b.language = "vi"
    w.officer_b.email = "b@x.vn"
    w.officer_b.save(update_fields=["language", "email"])
    chair = make_user("chair", unit=w.province, role=Role.COMMITTEE_LEADER, language="en")
    office = client_for(w.office)
    url = reverse("reporting:remind", args=[period.pk])
    # When the standing office presses "remind" for both units
    with django_capture_on_commit_callbacks(execute=True):
        r = office.post(url, {"unit": [w.dept_a.pk, w.dept_b.pk]})
    assert r.status_code == 302
    # Then department B's officer has a notification in Vietnamese, linked to their draft
    note = Notification.objects.get(recipient=w.officer_b)  # and the task's assignee
    draft_b = UnitReport.objects.get(period=period, unit=w.dept_b, version=1)
    assert note.kind == NotificationKind.REPORT_MISSING
    assert note.task_id is None
    assert note.link == reverse("reporting:report", args=[draft_b.pk])
    assert note.message.startswith("Báo cáo của Department B kỳ Quý I/2025")
    assert note.sender == w.office
    # and, more than 15 working days late, it has climbed to the committee leader (in English)
    top = Notification.objects.get(recipient=chair)
    assert top.level == Level.COMMITTEE_LEADER
    assert top.message.startswith("The report of Department B for Quarter I/2025 was due on")
    assert "Committee leader" in top.message
    # nobody of department A (it reported), nor the sender, is reminded
    assert not Notification.objects.filter(recipient__in=[w.officer_a, w.office]).exists()
    # the email went out in the recipient's language
    assert [m.subject for m in mail.outbox if m.to == ["b@x.vn"]] == [
        "[tiendo] Chưa gửi báo cáo: Department B, Quý I/2025"
    ]
    # When pressed again the same day, nobody is reminded twice
    with django_capture_on_commit_callbacks(execute=True):
        office.post(url, {"unit": [w.dept_b.pk]})
    assert Notification.objects.filter(recipient=w.officer_b).count() == 1
    assert len([m for m in mail.outbox if m.to == ["b@x.vn"]]) == 1
    # The officer sees it in their notification centre
    page = client_for(w.officer_b).get(reverse("reminders:list")).content.decode()
    assert reverse("reporting:report", args=[draft_b.pk]) in page


def test_an_officer_cannot_remind() -> None:
    w = make_world()
    period = open_q1(w)
    r = client_for(w.officer_a).post(
        reverse("reporting:remind", args=[period.pk]), {"unit": [w.dept_b.pk]}
    )
    assert r.status_code in (302, 403)
    assert not Notification.objects.exists()


def test_daily_job_reminds_before_on_and_after_the_due_day_once_each() -> None:
    # Given Q1 2025, due Tuesday 8 April (7 April is a holiday), department B not reported
    w = make_world()
    period = open_q1(w)
    assert period.due_on == D(2025, 4, 8)
    _send_a(w, period)
    leader_b = make_user("leader_b", unit=w.dept_b, role=Role.UNIT_LEADER)
    officers = set(
        Membership.objects.filter(unit=w.dept_b, role=Role.UNIT_OFFICER).values_list(
            "user_id", flat=True
        )
    )
    n = len(officers)  # officer_b and the assignee of department B's task
    # Three working days before: the officers only, and a rerun sends nothing more
    assert remind_due_reports(today=D(2025, 4, 3)) == n
    assert remind_due_reports(today=D(2025, 4, 3)) == 0
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == officers
    # Too early, a day off, or between steps: nothing
    assert remind_due_reports(today=D(2025, 3, 28)) == 0
    assert remind_due_reports(today=D(2025, 4, 7)) == 0  # Hùng Kings' day
    # On the due day: the officers (AHEAD was another key) and the unit leader
    assert remind_due_reports(today=D(2025, 4, 8)) == n + 1
    assert remind_due_reports(today=D(2025, 4, 9)) == 0
    # Five working days late (15 April): step 1, unit leader; ten (22 April): standing office
    assert remind_due_reports(today=D(2025, 4, 15)) == n + 1
    assert remind_due_reports(today=D(2025, 4, 16)) == 0
    assert remind_due_reports(today=D(2025, 4, 22)) == n + 2
    office_note = Notification.objects.get(recipient=w.office)
    assert office_note.level == Level.STANDING_OFFICE
    assert Notification.objects.filter(recipient=leader_b).count() == 3
    # Once the unit sends its report, the reminders stop
    draft = UnitReport.objects.get(period=period, unit=w.dept_b, version=1)
    draft = report_update(actor=w.officer_b, report=draft, edit_version=None, results="Done")
    report_submit(actor=w.officer_b, report=draft)
    assert remind_due_reports(today=D(2025, 4, 29)) == 0


def test_the_daily_reminder_run_includes_unit_reports() -> None:
    from tiendo.reminders.engine import reminders_run

    w = make_world()
    open_q1(w)
    run = reminders_run(today=D(2025, 4, 8), send_email=False)
    assert Notification.objects.filter(kind=NotificationKind.REPORT_MISSING).count() >= 2
    assert run.created == Notification.objects.count()
