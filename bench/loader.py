"""Write a ``Dataset`` into the database through its bulk path.

PostgreSQL: ``COPY ... FROM STDIN`` (psycopg 3 ``cursor.copy``). SQLite: ``executemany`` in
large transactions. For a big load (``bulk_ddl=True``) the secondary indexes and foreign keys of
the large tables are dropped first and rebuilt afterwards, which is several times faster than
maintaining them row by row; the rebuilt foreign keys (PostgreSQL) or ``PRAGMA
foreign_key_check`` (SQLite) then validate every row against its parent.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, transaction

from .dataset import COLUMNS, Dataset

BIG_TABLES = ("programs_task", "programs_progressupdate", "programs_taskcoordination")
LOAD_ORDER = (
    "accounts_user",
    "orgs_unit",
    "accounts_membership",
    "programs_program",
    "programs_taskgroup",
    "programs_task",
    "programs_taskcoordination",
    "programs_progressupdate",
    "programs_deadlineextension",
    "programs_holdchange",
)


def _models_by_table() -> dict[str, Any]:
    return {m._meta.db_table: m for m in apps.get_models()}


def check_columns() -> None:
    """Fail before writing anything if the models no longer match the generator's rows."""
    models = _models_by_table()
    for table, columns in COLUMNS.items():
        actual = tuple(f.column for f in models[table]._meta.concrete_fields)
        if set(actual) != set(columns):
            raise RuntimeError(
                f"{table}: the model's columns changed; update bench/dataset.py COLUMNS.\n"
                f"  model: {actual}\n  bench: {columns}"
            )


def first_ids(using: str = "default") -> dict[str, int]:
    """Ids start after the rows already there (tests load into a database that may have some)."""
    with connections[using].cursor() as cursor:
        ids = {}
        for table in COLUMNS:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
            ids[table] = cursor.fetchone()[0]
    return ids


class Writer:
    """Appends rows to tables: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, using: str) -> None:
        self.connection = connections[using]
        self.vendor = self.connection.vendor

    def write(self, table: str, rows: Sequence[tuple]) -> None:  # type: ignore[type-arg]
        if not rows:
            return
        columns = COLUMNS[table]
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                cursor.cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
                )


class Schema:
    """Drop and restore secondary indexes and foreign keys of the big tables around a load."""

    def __init__(self, using: str) -> None:
        self.connection = connections[using]
        self.saved: list[str] = []

    def drop(self) -> None:
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                for table in BIG_TABLES:
                    cursor.execute(
                        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                        "WHERE conrelid = %s::regclass AND contype = 'f'",
                        [table],
                    )
                    for name, definition in cursor.fetchall():
                        self.saved.append(
                            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                        )
                        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                    cursor.execute(
                        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                        [table],
                    )
                    for name, definition in cursor.fetchall():
                        self.saved.insert(0, definition)  # indexes before foreign keys
                        cursor.execute(f'DROP INDEX "{name}"')
            else:
                marks = ", ".join("?" for _ in BIG_TABLES)
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    f"AND sql IS NOT NULL AND tbl_name IN ({marks})",
                    list(BIG_TABLES),
                )
                for name, definition in cursor.fetchall():
                    self.saved.append(definition)
                    cursor.execute(f'DROP INDEX "{name}"')

    def restore(self, log: Callable[[str], None]) -> None:
        with self.connection.cursor() as cursor:
            for statement in self.saved:
                started = time.perf_counter()
                cursor.execute(statement)
                log(f"  {time.perf_counter() - started:6.1f} s  {statement[:110]}")
            if self.connection.vendor == "sqlite":
                started = time.perf_counter()
                cursor.execute("PRAGMA foreign_key_check")
                problems = cursor.fetchall()
                if problems:
                    raise RuntimeError(f"foreign keys broken after the load: {problems[:5]}")
                log(f"  {time.perf_counter() - started:6.1f} s  PRAGMA foreign_key_check: OK")


def load(
    dataset: Dataset,
    *,
    using: str = "default",
    bulk_ddl: bool = False,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, int]:
    """Write every row of ``dataset``; returns the row count per table."""
    check_columns()
    writer = Writer(using)
    schema = Schema(using)
    started = time.perf_counter()
    with transaction.atomic(using=using):
        if bulk_ddl:
            schema.drop()
        users, units, members = dataset.users_units_memberships()
        # Units point at their head (a user); users do not point at units.
        writer.write("accounts_user", users)
        writer.write("orgs_unit", units)
        writer.write("accounts_membership", members)
        programs, groups = dataset.programs_and_groups()
        writer.write("programs_program", programs)
        writer.write("programs_taskgroup", groups)
        done = 0
        for batch in dataset.task_batches():
            for table in LOAD_ORDER[5:]:
                rows = batch.get(table, [])
                writer.write(table, rows)
                dataset.counts.add(table, len(rows))
            done += len(batch.get("programs_task", []))
            if done % 100_000 < 20_000:
                rate = done / (time.perf_counter() - started)
                log(f"  {done:>9,} tasks written ({rate:,.0f} tasks/s)")
        if bulk_ddl:
            log("rebuilding indexes and foreign keys of the big tables")
            schema.restore(log)
        _reset_sequences(using)
    return dataset.counts.rows


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    models = _models_by_table()
    statements: Iterable[str] = connection.ops.sequence_reset_sql(
        no_style(), [models[t] for t in COLUMNS]
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
