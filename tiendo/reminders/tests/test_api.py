"""The notifications API: own records only, scope on tasks and programs, errors."""

from __future__ import annotations

import datetime as dt

import pytest

from tiendo.programs.tests.factories import make_unit, make_user
from tiendo.reminders.engine import reminders_run
from tiendo.reminders.models import Notification, NotificationKind

from .world import make_world

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = make_world()
    w.due_task = w.task(D(2026, 6, 12))
    reminders_run(today=D(2026, 6, 12), send_email=False)
    return w


def test_list_and_read(client, world) -> None:
    client.force_login(world.officer)
    listing = client.get("/api/v1/notifications?unread=true").json()
    assert listing["count"] == 1
    item = listing["items"][0]
    assert item["kind"] == NotificationKind.DEADLINE_TODAY
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 1}
    read = client.post(f"/api/v1/notifications/{item['id']}/read")
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 0}


def test_other_peoples_notifications_are_404(client, world) -> None:
    client.force_login(world.chair)
    mine = Notification.objects.filter(recipient=world.officer).get()
    assert client.post(f"/api/v1/notifications/{mine.pk}/read").status_code == 404


def test_urge_and_history(client, world) -> None:
    client.force_login(world.secretary)
    response = client.post(
        f"/api/v1/tasks/{world.due_task.pk}/urge",
        {"note": "Hurry"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert {n["kind"] for n in response.json()} == {NotificationKind.URGE}
    history = client.get(f"/api/v1/tasks/{world.due_task.pk}/reminders").json()
    assert history["count"] == 4  # officer + leader (deadline today) + two urges


def test_urge_outside_scope_is_404_and_officer_is_403(client, world) -> None:
    client.force_login(make_user(unit=make_unit("Elsewhere")))
    url = f"/api/v1/tasks/{world.due_task.pk}/urge"
    assert client.post(url, {}, content_type="application/json").status_code == 404
    client.force_login(world.officer)
    assert client.post(url, {}, content_type="application/json").status_code == 403


def test_preferences_round_trip_and_validation(client, world) -> None:
    client.force_login(world.officer)
    url = "/api/v1/notifications/preferences"
    assert client.get(url).json() == {"email_mode": "immediate", "language": ""}
    saved = client.put(
        url, {"email_mode": "digest", "language": "vi"}, content_type="application/json"
    )
    assert saved.json() == {"email_mode": "digest", "language": "vi"}
    bad = client.put(url, {"email_mode": "pigeon"}, content_type="application/json")
    assert bad.status_code == 422
    assert "email_mode" in bad.json()["errors"]


def test_program_reminder_settings(client, world) -> None:
    url = f"/api/v1/programs/{world.program.pk}/reminder-settings"
    client.force_login(world.secretary)
    assert client.get(url).json()["is_default"] is True
    body = {"days_before": 4, "overdue_every": 3, "report_period": "quarterly"}
    saved = client.put(url, body, content_type="application/json").json()
    assert (saved["days_before"], saved["overdue_every"], saved["is_default"]) == (4, 3, False)
    client.force_login(world.officer)
    assert client.put(url, body, content_type="application/json").status_code == 403
