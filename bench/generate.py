"""Generate the national-scale benchmark database.

    .venv/bin/python -m bench.generate --database-url postgres://postgres@127.0.0.1:5432/tiendo_bench
    .venv/bin/python -m bench.generate --database-url sqlite:///data/bench/bench.sqlite3 --scale 0.01

The target database is dropped and recreated (PostgreSQL) or deleted (SQLite file), migrated
with Django's ``migrate``, loaded through the bulk path (see ``bench.loader``) and analysed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def _log(message: str) -> None:
    print(message, flush=True)


def _recreate(url: str) -> None:
    """Start from nothing, so that a run is reproducible whatever was there before."""
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres"):
        import psycopg

        name = parts.path.lstrip("/")
        if not name.startswith("tiendo_bench"):
            sys.exit(f"refusing to drop {name!r}: benchmark databases are named tiendo_bench*")
        admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    elif parts.scheme == "sqlite":
        path = Path(url.removeprefix("sqlite:///").removeprefix("sqlite://"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        sys.exit(f"unsupported database URL: {url}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 1M tasks; 0.01: 10k")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args(argv)

    _recreate(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from .dataset import Dataset
    from .loader import first_ids, load

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    _log(f"migrated in {time.perf_counter() - started:.1f} s")

    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            # Session settings only: the server is shared, its configuration is not ours.
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("SET synchronous_commit = off")
        else:
            # Nothing to protect during the load: a crash means generating again.
            cursor.execute("PRAGMA journal_mode = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("PRAGMA cache_size = -400000")

    dataset = Dataset(
        scale=args.scale, seed=args.seed, first_ids=first_ids(), aware=vendor == "postgresql"
    )
    load_started = time.perf_counter()
    counts = load(dataset, bulk_ddl=True, log=_log)
    load_seconds = time.perf_counter() - load_started

    analyse_started = time.perf_counter()
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            connection.set_autocommit(True)  # VACUUM cannot run inside a transaction
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("ANALYZE")
    analyse_seconds = time.perf_counter() - analyse_started

    _log("")
    for table, n in counts.items():
        _log(f"  {table:<28} {n:>12,}")
    _log(
        f"scale {args.scale} seed {args.seed} on {vendor}: load {load_seconds:.1f} s, "
        f"{'VACUUM ANALYZE' if vendor == 'postgresql' else 'ANALYZE'} {analyse_seconds:.1f} s, "
        f"total {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
