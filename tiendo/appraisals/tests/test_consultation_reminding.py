"""Reminding consulted units that have not answered: the drafter's button (through HTTP) and the
daily reminder run, each (round, unit, day) at most once, through ``reminders.notify``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tiendo.audit.models import AuditEntry
from tiendo.programs.tests.factories import make_unit, make_user
from tiendo.reminders.engine import reminders_run
from tiendo.reminders.models import Notification, NotificationKind

from ..consultation import consultation_answer, consultation_send
from ..consultation_reminding import remind_due_consultations
from .world import World, build_world

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def _round(w: World, sent_on: dt.date, deadline: dt.date):  # type: ignore[no-untyped-def]
    """The appraiser's draft sent to the project owner, the planning department and the
    committee (whose only member is its committee leader: nobody there answers comments)."""
    return consultation_send(
        actor=w.office, program=w.program, title="Dự thảo quy chế thẩm định",
        sender_unit=w.appraiser, units=[w.owner, w.planning, w.committee],
        sent_on=sent_on, deadline=deadline,
    )  # fmt: skip


def _reminded() -> list[tuple[str, str]]:
    rows = Notification.objects.filter(kind=NotificationKind.CONSULTATION)
    return sorted(rows.values_list("recipient__username", "dedupe_key"))


def test_the_drafter_reminds_the_units_without_an_answer_once_a_day() -> None:
    # given a round due in ten days; the owner's officer and the planner have not answered yet
    w = build_world()
    today = timezone.localdate()
    round_ = _round(w, today - dt.timedelta(days=2), today + dt.timedelta(days=10))
    url = reverse("appraisals:round_remind", args=[round_.pk])
    # when the drafter presses "remind"
    drafter = _client(w.office)
    response = drafter.post(url)
    # then the owner's officer and the planning department's leader (it has no officer) are
    # notified, with a link to the round; the committee has nobody to remind
    assert response.status_code == 302
    day = today.isoformat()
    assert _reminded() == sorted(
        [
            (w.officer.username, f"consultation:{round_.pk}:unit:{w.owner.pk}:{day}"),
            (w.planner.username, f"consultation:{round_.pk}:unit:{w.planning.pk}:{day}"),
        ]
    )
    notice = Notification.objects.get(recipient=w.officer)
    assert notice.link == reverse("appraisals:round", args=[round_.pk])
    assert "Dự thảo quy chế thẩm định" in notice.message
    assert AuditEntry.objects.filter(action="consultation.remind").count() == 1
    page = drafter.get(response["Location"])
    said = [str(m) for m in page.context["messages"]]
    assert said[0] == "Reminders sent: 2 people in 2 of 3 units without an answer."
    # and pressing again the same day reminds nobody twice
    drafter.post(url)
    assert Notification.objects.filter(kind=NotificationKind.CONSULTATION).count() == 2


def test_a_unit_that_answered_is_not_reminded() -> None:
    w = build_world()
    today = timezone.localdate()
    round_ = _round(w, today - dt.timedelta(days=2), today + dt.timedelta(days=10))
    mine = round_.recipients.get(unit=w.owner)
    consultation_answer(actor=w.officer, recipient=mine, answer="agree", on=today)
    _client(w.office).post(reverse("appraisals:round_remind", args=[round_.pk]))
    assert [name for name, _ in _reminded()] == [w.planner.username]


def test_only_the_drafter_reminds_and_strangers_find_nothing() -> None:
    w = build_world()
    today = timezone.localdate()
    round_ = _round(w, today - dt.timedelta(days=2), today + dt.timedelta(days=10))
    url = reverse("appraisals:round_remind", args=[round_.pk])
    assert _client(w.officer).post(url).status_code == 403
    stranger = make_user(unit=make_unit("Bộ khác"))
    assert _client(stranger).post(url).status_code == 404
    assert _client(w.office).get(url).status_code == 405
    assert _reminded() == []


def test_the_daily_run_reminds_within_the_days_before_the_deadline_once_per_day() -> None:
    # given a round due on Friday 15 March 2024 (default settings: from 3 working days before)
    w = build_world()
    round_ = _round(w, dt.date(2024, 3, 1), dt.date(2024, 3, 15))
    # when the daily reminder run runs on Friday 8 March, then twice on Wednesday 13 March
    reminders_run(today=dt.date(2024, 3, 8), send_email=False)
    assert _reminded() == []
    reminders_run(today=dt.date(2024, 3, 13), send_email=False)
    reminders_run(today=dt.date(2024, 3, 13), send_email=False)
    # then the units without an answer were reminded once on the 13th
    key = f"consultation:{round_.pk}:unit:{{}}:2024-03-13"
    assert _reminded() == sorted(
        [
            (w.officer.username, key.format(w.owner.pk)),
            (w.planner.username, key.format(w.planning.pk)),
        ]
    )
    # and a unit that answers on the 14th is not reminded on the deadline day
    consultation_answer(
        actor=w.planner, recipient=round_.recipients.get(unit=w.planning), answer="agree",
        on=dt.date(2024, 3, 14),
    )  # fmt: skip
    assert remind_due_consultations(today=dt.date(2024, 3, 15)) == 1
    assert remind_due_consultations(today=dt.date(2024, 3, 16)) == 0  # a Saturday
