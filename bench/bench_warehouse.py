"""Benchmark of the warehouse: publishing a large version, and the SQL console's overhead.

Run: ``.venv/bin/python -m bench.bench_warehouse --rows 10000000 [--repeat 1]``

1. Generates (DuckDB SQL only) a Parquet file of ``--rows`` rows like a population register
   (12-digit id, name, birth date as text, one of 1,000 commune codes) under a temporary folder.
2. Publishes it with ``warehouse.write_version`` partitioned by commune (temporary directory,
   ``COPY ... PARTITION_BY``, row count, SHA-256 of every file, manifest, fsync, rename) and
   with the raw ``COPY ... PARTITION_BY`` alone into a plain directory; prints both times and the
   ratio (what atomicity and lineage cost).
3. Runs three analyst queries through ``console.run_query`` (a fresh locked in-memory DuckDB per
   query, one thread, the view over the published directory) and the same SQL on a raw DuckDB
   connection limited to one thread over the same files; checks the results are equal (exit
   status 1 if not) and prints each time and the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

QUERIES = {
    "count": "SELECT count(*) FROM dan_cu",
    "per_commune": "SELECT ma_xa, count(*) AS n FROM dan_cu GROUP BY ma_xa ORDER BY n DESC, ma_xa LIMIT 10",
    "one_commune": "SELECT count(*) FROM dan_cu WHERE ma_xa = 'X0042' AND ngay_sinh LIKE '%/1990'",
}


def generate(path: Path, rows: int) -> None:
    duckdb.connect().execute(
        f"""COPY (
            SELECT lpad(CAST(range AS VARCHAR), 12, '0') AS so_dinh_danh,
                   'Nguyễn Văn ' || CAST(range % 9973 AS VARCHAR) AS ho_ten,
                   lpad(CAST(1 + range % 28 AS VARCHAR), 2, '0') || '/' ||
                   lpad(CAST(1 + range % 12 AS VARCHAR), 2, '0') || '/' ||
                   CAST(1940 + range % 80 AS VARCHAR) AS ngay_sinh,
                   'X' || lpad(CAST(hash(range) % 1000 AS VARCHAR), 4, '0') AS ma_xa
            FROM range({int(rows)})
        ) TO '{path}' (FORMAT parquet, COMPRESSION zstd)"""
    )


def timed(fn: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()  # type: ignore[operator]
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from tiendo.datacatalog.console import run_query
    from tiendo.datacatalog.warehouse import parquet_scan, write_version

    folder = Path(tempfile.mkdtemp(prefix="tiendo-bench-warehouse-"))
    ok = True
    try:
        source = folder / "source.parquet"
        seconds, _ = timed(lambda: generate(source, args.rows))
        print(
            f"generated {args.rows:,} rows in {seconds:.1f} s ({source.stat().st_size / 1e6:.0f} MB)"
        )
        select = f"SELECT * FROM read_parquet('{source}')"
        for attempt in range(args.repeat):
            root = folder / f"warehouse{attempt}"
            ours, written = timed(
                lambda root=root: write_version(
                    source_sql=select,
                    dataset_code="dan_cu",
                    version=1,
                    partition_by="ma_xa",
                    root=root,
                )
            )
            raw_dir = folder / f"raw{attempt}"
            raw, _ = timed(
                lambda raw_dir=raw_dir: duckdb.connect().execute(
                    f"COPY ({select}) TO '{raw_dir}' (FORMAT parquet, COMPRESSION zstd, "
                    "PARTITION_BY (ma_xa), WRITE_PARTITION_COLUMNS true)"
                )
            )
            print(
                f"publish: write_version {ours:.2f} s ({written.row_count:,} rows, "  # type: ignore[attr-defined]
                f"{len(written.files)} files), raw COPY {raw:.2f} s, ratio {ours / raw:.2f}"  # type: ignore[attr-defined]
            )
        published = written.path  # type: ignore[attr-defined]
        raw_con = duckdb.connect()
        raw_con.execute("SET threads = 1")
        raw_con.execute(f"CREATE VIEW dan_cu AS SELECT * FROM {parquet_scan(published)}")
        for name, sql in QUERIES.items():
            ours, result = timed(
                lambda sql=sql: run_query(sql, tables={"dan_cu": published}, timeout=600)
            )
            raw, expected = timed(lambda sql=sql: raw_con.execute(sql).fetchall())
            same = result.rows == expected  # type: ignore[attr-defined]
            ok = ok and same
            print(
                f"console {name}: {ours:.3f} s, raw {raw:.3f} s, ratio {ours / raw:.2f}"
                f"{'' if same else '  RESULTS DIFFER'}"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
