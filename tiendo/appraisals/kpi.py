"""Pure arithmetic of indicators: achievement against a target, and roll-up over the unit tree.

Achievement is the share of the way from the baseline to the target that the actual value has
gone: ``(actual - baseline) / (target - baseline) × 100``, which reads the same whether higher or
lower is better (for "lower is better" both differences are negative). Without a baseline:
``actual / target`` when higher is better, ``target / actual`` when lower is better. Never below
0; above 100 when the target is beaten (reports show it as it is).

Roll-up: a unit's own value, if it has one for the period, is its value (a province that reports
its own total is not double counted); otherwise its value aggregates the nearest units below it
that have one, by sum, average or weighted average as the indicator says.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
HUNDRED = Decimal(100)


def achievement(
    actual: Decimal | None,
    target: Decimal | None,
    *,
    baseline: Decimal | None = None,
    lower_is_better: bool = False,
) -> Decimal | None:
    """Achievement in percent, rounded to one decimal; None without an actual or a target."""
    if actual is None or target is None:
        return None
    if baseline is not None:
        span, gone = target - baseline, actual - baseline
    elif lower_is_better:
        if actual == 0:
            return HUNDRED if target >= 0 else Decimal(0)
        span, gone = actual, target  # target / actual
    else:
        span, gone = target, actual
    if span == 0:
        reached = actual <= target if lower_is_better else actual >= target
        return HUNDRED if reached else Decimal(0)
    value = max(Decimal(0), gone / span * HUNDRED)
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _contributors(paths: list[str], root: str) -> list[str]:
    """The nearest paths strictly below ``root`` (no other given path between them and root)."""
    below = [p for p in paths if p != root and p.startswith(root)]
    return [p for p in below if not any(q != p and p.startswith(q) for q in below)]


def rollup(
    values: Mapping[str, Decimal],
    root: str,
    aggregation: str,
    weights: Mapping[str, Decimal] | None = None,
) -> Decimal | None:
    """The value of the unit at tree path ``root``, from units' own values keyed by path."""
    value, _weight = _rollup(values, sorted(values), root, aggregation, weights or {})
    return value


def _rollup(
    values: Mapping[str, Decimal],
    paths: list[str],
    root: str,
    aggregation: str,
    weights: Mapping[str, Decimal],
) -> tuple[Decimal | None, Decimal]:
    if root in values:
        return values[root], weights.get(root, Decimal(1))
    parts = []
    for child in _contributors(paths, root):
        value, weight = _rollup(values, paths, child, aggregation, weights)
        if value is not None:
            parts.append((value, weight))
    if not parts:
        return None, Decimal(0)
    total_weight = sum((w for _, w in parts), Decimal(0))
    if aggregation == "sum":
        return sum((v for v, _ in parts), Decimal(0)), total_weight
    if aggregation == "weighted" and total_weight > 0:
        return sum((v * w for v, w in parts), Decimal(0)) / total_weight, total_weight
    return sum((v for v, _ in parts), Decimal(0)) / len(parts), total_weight
