"""Time the import of a 100,000-task annex against a raw insert of the same rows.

    .venv/bin/python -m bench.bench_import                      # SQLite file, 100,000 tasks
    .venv/bin/python -m bench.bench_import --scale 0.1          # 10,000 tasks
    .venv/bin/python -m bench.bench_import --skip-import        # without the whole import_file
    .venv/bin/python -m bench.bench_import --cpu-compare --rows 1000   # CPU s vs task_create
    .venv/bin/python -m bench.bench_import --database-url postgres://postgres@127.0.0.1:5432/tiendo_imports_bench

The database is recreated (SQLite: ``data/bench/import.sqlite3``; PostgreSQL: only names
starting with ``tiendo_imports_bench``) and migrated. A province with departments and districts
and a plan are created, then an annex is generated in memory (groups merged across, mixed
completion times, agencies in free text, quantities in the products).

Timed phases, the steps of the web import one after the other (the API's are the same):
- upload: ``batch_create`` (reads the file, guesses the header row and the columns);
- preview: ``batch_preview`` (reads the file, matches agencies, builds the plan, keeps it with
  the batch): parse + plan;
- confirm: ``batch_confirm`` (applies the kept plan without reading or planning again: every
  group, and every task with ``tiendo.programs.bulk.task_bulk_create``, one transaction); the
  bench checks that the confirm did not plan again;
- total: the three together;
- bulk service: ``task_bulk_create`` alone with the plan's rows into another program (the
  write part of the import: validation, tasks, coordinations, one sealed audit entry per task);
- raw: the same task and coordination rows (values prepared before the clock starts) with the
  driver's bulk path (PostgreSQL ``COPY``, SQLite ``executemany``) into a third program, in one
  transaction: the floor any import could reach. It writes no audit entry.
Prints the times, the ratios against raw and the process's peak memory (RSS). ``run`` is also
called by the smoke test. ``--save-file PATH`` writes the annex, and an empty program
``bench-cli`` is left for timing ``tiendo import-plan PATH --program bench-cli --dry-run``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "data" / "bench"


def _prepare_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = url.rsplit("/", 1)[-1]
    if not name.startswith("tiendo_imports_bench"):
        sys.exit("Refusing to recreate a PostgreSQL database not named tiendo_imports_bench*.")
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # The bench's audit chain is not the application's: keep its key and sealed head apart.
    settings.TIENDO_AUDIT_KEY_FILE = BENCH_DIR / "import-audit.key"
    name = Path(url.rsplit("/", 1)[-1]).stem
    settings.TIENDO_AUDIT_HEAD_FILE = BENCH_DIR / f"import-audit-head-{name}.json"
    settings.TIENDO_AUDIT_HEAD_FILE.unlink(missing_ok=True)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _world() -> dict[str, Any]:
    from tiendo.accounts.models import Membership, Role, User
    from tiendo.orgs.models import UnitKind
    from tiendo.orgs.services import unit_create
    from tiendo.programs.services import program_create

    province = unit_create(code="B", name="Tỉnh Bench", kind=UnitKind.PROVINCE)
    committee = unit_create(
        code="B-BCD", name="Ban Chỉ đạo CĐS", kind=UnitKind.COMMITTEE, parent=province
    )
    names = [
        "Sở Thông tin và Truyền thông",
        "Sở Nội vụ",
        "Sở Kế hoạch và Đầu tư",
        "Sở Tài chính",
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
        "Văn phòng UBND tỉnh",
    ]
    units = [
        unit_create(code=f"B-{i}", name=n, kind=UnitKind.DEPARTMENT, parent=province)
        for i, n in enumerate(names)
    ]
    for i in range(10):
        unit_create(code=f"B-H{i}", name=f"UBND huyện {i}", kind=UnitKind.DISTRICT, parent=province)
    admin = User.objects.create_superuser(username="bench_import", password=None)
    office = User.objects.create_user(username="bench_office", password=None)
    Membership.objects.create(user=office, unit=units[0], role=Role.STANDING_OFFICE)
    program = program_create(
        actor=admin,
        code="bench-import",
        name="Bench",
        owner_unit=committee,
        standing_office=units[0],
    )
    raw_program = program_create(
        actor=admin, code="bench-raw", name="Raw", owner_unit=committee, standing_office=units[0]
    )
    bulk_program = program_create(
        actor=admin, code="bench-bulk", name="Bulk", owner_unit=committee, standing_office=units[0]
    )
    # Left empty, for timing the command line's dry run on the saved annex.
    program_create(
        actor=admin, code="bench-cli", name="CLI", owner_unit=committee, standing_office=units[0]
    )
    agencies = [*names, "Sở TT&TT", "Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"]
    return {
        "office": office,
        "program": program,
        "bulk": bulk_program,
        "raw": raw_program,
        "agencies": agencies,
    }


def _rows_of(plan: Any, groups: dict[int, Any]) -> list[dict[str, Any]]:
    """The plan's tasks as ``task_create`` arguments, as ``imports.services`` builds them."""
    rows = []
    for t in plan.tasks:
        fields = {**t.values, "group": groups.get(t.group.row) if t.group else None}
        if t.lead is not None and t.lead.head_id:
            fields["accountable_leader"] = t.lead.head
        rows.append({**fields, "coordinating_units": t.coordinating or ()})
    return rows


def _groups(plan: Any, program: Any, actor: Any) -> dict[int, Any]:
    from tiendo.programs.services import group_create

    return {
        g.row: group_create(actor=actor, program=program, name=g.name, number=g.number, position=i)
        for i, g in enumerate(plan.groups, start=1)
    }


def _bulk_service(plan: Any, program: Any, actor: Any) -> float:
    from django.db import transaction

    from tiendo.programs.bulk import task_bulk_create

    started = time.perf_counter()
    with transaction.atomic():
        rows = _rows_of(plan, _groups(plan, program, actor))
        task_bulk_create(actor=actor, program=program, rows=rows)
    return time.perf_counter() - started


def _raw_insert(plan: Any, program: Any, actor: Any) -> float:
    """The same task and coordination rows through the driver's bulk path: no validation, no
    per-row statement, no audit. Ids are given explicitly so coordinations need no lookup."""
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from tiendo.core.fields import common_depth
    from tiendo.programs.models import Task, TaskCoordination

    groups = _groups(plan, program, actor)
    now = timezone.now()
    first = (Task.objects.aggregate(m=Max("id"))["m"] or 0) + 1000
    fields = list(Task._meta.concrete_fields)
    task_rows, coordination_rows = [], []
    for i, row in enumerate(_rows_of(plan, groups)):
        units = row.pop("coordinating_units")
        task = Task(id=first + i, program=program, created_by=actor, created_at=now, **row)
        task.updated_at = now
        task.lead_unit_path = task.lead_unit.path if task.lead_unit_id else ""
        task_rows.append(
            tuple(f.get_db_prep_save(getattr(task, f.attname), connection) for f in fields)
        )
        coordination_rows.extend(
            (task.pk, u.pk, u.path, task.lead_unit_path, common_depth(u.path, task.lead_unit_path))
            for u in {u.pk: u for u in units}.values()
            if u.pk != task.lead_unit_id
        )
    task_columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    task_table, coordination_table = Task._meta.db_table, TaskCoordination._meta.db_table
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw_cursor = cursor.cursor  # psycopg 3
            with raw_cursor.copy(f"COPY {task_table} ({task_columns}) FROM STDIN") as copy:
                for values in task_rows:
                    copy.write_row(values)
            with raw_cursor.copy(
                f"COPY {coordination_table} "
                "(task_id, unit_id, unit_path, lead_unit_path, common_depth) FROM STDIN"
            ) as copy:
                for values in coordination_rows:
                    copy.write_row(values)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{task_table}', 'id'), "
                f"(SELECT max(id) FROM {task_table}))"
            )
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {task_table} ({task_columns}) VALUES ({marks})", task_rows
            )
            cursor.executemany(
                f"INSERT INTO {coordination_table} "
                "(task_id, unit_id, unit_path, lead_unit_path, common_depth) "
                "VALUES (%s, %s, %s, %s, %s)",
                coordination_rows,
            )
    return time.perf_counter() - started


def run(
    rows: int,
    world: dict[str, Any],
    *,
    full_import: bool = True,
    bulk_service: bool = True,
    save_file: str = "",
    progress: Any = None,
) -> dict[str, Any]:
    """Generate the annex, time each phase, check what was written; return the figures.
    ``full_import=False`` stops after the preview (no confirm); ``bulk_service=False`` leaves
    out ``task_bulk_create`` alone (the confirm's write is that call). ``progress(text)`` is
    told each phase's wall and CPU seconds as soon as it ends (a long run that is stopped
    still leaves its first figures)."""
    cpu_started = time.process_time()
    cpu: dict[str, float] = {}

    def done(name: str, wall: float) -> None:
        nonlocal cpu_started
        cpu[name] = time.process_time() - cpu_started
        cpu_started = time.process_time()
        if progress is not None:
            progress(f"  [{name} done: {wall:.1f} s wall, {cpu[name]:.1f} CPU-s of this process]")

    from tiendo.audit.models import AuditEntry
    from tiendo.imports import services
    from tiendo.imports.tests.annexes import big_annex
    from tiendo.programs.models import Task, TaskCoordination

    started = time.perf_counter()
    content = big_annex(rows, agencies=world["agencies"], groups=20)
    generated = time.perf_counter() - started
    done("generate", generated)
    if save_file:
        Path(save_file).write_bytes(content)
    actor, program = world["office"], world["program"]

    cpu_started = time.process_time()
    started = time.perf_counter()
    batch = services.batch_create(
        actor=actor, program=program, filename="bench.xlsx", content=content
    )
    uploaded = time.perf_counter() - started
    done("upload", uploaded)

    started = time.perf_counter()
    plan = services.batch_preview(actor=actor, batch=batch)
    previewed = time.perf_counter() - started
    done("preview", previewed)
    assert plan.ok, [str(e) for e in plan.errors[:5]]
    kept_kb = len(batch.plan_data) / 1024

    # Another page of the preview: served from the kept plan (nothing read or planned).
    started = time.perf_counter()
    again = services.batch_preview(actor=actor, batch=batch)
    previewed_again = time.perf_counter() - started
    done("preview again", previewed_again)
    assert again is not plan
    assert again.counts() == plan.counts()

    confirmed = None
    replanned = 0
    if full_import:
        plan_for = services.plan_for

        def counting_plan_for(*args: Any, **kwargs: Any) -> Any:
            nonlocal replanned
            replanned += 1
            return plan_for(*args, **kwargs)

        services.plan_for = counting_plan_for  # type: ignore[assignment]
        try:
            started = time.perf_counter()
            result = services.batch_confirm(actor=actor, batch=batch)
            confirmed = time.perf_counter() - started
            done("confirm", confirmed)
        finally:
            services.plan_for = plan_for  # type: ignore[assignment]
        assert result.created == rows
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    audited = AuditEntry.objects.count()
    bulk = _bulk_service(plan, world["bulk"], actor) if bulk_service else None
    if bulk is not None:
        done("bulk service", bulk)
    audit_entries = AuditEntry.objects.count() - audited
    if not bulk_service and full_import:
        audit_entries = AuditEntry.objects.filter(action="task.create").count()
    cpu_started = time.process_time()
    raw = _raw_insert(plan, world["raw"], actor)
    done("raw (preparing the rows + inserting)", raw)
    programs = [
        world["raw"],
        *([world["bulk"]] if bulk_service else []),
        *([program] if full_import else []),
    ]
    counts = {
        p.code: (
            Task.objects.filter(program=p).count(),
            TaskCoordination.objects.filter(task__program=p).count(),
        )
        for p in programs
    }
    assert counts[world["raw"].code][0] == rows
    assert len(set(counts.values())) == 1, counts  # all wrote the same rows
    return {
        "rows": rows,
        "groups": len(plan.groups),
        "coordinations": counts[world["raw"].code][1],
        "audit_entries": audit_entries,
        "file_mb": len(content) / 2**20,
        "kept_kb": kept_kb,
        "generated": generated,
        "uploaded": uploaded,
        "previewed": previewed,
        "previewed_again": previewed_again,
        "confirmed": confirmed,
        "replanned": replanned,
        "peak_mb": peak_mb,
        "bulk": bulk,
        "raw": raw,
        "cpu": cpu,
    }


def cpu_compare(rows: int, world: dict[str, Any]) -> dict[str, float]:
    """CPU seconds of this process (SQLite runs in it, so its work is included) for the same
    rows written by ``task_create`` one by one, by ``task_bulk_create``, and raw (preparing the
    values + inserting): a figure that a loaded machine does not inflate."""
    from django.db import transaction

    from tiendo.accounts.models import User
    from tiendo.imports.services import import_file
    from tiendo.imports.tests.annexes import big_annex
    from tiendo.programs.models import Task
    from tiendo.programs.services import program_create, task_create

    content = big_annex(rows, agencies=world["agencies"], groups=20)
    kwargs = {"actor": world["office"], "program": world["program"], "filename": "bench.xlsx"}
    plan = import_file(content=content, dry_run=True, **kwargs).plan
    single = program_create(
        actor=User.objects.get(username="bench_import"),
        code="bench-single",
        name="Single",
        owner_unit=world["program"].owner_unit,
        standing_office=world["program"].standing_office,
    )
    started = time.process_time()
    with transaction.atomic():
        for row in _rows_of(plan, _groups(plan, single, world["office"])):
            task_create(actor=world["office"], program=single, **row)
    one_by_one = time.process_time() - started
    started = time.process_time()
    _bulk_service(plan, world["bulk"], world["office"])
    bulk = time.process_time() - started
    started = time.process_time()
    _raw_insert(plan, world["raw"], world["office"])
    raw = time.process_time() - started
    for program in (single, world["bulk"], world["raw"]):
        assert Task.objects.filter(program=program).count() == rows
    return {"one_by_one": one_by_one, "bulk": bulk, "raw": raw}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, help="tasks in the annex (default: 100,000 x scale)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 100,000 tasks")
    parser.add_argument(
        "--cpu-compare",
        action="store_true",
        help="CPU seconds of task_create one by one, task_bulk_create and raw (use SQLite)",
    )
    parser.add_argument(
        "--skip-import",
        action="store_true",
        help="time the upload and the preview, the bulk service and raw (no confirm)",
    )
    parser.add_argument(
        "--skip-bulk",
        action="store_true",
        help="leave out task_bulk_create alone (the confirm's write is that call)",
    )
    parser.add_argument("--save-file", default="", help="also write the generated annex here")
    parser.add_argument("--database-url", default=f"sqlite:///{BENCH_DIR / 'import.sqlite3'}")
    options = parser.parse_args()
    rows = options.rows or max(1, round(100_000 * options.scale))
    _prepare_database(options.database_url)
    _setup(options.database_url)

    from django.db import connection

    if options.cpu_compare:
        c = cpu_compare(rows, _world())
        print(
            f"bench_import --cpu-compare: {rows:,} tasks, {connection.vendor}, CPU seconds of this"
            f" process\n  task_create one by one {c['one_by_one']:8.1f}\n"
            f"  task_bulk_create       {c['bulk']:8.1f}\n"
            f"  raw (prepare + insert) {c['raw']:8.1f}\n"
            f"  one-by-one/bulk {c['one_by_one'] / c['bulk']:.1f}x, bulk/raw {c['bulk'] / c['raw']:.1f}x"
        )
        return
    f = run(
        rows,
        _world(),
        full_import=not options.skip_import,
        bulk_service=not options.skip_bulk,
        save_file=options.save_file,
        progress=lambda text: print(text, flush=True),
    )
    kind = "COPY" if connection.vendor == "postgresql" else "executemany"
    per_task = 1000 / f["rows"]
    lines = [
        f"bench_import: {f['rows']:,} tasks in {f['groups']} groups",
        f"  database         {connection.vendor} (Python {platform.python_version()})",
        f"  load average     {' '.join(f'{x:.1f}' for x in os.getloadavg())} (at the end)",
        f"  file             {f['file_mb']:.1f} MB XLSX, generated in {f['generated']:.1f} s",
        f"  rows written     {f['rows']:,} tasks, {f['coordinations']:,} coordinations, "
        f"{f['audit_entries']:,} audit entries (raw: none)",
        f"  upload           {f['uploaded']:8.1f} s   (read the file, guess the columns)",
        f"  preview          {f['previewed']:8.1f} s   (read + plan, plan kept:"
        f" {f['kept_kb']:,.0f} KB)",
        f"  preview again    {f['previewed_again']:8.1f} s   (another page: the kept plan)",
    ]
    if f["confirmed"] is not None:
        total = f["uploaded"] + f["previewed"] + f["confirmed"]
        lines += [
            f"  confirm          {f['confirmed']:8.1f} s   ({f['confirmed'] * per_task:.2f} ms/task;"
            f" kept plan applied, planned again: {f['replanned']}x)",
            f"  total            {total:8.1f} s   ({total * per_task:.2f} ms/task)",
        ]
    lines += [
        f"  peak memory      {f['peak_mb']:8.0f} MB RSS (after the import)",
        f"  bulk service     {f['bulk']:8.1f} s   ({f['bulk'] * per_task:.2f} ms/task;"
        " task_bulk_create alone)"
        if f["bulk"] is not None
        else "  bulk service     (skipped)",
        f"  raw insert       {f['raw']:8.1f} s   ({kind})",
    ]
    if f["confirmed"] is not None:
        lines += [
            f"  ratio total/raw  {total / f['raw']:8.1f}x",
            f"  ratio confirm/raw{f['confirmed'] / f['raw']:8.1f}x",
        ]
    if f["bulk"] is not None:
        lines.append(f"  ratio bulk/raw   {f['bulk'] / f['raw']:8.1f}x")
    lines.append(f"  ratio preview/raw{f['previewed'] / f['raw']:8.1f}x")
    cpu = f["cpu"]
    lines.append(
        "  CPU seconds      "
        + ", ".join(f"{name} {seconds:.1f}" for name, seconds in cpu.items())
        + " (this process; SQLite's work is in it, PostgreSQL's server is not)"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
