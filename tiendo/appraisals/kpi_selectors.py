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
from tiendo.programs.access import can_manage_program
from tiendo.programs.models import Program
from tiendo.programs.selectors import visible_programs, visible_tasks

from .access import can_act_for
from .kpi import achievement, rollup
from .models import Direction, Indicator, IndicatorActual, IndicatorTarget


def visible_indicators(scope: Scope) -> QuerySet[Indicator]:
    """Indicators of visible programs; a task's own indicators only if the task is visible.

    A unit given a target of a program's indicator sees that indicator too, even when it
    leads no task of the program: it must see its target and report against it."""
    if not scope.is_authenticated:
        return Indicator.objects.none()
    programs = visible_programs(scope).values("pk")
    qs = Indicator.objects.filter(program__in=programs)
    targeted = IndicatorTarget.objects.filter(scope.subtree_q("unit_path")).values("indicator_id")
    return (
        qs.filter(task__isnull=True)
        | qs.filter(task__in=visible_tasks(scope).values("pk"))
        | Indicator.objects.filter(
            pk__in=targeted,
            task__isnull=True,
            program__classification__lte=scope.clearance,
        )
    )


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


def program_root(program: Program) -> Unit:
    """The root of the program owner's tree (the province or ministry): the unit every figure
    of the program rolls up to, and the tree its values are reported within."""
    return Unit.objects.get(pk=program.owner_unit.ancestor_ids()[0])


def program_indicator_figures(
    scope: Scope, program: Program, *, period_end: dt.date, on: dt.date | None = None
) -> list[IndicatorFigure]:
    """Every indicator of a visible program, rolled up to the root of the owner's tree (the
    province or ministry: a committee's targets are set for the units it steers, not below it)."""
    root = program_root(program)
    indicators = visible_indicators(scope).filter(program=program, task__isnull=True)
    return [indicator_figure(i, unit=root, period_end=period_end, on=on) for i in indicators]


@dataclass
class UnitLine:
    """One unit of an indicator's page: its target, its value (own or rolled up from below)."""

    unit: Unit
    target: Decimal | None
    actual: Decimal | None
    achievement: Decimal | None
    own: IndicatorActual | None  # the unit's own latest value as of the day, if it has one


@dataclass
class IndicatorPage:
    figure: IndicatorFigure  # the program's roll-up, with the rows behind it
    periods: list[dt.date]
    lines: list[UnitLine]
    history: list[IndicatorActual]  # every value of the period measured by the day, newest first
    narrowed: bool = False  # lines and history cut to the user's own units


def indicator_periods(indicator: Indicator) -> list[dt.date]:
    """The periods the indicator has targets for, oldest first."""
    return sorted(
        set(indicator.targets.values_list("period_end", flat=True).order_by("period_end"))
    )


def indicator_page(
    indicator: Indicator, *, period_end: dt.date, on: dt.date | None = None
) -> IndicatorPage:
    """The roll-up of the program and, from the same rows, each unit's line (no query per unit).

    ``indicator`` comes from ``indicator_get`` (already scoped)."""
    on = on or timezone.localdate()
    figure = indicator_figure(
        indicator, unit=program_root(indicator.program), period_end=period_end, on=on
    )
    weights = {t.unit_path: t.weight for t in figure.targets}
    targets = {t.unit_path: t.target for t in figure.targets}
    values = {a.unit_path: a.value for a in figure.actuals}
    own = {a.unit_id: a for a in figure.actuals}
    units = {t.unit_id: t.unit for t in figure.targets} | {
        a.unit_id: a.unit for a in figure.actuals
    }
    lines = []
    lower = indicator.direction == Direction.LOWER
    for unit in sorted(units.values(), key=lambda u: u.path):
        target = rollup(targets, unit.path, indicator.aggregation, weights)
        actual = rollup(values, unit.path, indicator.aggregation, weights)
        reached = achievement(actual, target, baseline=indicator.baseline, lower_is_better=lower)
        lines.append(UnitLine(unit, target, actual, reached, own.get(unit.pk)))
    history = list(
        IndicatorActual.objects.filter(
            indicator=indicator, period_end=period_end, measured_on__lte=on
        )
        .select_related("unit", "reported_by")
        .order_by("-measured_on", "-id")
    )
    return IndicatorPage(
        figure=figure, periods=indicator_periods(indicator), lines=lines, history=history
    )


def reportable_units(scope: Scope, indicator: Indicator) -> list[Unit]:
    """Units with a target of the indicator whose values the user may report (their own units;
    every one for the program's managers), in tree order."""
    units = Unit.objects.filter(
        pk__in=indicator.targets.values("unit_id"), closed_on__isnull=True
    ).order_by("path")
    if can_manage_program(scope, indicator.program):
        return list(units)
    return [u for u in units if can_act_for(scope, u)]


def indicator_value_get(scope: Scope, value_id: int) -> IndicatorActual:
    """A reported value of an indicator the user can see (404 otherwise)."""
    row = (
        IndicatorActual.objects.filter(
            pk=value_id, indicator__in=visible_indicators(scope).values("pk")
        )
        .select_related("indicator")
        .first()
    )
    if row is None:
        raise Http404
    return row


def narrow_to_own_units(scope: Scope, indicator: Indicator, page: IndicatorPage) -> IndicatorPage:
    """For a user who sees the indicator only because a unit of theirs has a target (not its
    program): the lines and values of their own units only; the program's roll-up stays."""
    if visible_programs(scope).filter(pk=indicator.program_id).exists():
        return page
    paths = scope.unit_paths

    def own(path: str) -> bool:
        return any(path.startswith(p) for p in paths)

    page.lines = [line for line in page.lines if own(line.unit.path)]
    page.history = [row for row in page.history if own(row.unit_path)]
    page.narrowed = True
    return page
