"""``{% notification_badge %}`` for the header and ``{% task_reminders task %}`` for the task page."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.middleware.csrf import get_token

from tiendo.orgs.scope import scope_for
from tiendo.programs.models import Task

from .. import selectors
from ..access import can_urge
from ..forms import UrgeForm

register = template.Library()
HISTORY_LIMIT = 50


@register.inclusion_tag("reminders/_badge.html", takes_context=True)
def notification_badge(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": selectors.unread_count(user)}


def history_context(
    request: HttpRequest, task: Task, urge_form: UrgeForm | None = None
) -> dict[str, Any]:
    """The reminder history of a task the user can see (``task`` from ``task_get``)."""
    history = selectors.task_reminder_history(task)
    return {
        "task": task,
        "history": list(history[:HISTORY_LIMIT]),
        "history_count": history.count(),
        "can_urge": can_urge(scope_for(request.user), task),
        "urge_form": urge_form or UrgeForm(),
        "request": request,
        "csrf_token": get_token(request),
    }


@register.inclusion_tag("reminders/_task_history.html", takes_context=True)
def task_reminders(context: template.Context, task: Task) -> dict[str, Any]:
    return history_context(context["request"], task)
