"""``{% task_rows tasks %}``: the body rows of ``programs/_task_table.html``, in Python.

A list page shows 50 tasks of seven cells; through the template engine (a lookup per value, an
include for each badge and bar, a ``reverse`` per link) the rows were a sixth of the task list
page's time (issue #3). The output is what the template loop wrote: the same values through the
same functions, every text escaped as autoescape does.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tiendo.core.templatetags.ui import esc, progress_bar_html, status_badge_html

from ..models import Task, TaskKind

register = template.Library()

_PK = 2**31 - 1  # stands for the task id in the one reversed URL


@register.simple_tag
def task_rows(tasks: Iterable[Task]) -> SafeString:
    """One ``<tr>`` per task. Each task needs ``status`` and ``status_label``
    (``views._common.with_status_labels``) and its program, group, lead unit and assignee
    selected with it."""
    head, _pk, tail = reverse("programs:task_detail", args=[_PK]).rpartition(str(_PK))
    title, mark = esc(_("Extended")), esc(_("extended"))  # outside f-strings: xgettext
    extended = f' <span class="small muted" title="{title}">({mark})</span>'
    parts = []
    for task in tasks:
        where = esc(task.program.code)
        if task.group_id is not None:
            where += f" · {esc(task.group)}"
        if task.kind != TaskKind.TASK:
            where += f" · {esc(task.get_kind_display())}"
        lead = task.lead_unit.name if task.lead_unit is not None else ""
        assignee = task.assignee.display_name if task.assignee is not None else ""
        parts.append(
            f'<tr data-task-id="{task.pk}">'
            f'<td class="nowrap">{esc(task.number)}</td>'
            f'<td class="title"><a href="{head}{task.pk}{tail}">{esc(task.title)}</a>'
            f'<div class="small muted">{where}</div></td>'
            f"<td>{esc(lead or '—')}</td>"
            f"<td>{esc(assignee or '—')}</td>"
            f'<td class="nowrap">{esc(task.deadline_label or "—")}'
            f"{extended if task.deadline_extended else ''}</td>"
            f"<td>{progress_bar_html(task.latest_percent)}</td>"
            f"<td>{status_badge_html(task.status, task.status_label)}</td>"  # type: ignore[attr-defined]
            "</tr>"
        )
    return mark_safe("\n".join(parts))  # every value escaped above
