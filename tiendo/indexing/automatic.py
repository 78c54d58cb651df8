"""Automatic indicators: values computed from tiendo's own records for the period.

Each source returns the value and the ids of the records behind it, so that the figure and the
list it comes from are the same query (``tiendo.programs.selectors.task_list``).

Sources are looked up by name (the ``source`` of a framework node). Another engine adds one with
``register_source``: the reporting engine will register ``reporting_discipline`` (share of
periodic reports submitted on time); until then that source answers "not available".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tiendo.core.models import Classification
from tiendo.orgs.scope import Scope
from tiendo.programs.models import Task
from tiendo.programs.selectors import TaskFilters, task_list
from tiendo.programs.status import TaskStatus, status_q

# Automatic figures must not depend on who presses "recompute": they are computed over every
# task of the unit, through the same selector as the task list, with a scope that sees all.
SYSTEM_SCOPE = Scope(user_id=0, is_admin=True, clearance=Classification.TOP_SECRET)


@dataclass(frozen=True)
class AutoValue:
    """A computed value; ``note`` is stored in English and translated when shown."""

    value: float | None
    records: list[int] = field(default_factory=list)
    note: str = ""


Source = Callable[[Any, Any], AutoValue]
SOURCES: dict[str, Source] = {}
SOURCE_LABELS: dict[str, Any] = {}


def register_source(name: str, label: Any) -> Callable[[Source], Source]:
    def decorator(fn: Source) -> Source:
        SOURCES[name] = fn
        SOURCE_LABELS[name] = label
        return fn

    return decorator


def period_tasks(unit: Any, period: Any) -> QuerySet[Task]:
    """Assigned tasks led by the unit (or below it) due within the period, cancelled excluded."""
    return (
        task_list(SYSTEM_SCOPE, TaskFilters(unit=unit.pk), on=period.ends_on)
        .filter(deadline__gte=period.starts_on, deadline__lte=period.ends_on)
        .exclude(status_q(TaskStatus.DRAFT, period.ends_on))
        .exclude(status_q(TaskStatus.CANCELLED, period.ends_on))
    )


def _share(part: QuerySet[Task], whole: QuerySet[Task]) -> AutoValue:
    ids = list(whole.values_list("pk", flat=True))
    if not ids:
        return AutoValue(None, [], gettext_noop("No task of this unit was due in the period."))
    matching = list(part.values_list("pk", flat=True))
    return AutoValue(round(100 * len(matching) / len(ids), 4), ids)


@register_source("tasks_on_time_share", _("Share of tasks completed on time (%)"))
def tasks_on_time_share(unit: Any, period: Any) -> AutoValue:
    tasks = period_tasks(unit, period)
    return _share(tasks.filter(status_q(TaskStatus.COMPLETED_ON_TIME, period.ends_on)), tasks)


@register_source("tasks_overdue_share", _("Share of tasks overdue at the end of the period (%)"))
def tasks_overdue_share(unit: Any, period: Any) -> AutoValue:
    tasks = period_tasks(unit, period)
    return _share(tasks.filter(status_q(TaskStatus.OVERDUE, period.ends_on)), tasks)


@register_source("products_delivered_share", _("Products delivered against expected (%)"))
def products_delivered_share(unit: Any, period: Any) -> AutoValue:
    """Sum of delivered quantities (capped at each task's expected) over the sum expected.

    Delivered quantities are the latest reported (``Task.latest_quantity``), as of today.
    """
    tasks = list(
        period_tasks(unit, period)
        .filter(product_quantity__gt=0)
        .values_list("pk", "product_quantity", "latest_quantity")
    )
    if not tasks:
        return AutoValue(
            None, [], gettext_noop("No task of this unit with a quantified product was due.")
        )
    # product_quantity > 0 is filtered above, so it is never None here.
    expected = sum((row[1] or Decimal(0) for row in tasks), Decimal(0))
    delivered = sum((min(row[2] or Decimal(0), row[1] or Decimal(0)) for row in tasks), Decimal(0))
    return AutoValue(round(float(100 * delivered / expected), 4), [row[0] for row in tasks])


@register_source("reporting_discipline", _("Periodic reports submitted on time (%)"))
def reporting_discipline(unit: Any, period: Any) -> AutoValue:
    # Hook for the reporting engine: it replaces this entry with register_source(...).
    return AutoValue(None, [], gettext_noop("Not available yet: the reporting engine provides it."))


def compute_source(name: str, unit: Any, period: Any) -> AutoValue:
    source = SOURCES.get(name)
    if source is None:
        return AutoValue(None, [], gettext_noop("Unknown automatic source."))
    return source(unit, period)
