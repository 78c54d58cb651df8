"""Reads of notifications. A person reads only their own; a task's history needs the task first."""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection
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
    """``Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()``,
    written out once: the badge of every page reads it (the ORM spent longer compiling it than
    the database counting)."""
    if user is None or not user.is_authenticated:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_unread_sql(connection.vendor), [user.pk])
        return int(cursor.fetchone()[0])


@functools.lru_cache(maxsize=4)
def _unread_sql(vendor: str) -> str:
    q, opts = connection.ops.quote_name, Notification._meta
    recipient, read_at = (q(opts.get_field(name).column) for name in ("recipient", "read_at"))
    return f"SELECT COUNT(*) FROM {q(opts.db_table)} WHERE {recipient} = %s AND {read_at} IS NULL"  # noqa: S608


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
