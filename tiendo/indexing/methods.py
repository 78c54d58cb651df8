"""Scoring methods and aggregations: pure functions, no database, no Django models.

Every indicator method turns a raw input into a score between 0 and the indicator's ``scale``
(its maximum points, or 1 for an index in [0, 1]). Methods that compare units with each other
(min-max without fixed goalposts, rank-based) take all assessed units' values at once.

A missing input scores 0: an indicator that a unit did not report earns nothing, and the
explanation says that the value was missing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import expressions


class Method:
    """Indicator scoring methods (codes used in framework files)."""

    POINTS = "points"  # the input is already the points earned, capped at the maximum
    YES_NO = "yes_no"  # 1/true earns the maximum, anything else 0
    RATIO = "ratio"  # input / target, capped at 1 (or target / input when lower is better)
    BANDS = "bands"  # thresholds: the highest band whose minimum the input reaches
    MINMAX = "minmax"  # (x - lo) / (hi - lo) with fixed goalposts or the observed range
    RANK = "rank"  # position among assessed units: best 1, worst 0
    FORMULA = "formula"  # safe expression over other indicators' inputs, result in [0, 1]

    ALL = (POINTS, YES_NO, RATIO, BANDS, MINMAX, RANK, FORMULA)
    ACROSS_UNITS = frozenset({RANK})  # minmax is across units only without goalposts


class Aggregation:
    """How a group combines its children's scores."""

    SUM = "sum"  # points add up (the DTI way)
    WEIGHTED_SUM = "weighted_sum"  # sum of weight x child score
    MEAN = "mean"  # arithmetic mean of the children's shares, times the group's scale
    WEIGHTED_MEAN = "weighted_mean"
    GEOMETRIC = "geometric"  # weighted geometric mean of the shares (the HDI way)

    ALL = (SUM, WEIGHTED_SUM, MEAN, WEIGHTED_MEAN, GEOMETRIC)
    MEANS = frozenset({MEAN, WEIGHTED_MEAN, GEOMETRIC})


def clamp01(x: float) -> float:
    if math.isnan(x):
        return 0.0
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def points(value: float | None, *, scale: float) -> float:
    if value is None:
        return 0.0
    return min(max(value, 0.0), scale)


def yes_no(value: float | None, *, scale: float) -> float:
    return scale if value is not None and value >= 1 else 0.0


def ratio(
    value: float | None,
    *,
    scale: float,
    target: float = 100.0,
    lower_is_better: bool = False,
    cap: bool = True,
) -> float:
    """Achievement against a target; capped at the target unless ``cap`` is false."""
    if value is None:
        return 0.0
    if lower_is_better:
        share = 1.0 if value <= target else (target / value if value > 0 else 1.0)
    else:
        share = value / target if target else 0.0
    share = max(share, 0.0)
    return scale * (min(share, 1.0) if cap else share)


def bands(value: float | None, *, scale: float, bands: Sequence[Mapping[str, float]]) -> float:
    """``bands`` are ``{"min": threshold, "points": p}``; the highest threshold reached wins."""
    if value is None:
        return 0.0
    earned = 0.0
    for band in sorted(bands, key=lambda b: float(b["min"])):
        if value >= float(band["min"]):
            earned = float(band["points"])
    return min(max(earned, 0.0), scale)


def minmax_share(value: float | None, lo: float, hi: float, *, invert: bool = False) -> float:
    if value is None:
        return 0.0
    if hi == lo:
        # Everyone assessed has the same value: nobody is behind anybody, so all earn the maximum.
        return 1.0
    share = clamp01((value - lo) / (hi - lo))
    return 1.0 - share if invert else share


def minmax(
    values: Mapping[Any, float | None],
    *,
    scale: float,
    lo: float | None = None,
    hi: float | None = None,
    invert: bool = False,
) -> dict[Any, float]:
    """Min-max normalisation with fixed goalposts, or across the units assessed if absent."""
    present = [v for v in values.values() if v is not None]
    low = lo if lo is not None else (min(present) if present else 0.0)
    high = hi if hi is not None else (max(present) if present else 0.0)
    result: dict[Any, float] = {}
    for key, value in values.items():
        result[key] = (
            0.0 if value is None else scale * minmax_share(value, low, high, invert=invert)
        )
    return result


def competition_ranks(values: Mapping[Any, float], *, descending: bool = True) -> dict[Any, int]:
    """Standard competition ranking ("1, 2, 2, 4"): tied values share the best rank."""
    ordered = sorted(values.items(), key=lambda kv: -kv[1] if descending else kv[1])
    ranks: dict[Any, int] = {}
    previous: float | None = None
    current_rank = 0
    for position, (key, value) in enumerate(ordered, start=1):
        if previous is None or value != previous:
            current_rank = position
            previous = value
        ranks[key] = current_rank
    return ranks


def rank_based(
    values: Mapping[Any, float | None], *, scale: float, invert: bool = False
) -> dict[Any, float]:
    """Best unit earns the maximum, worst 0, linear in rank; ties share the better rank."""
    present = {k: v for k, v in values.items() if v is not None}
    ranks = competition_ranks(present, descending=not invert)
    n = len(present)
    result: dict[Any, float] = dict.fromkeys(values, 0.0)
    for key, rank in ranks.items():
        result[key] = scale if n == 1 else scale * (n - rank) / (n - 1)
    return result


def formula(expression: str, variables: Mapping[str, float | None], *, scale: float) -> float:
    """The expression's value (a share, clamped to [0, 1]) times ``scale``; missing input: 0."""
    used = expressions.used_names(expression)
    if any(variables.get(name) is None for name in used):
        return 0.0
    return scale * clamp01(expressions.evaluate(expression, variables))  # type: ignore[arg-type]


def scorer(
    method: str, *, scale: float, params: Mapping[str, Any]
) -> Callable[[float | None], float]:
    """``score_one`` with the method and parameters bound once, for scoring many units."""
    if method == Method.RATIO and not params.get("lower_is_better") and params.get("cap", True):
        target = float(params.get("target", 100))

        def capped_ratio(value: float | None) -> float:
            if value is None or not target:
                return 0.0
            share = value / target
            return 0.0 if share <= 0 else scale * (1.0 if share > 1 else share)

        return capped_ratio
    if method == Method.YES_NO:
        return lambda value: scale if value is not None and value >= 1 else 0.0
    if method == Method.MINMAX:
        lo, hi, invert = float(params["lo"]), float(params["hi"]), bool(params.get("invert", False))
        return lambda value: scale * minmax_share(value, lo, hi, invert=invert)
    if method == Method.BANDS:
        ordered = sorted(
            ((float(b["min"]), float(b["points"])) for b in params["bands"]), reverse=True
        )

        def banded(value: float | None) -> float:
            if value is None:
                return 0.0
            for threshold, earned in ordered:  # highest threshold first: the first reached wins
                if value >= threshold:
                    return min(max(earned, 0.0), scale)
            return 0.0

        return banded
    if method == Method.POINTS:
        return lambda value: 0.0 if value is None else min(max(value, 0.0), scale)
    return lambda value: score_one(method, value, scale=scale, params=params)


def score_one(
    method: str, value: float | None, *, scale: float, params: Mapping[str, Any]
) -> float:
    """Score of a unit-by-unit method (everything except rank and observed min-max)."""
    match method:
        case Method.POINTS:
            return points(value, scale=scale)
        case Method.YES_NO:
            return yes_no(value, scale=scale)
        case Method.RATIO:
            return ratio(
                value,
                scale=scale,
                target=float(params.get("target", 100)),
                lower_is_better=bool(params.get("lower_is_better", False)),
                cap=bool(params.get("cap", True)),
            )
        case Method.BANDS:
            return bands(value, scale=scale, bands=params["bands"])
        case Method.MINMAX:
            share = minmax_share(
                value,
                float(params["lo"]),
                float(params["hi"]),
                invert=bool(params.get("invert", False)),
            )
            return scale * share
    raise ValueError(method)


def aggregate(
    aggregation: str,
    scores: Sequence[float],
    scales: Sequence[float],
    weights: Sequence[float],
    *,
    scale: float,
) -> float:
    """Combine children's scores into the group's score, between 0 and ``scale``."""
    if not scores:
        return 0.0
    if aggregation == Aggregation.SUM:
        total, total_scale = sum(scores), sum(scales)
        return 0.0 if total_scale == 0 else scale * total / total_scale
    if aggregation == Aggregation.WEIGHTED_SUM:
        total = sum(w * s for w, s in zip(weights, scores, strict=True))
        total_scale = sum(w * s for w, s in zip(weights, scales, strict=True))
        return 0.0 if total_scale == 0 else scale * total / total_scale
    shares = [0.0 if sc == 0 else clamp01(s / sc) for s, sc in zip(scores, scales, strict=True)]
    if aggregation == Aggregation.MEAN:
        return scale * sum(shares) / len(shares)
    total_weight = sum(weights)
    if total_weight <= 0:
        return 0.0
    if aggregation == Aggregation.WEIGHTED_MEAN:
        return scale * sum(w * s for w, s in zip(weights, shares, strict=True)) / total_weight
    if aggregation == Aggregation.GEOMETRIC:
        if any(s == 0 for s, w in zip(shares, weights, strict=True) if w > 0):
            return 0.0
        log_mean = sum(w * math.log(s) for w, s in zip(weights, shares, strict=True) if w > 0)
        return scale * clamp01(math.exp(log_mean / total_weight))
    raise ValueError(aggregation)


def normalise_weights(weights: Sequence[float]) -> list[float]:
    """Weights scaled to sum to 1 (all equal if they sum to zero)."""
    total = sum(weights)
    if total <= 0:
        return [1.0 / len(weights)] * len(weights) if weights else []
    return [w / total for w in weights]
