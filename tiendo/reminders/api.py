"""Notifications, preferences, urging and per-program reminder rules over HTTP.

A person reads and marks only their own notifications; a task or program outside the caller's
scope answers 404 (through ``tiendo.programs.selectors``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tiendo.api.schemas import Id, Page, PageIn, page, responses, text
from tiendo.orgs.scope import scope_for
from tiendo.programs import selectors as program_selectors

from . import selectors, services
from .models import DEFAULTS, Notification, ReminderSettings

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    level: int
    task_id: int | None
    message: str
    link: str
    target_label: str
    due: dt.date | None
    sender_id: int | None
    note: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    emailed_at: dt.datetime | None


class NotificationFilters(PageIn):
    unread: bool = False


class UnreadOut(Schema):
    unread: int


class PreferenceIn(Schema):
    email_mode: Literal["immediate", "digest", "none"]
    language: Literal["", "vi", "en"] = ""


class PreferenceOut(Schema):
    email_mode: str
    language: str


class UrgeIn(Schema):
    note: text(services.URGE_NOTE_MAX) = ""  # type: ignore[valid-type]


class ReminderSettingsIn(Schema):
    enabled: bool = True
    days_before: int = Field(3, ge=1, le=60)
    on_due_day: bool = True
    overdue_every: int = Field(5, ge=1, le=60)
    report_period: Literal["", "monthly", "quarterly"] = "monthly"
    report_due_days: int = Field(5, ge=0, le=30)


class ReminderSettingsOut(ReminderSettingsIn):
    program_id: int
    is_default: bool


def _out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "kind_label": n.get_kind_display(),
        "level": n.level,
        "task_id": n.task_id,
        "message": n.message,
        "link": n.link,
        "target_label": n.target_label,
        "due": n.due,
        "sender_id": n.sender_id,
        "note": n.note,
        "created_at": n.created_at,
        "read_at": n.read_at,
        "emailed_at": n.emailed_at,
    }


def _settings_out(program_id: int, row: ReminderSettings | None) -> dict[str, Any]:
    source = row or DEFAULTS
    return {
        "program_id": program_id,
        "is_default": row is None,
        **{name: getattr(source, name) for name in services.SETTINGS_FIELDS},
    }


@router.get("/notifications", response=responses(Page[NotificationOut]))
def notification_list(request: HttpRequest, filters: Query[NotificationFilters]) -> dict:
    """The caller's notifications, newest first."""
    qs = selectors.notification_list(request.auth_user, unread_only=filters.unread)  # type: ignore[attr-defined]
    return page(qs, filters, _out)


@router.get("/notifications/unread-count", response=responses(UnreadOut))
def unread_count(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.unread_count(request.auth_user)}  # type: ignore[attr-defined]


@router.post("/notifications/{notification_id}/read", response=responses(NotificationOut))
def notification_read(request: HttpRequest, notification_id: Id) -> dict[str, Any]:
    """Mark one of the caller's notifications read (404 for anyone else's)."""
    notification = selectors.notification_get(request.auth_user, notification_id)  # type: ignore[attr-defined]
    return _out(services.notification_mark_read(notification=notification))


@router.get("/notifications/preferences", response=responses(PreferenceOut))
def preference_get(request: HttpRequest) -> dict[str, str]:
    user = request.auth_user  # type: ignore[attr-defined]
    return {"email_mode": selectors.preference_get(user).email_mode, "language": user.language}


@router.put("/notifications/preferences", response=responses(PreferenceOut))
def preference_put(request: HttpRequest, payload: PreferenceIn) -> dict[str, str]:
    user = request.auth_user  # type: ignore[attr-defined]
    saved = services.preference_update(user=user, **payload.model_dump())
    return {"email_mode": saved.email_mode, "language": user.language}


@router.post(
    "/tasks/{task_id}/urge", response=responses(list[NotificationOut], 201), tags=["tasks"]
)
def task_urge(request: HttpRequest, task_id: Id, payload: UrgeIn) -> Status:
    """A leader urges the people carrying a task; one notification per person is recorded."""
    user = request.auth_user  # type: ignore[attr-defined]
    task = program_selectors.task_get(scope_for(user), task_id)
    sent = services.task_urge(actor=user, task=task, note=payload.note)
    return Status(201, [_out(n) for n in sent])


@router.get("/tasks/{task_id}/reminders", response=responses(Page[NotificationOut]), tags=["tasks"])
def task_reminders(request: HttpRequest, task_id: Id, paging: Query[PageIn]) -> dict:
    """Every reminder and urge recorded on a task the caller can see."""
    task = program_selectors.task_get(scope_for(request.auth_user), task_id)  # type: ignore[attr-defined]
    return page(selectors.task_reminder_history(task), paging, _out)


@router.get(
    "/programs/{program_id}/reminder-settings",
    response=responses(ReminderSettingsOut),
    tags=["programs"],
)
def settings_get(request: HttpRequest, program_id: Id) -> dict[str, Any]:
    program = program_selectors.program_get(scope_for(request.auth_user), program_id)  # type: ignore[attr-defined]
    return _settings_out(program.pk, ReminderSettings.objects.filter(program=program).first())


@router.put(
    "/programs/{program_id}/reminder-settings",
    response=responses(ReminderSettingsOut),
    tags=["programs"],
)
def settings_put(
    request: HttpRequest, program_id: Id, payload: ReminderSettingsIn
) -> dict[str, Any]:
    """Change a program's reminder rules (its committee and standing office)."""
    user = request.auth_user  # type: ignore[attr-defined]
    program = program_selectors.program_get(scope_for(user), program_id)
    row = services.reminder_settings_update(actor=user, program=program, **payload.model_dump())
    return _settings_out(program.pk, row)
