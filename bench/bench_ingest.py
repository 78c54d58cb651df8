"""Benchmark of the catalogue's streaming ingest: a CSV upload of N rows -> checked -> Parquet.

Run: ``.venv/bin/python -m bench.bench_ingest --rows 1000000 [--kind csv|parquet]
[--python-checks] [--bad N]``

1. Generates (DuckDB SQL, no Python loop) a population-register file of ``--rows`` rows under
   ``data/bench/`` (git-ignored): citizen id (text), name (Vietnamese text), birth date
   (DD/MM/YYYY, the layout of Vietnamese spreadsheets), household size (integer), area (decimal).
2. Ingests it with the catalogue's path (``tiendo.datacatalog.ingest``: open the file, check every
   value against the declared fields, write the staged Parquet file) and measures the time and the
   peak memory of the process. A CSV file's values are checked by DuckDB (``ingest_sql``);
   ``--python-checks`` checks them one by one in Python instead (the road of XLSX, Parquet and
   pulls, and of CSV files before), to compare the two on the same machine and minute.
   ``--bad N`` puts N impossible dates (31/02/1990) evenly in the file: the ingest must refuse it
   with N errors; the time is then the price of naming them (no raw run, no comparison).
3. Does the same conversion with one raw DuckDB statement (``COPY (SELECT ... FROM read_csv(...))
   TO ... (FORMAT parquet)`` with the same types, no per-value error reporting), checks both
   Parquet files hold the same rows, and prints the times and the ratio ingest / raw.

The ratio is the price of reporting each bad value by row and column in the user's language; the
peak memory shows the ingest streams (run two sizes: it should not grow with the file).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "data" / "bench"


def _generate(path: Path, rows: int, kind: str, bad: int = 0) -> None:
    if path.exists():
        return
    con = duckdb.connect()
    every = max(rows // bad, 1) if bad else 0
    date = "strftime(DATE '1940-01-01' + (range % 25000)::INT, '%d/%m/%Y')"
    if bad:
        date = f"CASE WHEN range % {every} = {every - 1} AND range < {every * bad} THEN '31/02/1990' ELSE {date} END"
    select = f"""
        SELECT lpad((1000000000 + range)::VARCHAR, 12, '0') AS so_dinh_danh,
               ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng'][range % 5 + 1] || ' Văn '
                 || ['An', 'Bình', 'Cường', 'Dũng', 'Đạt'][(range // 5) % 5 + 1] AS ho_ten,
               {date} AS ngay_sinh,
               (range % 7 + 1)::BIGINT AS so_nhan_khau,
               round((range % 10000) / 7.0, 2) AS dien_tich
        FROM range({int(rows)})
    """
    fmt = "(FORMAT csv, HEADER true)" if kind == "csv" else "(FORMAT parquet)"
    con.execute(f"COPY ({select}) TO ? {fmt}", [str(path)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--kind", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--python-checks", action="store_true")
    parser.add_argument("--bad", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from tiendo.datacatalog.ingest import FieldSpec, ingest_rows, open_rows

    OUT.mkdir(parents=True, exist_ok=True)
    bad = f"_bad{args.bad}" if args.bad else ""
    source = OUT / f"ingest_{args.rows}{bad}.{args.kind}"
    _generate(source, args.rows, args.kind, args.bad)
    fields = [
        FieldSpec("so_dinh_danh", "text"),
        FieldSpec("ho_ten", "text"),
        FieldSpec("ngay_sinh", "date"),
        FieldSpec("so_nhan_khau", "integer"),
        FieldSpec("dien_tich", "decimal"),
    ]
    app_out = OUT / f"ingest_{args.rows}_app.parquet"
    raw_out = OUT / f"ingest_{args.rows}_raw.parquet"
    for p in (app_out, raw_out):
        p.unlink(missing_ok=True)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with open_rows(source.name, source) as rows:
        if args.python_checks:
            rows.text_only = False
        result = ingest_rows(rows, fields, app_out)
    app_seconds = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    road = "Python checks" if args.python_checks or args.kind != "csv" else "DuckDB checks"
    if args.bad:
        print(f"rows                 {result.row_count:>12,}")
        print(f"ingest (app)         {app_seconds:>10.2f} s  ({road}; refused: {not result.ok})")
        print(f"errors counted       {result.error_count:>12,} (expected {args.bad:,})")
        print(f"errors named         {len(result.errors):>12,}; first: {result.errors[:1]}")
        print(
            f"peak RSS             {rss_after / 1024:>10.0f} MiB (before {rss_before / 1024:.0f} MiB)"
        )
        return 0 if result.error_count == args.bad and not app_out.exists() else 1
    if not result.ok:
        print("ingest refused the file:", result.errors[:3])
        return 1

    con = duckdb.connect()
    start = time.perf_counter()
    reader = (
        "read_csv(?, header = true, dateformat = '%d/%m/%Y', columns = {'so_dinh_danh': 'VARCHAR', "
        "'ho_ten': 'VARCHAR', 'ngay_sinh': 'DATE', 'so_nhan_khau': 'BIGINT', 'dien_tich': 'DOUBLE'})"
        if args.kind == "csv"
        else "(SELECT so_dinh_danh, ho_ten, strptime(ngay_sinh, '%d/%m/%Y')::DATE AS ngay_sinh, "
        "so_nhan_khau, dien_tich FROM read_parquet(?))"
    )
    con.execute(
        f"COPY (SELECT * FROM {reader}) TO ? (FORMAT parquet, COMPRESSION zstd)",
        [str(source), str(raw_out)],
    )
    raw_seconds = time.perf_counter() - start
    same = con.execute(
        "SELECT (SELECT count(*) FROM (SELECT * FROM read_parquet(?) EXCEPT ALL "
        "SELECT * FROM read_parquet(?))), (SELECT count(*) FROM read_parquet(?))",
        [str(app_out), str(raw_out), str(app_out)],
    ).fetchone()
    assert same is not None
    print(f"rows                 {result.row_count:>12,}")
    print(
        f"ingest (app)         {app_seconds:>10.2f} s  ({result.row_count / app_seconds:,.0f} rows/s,"
        f" {road})"
    )
    print(f"raw DuckDB COPY      {raw_seconds:>10.2f} s")
    print(f"ratio app / raw      {app_seconds / raw_seconds:>10.1f}")
    print(
        f"peak RSS             {rss_after / 1024:>10.0f} MiB (before ingest {rss_before / 1024:.0f} MiB)"
    )
    print(f"source file          {source.stat().st_size / 2**20:>10.0f} MiB")
    print(f"rows differing       {same[0]:>12,} (of {same[1]:,})")
    return 0 if same[0] == 0 and same[1] == result.row_count else 1


if __name__ == "__main__":
    sys.exit(main())
