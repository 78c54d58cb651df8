"""Preferences and language: who gets which email, in which language, and digests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import formats, translation

from tiendo.reminders.delivery import deliver_digests
from tiendo.reminders.engine import reminders_run
from tiendo.reminders.models import EmailMode, Notification, ReminderSettings, ReportPeriod
from tiendo.reminders.services import preference_update

from .world import make_world

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = make_world(language="vi")
    ReminderSettings.objects.create(program=w.program, report_period=ReportPeriod.NONE)
    return w


def test_each_recipient_reads_their_own_language(world) -> None:
    # given an officer who works in Vietnamese and a leader who works in English
    world.leader.language = "en"
    world.leader.save(update_fields=["language"])
    task = world.task(D(2026, 6, 12), title="Cổng dữ liệu mở")
    # when the deadline day comes
    reminders_run(today=D(2026, 6, 12))
    by_user = {n.recipient.username: n for n in Notification.objects.filter(task=task)}
    # then the message and the email are in each person's language
    with translation.override("vi"):
        due_vi = formats.date_format(D(2026, 6, 12), "SHORT_DATE_FORMAT")
    assert by_user["officer"].message == f"Nhiệm vụ “Cổng dữ liệu mở” đến hạn hôm nay ({due_vi})."
    assert by_user["leader"].message == (
        "Task “Cổng dữ liệu mở” is due today (06/12/2026). You receive this as: Unit leader."
    )
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["officer@x.vn"] == "[tiendo] Đến hạn hôm nay: Cổng dữ liệu mở"
    assert subjects["leader@x.vn"] == "[tiendo] Deadline today: Cổng dữ liệu mở"
    officer_mail = next(m for m in mail.outbox if m.to == ["officer@x.vn"])
    assert "Mở nhiệm vụ:" in officer_mail.body


def test_user_without_language_gets_the_site_language(world, settings) -> None:
    settings.LANGUAGE_CODE = "vi"
    world.leader.language = ""
    world.leader.save(update_fields=["language"])
    task = world.task(D(2026, 6, 12), title="Kho dữ liệu")
    reminders_run(today=D(2026, 6, 12))
    leader_note = Notification.objects.get(task=task, recipient=world.leader)
    assert leader_note.message.startswith("Nhiệm vụ “Kho dữ liệu” đến hạn hôm nay")


def test_no_email_mode_keeps_in_app_only(world) -> None:
    preference_update(user=world.officer, email_mode=EmailMode.NONE, language="vi")
    task = world.task(D(2026, 6, 9))
    reminders_run(today=D(2026, 6, 4))  # 3 working days ahead: officer only
    assert Notification.objects.filter(task=task, recipient=world.officer).exists()
    assert mail.outbox == []
    # and switching email back on later does not send the old ones
    preference_update(user=world.officer, email_mode=EmailMode.IMMEDIATE, language="vi")
    reminders_run(today=D(2026, 6, 4))
    assert mail.outbox == []


def test_people_without_an_address_are_skipped(world) -> None:
    world.officer.email = ""
    world.officer.save(update_fields=["email"])
    world.task(D(2026, 6, 9))
    reminders_run(today=D(2026, 6, 4))
    assert mail.outbox == []
    assert Notification.objects.get().email_claim == "skipped"


def test_daily_digest_collects_everything_in_one_email(world) -> None:
    # given an officer who chose the daily digest and three tasks due on different days
    preference_update(user=world.officer, email_mode=EmailMode.DIGEST, language="en")
    for due in (D(2026, 6, 9), D(2026, 6, 10), D(2026, 6, 11)):
        world.task(due, title=f"Task due {due.day}")
    # when the engine runs on 8 June (all three fall within 3 working days)
    reminders_run(today=D(2026, 6, 8))
    # then the officer receives one email listing the three reminders
    officer_mail = [m for m in mail.outbox if m.to == ["officer@x.vn"]]
    assert len(officer_mail) == 1
    assert officer_mail[0].subject == "[tiendo] Your reminders: 3"
    for day in (9, 10, 11):
        assert f"Task due {day}" in officer_mail[0].body
    # and a second digest the same day has nothing to send
    assert deliver_digests() == 0


def test_preference_update_refuses_unknown_values(world) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        preference_update(user=world.officer, email_mode="pigeon", language="fr")
    assert set(error.value.message_dict) == {"email_mode", "language"}
    world.officer.refresh_from_db()
    assert world.officer.language == "vi"
