"""``notify``: general notices (not tied to a task), exactly once per key, in each language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext_lazy

from tiendo.reminders.models import EmailMode, Level, Notification, NotificationKind
from tiendo.reminders.services import notify, preference_update

from .world import make_world

D = dt.date
pytestmark = pytest.mark.django_db
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# A string the reminders catalogue translates ("Deadline today"), used as the message template.
MESSAGE = gettext_lazy("Deadline today")


def _send(world, **fields):
    defaults = {
        "actor": world.secretary,
        "recipients": [world.officer, world.leader],
        "kind": NotificationKind.NOTICE,
        "message": MESSAGE,
        "target_url": "/reporting/",
        "dedupe_key": "test:1",
    }
    return notify(**{**defaults, **fields})


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_notice_is_created_once_per_key_in_each_language_and_emailed(
    django_capture_on_commit_callbacks,
) -> None:
    world = make_world(language="vi")
    world.leader.language = "en"
    world.leader.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(world, note="Xin báo cáo.")
    by_user = {n.recipient.username: n for n in sent}
    assert sorted(by_user) == ["leader", "officer"]
    assert by_user["officer"].message == "Đến hạn hôm nay Lời nhắn: Xin báo cáo."
    assert by_user["leader"].message == "Deadline today Message: Xin báo cáo."
    assert by_user["officer"].task_id is None
    assert by_user["officer"].sender == world.secretary
    assert by_user["officer"].target_label == "Mở"
    assert by_user["leader"].target_label == "Open"
    # emailed once each, with the subject and link text in their language
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "[tiendo] Notice: Deadline today",
        "[tiendo] Thông báo: Đến hạn hôm nay",
    ]
    assert "Mở: http" in next(m.body for m in mail.outbox if m.to == ["officer@x.vn"])
    # calling again with the same key creates and sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        again = _send(world)
    assert again == []
    assert Notification.objects.filter(dedupe_key="test:1").count() == 2
    assert len(mail.outbox) == 2


def test_only_new_recipients_get_a_repeated_key() -> None:
    world = make_world()
    _send(world, recipients=[world.officer])
    sent = _send(world, recipients=[world.officer, world.leader])
    assert [n.recipient for n in sent] == [world.leader]
    # another key is another notice
    assert len(_send(world, dedupe_key="test:2")) == 2


def test_params_are_rendered_in_the_recipient_language() -> None:
    world = make_world(language="vi")
    template = gettext_lazy("Task “%(task)s” is due today (%(due)s).")
    sent = _send(
        world,
        recipients=[world.officer],
        message=template,
        params={"task": "Cổng dữ liệu", "due": D(2026, 6, 12)},
        subject=gettext_lazy("Deadline today"),
        due=D(2026, 6, 12),
    )
    with translation.override("vi"):
        due_vi = formats.date_format(D(2026, 6, 12), "SHORT_DATE_FORMAT")
    assert sent[0].message == f"Nhiệm vụ “Cổng dữ liệu” đến hạn hôm nay ({due_vi})."
    assert sent[0].subject == "Đến hạn hôm nay"
    assert sent[0].due == D(2026, 6, 12)


def test_escalation_levels_are_stated() -> None:
    world = make_world()
    sent = _send(
        world,
        recipients={world.officer: Level.ASSIGNEE, world.secretary: Level.STANDING_OFFICE},
    )
    by_user = {n.recipient.username: n for n in sent}
    assert "Standing office" in by_user["secretary"].message
    assert by_user["secretary"].level == Level.STANDING_OFFICE
    assert "receive this as" not in by_user["officer"].message


def test_people_without_email_wish_are_not_emailed_and_inactive_are_left_out() -> None:
    world = make_world()
    preference_update(user=world.officer, email_mode=EmailMode.NONE, language="")
    world.leader.is_active = False
    world.leader.save(update_fields=["is_active"])
    sent = _send(world)
    assert [(n.recipient.username, n.email_claim) for n in sent] == [("officer", "skipped")]


def test_bad_calls_are_refused() -> None:
    world = make_world()
    for bad in ({"kind": "nope"}, {"dedupe_key": ""}, {"target_url": ""}):
        with pytest.raises(ValueError, match=r"kind|dedupe_key|target_url"):
            _send(world, **bad)
    assert not Notification.objects.exists()


def test_notice_shows_in_the_notification_centre_with_its_link(client) -> None:
    world = make_world()
    _send(world, recipients=[world.officer], target_label=gettext_lazy("Open the task"))
    client.force_login(world.officer)
    page = client.get(reverse("reminders:list")).content.decode()
    assert 'href="/reporting/"' in page
    api = client.get("/api/v1/notifications").json()
    item = api["items"][0] if "items" in api else api[0]
    assert item["task_id"] is None
    assert item["link"] == "/reporting/"
