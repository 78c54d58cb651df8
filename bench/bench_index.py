"""Benchmark of the index engine: 10,000 units x 200 indicators, against a NumPy reference.

Run: ``.venv/bin/python -m bench.bench_index [--units N] [--pillars P] [--per-pillar K]``

The framework has P pillars of K indicators each, cycling through every scoring method (ratio,
lower-is-better ratio, yes/no, bands, min-max with goalposts, min-max across units, rank,
points, formula) and every group aggregation (sum, weighted mean, geometric mean). The same
numbers are computed twice: by ``tiendo.indexing.engine.compute`` (the code the application
runs) and by a vectorised NumPy implementation written independently here. The script asserts
that every pillar and total agrees to 1e-9 and that the rankings are identical, then prints both
times and their ratio. This part touches no database.

``--db-units N`` adds the database path: a throw-away test database (``test_`` + the configured
name, created and migrated by Django, dropped afterwards; set ``DATABASE_URL`` for PostgreSQL)
receives N assessed units and their values; ``selectors.period_compute`` (ORM reads + engine,
what publication and the pages use) is timed against one raw SQL query reading the same values
plus the NumPy reference, and the totals are compared.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

import numpy as np

METHODS = [
    "ratio",
    "ratio_low",
    "yes_no",
    "bands",
    "minmax_goal",
    "minmax_obs",
    "rank",
    "points",
    "formula",
]
AGGREGATIONS = ["sum", "weighted_mean", "geometric"]
BANDS = [
    {"min": 0, "points": 0},
    {"min": 30, "points": 2},
    {"min": 60, "points": 4},
    {"min": 90, "points": 5},
]


def build_spec(pillars: int, per_pillar: int) -> Any:
    from tiendo.indexing.engine import FrameworkSpec, NodeSpec

    nodes = [NodeSpec(code="ROOT", name="Total", is_group=True, aggregation="sum")]
    for p in range(pillars):
        code = f"P{p}"
        nodes.append(NodeSpec(code=code, name=code, parent="ROOT", is_group=True, max_points=100,
                              aggregation=AGGREGATIONS[p % len(AGGREGATIONS)]))  # fmt: skip
        for k in range(per_pillar):
            method = METHODS[(p + k) % len(METHODS)]
            icode = f"I{p}_{k}"
            params: dict[str, Any] = {}
            real = method
            if method == "ratio":
                params = {"target": 80}
            elif method == "ratio_low":
                real, params = "ratio", {"target": 20, "lower_is_better": True}
            elif method == "bands":
                params = {"bands": BANDS}
            elif method == "minmax_goal":
                real, params = "minmax", {"lo": 10, "hi": 90}
            elif method == "minmax_obs":
                real = "minmax"
            elif method == "formula":
                a, b = f"I{p}_{(k + 1) % per_pillar}", f"I{p}_{(k + 2) % per_pillar}"
                params = {"expression": f"min({a} / 2 + {b} / 4, 100) / 100"}
            nodes.append(NodeSpec(code=icode, name=icode, parent=code, method=real, params=params,
                                  max_points=5, weight=1 + (k % 3)))  # fmt: skip
    return FrameworkSpec(code="bench", name="bench", version=1, nodes=tuple(nodes))


def make_data(units: int, spec: Any, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    indicators = spec.indicators()
    data = rng.uniform(0, 110, size=(units, len(indicators))).round(2)
    for j, node in enumerate(indicators):
        if node.method == "yes_no":
            data[:, j] = rng.integers(0, 2, size=units)
        elif node.method == "rank":
            data[:, j] = rng.integers(0, 50, size=units)  # many ties on purpose
    data[rng.random(data.shape) < 0.02] = np.nan  # missing inputs score 0
    return data


# --- the NumPy reference ----------------------------------------------------------------------


def _indicator(
    node: Any, x: np.ndarray, columns: dict[str, np.ndarray], scale: float
) -> np.ndarray:
    present = ~np.isnan(x)
    p = node.params
    if node.method == "points":
        s = np.clip(x, 0, scale)
    elif node.method == "yes_no":
        s = np.where(x >= 1, scale, 0.0)
    elif node.method == "ratio" and p.get("lower_is_better"):
        t = p["target"]
        s = scale * np.where(x <= t, 1.0, np.where(x > 0, t / np.where(x > 0, x, 1), 1.0))
    elif node.method == "ratio":
        s = scale * np.clip(x / p["target"], 0, 1)
    elif node.method == "bands":
        s = np.zeros_like(x)
        for band in sorted(p["bands"], key=lambda b: b["min"]):
            s = np.where(x >= band["min"], float(band["points"]), s)
        s = np.clip(s, 0, scale)
    elif node.method == "minmax":
        lo = p.get("lo", np.nanmin(x))
        hi = p.get("hi", np.nanmax(x))
        s = np.ones_like(x) * scale if hi == lo else scale * np.clip((x - lo) / (hi - lo), 0, 1)
    elif node.method == "rank":
        values = np.sort(x[present])
        n = values.size
        rank = n - np.searchsorted(values, x, side="right") + 1
        s = scale if n == 1 else scale * (n - rank) / (n - 1)
    elif node.method == "formula":
        expression = p["expression"]
        a, b = expression[4:].split(" / 2 + ")[0], expression.split(" + ")[1].split(" / 4")[0]
        va, vb = columns[a], columns[b]
        s = scale * np.clip(np.minimum(va / 2 + vb / 4, 100) / 100, 0, 1)
        present = ~np.isnan(va) & ~np.isnan(vb)
    else:
        raise ValueError(node.method)
    return np.where(present, s, 0.0)


def numpy_scores(spec: Any, data: np.ndarray) -> dict[str, np.ndarray]:
    indicators = spec.indicators()
    columns = {n.code: data[:, j] for j, n in enumerate(indicators)}
    scores = {
        n.code: _indicator(n, columns[n.code], columns, spec.scale(n.code)) for n in indicators
    }
    for group in [n for n in spec.postorder() if n.is_group]:
        kids = spec.children(group.code)
        s = np.stack([scores[k.code] for k in kids], axis=1)
        scales = np.array([spec.scale(k.code) for k in kids])
        w = np.array([k.weight for k in kids])
        scale = spec.scale(group.code)
        if group.aggregation == "sum":
            scores[group.code] = scale * s.sum(axis=1) / scales.sum()
        else:
            shares = np.clip(s / scales, 0, 1)
            if group.aggregation == "weighted_mean":
                scores[group.code] = scale * (shares * w).sum(axis=1) / w.sum()
            else:  # geometric
                with np.errstate(divide="ignore"):
                    logs = np.log(shares)
                value = np.exp((logs * w).sum(axis=1) / w.sum())
                scores[group.code] = np.where(
                    (shares == 0).any(axis=1), 0.0, scale * np.clip(value, 0, 1)
                )
    return scores


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from tiendo.indexing.engine import compute, rank_units

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--pillars", type=int, default=10)
    parser.add_argument("--per-pillar", type=int, default=20)
    parser.add_argument(
        "--repeat", type=int, default=3, help="best of N runs (machines are shared)"
    )
    parser.add_argument(
        "--explain", action="store_true", help="also time scoring with explanations"
    )
    parser.add_argument("--db-units", type=int, default=0, help="also time the database path")
    args = parser.parse_args()
    spec = build_spec(args.pillars, args.per_pillar)
    data = make_data(args.units, spec)
    codes = [n.code for n in spec.indicators()]
    inputs = {
        u: {c: (None if np.isnan(v) else float(v)) for c, v in zip(codes, row, strict=True)}
        for u, row in enumerate(data.tolist())
    }
    print(
        f"index engine: {args.units:,} units x {len(codes)} indicators, {len(spec.nodes) - len(codes)} groups"
    )

    engine_s = numpy_s = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = compute(spec, inputs, explain=False)
        engine_ranks = rank_units({u: result.scores[u]["ROOT"] for u in inputs})
        engine_s = min(engine_s, time.perf_counter() - start)

        start = time.perf_counter()
        reference = numpy_scores(spec, data)
        rounded = np.round(reference["ROOT"], 2)
        ordered = np.sort(rounded)
        # competition rank = 1 + number of units with a strictly higher (rounded) total
        numpy_ranks = 1 + rounded.size - np.searchsorted(ordered, rounded, side="right")
        numpy_s = min(numpy_s, time.perf_counter() - start)

    worst = 0.0
    for group in [n.code for n in spec.nodes if n.code.startswith(("P", "ROOT"))]:
        engine_column = np.array([result.scores[u][group] for u in range(args.units)])
        worst = max(worst, float(np.abs(engine_column - reference[group]).max()))
    assert worst <= 1e-9, f"engine and NumPy disagree by {worst}"
    if numpy_ranks is not None:
        assert [engine_ranks[u] for u in range(args.units)] == numpy_ranks.tolist(), (
            "rankings differ"
        )

    print(f"  engine (scores + ranking):     {engine_s:8.3f} s  (best of {args.repeat})")
    print(f"  NumPy reference (vectorised):  {numpy_s:8.3f} s  (best of {args.repeat})")
    if args.explain:
        start = time.perf_counter()
        compute(spec, inputs, explain=True)
        print(f"  engine with explanations:      {time.perf_counter() - start:8.3f} s")
    print(f"  ratio engine / NumPy:          {engine_s / numpy_s:8.1f} x")
    print(
        f"  results equal: max |difference| = {worst:.2e} over all pillars and totals; rankings identical"
    )
    if args.db_units:
        db_case(args.db_units, args.pillars, args.per_pillar, args.repeat)


def db_case(units: int, pillars: int, per_pillar: int, repeat: int) -> None:
    """period_compute (ORM + engine) against raw SQL + NumPy, on a throw-away test database."""
    import datetime as dt

    from django.db import connection

    from tiendo.accounts.models import User
    from tiendo.indexing import services
    from tiendo.indexing.models import Assessment, IndicatorValue, ValueKind
    from tiendo.indexing.selectors import period_compute
    from tiendo.orgs.models import Unit, UnitKind

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        spec = build_spec(pillars, per_pillar)
        data = make_data(units, spec, seed=11)
        admin = User.objects.create_superuser(username="bench-index", password=None)
        framework = services.framework_import(spec=spec, actor=admin)
        made = Unit.objects.bulk_create(
            Unit(code=f"B{i}", name=f"Unit {i}", kind=UnitKind.PROVINCE, path=f"/{900000 + i}/")
            for i in range(units)
        )
        period = services.period_open(
            framework=framework,
            name="bench",
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2025, 12, 31),
            units=made,
            actor=admin,
        )
        nodes = {n.code: n for n in framework.nodes.all()}
        codes = [n.code for n in spec.indicators()]
        by_unit = {a.unit_id: a for a in Assessment.objects.filter(period=period)}
        IndicatorValue.objects.bulk_create(
            (
                IndicatorValue(
                    assessment=by_unit[unit.pk],
                    node=nodes[code],
                    kind=ValueKind.SELF,
                    value=None if np.isnan(v) else float(v),
                    entered_by=admin,
                )
                for unit, row in zip(made, data.tolist(), strict=True)
                for code, v in zip(codes, row, strict=True)
            ),
            batch_size=5000,
        )
        column = {code: j for j, code in enumerate(codes)}
        row_of = {unit.pk: i for i, unit in enumerate(made)}
        sql = (
            "SELECT a.unit_id, n.code, v.value FROM indexing_indicatorvalue v "
            "JOIN indexing_assessment a ON a.id = v.assessment_id "
            "JOIN indexing_frameworknode n ON n.id = v.node_id "
            "WHERE a.period_id = %s ORDER BY v.id"
        )
        app_s = raw_s = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            computed = period_compute(period)
            app_s = min(app_s, time.perf_counter() - start)

            start = time.perf_counter()
            matrix = np.full((units, len(codes)), np.nan)
            with connection.cursor() as cursor:
                cursor.execute(sql, [period.pk])
                for unit_id, code, value in cursor.fetchall():  # latest entry wins (ORDER BY id)
                    matrix[row_of[unit_id], column[code]] = np.nan if value is None else value
            raw_totals = numpy_scores(spec, matrix)["ROOT"]
            raw_s = min(raw_s, time.perf_counter() - start)
        app_totals = np.array([computed.result.scores[u.pk]["ROOT"] for u in made])
        worst = float(np.abs(app_totals - raw_totals).max())
        assert worst <= 1e-9, f"database path disagrees by {worst}"
        stored = units * len(codes)
        print(f"database ({connection.vendor}): {units:,} units, {stored:,} stored values")
        print(f"  period_compute (ORM + engine):  {app_s:8.3f} s  (best of {repeat})")
        print(f"  raw SQL + NumPy:                {raw_s:8.3f} s  (best of {repeat})")
        print(f"  ratio app / raw:                {app_s / raw_s:8.1f} x")
        print(f"  totals equal: max |difference| = {worst:.2e}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
