"""Compute a framework over a set of units: scores at every level, with an explanation.

Start here: ``compute(spec, inputs, merged=...)``. ``spec`` is a ``FrameworkSpec`` (built from the
database by ``Framework.spec()`` or from a YAML file by ``io``), ``inputs`` maps each unit to its
raw values by indicator code. Nothing here touches the database, so the same code scores the
demo province, a hypothesis property test and the 10,000-unit benchmark.

Order of work:
1. indicators scored unit by unit (points, yes/no, ratio, bands, min-max with goalposts);
2. indicators scored across units (rank, min-max over the observed range), all units at once;
3. formulas (they read other indicators' raw inputs);
4. groups aggregated bottom-up;
5. merged units: the main indicators (children of the root, or ``merge_level``) of a unit formed
   by merger are the average of its predecessors' (the published DTI 2025 rule), then the levels
   above are aggregated again.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import methods
from .methods import Aggregation, Method


@dataclass(frozen=True)
class NodeSpec:
    code: str
    name: str
    parent: str | None = None
    is_group: bool = False
    weight: float = 1.0
    max_points: float | None = None
    method: str = Method.POINTS
    params: Mapping[str, Any] = field(default_factory=dict)
    aggregation: str = Aggregation.SUM
    source: str = ""  # automatic indicator source ("" = entered by the unit)
    name_vi: str = ""
    unit: str = ""  # unit of measure of the input, e.g. "%"
    evidence: str = ""  # the evidence the indicator requires


@dataclass(frozen=True)
class FrameworkSpec:
    code: str
    name: str
    version: int
    nodes: tuple[NodeSpec, ...]
    year: int | None = None
    name_vi: str = ""
    description: str = ""
    merge_level: int = 1
    unit_kinds: tuple[str, ...] = ()
    rank_decimals: int = 2

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {n.code: n for n in self.nodes})
        children: dict[str | None, list[str]] = {}
        for node in self.nodes:
            children.setdefault(node.parent, []).append(node.code)
        object.__setattr__(self, "_children", children)

    @property
    def root(self) -> NodeSpec:
        roots = self._children.get(None, [])  # type: ignore[attr-defined]
        return self._index[roots[0]]  # type: ignore[attr-defined]

    def node(self, code: str) -> NodeSpec:
        return self._index[code]  # type: ignore[attr-defined]

    def children(self, code: str) -> list[NodeSpec]:
        return [self._index[c] for c in self._children.get(code, [])]  # type: ignore[attr-defined]

    def main_indicators(self) -> list[NodeSpec]:
        """The nodes at ``merge_level``: the "main indicators" of a published index."""
        return [n for n in self.nodes if self.depth(n.code) == self.merge_level]

    def indicators(self) -> list[NodeSpec]:
        return [n for n in self.nodes if not n.is_group]

    def depth(self, code: str) -> int:
        depth, node = 0, self.node(code)
        while node.parent is not None:
            depth, node = depth + 1, self.node(node.parent)
        return depth

    def postorder(self) -> list[NodeSpec]:
        """Children before parents, in file order."""
        order: list[NodeSpec] = []

        def visit(code: str) -> None:
            for child in self.children(code):
                visit(child.code)
            order.append(self.node(code))

        visit(self.root.code)
        return order

    def scale(self, code: str) -> float:
        """The maximum a node can score: its max points, or what its children add up to."""
        cache: dict[str, float] = self.__dict__.setdefault("_scales", {})
        if code in cache:
            return cache[code]
        node = self.node(code)
        if node.max_points is not None:
            value = float(node.max_points)
        elif not node.is_group:
            value = 1.0
        else:
            kids = self.children(code)
            kid_scales = [self.scale(k.code) for k in kids]
            if node.aggregation == Aggregation.SUM:
                value = sum(kid_scales)
            elif node.aggregation == Aggregation.WEIGHTED_SUM:
                value = sum(k.weight * s for k, s in zip(kids, kid_scales, strict=True))
            else:
                value = 1.0
        cache[code] = value
        return value


# Unit keys are anything hashable (unit ids in the application, names in tests).
Inputs = Mapping[Any, Mapping[str, float | None]]


@dataclass
class Result:
    """Scores of every unit at every node, and (optionally) how each was obtained."""

    scores: dict[Any, dict[str, float]]
    traces: dict[Any, dict[str, dict[str, Any]]]
    merged_from: dict[Any, list[Any]]

    def total(self, unit: Hashable, spec: FrameworkSpec) -> float:
        return self.scores[unit][spec.root.code]


def compute(
    spec: FrameworkSpec,
    inputs: Inputs,
    *,
    merged: Mapping[Any, Sequence[Any]] | None = None,
    explain: bool = True,
) -> Result:
    units = list(inputs)
    scores: dict[Hashable, dict[str, float]] = {u: {} for u in units}
    traces: dict[Hashable, dict[str, dict[str, Any]]] = {u: {} for u in units}
    formulas: list[NodeSpec] = []
    per_unit_nodes: list[tuple[NodeSpec, float, Any]] = []
    for node in spec.indicators():
        scale = spec.scale(node.code)
        params = node.params
        if node.method == Method.FORMULA:
            formulas.append(node)
        elif node.method == Method.RANK or (
            node.method == Method.MINMAX and ("lo" not in params or "hi" not in params)
        ):
            _score_across_units(node, scale, units, inputs, scores, traces if explain else None)
        else:
            per_unit_nodes.append(
                (node, scale, methods.scorer(node.method, scale=scale, params=params))
            )
    # Unit by unit, row after row: each unit's values are read together (cache-friendly).
    for u in units:
        row, out = inputs[u], scores[u]
        for node, scale, score_of in per_unit_nodes:
            value = row.get(node.code)
            out[node.code] = score = score_of(value)
            if explain:
                traces[u][node.code] = _trace(node, scale, value, score, {})
        for node in formulas:
            scale = spec.scale(node.code)
            expression = str(node.params["expression"])
            out[node.code] = score = methods.formula(expression, row, scale=scale)
            if explain:
                variables = {n: row.get(n) for n in sorted(_formula_names(expression))}
                traces[u][node.code] = _trace(
                    node, scale, None, score, {"formula": expression, "variables": variables}
                )
    groups = [n for n in spec.postorder() if n.is_group]
    for u in units:
        _aggregate(spec, groups, scores[u], traces[u] if explain else None)
    merged_from = _apply_mergers(spec, groups, scores, traces if explain else None, merged or {})
    return Result(scores=scores, traces=traces, merged_from=merged_from)


def _score_across_units(
    node: NodeSpec,
    scale: float,
    units: list[Hashable],
    inputs: Inputs,
    scores: dict[Hashable, dict[str, float]],
    traces: dict[Hashable, dict[str, dict[str, Any]]] | None,
) -> None:
    """Rank and observed min-max: every unit's value is needed before anyone is scored."""
    params = node.params
    column = {u: inputs[u].get(node.code) for u in units}
    invert = bool(params.get("invert", False))
    if node.method == Method.RANK:
        per_unit = methods.rank_based(column, scale=scale, invert=invert)
    else:
        per_unit = methods.minmax(
            column, scale=scale, lo=params.get("lo"), hi=params.get("hi"), invert=invert
        )
    for u in units:
        scores[u][node.code] = per_unit[u]
    if traces is not None:
        present = [v for v in column.values() if v is not None]
        observed = {"observed_min": min(present), "observed_max": max(present)} if present else {}
        for u in units:
            traces[u][node.code] = _trace(node, scale, column[u], per_unit[u], observed)


def _formula_names(expression: str) -> set[str]:
    from .expressions import names

    return names(expression)


def _trace(
    node: NodeSpec, scale: float, value: float | None, score: float, extra: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        "method": node.method,
        "params": dict(node.params),
        "input": value,
        "missing": value is None and node.method != Method.FORMULA,
        "scale": scale,
        "score": score,
        **extra,
    }


def _plan(
    spec: FrameworkSpec, group: NodeSpec
) -> tuple[list[str], list[float], list[float], float]:
    """Children's codes, scales and weights, and the group's scale: computed once per group."""
    cache: dict[str, Any] = spec.__dict__.setdefault("_plans", {})
    if group.code not in cache:
        kids = spec.children(group.code)
        cache[group.code] = (
            [k.code for k in kids],
            [spec.scale(k.code) for k in kids],
            [k.weight for k in kids],
            spec.scale(group.code),
        )
    return cache[group.code]


def _aggregate(
    spec: FrameworkSpec,
    groups: Sequence[NodeSpec],
    scores: dict[str, float],
    trace: dict[str, dict[str, Any]] | None,
    *,
    skip: frozenset[str] = frozenset(),
) -> None:
    for group in groups:
        if group.code in skip:
            continue
        codes, kid_scales, weights, scale = _plan(spec, group)
        kid_scores = [scores[c] for c in codes]
        scores[group.code] = methods.aggregate(
            group.aggregation, kid_scores, kid_scales, weights, scale=scale
        )
        if trace is not None:
            trace[group.code] = {
                "aggregation": group.aggregation,
                "scale": scale,
                "score": scores[group.code],
                "children": [
                    {"code": c, "score": s, "scale": sc, "weight": w}
                    for c, s, sc, w in zip(codes, kid_scores, kid_scales, weights, strict=True)
                ],
                "normalised_weights": methods.normalise_weights(weights),
            }


def _apply_mergers(
    spec: FrameworkSpec,
    groups: Sequence[NodeSpec],
    scores: dict[Hashable, dict[str, float]],
    traces: dict[Hashable, dict[str, dict[str, Any]]] | None,
    merged: Mapping[Any, Sequence[Any]],
) -> dict[Hashable, list[Hashable]]:
    """Main indicators of a merged unit = mean of its predecessors' (those assessed)."""
    applied: dict[Hashable, list[Hashable]] = {}
    level_codes = [n.code for n in spec.nodes if spec.depth(n.code) == spec.merge_level]
    for target, sources in merged.items():
        predecessors = [s for s in sources if s in scores]
        if target in scores and target not in predecessors:
            predecessors.append(target)
        if target not in scores or len(predecessors) < 2:
            continue
        for code in level_codes:
            values = [scores[p][code] for p in predecessors]
            scores[target][code] = sum(values) / len(values)
            if traces is not None:
                traces[target][code] = {
                    **traces[target].get(code, {}),
                    "score": scores[target][code],
                    "merged_from": [
                        {"unit": p, "score": v} for p, v in zip(predecessors, values, strict=True)
                    ],
                }
        above = frozenset(n.code for n in groups if spec.depth(n.code) >= spec.merge_level)
        _aggregate(
            spec, groups, scores[target], traces[target] if traces is not None else None, skip=above
        )
        applied[target] = predecessors
    return applied


def rank_units(totals: Mapping[Hashable, float], *, decimals: int = 2) -> dict[Hashable, int]:
    """Standard competition ranking of totals compared at their published rounding."""
    return methods.competition_ranks({u: round(v, decimals) for u, v in totals.items()})
