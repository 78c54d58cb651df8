"""Time the reminder engine's scan for due tasks against raw SQL selecting the same tasks.

    .venv/bin/python -m bench.bench_reminders --database-url postgres://postgres@127.0.0.1:5432/tiendo_bench
    .venv/bin/python -m bench.bench_reminders --database-url sqlite:///data/bench/bench.sqlite3

On a database made by ``bench.generate`` (1M tasks at scale 1.0). The app side is
``tiendo.reminders.engine.due_batches(today)`` with every batch's task ids evaluated: the
settings groups, the distinct-deadline query, the working-day planning in Python and one
``NOT EXISTS`` query per (kind, occurrence). The raw side is one hand-written statement that
selects the same (task, kind, occurrence) triples from a VALUES table of the day's firings; the
firing dates themselves come from the same pure calendar code (``tiendo.reminders.rules``),
since no SQL can compute Vietnam's lunar holidays. Both must select identical sets (checked),
then each is timed ``--repeat`` times, interleaved. Prints p50/p95 and the ratio app/raw.

Nothing is written except the migrations of apps added since the data was generated (the
engine's ``Notification`` table must exist; it is empty, so every due task is selected).
``--full-run`` then also runs the engine for that day twice (writes the notifications; emails
go to the configured backend, console by default) and prints the time of the first run and of
the rerun, which must create nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from typing import Any


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def app_scan(today: dt.date) -> set[tuple[int, str, dt.date]]:
    from tiendo.reminders.engine import due_batches

    selected: set[tuple[int, str, dt.date]] = set()
    for batch in due_batches(today):
        # ids and deadlines as tuples: the engine then loads the due tasks in batches of 500
        for pk, deadline in batch.tasks.values_list("pk", "deadline"):
            firing = batch.firing or batch.by_deadline[deadline]  # type: ignore[index]
            selected.add((pk, batch.kind, firing.occurrence))
    return selected


def _firings(today: dt.date) -> tuple[list[tuple], list[tuple]]:
    """The day's firing table for the default rules: deadline rows and report-period rows."""
    from tiendo.calendars.workdays import default_calendar as cal
    from tiendo.reminders import rules
    from tiendo.reminders.models import DEFAULTS

    # Every date a deadline can have and still fire today: from the oldest possible overdue
    # date to the horizon (the raw side may enumerate; it does not need to ask the database).
    horizon = rules.latest_due_horizon(today, DEFAULTS, cal)
    deadline_rows = []
    day = dt.date(today.year - 12, 1, 1)
    while day < horizon:
        firing = rules.plan(day, today, DEFAULTS, cal)
        if firing is not None:
            kind = rules.TASK_KINDS[firing.stage]
            # the engine's "already sent" window: the deadline itself, or for an overdue step
            # the last ``overdue_every`` working days
            since = (
                cal.add_working_days(today, -DEFAULTS.overdue_every)
                if firing.stage == rules.OVERDUE
                else firing.occurrence - dt.timedelta(days=1)
            )
            upto = today if firing.stage == rules.OVERDUE else firing.occurrence
            deadline_rows.append((day, kind, firing.occurrence, since, upto))
        day += dt.timedelta(days=1)
    report_rows = []
    for window in rules.report_periods(today, DEFAULTS, cal):
        firing = rules.plan(window.due, today, DEFAULTS, cal)
        if firing is not None:
            report_rows.append(
                (window.start, window.end, rules.REPORT_KINDS[firing.stage], firing.occurrence)
            )
    return deadline_rows, report_rows


RAW_SQL = """
WITH fire(deadline, kind, occurrence, since, upto) AS (VALUES {deadline_values}),
     report(pstart, pend_next, kind, occurrence) AS (VALUES {report_values})
SELECT t.id, f.kind, f.occurrence
  FROM programs_task t JOIN fire f ON t.deadline = f.deadline
 WHERE t.assigned_at IS NOT NULL AND t.hold_state = '' AND t.completed_on IS NULL
   AND NOT EXISTS (SELECT 1 FROM reminders_notification n
                    WHERE n.task_id = t.id AND n.kind = f.kind
                      AND n.occurrence > f.since AND n.occurrence <= f.upto)
UNION ALL
SELECT t.id, r.kind, r.occurrence
  FROM programs_task t CROSS JOIN report r
 WHERE t.assigned_at IS NOT NULL AND t.hold_state = '' AND t.completed_on IS NULL
   AND (t.deadline IS NULL OR t.deadline >= r.pstart)
   AND t.assigned_at < r.pend_next
   AND (t.latest_progress_on IS NULL OR t.latest_progress_on < r.pstart)
   AND NOT EXISTS (SELECT 1 FROM reminders_notification n
                    WHERE n.task_id = t.id AND n.kind = r.kind AND n.occurrence = r.occurrence)
"""


def raw_scan(today: dt.date, firings: tuple[list, list]) -> set[tuple[int, str, dt.date]]:
    from django.db import connection
    from django.utils import timezone

    deadline_rows, report_rows = firings
    cast = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
    stamp = "CAST(%s AS timestamptz)" if connection.vendor == "postgresql" else "%s"
    params: list[Any] = []
    deadline_values = []
    never = dt.date(1, 1, 1)
    for row in deadline_rows or [(never, "", never, never, never)]:
        deadline_values.append(f"({cast}, %s, {cast}, {cast}, {cast})")
        params += list(row)
    report_values = []
    for start, end, kind, occurrence in report_rows or [
        (dt.date(1, 1, 1), dt.date(1, 1, 1), "", dt.date(1, 1, 1))
    ]:
        report_values.append(f"({cast}, {stamp}, %s, {cast})")
        next_day = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
        if connection.vendor != "postgresql":
            # SQLite stores aware datetimes as UTC text: compare in the same form.
            next_day = next_day.astimezone(dt.UTC).replace(tzinfo=None)
        params += [start, next_day, kind, occurrence]
    sql = RAW_SQL.format(
        deadline_values=", ".join(deadline_values), report_values=", ".join(report_values)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        (pk, kind, occ if isinstance(occ, dt.date) else dt.date.fromisoformat(occ))
        for pk, kind, occ in rows
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument(
        "--today", help="YYYY-MM-DD; default: the first working day from today (local time)"
    )
    parser.add_argument(
        "--full-run",
        action="store_true",
        help="also run reminders_run for the day twice (WRITES notifications) and time it",
    )
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tiendo.calendars.workdays import next_working_day
    from tiendo.programs.models import Task
    from tiendo.reminders.models import Notification

    # Only the apps this benchmark reads (and their dependencies): another app's half-written
    # migrations must not stop it.
    call_command("migrate", "reminders", verbosity=0)
    call_command("migrate", "calendars", verbosity=0)
    today = (
        dt.date.fromisoformat(args.today) if args.today else next_working_day(timezone.localdate())
    )
    n_tasks = Task.objects.count()
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC  {connection.vendor}  {n_tasks:,} tasks  "
        f"{Notification.objects.count():,} notifications  reminder day {today}  "
        f"repeat {args.repeat}  {os.cpu_count()} cores  Python {platform.python_version()}"
    )
    firings = _firings(today)
    for _ in range(args.warmup):
        app_scan(today)
        raw_scan(today, firings)
    app_set, raw_set = app_scan(today), raw_scan(today, firings)
    app_times, raw_times = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        app_scan(today)
        app_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        raw_scan(today, firings)
        raw_times.append(time.perf_counter() - started)
    app50, raw50 = _percentile(app_times, 0.5), _percentile(raw_times, 0.5)
    by_kind: dict[str, int] = {}
    for _, kind, _ in app_set:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    agree = app_set == raw_set
    print(f"due (task, reminder) pairs: {len(app_set):,}  by kind: {dict(sorted(by_kind.items()))}")
    print(
        f"{'due-reminder scan':<20} app p50 {app50 * 1000:8.1f} ms  p95 "
        f"{_percentile(app_times, 0.95) * 1000:8.1f} ms | raw p50 {raw50 * 1000:8.1f} ms  p95 "
        f"{_percentile(raw_times, 0.95) * 1000:8.1f} ms | ratio {app50 / raw50:5.2f} | "
        f"{'OK same tasks' if agree else 'MISMATCH'}"
    )
    if not agree:
        print(f"  only app: {sorted(app_set - raw_set)[:10]}")
        print(f"  only raw: {sorted(raw_set - app_set)[:10]}")
    if args.full_run:
        from tiendo.reminders.engine import reminders_run

        for label in ("first run", "rerun"):
            started = time.perf_counter()
            run = reminders_run(today=today, send_email=False)
            print(
                f"{label:<20} {time.perf_counter() - started:8.1f} s  "
                f"{run.created:,} notifications created"
            )
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
