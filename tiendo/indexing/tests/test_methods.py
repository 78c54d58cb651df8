"""Scoring methods: each turns an input into a score between 0 and the indicator's scale."""

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.indexing import methods
from tiendo.indexing.methods import Aggregation

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
shares = st.floats(min_value=0, max_value=1, allow_nan=False)
weights = st.floats(min_value=0.01, max_value=100, allow_nan=False)


def test_each_method_on_known_values():
    assert methods.yes_no(1, scale=10) == 10
    assert methods.yes_no(0, scale=10) == 0
    assert methods.yes_no(None, scale=10) == 0
    assert methods.ratio(45, scale=10, target=90) == 5
    assert methods.ratio(120, scale=10, target=90) == 10  # capped
    assert methods.ratio(2, scale=10, target=1, lower_is_better=True) == 5
    bands = [{"min": 0, "points": 0}, {"min": 50, "points": 4}, {"min": 80, "points": 8}]
    assert methods.bands(79.9, scale=8, bands=bands) == 4
    assert methods.bands(80, scale=8, bands=bands) == 8
    assert methods.minmax({"a": 20, "b": 85, "c": 52.5}, scale=1) == {"a": 0, "b": 1, "c": 0.5}
    assert methods.minmax({"a": 5, "b": 5}, scale=3) == {"a": 3, "b": 3}
    assert methods.rank_based({"a": 3, "b": 1, "c": 2}, scale=10) == {"a": 10, "b": 0, "c": 5}
    assert methods.formula("a / b", {"a": 1, "b": 4}, scale=100) == 25
    assert methods.formula("a / b", {"a": None, "b": 4}, scale=100) == 0


def test_competition_ranking_states_ties_as_1_2_2_4():
    ranks = methods.competition_ranks({"a": 90, "b": 80, "c": 80, "d": 70})
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 5), min_size=1))
def test_ranking_is_a_competition_permutation(values):
    # given any values, when ranked, then every unit gets one rank, the best is 1, and sorting by
    # rank sorts by value
    ranks = methods.competition_ranks(values)
    assert set(ranks) == set(values)
    assert min(ranks.values()) == 1
    ordered = sorted(values, key=lambda k: ranks[k])
    assert [values[k] for k in ordered] == sorted(values.values(), reverse=True)
    for key, rank in ranks.items():
        assert rank == 1 + sum(1 for v in values.values() if v > values[key])


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(finite, finite, st.floats(min_value=0.1, max_value=1000))
def test_unit_methods_stay_in_bounds_and_are_monotone(x, delta, scale):
    bands = [{"min": 10, "points": scale / 2}, {"min": 50, "points": scale}]
    cases: list[tuple[str, dict[str, Any]]] = [
        ("points", {}),
        ("yes_no", {}),
        ("ratio", {"target": 75}),
        ("bands", {"bands": bands}),
        ("minmax", {"lo": -10, "hi": 500}),
    ]
    for method, params in cases:
        low = methods.score_one(method, x, scale=scale, params=params)
        high = methods.score_one(method, x + abs(delta), scale=scale, params=params)
        assert 0 <= low <= scale
        assert 0 <= high <= scale
        assert high >= low


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(shares, weights), min_size=1, max_size=8), st.floats(0.1, 10))
def test_aggregations_stay_in_bounds_and_weights_normalise(children, factor):
    # given children's shares and weights, when aggregated, then the result is within the scale
    # and multiplying every weight by the same factor changes nothing
    scores = [s for s, _ in children]
    w = [w for _, w in children]
    scales = [1.0] * len(children)
    for aggregation in Aggregation.ALL:
        value = methods.aggregate(aggregation, scores, scales, w, scale=1)
        scaled = methods.aggregate(aggregation, scores, scales, [x * factor for x in w], scale=1)
        assert -1e-12 <= value <= 1 + 1e-12
        assert math.isclose(value, scaled, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(sum(methods.normalise_weights(w)), 1.0)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(shares, min_size=2, max_size=6), st.integers(0, 5), st.floats(0, 1))
def test_raising_a_child_never_lowers_a_mean(scores, index, bump):
    index %= len(scores)
    raised = list(scores)
    raised[index] = min(1.0, raised[index] + bump)
    for aggregation in Aggregation.ALL:
        ones = [1.0] * len(scores)
        before = methods.aggregate(aggregation, scores, ones, ones, scale=1)
        after = methods.aggregate(aggregation, raised, ones, ones, scale=1)
        assert after >= before - 1e-12


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.none(), finite), st.floats(min_value=0.1, max_value=1000))
def test_bound_scorers_agree_with_score_one(x, scale):
    # the engine's pre-bound scorers must give exactly what score_one gives
    bands = [{"min": 10, "points": scale / 2}, {"min": 50, "points": scale}]
    cases: list[tuple[str, dict[str, Any]]] = [
        ("points", {}),
        ("yes_no", {}),
        ("ratio", {"target": 75}),
        ("ratio", {"target": 5, "lower_is_better": True}),
        ("bands", {"bands": bands}),
        ("minmax", {"lo": -10, "hi": 500}),
    ]
    for method, params in cases:
        bound = methods.scorer(method, scale=scale, params=params)
        assert bound(x) == methods.score_one(method, x, scale=scale, params=params)
