"""The rule behind one score, in words and with its numbers, for the explain page and the API.

``describe(trace)`` takes one node's trace from ``engine.compute(..., explain=True)`` and returns
the method or aggregation in the reader's language and the arithmetic that gives the score, with
the unit's own figures (e.g. ``60 / 100 = 0.6 × 30 = 18``). It only reads the trace: the figures
are the ones the engine used, never recomputed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .methods import Aggregation, Method

METHOD_LABELS: dict[str, Any] = {
    Method.POINTS: gettext_lazy("Points entered"),
    Method.YES_NO: gettext_lazy("Yes or no"),
    Method.RATIO: gettext_lazy("Ratio to a target"),
    Method.BANDS: gettext_lazy("Banded thresholds"),
    Method.MINMAX: gettext_lazy("Min-max normalisation"),
    Method.RANK: gettext_lazy("Rank among the units assessed"),
    Method.FORMULA: gettext_lazy("Formula over other indicators"),
}
AGGREGATION_LABELS: dict[str, Any] = {
    Aggregation.SUM: gettext_lazy("Sum of points"),
    Aggregation.WEIGHTED_SUM: gettext_lazy("Weighted sum"),
    Aggregation.MEAN: gettext_lazy("Arithmetic mean"),
    Aggregation.WEIGHTED_MEAN: gettext_lazy("Weighted mean"),
    Aggregation.GEOMETRIC: gettext_lazy("Geometric mean"),
}


@dataclass(frozen=True)
class Rule:
    label: str  # the method or aggregation, translated
    text: str  # the rule in words, translated
    arithmetic: str  # the computation with this unit's figures


def n(x: float | None) -> str:
    """A figure as the page shows it: at most four decimals, no trailing zeros, localised."""
    if x is None:
        return "—"
    value = round(float(x), 4)
    if value.is_integer():
        return number_format(int(value))
    return number_format(value)


def describe(trace: Mapping[str, Any]) -> Rule:
    if "aggregation" in trace:
        return _group(trace)
    return _indicator(trace)


def _indicator(t: Mapping[str, Any]) -> Rule:
    method, params, x = t["method"], t.get("params") or {}, t.get("input")
    scale, score = float(t["scale"]), float(t["score"])
    label = str(METHOD_LABELS.get(method, method))
    result = f"= {n(score)}"
    if t.get("missing"):
        return Rule(label, _("No value was entered or computed: the indicator scores 0."), "0")
    if method == Method.POINTS:
        text = _("The points entered, between 0 and the maximum %(max)s.") % {"max": n(scale)}
        return Rule(label, text, f"{n(x)} → {n(score)}")
    if method == Method.YES_NO:
        text = _("Yes (1) earns the maximum %(max)s; no (0) earns 0.") % {"max": n(scale)}
        return Rule(label, text, f"{n(x)} → {n(score)}")
    if method == Method.RATIO:
        target = float(params.get("target", 100))
        if params.get("lower_is_better"):
            text = _(
                "Lower is better: at or below the target %(target)s earns the maximum, above it "
                "the target divided by the value, times the maximum."
            ) % {"target": n(target)}
            if x is not None and float(x) <= target:
                return Rule(label, text, f"{n(x)} ≤ {n(target)} → {n(score)}")
            share = target / float(x) if x else 1.0
            return Rule(label, text, f"{n(target)} / {n(x)} = {n(share)} × {n(scale)} {result}")
        share = float(x) / target if target else 0.0
        if params.get("cap", True):
            text = _(
                "The value divided by the target %(target)s, at most 1, times the maximum."
            ) % {"target": n(target)}
            capped = min(max(share, 0.0), 1.0)
            step = f" → {n(capped)}" if capped != share else ""
            return Rule(
                label, text, f"{n(x)} / {n(target)} = {n(share)}{step} × {n(scale)} {result}"
            )
        text = _("The value divided by the target %(target)s, times the maximum.") % {
            "target": n(target)
        }
        return Rule(label, text, f"{n(x)} / {n(target)} = {n(share)} × {n(scale)} {result}")
    if method == Method.BANDS:
        bands = sorted(params.get("bands") or [], key=lambda b: float(b["min"]))
        listed = "; ".join(f"≥ {n(float(b['min']))}: {n(float(b['points']))}" for b in bands)
        text = _("The points of the highest band reached (%(bands)s).") % {"bands": listed}
        return Rule(label, text, f"{n(x)} → {n(score)}")
    if method == Method.MINMAX:
        goalposts = "lo" in params
        lo = float(params["lo"]) if goalposts else t.get("observed_min")
        hi = float(params["hi"]) if goalposts else t.get("observed_max")
        text = (
            _("Position between the goalposts %(lo)s and %(hi)s, times the maximum.")
            if goalposts
            else _(
                "Position between the lowest (%(lo)s) and highest (%(hi)s) values of the units "
                "assessed, times the maximum; if all are equal, everyone earns the maximum."
            )
        ) % {"lo": n(lo), "hi": n(hi)}
        if lo is None or hi is None or lo == hi:
            return Rule(label, text, f"{n(x)} → {n(score)}")
        if params.get("invert"):
            return Rule(
                label, text, f"({n(hi)} − {n(x)}) / ({n(hi)} − {n(lo)}) × {n(scale)} {result}"
            )
        return Rule(label, text, f"({n(x)} − {n(lo)}) / ({n(hi)} − {n(lo)}) × {n(scale)} {result}")
    if method == Method.RANK:
        text = _(
            "The best unit earns the maximum %(max)s and the last 0, in equal steps of rank; "
            "tied units share the better rank."
        ) % {"max": n(scale)}
        return Rule(label, text, f"{n(x)} → {n(score)}")
    if method == Method.FORMULA:
        text = _("The formula's value, kept between 0 and 1, times the maximum.")
        return Rule(label, text, f"({t.get('formula', '')}) × {n(scale)} {result}")
    return Rule(label, "", f"{n(x)} → {n(score)}")


def _group(t: Mapping[str, Any]) -> Rule:
    aggregation, scale, score = t["aggregation"], float(t["scale"]), float(t["score"])
    kids = t.get("children") or []
    label = str(AGGREGATION_LABELS.get(aggregation, aggregation))
    result = f"= {n(score)}"
    if not kids:
        return Rule(label, "", result)
    scores = [n(c["score"]) for c in kids]
    scales = [float(c["scale"]) for c in kids]
    weights = [n(c["weight"]) for c in kids]
    shares = [f"{n(c['score'])}/{n(c['scale'])}" for c in kids]
    if aggregation == Aggregation.SUM:
        text = _("The points of the parts add up (over their maxima, times this maximum).")
        if abs(sum(scales) - scale) < 1e-9:
            return Rule(label, text, f"{' + '.join(scores)} {result}")
        return Rule(
            label,
            text,
            f"({' + '.join(scores)}) / ({' + '.join(n(s) for s in scales)}) × {n(scale)} {result}",
        )
    if aggregation == Aggregation.WEIGHTED_SUM:
        text = _("Weighted points of the parts over their weighted maxima, times this maximum.")
        top = " + ".join(f"{w}×{s}" for w, s in zip(weights, scores, strict=True))
        bottom = " + ".join(f"{w}×{n(s)}" for w, s in zip(weights, scales, strict=True))
        return Rule(label, text, f"({top}) / ({bottom}) × {n(scale)} {result}")
    if aggregation == Aggregation.MEAN:
        text = _("Mean of the parts' shares of their maxima, times this maximum.")
        return Rule(label, text, f"({' + '.join(shares)}) / {len(kids)} × {n(scale)} {result}")
    if aggregation == Aggregation.WEIGHTED_MEAN:
        text = _("Weighted mean of the parts' shares of their maxima, times this maximum.")
        top = " + ".join(f"{w}×{s}" for w, s in zip(weights, shares, strict=True))
        return Rule(label, text, f"({top}) / ({' + '.join(weights)}) × {n(scale)} {result}")
    if aggregation == Aggregation.GEOMETRIC:
        text = _(
            "Weighted geometric mean of the parts' shares of their maxima, times this maximum; "
            "a part at 0 makes it 0."
        )
        top = " + ".join(f"{w}×ln({s})" for w, s in zip(weights, shares, strict=True))
        return Rule(label, text, f"exp(({top}) / ({' + '.join(weights)})) × {n(scale)} {result}")
    return Rule(label, "", result)
