"""Pages: notification centre, mark read (HTMX), preferences, urge, task history, badge."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from tiendo.programs.tests.factories import make_unit, make_user
from tiendo.reminders.engine import reminders_run
from tiendo.reminders.models import EmailMode, Notification, NotificationPreference

from .world import make_world

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = make_world()
    w.due_task = w.task(D(2026, 6, 12), title="Digital signature rollout")
    reminders_run(today=D(2026, 6, 12), send_email=False)
    return w


def test_notification_centre_lists_only_my_notifications(client, world) -> None:
    client.force_login(world.officer)
    response = client.get(reverse("reminders:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Digital signature rollout" in body
    assert len(re.findall(r'id="notification-\d+"', body)) == 1


def test_mark_read_with_htmx_updates_the_row_and_the_badge(client, world) -> None:
    client.force_login(world.officer)
    notification = Notification.objects.get(recipient=world.officer)
    response = client.post(
        reverse("reminders:read", args=[notification.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_404(client, world) -> None:
    client.force_login(world.leader)
    officers = Notification.objects.get(recipient=world.officer)
    response = client.post(reverse("reminders:read", args=[officers.pk]))
    assert response.status_code == 404
    officers.refresh_from_db()
    assert officers.read_at is None


def test_mark_all_read(client, world) -> None:
    client.force_login(world.leader)
    client.post(reverse("reminders:read_all"))
    assert not Notification.objects.filter(recipient=world.leader, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.officer, read_at__isnull=True).exists()


def test_badge_shows_the_unread_count(world) -> None:
    request = RequestFactory().get("/")
    request.user = world.officer
    html = Template("{% load reminders_tags %}{% notification_badge %}").render(
        Context({"request": request})
    )
    assert '<strong class="badge s-overdue">1</strong>' in html


def test_preferences_page_saves_mode_and_language(client, world) -> None:
    client.force_login(world.officer)
    assert client.get(reverse("reminders:preferences")).status_code == 200
    response = client.post(
        reverse("reminders:preferences"), {"email_mode": EmailMode.DIGEST, "language": "vi"}
    )
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=world.officer).email_mode == EmailMode.DIGEST
    world.officer.refresh_from_db()
    assert world.officer.language == "vi"


def test_preferences_page_refuses_bad_input(client, world) -> None:
    client.force_login(world.officer)
    response = client.post(reverse("reminders:preferences"), {"email_mode": "pigeon"})
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_urge_button_records_and_shows_in_history(client, world) -> None:
    client.force_login(world.secretary)
    task = world.task(D(2030, 1, 1))
    response = client.post(
        reverse("reminders:urge", args=[task.pk]),
        {"note": "Deadline is close"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Secretary urged Officer" in body
    assert "Deadline is close" in body


def test_officer_gets_403_and_outsider_404_on_urge(client, world) -> None:
    task = world.task(D(2030, 1, 1))
    client.force_login(world.officer)
    response = client.post(
        reverse("reminders:urge", args=[task.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    outsider = make_user(unit=make_unit("Elsewhere"))
    client.force_login(outsider)
    assert client.post(reverse("reminders:urge", args=[task.pk])).status_code == 404
    assert not Notification.objects.filter(task=task).exists()


def test_task_history_tag_shows_who_what_when_why(world) -> None:
    request = RequestFactory().get("/")
    request.user = world.leader
    html = Template("{% load reminders_tags %}{% task_reminders task %}").render(
        Context({"request": request, "task": world.due_task})
    )
    assert "Deadline today" in html
    assert "Sent to Leader (Unit leader)" in html
    assert "Sent to Officer (Assignee)" in html
    assert "Urge" in html  # the leader may urge


def test_task_page_shows_the_history_and_header_badge(client, world) -> None:
    client.force_login(world.officer)
    body = client.get(world.due_task.get_absolute_url()).content.decode()
    assert 'id="task-reminders"' in body
    assert "Sent to Officer (Assignee)" in body
    assert '<strong class="badge s-overdue">1</strong>' in body  # the header's unread count


def test_notification_centre_query_count(client, world, django_assert_max_num_queries) -> None:
    for _ in range(5):
        world.task(D(2026, 6, 12))
    reminders_run(today=D(2026, 6, 12), send_email=False)
    client.force_login(world.officer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reminders:list"))
    assert len(re.findall(r'id="notification-\d+"', response.content.decode())) == 6


def test_program_reminder_rules_page(client, world) -> None:
    from tiendo.reminders.models import ReminderSettings

    url = reverse("reminders:program_settings", args=[world.program.pk])
    client.force_login(world.secretary)
    assert "This program uses the default rules." in client.get(url).content.decode()
    data = {
        "enabled": "on",
        "days_before": "4",
        "on_due_day": "on",
        "overdue_every": "2",
        "report_period": "quarterly",
        "report_due_days": "10",
    }
    assert client.post(url, data).status_code == 302
    row = ReminderSettings.objects.get(program=world.program)
    assert (row.days_before, row.overdue_every, row.report_period) == (4, 2, "quarterly")
    # bad input: a clear error, nothing changed
    response = client.post(url, {**data, "days_before": "0"})
    assert response.status_code == 400
    assert ReminderSettings.objects.get(program=world.program).days_before == 4


def test_program_rules_read_only_for_officers_and_hidden_from_outsiders(client, world) -> None:
    url = reverse("reminders:program_settings", args=[world.program.pk])
    client.force_login(world.officer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"days_before": "9", "overdue_every": "1"}).status_code == 403
    client.force_login(make_user(unit=make_unit("Elsewhere")))
    assert client.get(url).status_code == 404
