"""Reads of indicators through the user's scope: a program's indicators, and each one's target,
actual value and achievement for a unit and period as of a day, with the rows behind them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from tiendo.core.fields import in_subtree
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope
from tiendo.programs.models import Program
from tiendo.programs.selectors import visible_programs, visible_tasks

from .kpi import achievement, rollup
from .models import Direction, Indicator, IndicatorActual, IndicatorTarget


def visible_indicators(scope: Scope) -> QuerySet[Indicator]:
    """Indicators of visible programs; a task's own indicators only if the task is visible."""
    programs = visible_programs(scope).values("pk")
    qs = Indicator.objects.filter(program__in=programs)
    return qs.filter(task__isnull=True) | qs.filter(task__in=visible_tasks(scope).values("pk"))


def indicator_get(scope: Scope, indicator_id: int) -> Indicator:
    indicator = (
        visible_indicators(scope).select_related("program", "task").filter(pk=indicator_id).first()
    )
    if indicator is None:
        raise Http404
    return indicator


@dataclass
class IndicatorFigure:
    indicator: Indicator
    unit: Unit
    period_end: dt.date
    target: Decimal | None
    actual: Decimal | None
    achievement: Decimal | None
    # The rows behind the figure: the drill-down of the number shown.
    targets: list[IndicatorTarget] = field(default_factory=list)
    actuals: list[IndicatorActual] = field(default_factory=list)


def latest_actuals(
    indicator: Indicator, unit: Unit, period_end: dt.date, on: dt.date
) -> list[IndicatorActual]:
    """Per unit of the subtree, the latest value measured on or before ``on`` for the period."""
    rows = (
        IndicatorActual.objects.filter(
            in_subtree("unit_path", unit.path), indicator=indicator, period_end=period_end,
            measured_on__lte=on,
        )
        .select_related("unit", "reported_by")
        .order_by("unit_id", "-measured_on", "-id")
    )  # fmt: skip
    latest: dict[int, IndicatorActual] = {}
    for row in rows:
        latest.setdefault(row.unit_id, row)
    return sorted(latest.values(), key=lambda r: r.unit_path)


def indicator_figure(
    indicator: Indicator, *, unit: Unit, period_end: dt.date, on: dt.date | None = None
) -> IndicatorFigure:
    """Target, actual and achievement of ``unit`` (rolled up from below it) as of ``on``.

    ``indicator`` comes from ``indicator_get``/``visible_indicators`` (already scoped)."""
    on = on or timezone.localdate()
    targets = list(
        IndicatorTarget.objects.filter(
            in_subtree("unit_path", unit.path), indicator=indicator, period_end=period_end
        ).select_related("unit")
    )
    actuals = latest_actuals(indicator, unit, period_end, on)
    weights = {t.unit_path: t.weight for t in targets}
    target = rollup(
        {t.unit_path: t.target for t in targets}, unit.path, indicator.aggregation, weights
    )
    actual = rollup(
        {a.unit_path: a.value for a in actuals}, unit.path, indicator.aggregation, weights
    )
    return IndicatorFigure(
        indicator=indicator, unit=unit, period_end=period_end, target=target, actual=actual,
        achievement=achievement(
            actual, target, baseline=indicator.baseline,
            lower_is_better=indicator.direction == Direction.LOWER,
        ),
        targets=targets, actuals=actuals,
    )  # fmt: skip


def program_indicator_figures(
    scope: Scope, program: Program, *, period_end: dt.date, on: dt.date | None = None
) -> list[IndicatorFigure]:
    """Every indicator of a visible program, rolled up to the root of the owner's tree (the
    province or ministry: a committee's targets are set for the units it steers, not below it)."""
    root = Unit.objects.get(pk=program.owner_unit.ancestor_ids()[0])
    indicators = visible_indicators(scope).filter(program=program, task__isnull=True)
    return [indicator_figure(i, unit=root, period_end=period_end, on=on) for i in indicators]
