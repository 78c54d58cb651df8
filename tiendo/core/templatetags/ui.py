"""Small pieces of markup used in many rows: ``{% status_badge %}`` and ``{% progress_bar %}``.

Written in Python rather than as included templates: a list of 50 tasks included each twice per
row, and the includes were 40 % of the table's rendering (issue #3, the task list page).
"""

from __future__ import annotations

import html
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def esc(text: Any) -> str:
    """What the template's autoescape writes for ``text``: safe HTML as it is, anything else
    escaped by ``html.escape`` (Django's ``escape``); ``conditional_escape`` without its
    wrapper, for markup written in Python (these tags, ``dashboards.render``, task rows)."""
    if hasattr(text, "__html__"):
        return str(text.__html__())
    return html.escape(str(text))


def status_badge_html(status: Any, label: Any) -> str:
    """A derived status as text plus a symbol (the CSS class), so it reads without colour."""
    value = esc(status)
    return f'<span class="badge s-{value}" data-status="{value}">{esc(label)}</span>'


def progress_bar_html(percent: int | None) -> str:
    """A progress bar for ``percent`` (0-100 or None: nothing reported), with its text."""
    width = int(percent or 0)
    text = "–" if percent is None else f"{esc(percent)}%"
    label = esc(_("Progress"))
    return (
        f'<span class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" '
        f'aria-valuenow="{width}" aria-label="{label}">'
        f'<span class="track"><span class="fill" style="inline-size: {width}%"></span></span>'
        f'<span class="label">{text}</span></span>'
    )


@register.simple_tag
def status_badge(status: Any, label: Any) -> SafeString:
    return mark_safe(status_badge_html(status, label))  # every value escaped


@register.simple_tag
def progress_bar(percent: int | None) -> SafeString:
    return mark_safe(progress_bar_html(percent))  # every value escaped
