"""Indicator arithmetic (hypothesis): achievement, and roll-up over the unit tree."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from ..kpi import achievement, rollup

amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=1, max_value=10**6, places=2)


@given(positive)
def test_reaching_the_target_is_100_percent(target: Decimal) -> None:
    assert achievement(target, target) == 100
    assert achievement(target, target, lower_is_better=True) == 100


@given(amounts, positive, amounts)
def test_achievement_runs_from_baseline_to_target(
    actual: Decimal, target: Decimal, baseline: Decimal
) -> None:
    # given a baseline different from the target, in either direction
    assume(baseline != target)
    lower = target < baseline
    value = achievement(actual, target, baseline=baseline, lower_is_better=lower)
    # then the baseline is 0 %, the target 100 %, and the value never goes below 0
    assert achievement(baseline, target, baseline=baseline, lower_is_better=lower) == 0
    assert achievement(target, target, baseline=baseline, lower_is_better=lower) == 100
    assert value is not None
    assert value >= 0


@given(amounts, amounts, positive)
def test_achievement_rewards_the_better_direction(a: Decimal, b: Decimal, target: Decimal) -> None:
    low, high = sorted((a, b))
    assert achievement(high, target) >= achievement(low, target)  # type: ignore[operator]
    assume(low > 0)
    assert achievement(low, target, lower_is_better=True) >= achievement(  # type: ignore[operator]
        high, target, lower_is_better=True
    )


def test_known_achievements() -> None:
    # 47 of 53 essential public services; online rate 42 % from 30 % toward 50 %
    assert achievement(Decimal(47), Decimal(53)) == Decimal("88.7")
    assert achievement(Decimal(42), Decimal(50), baseline=Decimal(30)) == Decimal("60.0")
    # processing time 6 days against a target of 4 (lower is better)
    assert achievement(Decimal(6), Decimal(4), lower_is_better=True) == Decimal("66.7")
    assert achievement(None, Decimal(4)) is None


leaf_values = st.lists(amounts, min_size=1, max_size=8)


@given(leaf_values)
def test_sum_and_average_of_units_below(values: list[Decimal]) -> None:
    # given units /1/k/ below a province /1/ that has no value of its own
    tree = {f"/1/{k + 2}/": v for k, v in enumerate(values)}
    # then the province's value is their sum, or their average
    assert rollup(tree, "/1/", "sum") == sum(values)
    average = rollup(tree, "/1/", "average")
    assert average == sum(values) / len(values)
    assert min(values) <= average <= max(values)  # type: ignore[operator]


@given(leaf_values)
def test_weighted_average_with_equal_weights_is_the_average(values: list[Decimal]) -> None:
    tree = {f"/1/{k + 2}/": v for k, v in enumerate(values)}
    weights = {p: Decimal(3) for p in tree}
    assert rollup(tree, "/1/", "weighted", weights) == rollup(tree, "/1/", "average")


@given(leaf_values, leaf_values)
def test_sum_is_the_same_through_intermediate_units(a: list[Decimal], b: list[Decimal]) -> None:
    # given communes under two districts that have no value of their own
    tree = {f"/1/2/{k + 10}/": v for k, v in enumerate(a)}
    tree |= {f"/1/3/{k + 10}/": v for k, v in enumerate(b)}
    # then the province's sum is the sum of every commune
    assert rollup(tree, "/1/", "sum") == sum(a) + sum(b)
    assert rollup(tree, "/1/2/", "sum") == sum(a)


def test_a_units_own_value_is_not_double_counted() -> None:
    tree = {"/1/": Decimal(50), "/1/2/": Decimal(20), "/1/3/": Decimal(25)}
    assert rollup(tree, "/1/", "sum") == 50
    assert rollup({"/1/2/": Decimal(20)}, "/1/3/", "sum") is None
