"""The words of a reminder, in the recipient's language (English is the source language)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils import formats, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tiendo.core.deadlines import deadline_label

from .models import Level, NotificationKind


@dataclass(frozen=True)
class MessageContext:
    kind: str
    task_label: str
    due: dt.date | None
    level: int
    days: int = 0  # working days ahead (AHEAD) or late (OVERDUE)
    period_kind: str = ""  # the reporting period (month or quarter), for report reminders
    period_end: dt.date | None = None
    sender: str = ""  # who urged
    note: str = ""


def user_language(user: Any) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _date(day: dt.date | None) -> str:
    if day is None:
        return _("no deadline")
    return _formatted(translation.get_language(), day)


@lru_cache(maxsize=4096)
def _formatted(language: str | None, day: dt.date) -> str:
    # The engine writes a million messages on a national first run; formatting dominates.
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _body(ctx: MessageContext) -> str:
    values = {
        "task": ctx.task_label,
        "due": _date(ctx.due),
        "days": ctx.days,
        "period": deadline_label(ctx.period_kind, ctx.period_end) if ctx.period_end else "",
        "sender": ctx.sender,
    }
    match ctx.kind:
        case NotificationKind.DEADLINE_AHEAD:
            text = ngettext(
                "Task “%(task)s” is due on %(due)s, in %(days)s working day.",
                "Task “%(task)s” is due on %(due)s, in %(days)s working days.",
                ctx.days,
            )
        case NotificationKind.DEADLINE_TODAY:
            text = _("Task “%(task)s” is due today (%(due)s).")
        case NotificationKind.OVERDUE:
            text = ngettext(
                "Task “%(task)s” is %(days)s working day overdue (deadline %(due)s).",
                "Task “%(task)s” is %(days)s working days overdue (deadline %(due)s).",
                ctx.days,
            )
        case NotificationKind.REPORT_AHEAD:
            text = _("The progress report on task “%(task)s” for %(period)s is due on %(due)s.")
        case NotificationKind.REPORT_TODAY:
            text = _("The progress report on task “%(task)s” for %(period)s is due today.")
        case NotificationKind.REPORT_OVERDUE:
            text = ngettext(
                "The progress report on task “%(task)s” for %(period)s is %(days)s working day "
                "late (due %(due)s).",
                "The progress report on task “%(task)s” for %(period)s is %(days)s working days "
                "late (due %(due)s).",
                ctx.days,
            )
        case _kind:
            text = _("%(sender)s urges progress on task “%(task)s” (deadline %(due)s).")
    return text % values


def compose_message(ctx: MessageContext) -> str:
    """The full text one recipient reads, in the active language."""
    parts = [_body(ctx)]
    if ctx.note:
        parts.append(_("Message: %(note)s") % {"note": ctx.note})
    if ctx.level > Level.ASSIGNEE:
        parts.append(_("You receive this as: %(level)s.") % {"level": Level(ctx.level).label})
    return " ".join(parts)


def render_message(ctx: MessageContext, language: str) -> str:
    """The full text one recipient reads, rendered in ``language``."""
    with translation.override(language):
        return compose_message(ctx)


def render_subject(kind: str, task_label: str, language: str) -> str:
    with translation.override(language):
        return _("[tiendo] %(kind)s: %(task)s") % {
            "kind": NotificationKind(kind).label,
            "task": Truncator(task_label).chars(80),
        }


def absolute_url(path: str) -> str:
    """A link that works from an email: ``TIENDO_BASE_URL`` (setting or environment) + path."""
    base = getattr(settings, "TIENDO_BASE_URL", "") or os.environ.get(
        "TIENDO_BASE_URL", "http://localhost:8000"
    )
    return base.rstrip("/") + path
