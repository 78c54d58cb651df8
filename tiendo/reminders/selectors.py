"""Reads of notifications. A person reads only their own; a task's history needs the task first."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from tiendo.programs.models import Task

from .models import Notification, NotificationPreference


def notification_list(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient_id=user.pk).select_related("task", "sender")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notification_get(user: Any, notification_id: int) -> Notification:
    notification = notification_list(user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404
    return notification


def task_reminder_history(task: Task) -> QuerySet[Notification]:
    """Every reminder and urge about a task the caller can see (``task`` from ``task_get``)."""
    return (
        Notification.objects.filter(task_id=task.pk)
        .select_related("recipient", "sender")
        .order_by("-created_at", "-id")
    )


def preference_get(user: Any) -> NotificationPreference:
    """The saved preference, or an unsaved one with the defaults."""
    return NotificationPreference.objects.filter(user_id=user.pk).first() or (
        NotificationPreference(user_id=user.pk)
    )
