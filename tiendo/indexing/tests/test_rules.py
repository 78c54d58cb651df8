"""The explain page's rule: each method and aggregation in words, with the unit's own figures."""

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.indexing.engine import FrameworkSpec, NodeSpec, compute
from tiendo.indexing.rules import describe


def trace_of(method: str, value: float | None, params: dict | None = None, **extra: float):
    spec = FrameworkSpec(
        code="t",
        name="T",
        version=1,
        nodes=(
            NodeSpec(code="T", name="T", is_group=True),
            NodeSpec(
                code="x", name="X", parent="T", max_points=30, method=method, params=params or {}
            ),
            NodeSpec(code="y", name="Y", parent="T", max_points=20, method="points"),
        ),
    )
    inputs = {"u": {"x": value, "y": 5}, **{k: {"x": v, "y": 0} for k, v in extra.items()}}
    result = compute(spec, inputs, explain=True)
    return result.traces["u"]


@pytest.mark.parametrize(
    ("method", "value", "params", "arithmetic"),
    [
        ("ratio", 60, {"target": 100}, "60 / 100 = 0.6 × 30 = 18"),
        ("ratio", 120, {"target": 100}, "120 / 100 = 1.2 → 1 × 30 = 30"),
        ("ratio", 50, {"target": 25, "lower_is_better": True}, "25 / 50 = 0.5 × 30 = 15"),
        ("yes_no", 1, {}, "1 → 30"),
        ("points", 45, {}, "45 → 30"),
        ("bands", 70, {"bands": [{"min": 0, "points": 0}, {"min": 50, "points": 12}]}, "70 → 12"),
        ("minmax", 7, {"lo": 5, "hi": 15}, "(7 − 5) / (15 − 5) × 30 = 6"),
        ("minmax", 7, {"lo": 5, "hi": 15, "invert": True}, "(15 − 7) / (15 − 5) × 30 = 24"),
    ],
)
def test_each_method_shows_its_arithmetic(method, value, params, arithmetic):
    rule = describe(trace_of(method, value, params)["x"])
    assert rule.arithmetic == arithmetic
    assert rule.label
    assert rule.text


def test_observed_minmax_names_the_range_of_the_units_assessed():
    rule = describe(trace_of("minmax", 4, {}, v=2, w=12)["x"])
    assert "lowest (2) and highest (12)" in rule.text
    assert rule.arithmetic == "(4 − 2) / (12 − 2) × 30 = 6"


def test_missing_input_says_it_scores_zero():
    rule = describe(trace_of("ratio", None, {"target": 100})["x"])
    assert (rule.text, rule.arithmetic) == (
        "No value was entered or computed: the indicator scores 0.",
        "0",
    )


def test_sum_shows_the_parts_adding_up():
    rule = describe(trace_of("ratio", 60, {"target": 100})["T"])
    assert rule.label == "Sum of points"
    assert rule.arithmetic == "18 + 5 = 23"


def test_the_rule_reads_in_vietnamese_with_decimal_commas():
    with translation.override("vi"):
        rule = describe(trace_of("ratio", 33, {"target": 40})["x"])
    assert rule.label == "Tỷ lệ so với chỉ tiêu"
    assert rule.arithmetic == "33 / 40 = 0,825 × 30 = 24,75"


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=st.floats(min_value=0, max_value=1000, allow_nan=False),
    target=st.floats(min_value=0.5, max_value=500, allow_nan=False),
)
def test_the_arithmetic_ends_with_the_engines_score(value, target):
    trace = trace_of("ratio", value, {"target": target})["x"]
    final = describe(trace).arithmetic.rsplit("= ", 1)[1]
    assert float(final) == pytest.approx(trace["score"], abs=0.00005)
