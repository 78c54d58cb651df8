"""Task status, derived from stored facts and a reference date, never stored as a label.

One rule, two implementations that must agree (a property test checks it):
``derive_status`` in Python for a single task, ``status_expression`` in SQL for counting
a million tasks in the database.

Order of precedence:
1. draft       - not yet assigned (some of the five clears missing or not yet assigned);
2. cancelled / paused - held, with reason and approver;
3. completed on time / completed late - completion date against the (extended) deadline;
   an ongoing task ("Thường xuyên") that is completed is on time;
4. overdue     - open, and the deadline is before the reference date;
5. in progress - open, within the deadline, with progress reported;
6. not started - open, within the deadline, nothing reported yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # Dự thảo: five clears incomplete or not yet assigned
    CANCELLED = "cancelled", _("Cancelled")  # Đã hủy
    PAUSED = "paused", _("Paused")  # Tạm dừng
    COMPLETED_ON_TIME = "completed_on_time", _("Completed on time")  # Hoàn thành đúng hạn
    COMPLETED_LATE = "completed_late", _("Completed late")  # Hoàn thành quá hạn
    OVERDUE = "overdue", _("Overdue")  # Đang thực hiện quá hạn / chưa triển khai quá hạn
    IN_PROGRESS = "in_progress", _("In progress")  # Đang thực hiện trong hạn
    NOT_STARTED = "not_started", _("Not started")  # Chưa triển khai


COMPLETED = frozenset({TaskStatus.COMPLETED_ON_TIME, TaskStatus.COMPLETED_LATE})
OPEN = frozenset({TaskStatus.OVERDUE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED})
HELD = frozenset({TaskStatus.PAUSED, TaskStatus.CANCELLED})


@dataclass(frozen=True)
class StatusFacts:
    assigned: bool
    hold_state: str  # "", "paused" or "cancelled"
    deadline: dt.date | None  # None: ongoing, never overdue
    started_on: dt.date | None
    completed_on: dt.date | None


def derive_status(facts: StatusFacts, today: dt.date) -> TaskStatus:
    if not facts.assigned:
        return TaskStatus.DRAFT
    if facts.hold_state == "cancelled":
        return TaskStatus.CANCELLED
    if facts.hold_state == "paused":
        return TaskStatus.PAUSED
    if facts.completed_on is not None:
        if facts.deadline is None or facts.completed_on <= facts.deadline:
            return TaskStatus.COMPLETED_ON_TIME
        return TaskStatus.COMPLETED_LATE
    if facts.deadline is not None and facts.deadline < today:
        return TaskStatus.OVERDUE
    if facts.started_on is not None:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


def status_expression(today: dt.date, prefix: str = "") -> Case:
    """The same rule as ``derive_status``, as a SQL ``CASE`` over the task's columns."""
    p = prefix
    completed = Q(**{f"{p}completed_on__isnull": False})
    return Case(
        When(Q(**{f"{p}assigned_at__isnull": True}), then=Value(TaskStatus.DRAFT.value)),
        When(Q(**{f"{p}hold_state": "cancelled"}), then=Value(TaskStatus.CANCELLED.value)),
        When(Q(**{f"{p}hold_state": "paused"}), then=Value(TaskStatus.PAUSED.value)),
        When(
            completed
            & (
                Q(**{f"{p}deadline__isnull": True})
                | Q(**{f"{p}completed_on__lte": F(f"{p}deadline")})
            ),
            then=Value(TaskStatus.COMPLETED_ON_TIME.value),
        ),
        When(completed, then=Value(TaskStatus.COMPLETED_LATE.value)),
        When(Q(**{f"{p}deadline__lt": today}), then=Value(TaskStatus.OVERDUE.value)),
        When(Q(**{f"{p}started_on__isnull": False}), then=Value(TaskStatus.IN_PROGRESS.value)),
        default=Value(TaskStatus.NOT_STARTED.value),
        output_field=models.CharField(),
    )


def status_q(status: str, today: dt.date) -> Q:
    """A filter equivalent to ``status_expression(today) == status`` that can use indexes."""
    assigned = Q(assigned_at__isnull=False)
    active = assigned & Q(hold_state="")
    open_ = active & Q(completed_on__isnull=True)
    on_time = Q(deadline__isnull=True) | Q(completed_on__lte=F("deadline"))
    within = Q(deadline__isnull=True) | Q(deadline__gte=today)
    match status:
        case TaskStatus.DRAFT:
            return Q(assigned_at__isnull=True)
        case TaskStatus.CANCELLED:
            return assigned & Q(hold_state="cancelled")
        case TaskStatus.PAUSED:
            return assigned & Q(hold_state="paused")
        case TaskStatus.COMPLETED_ON_TIME:
            return active & Q(completed_on__isnull=False) & on_time
        case TaskStatus.COMPLETED_LATE:
            return active & Q(completed_on__isnull=False) & ~on_time
        case TaskStatus.OVERDUE:
            return open_ & Q(deadline__lt=today)
        case TaskStatus.IN_PROGRESS:
            return open_ & within & Q(started_on__isnull=False)
        case TaskStatus.NOT_STARTED:
            return open_ & within & Q(started_on__isnull=True)
    raise ValueError(status)
