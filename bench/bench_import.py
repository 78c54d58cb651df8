"""Time the import of a 100,000-task annex against a raw bulk insert of the same rows.

    .venv/bin/python -m bench.bench_import                      # SQLite file, 100,000 tasks
    .venv/bin/python -m bench.bench_import --rows 10000
    .venv/bin/python -m bench.bench_import --database-url postgres://postgres@127.0.0.1:5432/tiendo_imports_bench

The database is recreated (SQLite: ``data/bench/import.sqlite3``; PostgreSQL: only names
starting with ``tiendo_imports_bench``) and migrated. A province with departments and districts
and a plan are created, then an annex is generated in memory (groups merged across, mixed
completion times, agencies in free text, quantities in the products).

Timed phases:
- read + plan: parse the XLSX, match agencies, build the plan (the dry run: nothing written);
- import: the whole ``import_file`` (read, plan, preview, confirm), which writes every group and
  task through ``tiendo.programs.services`` in one transaction;
- raw: ``bulk_create`` of the same task and coordination rows (values taken from the plan) into
  another program, in one transaction: the floor any import could reach.
Prints the times and the ratios import/raw and plan/raw.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


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
    agencies = [*names, "Sở TT&TT", "Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"]
    return {"office": office, "program": program, "raw": raw_program, "agencies": agencies}


def _raw_insert(plan: Any, program: Any) -> float:
    """The same rows written by ``bulk_create``: no validation, no per-row queries."""
    from django.db import transaction

    from tiendo.programs.models import Task, TaskCoordination, TaskGroup

    started = time.perf_counter()
    with transaction.atomic():
        groups = TaskGroup.objects.bulk_create(
            TaskGroup(program=program, number=g.number, name=g.name, position=i, path=f"/r{i}/")
            for i, g in enumerate(plan.groups)
        )
        by_row = {g.row: group for g, group in zip(plan.groups, groups, strict=True)}
        tasks = [
            Task(
                program=program,
                group=by_row.get(t.group.row) if t.group else None,
                number=t.number,
                title=t.values["title"],
                lead_unit=t.lead,
                lead_unit_path=t.lead.path if t.lead else "",
                deadline_kind=t.values.get("deadline_kind", ""),
                deadline=t.values.get("deadline"),
                product=t.values.get("product", ""),
                product_quantity=t.values.get("product_quantity"),
                product_unit=t.values.get("product_unit", ""),
            )
            for t in plan.tasks
        ]
        Task.objects.bulk_create(tasks, batch_size=2000)
        if tasks[0].pk is None:  # backends that do not return ids (none here, but be safe)
            tasks = list(Task.objects.filter(program=program).order_by("id"))
        TaskCoordination.objects.bulk_create(
            (
                TaskCoordination(task=task, unit=unit, unit_path=unit.path)
                for task, t in zip(tasks, plan.tasks, strict=True)
                for unit in (t.coordinating or [])
            ),
            batch_size=5000,
        )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--database-url", default=f"sqlite:///{ROOT / 'data' / 'bench' / 'import.sqlite3'}"
    )
    options = parser.parse_args()
    _prepare_database(options.database_url)
    _setup(options.database_url)

    from django.db import connection

    from tiendo.imports.services import import_file
    from tiendo.imports.tests.annexes import big_annex
    from tiendo.programs.models import Task

    world = _world()
    started = time.perf_counter()
    content = big_annex(options.rows, agencies=world["agencies"], groups=20)
    generated = time.perf_counter() - started
    kwargs = {"actor": world["office"], "program": world["program"], "filename": "bench.xlsx"}

    started = time.perf_counter()
    dry = import_file(content=content, dry_run=True, **kwargs)
    planned = time.perf_counter() - started
    assert dry.plan.ok, [str(e) for e in dry.plan.errors[:5]]

    started = time.perf_counter()
    result = import_file(content=content, **kwargs)
    imported = time.perf_counter() - started
    assert result.created == options.rows
    assert Task.objects.filter(program=world["program"]).count() == options.rows

    raw = _raw_insert(dry.plan, world["raw"])
    assert Task.objects.filter(program=world["raw"]).count() == options.rows

    print(f"bench_import: {options.rows:,} tasks in {len(dry.plan.groups)} groups")
    print(f"  database         {connection.vendor} ({platform.python_version()})")
    print(f"  file             {len(content) / 2**20:.1f} MB XLSX, generated in {generated:.1f} s")
    print(f"  read + plan      {planned:8.1f} s   (dry run, nothing written)")
    print(f"  import           {imported:8.1f} s   ({imported / options.rows * 1000:.2f} ms/task)")
    print(f"  raw bulk insert  {raw:8.1f} s")
    print(f"  ratio import/raw {imported / raw:8.1f}x")
    print(f"  ratio plan/raw   {planned / raw:8.1f}x")


if __name__ == "__main__":
    main()
