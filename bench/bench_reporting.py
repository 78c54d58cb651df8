"""Time the consolidated report of a national program against raw SQL of its headline figures.

    .venv/bin/python -m bench.bench_reporting --database-url postgres://postgres@127.0.0.1:5432/tiendo_bench

On a database made by ``bench.generate`` (1M tasks at scale 1.0; PostgreSQL: the raw side uses
``DISTINCT ON``). The dataset has no single program of a million tasks, so by default the report
covers the whole country as ONE national program: every task, every top task group, and the 85
units right below the national committee (22 ministries, 63 provinces) as the units that must
report (in the bench tree they are top-level units beside it). ``--program ID`` takes one real program instead.

App side: ``tiendo.reporting.consolidation.compute`` (what ``report_consolidate`` freezes): facts
rebuilt from history as of the period end by ``tiendo.dashboards.figures.facts_as_of``, two
grouped tallies (per task group, per lead unit path), the overdue list, products, reports and
discipline. Raw side: one hand-written statement computing the same headline figures (assigned,
completed on time / late, overdue, completed in the period) from the same history. Both must
agree (checked), then each runs ``--repeat`` times, interleaved; p50 and the ratio app/raw are
printed, and the time to render the DOCX and XLSX from the snapshot (and the PDF with
``--pdf``). The schedule and period rows it needs are written in a transaction rolled back at
the end; only the migrations of apps added since the data was generated are applied.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time

RAW = """
WITH t AS (
  SELECT t.id, t.assigned_at, t.original_deadline FROM programs_task t
  JOIN programs_program p ON p.id = t.program_id
  WHERE t.assigned_at IS NOT NULL AND t.classification <= %(clearance)s
    AND p.classification <= %(clearance)s {program_filter}
), pu AS (
  SELECT u.id, u.task_id, u.as_of, u.percent FROM programs_progressupdate u
  JOIN t ON t.id = u.task_id WHERE u.as_of <= %(end)s
), started AS (
  SELECT task_id, MIN(as_of) AS started_on FROM pu WHERE percent > 0 GROUP BY task_id
), lastlow AS (
  SELECT DISTINCT ON (task_id) task_id, as_of, id FROM pu WHERE percent < 100
  ORDER BY task_id, as_of DESC, id DESC
), completed AS (
  SELECT pu.task_id, MIN(pu.as_of) AS completed_on FROM pu
  LEFT JOIN lastlow l ON l.task_id = pu.task_id
  WHERE pu.percent = 100 AND (l.task_id IS NULL OR (pu.as_of, pu.id) > (l.as_of, l.id))
  GROUP BY pu.task_id
), ext AS (
  SELECT DISTINCT ON (e.task_id) e.task_id, e.new_deadline FROM programs_deadlineextension e
  JOIN t ON t.id = e.task_id WHERE e.created_at < %(next_day)s
  ORDER BY e.task_id, e.created_at DESC, e.id DESC
), hold AS (
  SELECT DISTINCT ON (h.task_id) h.task_id, h.state FROM programs_holdchange h
  JOIN t ON t.id = h.task_id WHERE h.effective_on <= %(end)s
  ORDER BY h.task_id, h.effective_on DESC, h.id DESC
), f AS (
  SELECT t.id, s.started_on, c.completed_on, COALESCE(h.state, '') AS hold_state,
         CASE WHEN ext.task_id IS NOT NULL THEN ext.new_deadline ELSE t.original_deadline END
           AS deadline
  FROM t LEFT JOIN started s ON s.task_id = t.id LEFT JOIN completed c ON c.task_id = t.id
  LEFT JOIN ext ON ext.task_id = t.id LEFT JOIN hold h ON h.task_id = t.id
  WHERE t.assigned_at < %(next_day)s OR s.started_on IS NOT NULL
), st AS (
  SELECT f.*, CASE
    WHEN hold_state = 'cancelled' THEN 'cancelled'
    WHEN hold_state = 'paused' THEN 'paused'
    WHEN completed_on IS NOT NULL AND (deadline IS NULL OR completed_on <= deadline)
      THEN 'completed_on_time'
    WHEN completed_on IS NOT NULL THEN 'completed_late'
    WHEN deadline < %(end)s THEN 'overdue'
    WHEN started_on IS NOT NULL THEN 'in_progress'
    ELSE 'not_started' END AS status
  FROM f
)
SELECT
  COUNT(*) FILTER (WHERE status <> 'cancelled') AS total,
  COUNT(*) FILTER (WHERE status = 'completed_on_time') AS completed_on_time,
  COUNT(*) FILTER (WHERE status = 'completed_late') AS completed_late,
  COUNT(*) FILTER (WHERE status = 'overdue') AS overdue,
  COUNT(*) FILTER (WHERE status IN ('completed_on_time', 'completed_late')
                   AND completed_on BETWEEN %(start)s AND %(end)s) AS completed_in_period
FROM st
"""
KEYS = ("total", "completed_on_time", "completed_late", "overdue", "completed_in_period")


def _p50(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2]


def raw_headline(
    program_id: int | None, clearance: int, start: dt.date, end: dt.date
) -> dict[str, int]:
    from django.db import connection

    from tiendo.dashboards.figures import day_start

    sql = RAW.format(program_filter="AND t.program_id = %(program)s" if program_id else "")
    params = {
        "program": program_id,
        "clearance": clearance,
        "start": start,
        "end": end,
        "next_day": day_start(end + dt.timedelta(days=1)),
    }
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    return dict(zip(KEYS, row, strict=True))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--program", type=int, default=None, help="one program (default: the nation)"
    )
    parser.add_argument("--end", default="2026-09-30", help="period end (quarter); default Q3 2026")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pdf", action="store_true", help="also time the LibreOffice conversion")
    parser.add_argument(
        "--pdf-full",
        action="store_true",
        help="also convert the document without the table cap (every group and unit row)",
    )
    parser.add_argument("--pdf-timeout", type=int, default=600)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from tiendo.accounts.models import User
    from tiendo.dashboards.figures import Cell
    from tiendo.orgs.models import Unit
    from tiendo.programs.models import Program, Task, TaskGroup
    from tiendo.reporting import exports
    from tiendo.reporting.consolidation import compute, snapshot_hash
    from tiendo.reporting.models import DueRule, Frequency, ReportPeriod, ReportSchedule
    from tiendo.reporting.periods import due_date, period_containing

    call_command("migrate", verbosity=0)
    end = dt.date.fromisoformat(args.end)
    p = period_containing(Frequency.QUARTERLY, end)
    with transaction.atomic():
        admin = User.objects.filter(is_superuser=True).first() or User.objects.first()
        assert admin is not None, "run bench.generate first"
        if args.program:
            program = Program.objects.select_related("owner_unit").get(pk=args.program)
            cell = Cell(program=program.pk, as_of=p.end)
            groups = TaskGroup.objects.filter(program=program)
            obliged = list(Unit.objects.filter(parent=program.owner_unit))
            tasks = Task.objects.filter(program=program).count()
        else:
            # The whole country as one national program (see the module docstring).
            root = Unit.objects.filter(parent__isnull=True).order_by("path").first()
            found = Program.objects.select_related("owner_unit").filter(owner_unit=root).first()
            program = found or Program.objects.select_related("owner_unit").first()  # type: ignore[assignment]
            assert program is not None, "run bench.generate first"
            assert root is not None, "run bench.generate first"
            cell = Cell(as_of=p.end)
            groups = TaskGroup.objects.all()
            # Ministries and provinces are top-level units beside the national committee.
            obliged = list(Unit.objects.filter(parent__isnull=True).exclude(pk=root.pk))
            tasks = Task.objects.count()
        schedule = ReportSchedule.objects.create(
            program=program, name="bench", frequency=Frequency.QUARTERLY,
            due_rule=DueRule.WORKING_DAYS_AFTER_END, due_value=5, created_by=admin,
        )  # fmt: skip
        schedule.units.set(obliged)
        period = ReportPeriod.objects.create(
            schedule=schedule, start=p.start, end=p.end,
            due_on=due_date(DueRule.WORKING_DAYS_AFTER_END, 5, p.end),
        )  # fmt: skip
        now = timezone.now()
        print(f"# {connection.vendor}, {platform.python_version()}, {tasks:,} tasks, "
              f"{len(obliged)} obliged units, period {p.start}..{p.end}")  # fmt: skip
        snap = compute(program, period, now, cell, groups)
        raw = raw_headline(args.program, program.classification, p.start, p.end)
        app = {k: snap["headline"][k] for k in KEYS}
        ok = app == raw
        print(f"headline app {app}\nheadline raw {raw}\n{'OK' if ok else 'MISMATCH'}")
        app_t, raw_t = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            again = compute(program, period, now, cell, groups)
            app_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            raw_headline(args.program, program.classification, p.start, p.end)
            raw_t.append(time.perf_counter() - t0)
        same = snapshot_hash(again) == snapshot_hash(snap)
        print(f"reproducible (same hash twice): {same}")
        a, r = _p50(app_t), _p50(raw_t)
        print(
            f"consolidated figures (app)   p50 {a:8.2f} s  (runs: {', '.join(f'{x:.2f}' for x in app_t)})"
        )
        print(
            f"headline figures (raw SQL)   p50 {r:8.2f} s  (runs: {', '.join(f'{x:.2f}' for x in raw_t)})"
        )
        print(
            f"ratio app/raw {a / r:6.2f}  (the app also computes per-group, per-unit, overdue list, products)"
        )
        t0 = time.perf_counter()
        docx = exports.docx_bytes(snap, number="…/BC-BENCH", issued_on=dt.date.today())
        t1 = time.perf_counter()
        exports.xlsx_bytes(snap)
        t2 = time.perf_counter()
        print(f"DOCX {len(docx):,} bytes in {t1 - t0:.2f} s; XLSX in {t2 - t1:.2f} s "
              f"({len(snap['groups'])} groups, {len(snap['units'])} units, "
              f"{len(snap['overdue']['tasks'])} of {snap['overdue']['count']:,} overdue listed)")  # fmt: skip
        if args.pdf:
            t0 = time.perf_counter()
            pdf = exports.pdf_from_docx(docx)
            print(f"PDF {len(pdf):,} bytes in {time.perf_counter() - t0:.2f} s (LibreOffice; "
                  f"document tables capped at {exports.DOCX_ROWS} rows, the XLSX annex has all)")  # fmt: skip
        if args.pdf_full:
            # The document as it was before the cap: every group and unit row in the tables.
            full = exports.docx_bytes(
                snap, number="…/BC-BENCH", issued_on=dt.date.today(), rows=None
            )
            t0 = time.perf_counter()
            try:
                pdf = exports.pdf_from_docx(full, timeout=args.pdf_timeout)
                print(f"PDF of the uncapped DOCX ({len(full):,} bytes): {len(pdf):,} bytes in "
                      f"{time.perf_counter() - t0:.2f} s")  # fmt: skip
            except exports.ConversionError as exc:
                print(f"PDF of the uncapped DOCX ({len(full):,} bytes): failed after "
                      f"{time.perf_counter() - t0:.2f} s: {exc}")  # fmt: skip
        transaction.set_rollback(True)
    sys.exit(0 if ok and same else 1)


if __name__ == "__main__":
    main()
