"""Scoped reads of the index: periods, assessments, values, results, explanations, rankings.

Visibility (built on ``tiendo.orgs.scope``):
- any signed-in user sees the frameworks and periods (they are public rules);
- assessments and their values: the committee and reviewers of the period see the whole cycle;
  a unit's members see the assessments of their unit and the units below it;
- scores before publication: the same rule; published results are the committee's public
  ranking and every signed-in user sees them.
Anything outside answers ``Http404``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language

from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope

from . import access, automatic, rules
from .engine import FrameworkSpec, Result, compute, rank_units
from .models import (
    Assessment,
    Framework,
    FrameworkNode,
    IndicatorValue,
    Period,
    PeriodState,
)
from .models import Result as StoredResult


def node_label(node: Any) -> str:
    """A framework node's name in the interface language (Vietnamese name when given)."""
    if (get_language() or "").startswith("vi") and node.name_vi:
        return str(node.name_vi)
    return str(node.name)


def visible_frameworks(scope: Scope) -> QuerySet[Framework]:
    if not scope.is_authenticated:
        return Framework.objects.none()
    return Framework.objects.all()


def framework_get(scope: Scope, framework_id: int) -> Framework:
    framework = visible_frameworks(scope).filter(pk=framework_id).first()
    if framework is None:
        raise Http404
    return framework


def visible_periods(scope: Scope) -> QuerySet[Period]:
    if not scope.is_authenticated:
        return Period.objects.none()
    return Period.objects.select_related("framework", "committee", "previous")


def period_get(scope: Scope, period_id: int) -> Period:
    period = visible_periods(scope).filter(pk=period_id).first()
    if period is None:
        raise Http404
    return period


def visible_assessments(scope: Scope, period: Period) -> QuerySet[Assessment]:
    qs = Assessment.objects.filter(period=period).select_related("unit", "period__framework")
    if not scope.is_authenticated:
        return qs.none()
    if access.sees_whole_cycle(scope, period):
        return qs
    return qs.filter(scope.subtree_q("unit__path"))


def assessment_get(scope: Scope, assessment_id: int) -> Assessment:
    assessment = (
        Assessment.objects.filter(pk=assessment_id)
        .select_related("period__framework", "period__committee", "unit")
        .first()
    )
    if (
        assessment is None
        or not visible_assessments(scope, assessment.period).filter(pk=assessment_id).exists()
    ):
        raise Http404
    return assessment


def value_get(scope: Scope, value_id: int) -> IndicatorValue:
    """One value entry, if its assessment is visible to the user (else ``Http404``)."""
    entry = IndicatorValue.objects.filter(pk=value_id).select_related("assessment").first()
    if entry is None:
        raise Http404
    assessment_get(scope, entry.assessment_id)
    return entry


def current_values(assessment: Assessment) -> dict[int, IndicatorValue]:
    """Latest entry per indicator (entries are append-only; the newest counts)."""
    latest: dict[int, IndicatorValue] = {}
    for entry in IndicatorValue.objects.filter(assessment=assessment).order_by("id"):
        latest[entry.node_id] = entry
    return latest


def value_history(
    assessment: Assessment, node: FrameworkNode | None = None
) -> QuerySet[IndicatorValue]:
    qs = IndicatorValue.objects.filter(assessment=assessment).select_related("entered_by", "node")
    if node is not None:
        qs = qs.filter(node=node)
    return qs.order_by("-id")


def framework_nodes(framework: Framework) -> list[FrameworkNode]:
    return list(framework.nodes.select_related("parent").order_by("position", "id"))


# --- computation ------------------------------------------------------------------------------


@dataclass
class PeriodComputation:
    spec: FrameworkSpec
    result: Result
    units: dict[int, Unit]
    ranked_units: list[int]  # units formed or kept after mergers (predecessors are not ranked)


def period_compute(period: Period, *, explain: bool = False) -> PeriodComputation:
    """Scores of every assessed unit from the latest values: the same figures as published.

    ``explain`` also keeps how each score was obtained (about four times slower).
    """
    spec = period.framework.spec()
    code_of = dict(
        FrameworkNode.objects.filter(framework_id=period.framework_id).values_list("pk", "code")
    )
    assessments = list(Assessment.objects.filter(period=period).select_related("unit"))
    by_assessment = {a.pk: a.unit_id for a in assessments}
    inputs: dict[Hashable, dict[str, float | None]] = {a.unit_id: {} for a in assessments}
    rows = (
        IndicatorValue.objects.filter(assessment__period=period)
        .order_by("id")
        .values_list("assessment_id", "node_id", "value")
    )
    for assessment_id, node_id, value in rows:
        inputs[by_assessment[assessment_id]][code_of[node_id]] = value
    units = {a.unit_id: a.unit for a in assessments}
    merged: dict[Hashable, list[Hashable]] = {}
    for unit in units.values():
        if unit.merged_into_id in units:
            merged.setdefault(unit.merged_into_id, []).append(unit.pk)
    ranked = [
        u.pk
        for u in units.values()
        if not (u.merged_into_id and u.closed_on and u.closed_on <= period.ends_on)
    ]
    result = compute(spec, inputs, merged=merged, explain=explain)
    return PeriodComputation(spec=spec, result=result, units=units, ranked_units=ranked)


def _results_unit_filter(scope: Scope, period: Period) -> Any:
    """None: every unit; otherwise the set of unit ids whose scores the user may see."""
    if not scope.is_authenticated:
        raise Http404
    if period.state == PeriodState.PUBLISHED or access.sees_whole_cycle(scope, period):
        return None
    return set(visible_assessments(scope, period).values_list("unit_id", flat=True))


@dataclass
class LeagueRow:
    rank: int | None
    unit: Unit
    total: float
    scale: float
    pillars: list[tuple[str, float, float]]  # main indicators: (code, score, scale)
    previous_total: float | None
    previous_rank: int | None

    @property
    def change(self) -> float | None:
        return None if self.previous_total is None else self.total - self.previous_total

    @property
    def share(self) -> float:
        return 0.0 if not self.scale else self.total / self.scale


def _scores(
    period: Period,
) -> tuple[FrameworkSpec, dict[int, dict[str, float]], dict[int, Unit], list[int]]:
    if period.state == PeriodState.PUBLISHED:
        spec = period.framework.spec()
        scores: dict[int, dict[str, float]] = {}
        for unit_id, code, score in StoredResult.objects.filter(period=period).values_list(
            "unit_id", "node__code", "score"
        ):
            scores.setdefault(unit_id, {})[code] = score
        units = Unit.objects.in_bulk(list(scores))
        ranked = [
            u for u, unit in units.items()
            if not (unit.merged_into_id and unit.closed_on and unit.closed_on <= period.ends_on)
        ]  # fmt: skip
        return spec, scores, units, ranked
    computed = period_compute(period)
    return computed.spec, computed.result.scores, computed.units, computed.ranked_units  # type: ignore[return-value]


def league_table(scope: Scope, period: Period, *, kind: str | None = None) -> list[LeagueRow]:
    """Ranked totals (standard competition ranking on totals at the framework's rounding)."""
    allowed = _results_unit_filter(scope, period)
    spec, scores, units, ranked = _scores(period)
    pool = [u for u in ranked if kind is None or units[u].kind == kind]
    root = spec.root.code
    ranks = rank_units({u: scores[u][root] for u in pool}, decimals=spec.rank_decimals)
    previous: dict[int, float] = {}
    previous_ranks: dict[Hashable, int] = {}
    if period.previous_id:
        prev_spec, prev_scores, _units, prev_ranked = _scores(period.previous)  # type: ignore[arg-type]
        previous = {u: s[prev_spec.root.code] for u, s in prev_scores.items()}
        previous_ranks = rank_units(
            {u: previous[u] for u in prev_ranked if kind is None or _units[u].kind == kind},
            decimals=prev_spec.rank_decimals,
        )
    pillars = spec.main_indicators()
    rows = [
        LeagueRow(
            rank=ranks[u],
            unit=units[u],
            total=scores[u][root],
            scale=spec.scale(root),
            pillars=[(p.code, scores[u][p.code], spec.scale(p.code)) for p in pillars],
            previous_total=previous.get(u),
            previous_rank=previous_ranks.get(u),  # type: ignore[arg-type]
        )
        for u in pool
        if allowed is None or u in allowed
    ]
    return sorted(rows, key=lambda r: (r.rank or 0, r.unit.name))


def period_unit_kinds(period: Period) -> list[str]:
    """Kinds of the units assessed in the period (for the league-table filter)."""
    return sorted(
        set(Assessment.objects.filter(period=period).values_list("unit__kind", flat=True))
    )


def unit_scores(scope: Scope, period: Period, unit_id: int) -> dict[str, Any]:
    """Scores of one unit at every node, with the node tree for display."""
    allowed = _results_unit_filter(scope, period)
    spec, scores, units, _ranked = _scores(period)
    if unit_id not in scores or (allowed is not None and unit_id not in allowed):
        raise Http404
    return {"spec": spec, "scores": scores[unit_id], "unit": units[unit_id]}


def explain(scope: Scope, period: Period, unit_id: int, code: str) -> dict[str, Any]:
    """Inputs, method, formula, weights, intermediate values and adjustments behind a score."""
    allowed = _results_unit_filter(scope, period)
    computed = period_compute(period, explain=True)
    if unit_id not in computed.units or (allowed is not None and unit_id not in allowed):
        raise Http404
    spec = computed.spec
    try:
        node_spec = spec.node(code)
    except KeyError:
        raise Http404 from None
    node = FrameworkNode.objects.get(framework_id=period.framework_id, code=code)
    assessment = Assessment.objects.get(period=period, unit_id=unit_id)
    trace = computed.result.traces[unit_id][code]
    history = list(value_history(assessment, node)) if not node.is_group else []
    return {
        "node": node,
        "spec": node_spec,
        "trace": trace,
        "unit": computed.units[unit_id],
        "history": history,
        "children": [
            (spec.node(c["code"]), node_label(spec.node(c["code"])), c)
            for c in trace.get("children", [])
        ],
        "merged_from": [
            (computed.units[m["unit"]], m["score"]) for m in trace.get("merged_from", [])
        ],
        "source_label": automatic.source_label(node.source),
        "rule": rules.describe(trace),
    }


@dataclass
class EmulationRow:
    rank: int
    unit: Unit
    index_share: float
    tasks_share: float | None
    score: float
    records: list[int]


def emulation_ranking(scope: Scope, period: Period) -> list[EmulationRow]:
    """Emulation score = w x (index / maximum) + (1 - w) x (tasks completed on time / 100).

    A unit with no task due in the period is scored on the index alone: it has no task
    performance to reward or penalise.
    """
    weight = period.emulation_index_weight
    rows: list[EmulationRow] = []
    for row in league_table(scope, period):
        tasks = automatic.tasks_on_time_share(row.unit, period)
        tasks_share = None if tasks.value is None else tasks.value / 100
        if tasks_share is None:
            score = row.share
        else:
            score = weight * row.share + (1 - weight) * tasks_share
        rows.append(EmulationRow(0, row.unit, row.share, tasks_share, score, tasks.records))
    ranks = rank_units({r.unit.pk: r.score for r in rows}, decimals=4)
    for r in rows:
        r.rank = ranks[r.unit.pk]
    return sorted(rows, key=lambda r: (r.rank, r.unit.name))


def automatic_sources() -> list[automatic.SourceInfo]:
    """The automatic sources an indicator can name, for framework authors (not scoped: names
    and labels only, no figures)."""
    return automatic.registered_sources()
