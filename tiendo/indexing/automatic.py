"""Automatic indicators: values computed from tiendo's own records for the period.

Each source returns the value and the ids of the records behind it, so that the figure and the
list it comes from are the same query (``tiendo.programs.selectors.task_list`` for the task
sources below).

Registering a source from another app
-------------------------------------
A framework node names its source (``FrameworkNode.source``); the name is looked up in a
registry that any app can add to, without editing this package. Two ways, pick one:

1. a module ``<your app>/index_sources.py``: ``IndexingConfig.ready`` imports it in every
   installed app (``django.utils.module_loading.autodiscover_modules``), or
2. a call from your own ``AppConfig.ready``.

Either way::

    from django.utils.translation import gettext_lazy as _
    from tiendo.indexing.automatic import AutoValue, register_source

    @register_source(
        "catalogue_published_share",
        _("Share of the unit's datasets published (%)"),
        record_url="datacatalog:dataset_detail",  # URL name taking the record's pk
    )
    def catalogue_published_share(unit, period) -> AutoValue:
        ...
        return AutoValue(round(100 * len(published) / len(ids), 4), ids)

Contract of a source ``fn(unit, period) -> AutoValue``:

- ``unit`` is an ``orgs.Unit``, ``period`` an ``indexing.Period`` (``starts_on``/``ends_on``);
  count the unit's own records and those of the units below it, as of the period's end;
- figures must not depend on who presses "recompute": read through your app's selectors with a
  system scope (``SYSTEM_SCOPE`` here), never through the request's user;
- ``value`` is ``None`` when there is nothing to measure, with a ``note`` saying why (an English
  string marked with ``gettext_noop``: it is stored and translated when shown);
- ``records`` are the primary keys of the records behind the value; the pages link each to
  ``record_url`` (default: the task page).

Names are unique: registering a taken name raises ``ImproperlyConfigured``, except over a
*placeholder* (``register_placeholder``), which is how an engine that is not built yet reserves
its name. ``registered_sources()`` lists what is available; framework import refuses a
node whose source is not registered.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
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

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")  # FrameworkNode.source has max_length=50


@dataclass(frozen=True)
class SourceInfo:
    """A registered source: its name, its label (lazy, translated when shown) and function."""

    name: str
    label: Any
    compute: Source
    record_url: str = "programs:task_detail"
    placeholder: bool = False

    @property
    def module(self) -> str:
        return getattr(self.compute, "__module__", "")


_REGISTRY: dict[str, SourceInfo] = {}


def _add(info: SourceInfo) -> None:
    if not _NAME.match(info.name):
        raise ImproperlyConfigured(
            f"Automatic source name {info.name!r}: lower-case letters, digits and _ "
            "(at most 50 characters, starting with a letter)."
        )
    existing = _REGISTRY.get(info.name)
    if (
        existing is not None
        and not existing.placeholder
        # The same function registered again (its module imported twice) is harmless.
        and (existing.module, getattr(existing.compute, "__qualname__", None))
        != (info.module, getattr(info.compute, "__qualname__", None))
    ):
        raise ImproperlyConfigured(
            f"Automatic source {info.name!r} is already registered by {existing.module}."
        )
    _REGISTRY[info.name] = info


def register_source(
    name: str, label: Any, *, record_url: str = "programs:task_detail"
) -> Callable[[Source], Source]:
    """Decorator: register ``fn(unit, period) -> AutoValue`` as the source ``name``.

    ``label`` is shown on the explain page (use ``gettext_lazy``); ``record_url`` is the URL
    name (taking one pk) of the page of each record listed in ``AutoValue.records``.
    """

    def decorator(fn: Source) -> Source:
        _add(SourceInfo(name, label, fn, record_url))
        return fn

    return decorator


def register_placeholder(name: str, label: Any, note: str) -> None:
    """Reserve ``name`` for an engine not built yet: it answers ``None`` with ``note``."""

    def not_available(unit: Any, period: Any) -> AutoValue:
        return AutoValue(None, [], note)

    _add(SourceInfo(name, label, not_available, placeholder=True))


def unregister_source(name: str) -> None:
    """Remove a source (for tests that register a temporary one)."""
    _REGISTRY.pop(name, None)


def get_source(name: str) -> SourceInfo | None:
    return _REGISTRY.get(name)


def registered_sources() -> list[SourceInfo]:
    """Every registered source, by name (placeholders included, flagged)."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def source_label(name: str) -> Any:
    info = _REGISTRY.get(name)
    return info.label if info is not None else ""


def record_url(name: str, pk: int) -> str:
    """The page of one record behind a value of source ``name``."""
    info = _REGISTRY.get(name)
    return reverse(info.record_url if info is not None else "programs:task_detail", args=[pk])


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


@register_source(
    "reporting_discipline",
    _("Periodic reports submitted on time (%)"),
    record_url="reporting:period",
)
def reporting_discipline(unit: Any, period: Any) -> AutoValue:
    """Share of the unit's reporting obligations due in the period that were met on time.

    An obligation is a unit (this one or one below it) obliged by a report schedule, for a
    reporting period whose due day falls within the index period. Each is classified by the
    reporting regime's own ``tiendo.reporting.selectors.discipline`` (first sending by the end of
    the due day), as at the end of the index period; obligations not yet due are left out. The
    records are the reporting periods counted: their page lists who sent what, and when.
    """
    from tiendo.core.fields import in_subtree
    from tiendo.orgs.models import Unit
    from tiendo.reporting.models import ReportPeriod
    from tiendo.reporting.selectors import DisciplineStatus, discipline

    end = timezone.make_aware(dt.datetime.combine(period.ends_on, dt.time.max))
    now = min(end, timezone.now())
    subtree = set(Unit.objects.filter(in_subtree("path", unit.path)).values_list("pk", flat=True))
    report_periods = (
        ReportPeriod.objects.filter(
            due_on__gte=period.starts_on,
            due_on__lte=period.ends_on,
            schedule__units__in=subtree,
        )
        .select_related("schedule__program")
        .distinct()
        .order_by("due_on", "pk")
    )
    due = on_time = 0
    records: list[int] = []
    for report_period in report_periods:
        rows = [
            row
            for row in discipline(
                SYSTEM_SCOPE, report_period.schedule.program, report_period, now=now
            ).rows
            if row.unit_id in subtree and row.status != DisciplineStatus.NOT_DUE
        ]
        if rows:
            records.append(report_period.pk)
            due += len(rows)
            on_time += sum(1 for row in rows if row.status == DisciplineStatus.ON_TIME)
    if not due:
        return AutoValue(
            None, [], gettext_noop("No periodic report of this unit was due in the period.")
        )
    return AutoValue(round(100 * on_time / due, 4), records)


def compute_source(name: str, unit: Any, period: Any) -> AutoValue:
    info = _REGISTRY.get(name)
    if info is None:
        return AutoValue(None, [], gettext_noop("Unknown automatic source."))
    return info.compute(unit, period)
