"""Time the app against hand-written SQL on a generated database and check they agree.

    .venv/bin/python -m bench.run --database-url postgres://postgres@127.0.0.1:5432/tiendo_bench

For each case: warm up, then ``--repeat`` rounds, each timing the app path then the raw SQL
(interleaved, so that load from other processes hits both alike). Prints p50/p95 of each, the
ratio app p50 / raw p50, the number of queries the app issued, and whether the figures agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
import warnings
from typing import Any


def _percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("--skip", default="", help="skip the cases whose name contains this")
    parser.add_argument(
        "--no-migrate",
        action="store_true",
        help="do not apply pending migrations (e.g. others' unfinished ones on a shared database)",
    )
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    # The in-process client goes through whitenoise, which warns that nothing was collected.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tiendo.core.runtime import settle
    from tiendo.programs.models import ProgressUpdate, Task
    from tiendo.programs.selectors import today

    from .cases import build_cases

    # Apps added since the data was generated need their tables (sessions, login guards...).
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    settle()  # as a serving process does after start-up (config/wsgi.py)
    on = today()
    n_tasks = Task.objects.count()
    n_updates = ProgressUpdate.objects.count()
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC  {connection.vendor}  "
        f"{n_tasks:,} tasks  {n_updates:,} updates  reference date {on}  "
        f"repeat {args.repeat}  {os.cpu_count()} cores  Python {platform.python_version()}"
    )
    header = (
        f"{'case':<38} {'app p50':>9} {'app p95':>9} {'raw p50':>9} {'raw p95':>9} "
        f"{'ratio':>6} {'queries':>7}  figures"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    for case in build_cases(on):
        if (args.only and args.only not in case.name) or (args.skip and args.skip in case.name):
            continue
        try:
            for _ in range(args.warmup):
                case.app()
                case.raw()
            # A wrapper sees every query, including those of a request (which resets
            # connection.queries at its start).
            captured: list[str] = []
            with connection.execute_wrapper(_counter(captured)):
                figures = case.app()
            expected = case.raw()
            agree = figures == expected or not case.compare
            app_times: list[float] = []
            raw_times: list[float] = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                case.app()
                app_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                case.raw()
                raw_times.append(time.perf_counter() - started)
        except Exception as error:  # a broken case must not hide the others' figures
            failures += 1
            print(f"{case.name:<38} ERROR {type(error).__name__}: {str(error)[:200]}")
            continue
        app50, app95 = _percentile(app_times, 0.5), _percentile(app_times, 0.95)
        raw50, raw95 = _percentile(raw_times, 0.5), _percentile(raw_times, 0.95)
        if not agree:
            failures += 1
        print(
            f"{case.name:<38} {app50 * 1000:7.1f}ms {app95 * 1000:7.1f}ms "
            f"{raw50 * 1000:7.1f}ms {raw95 * 1000:7.1f}ms {app50 / raw50:6.2f} "
            f"{len(captured):>7}  {_verdict(case.compare, agree, figures)}"
        )
        if not agree:
            print(f"    app: {_summary(figures, 400)}\n    raw: {_summary(expected, 400)}")
    print(f"failures: {failures}")
    sys.exit(1 if failures else 0)


def _verdict(compare: bool, agree: bool, figures: Any) -> str:
    if not compare:
        return "timed only (figures checked by the selector case)"
    return f"{'OK' if agree else 'MISMATCH'} {_summary(figures)}"


def _counter(seen: list[str]) -> Any:
    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    return count


def _summary(figures: Any, width: int = 60) -> str:
    """A short, readable form of a case's figures (the total, or the sum of counts)."""
    if isinstance(figures, tuple) and len(figures) == 2 and isinstance(figures[0], int):
        text = f"total {figures[0]:,}, page {len(figures[1])}"
        return text if width < 100 else f"{text}: {figures[1][:20]}"
    if isinstance(figures, dict) and "overall" in figures:
        text = f"{figures['overall'][0]:,} assigned, {len(figures['league'])} units in league"
        return text if width < 100 else f"{text}: {figures['overall']} {figures['league'][:3]}"
    if isinstance(figures, list) and figures and isinstance(figures[0], tuple):
        total = sum(sum(row[1:]) for row in figures)
        text = f"{len(figures)} groups, {total:,} tasks"
        return text if width < 100 else f"{text}: {figures[:5]}"
    return repr(figures)[:width]


if __name__ == "__main__":
    main()
