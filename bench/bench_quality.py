"""Benchmark of the data-quality engine: a population register of 10,000,000 rows, six dimensions.

Run: ``.venv/bin/python -m bench.bench_quality --rows 10000000 [--repeat 1] [--threads 2]``

1. Generates (DuckDB SQL only: ``range()`` and ``hash()``, no Python loop) a Parquet file like a
   provincial population register (citizen id, full name, birth date as text, commune code, sex,
   floor area) with seeded flaws: 11-digit ids, duplicated ids, 30 February and future and
   pre-1900 birth dates, missing names/dates/communes, unknown commune codes, sex outside M/F,
   negative areas, names in NFD, in TCVN3 and in VNI mojibake, near-duplicate names (same person
   re-typed in lower case with doubled spaces), and 10 communes of the code list with no record.
   The file is kept under ``data/bench/`` (git-ignored) and reused when its size matches.
2. Profiles it with the engine (``tiendo.datacatalog.quality.profile``), one dimension at a time
   and then all six at once (what the catalogue runs).
3. Computes the same figures with hand-written DuckDB SQL (one query per dimension, written
   without the engine's generated predicates), checks every figure is equal (exit status 1 if
   not), and prints the time of each side and the ratio engine / raw per dimension and in total.

The raw side uses the same detection expressions for legacy encodings (``textfix.TCVN3_PATTERN``
and friends): they are the definition of the figure, not an implementation detail.

``--similarity 0.92`` runs instead the near-name case alone (the clean dimension's Jaro-Winkler
check, ``near_duplicates: {block: [commune_code], similarity: ...}``) on the same generated
file: the engine's two near-name figures (equal after normalisation; similar) against a
hand-written DuckDB query that compares each pair of distinct normalised names of a commune
once. Every pair within a block is compared, so the cost grows with the square of the block's
size: at 1,000 communes, 1M rows means about 10^9 comparisons for the engine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import duckdb

TODAY = dt.date(2026, 11, 22)
COMMUNES = 1000  # present in the data: C0000..C0999; the code list also has C1000..C1009
FAMILIES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trương",
    "Lương",
    "Đoàn",
]
MIDDLES = [
    "Văn",
    "Thị",
    "Hữu",
    "Đức",
    "Minh",
    "Ngọc",
    "Thanh",
    "Quốc",
    "Xuân",
    "Thu",
    "Hồng",
    "Kim",
    "Gia",
    "Bảo",
    "Đình",
]
GIVENS = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Nhung",
    "Phong",
    "Phúc",
    "Quân",
    "Quỳnh",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Thủy",
    "Tiến",
    "Trang",
    "Trung",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
    "Hải",
    "Hà",
    "Hiếu",
    "Hòa",
    "Khoa",
    "Lộc",
    "Nhật",
]
RULES = r"""
key: [citizen_id]
names: [full_name]
near_duplicates: {block: [commune_code, birth_date]}
standard: population
fields:
  citizen_id: {type: string, required: true, pattern: '^\d{12}$'}
  full_name: {type: string, required: true, length: {min: 2, max: 100}}
  birth_date: {type: date, required: true, min: 1900-01-01, max: today}
  commune_code: {type: string, required: true, code_list: admin_units}
  sex: {type: string, allowed: [M, F]}
  area_m2: {type: number, min: 0}
coverage: {field: commune_code, expected: admin_units}
live: {frequency: monthly}
"""
STANDARD = {
    "fields": {
        "citizen_id": {"type": "string"},
        "birth_date": {"type": "date"},
        "commune_code": {"type": "string", "code_list": "admin_units"},
    }
}
LAST_UPDATE = dt.date(2026, 9, 30)  # monthly: due 30 Oct, 23 days overdue on TODAY
PUBLISHED, USERS = True, 3


def code_list() -> list[str]:
    return [f"C{n:04d}" for n in range(COMMUNES + 10)]


def _vn3(text: str) -> str:
    # TCVN3 data is VN3 (ABC fonts): capitals with a tone were typed as small letters.
    return "".join(
        c.lower() if c.lower() != c and c not in "ĂÂÊÔƠƯĐ" and ord(c) > 0x7F else c for c in text
    )


def generate(con: duckdb.DuckDBPyConnection, path: Path, rows: int, seed: int) -> None:
    from tiendo.datacatalog import textfix

    def forms(words: list[str]) -> dict[str, list[str]]:
        return {
            "": words,
            "nfd": [unicodedata.normalize("NFD", w) for w in words],
            "tcvn": [textfix.to_tcvn3(_vn3(w)) for w in words],
            "vni": [textfix.to_vni(w) for w in words],
        }

    params: dict[str, Any] = {"rows": rows, "seed": seed, "path": str(path)}
    for part, words in (("f", FAMILIES), ("m", MIDDLES), ("g", GIVENS)):
        for form, values in forms(words).items():
            params[f"{part}{form}"] = values
    nf, nm, ng = len(FAMILIES), len(MIDDLES), len(GIVENS)

    def pick(lst: str) -> str:
        index = {"f": f"h % {nf}", "m": f"(h // {nf}) % {nm}", "g": f"(h // {nf * nm}) % {ng}"}[
            lst[0]
        ]
        return f"${lst}[1 + ({index})::INTEGER]"

    def name(form: str) -> str:
        return f"{pick('f' + form)} || ' ' || {pick('m' + form)} || ' ' || {pick('g' + form)}"

    sql = f"""
    COPY (
      WITH r AS (
        SELECT i,
               hash(i, $seed, 1) % 100000 AS r_id,
               hash(i, $seed, 2) % 100000 AS r_name,
               hash(i, $seed, 3) % 100000 AS r_date,
               hash(i, $seed, 4) % 100000 AS r_code,
               hash(i, $seed, 5) % 100000 AS r_other,
               -- 0.5 %: the person of the row before, typed again (near duplicate)
               CASE WHEN hash(i, $seed, 2) % 100000 >= 99500 AND i > 0 THEN i - 1 ELSE i END AS src
        FROM range($rows) t(i)
      ), p AS (
        SELECT r.*, hash(src, $seed, 6) AS h, hash(src, $seed, 7) AS h_date,
               hash(src, $seed, 8) AS h_code, hash(i, $seed, 9) AS h_area
        FROM r
      )
      SELECT
        CASE WHEN r_id < 300 AND i > 0 THEN lpad(CAST(i - 1 AS VARCHAR), 12, '0')
             WHEN r_id < 800 THEN lpad(CAST(i AS VARCHAR), 11, '0')
             ELSE lpad(CAST(i AS VARCHAR), 12, '0') END AS citizen_id,
        CASE WHEN r_name < 400 THEN NULL
             WHEN r_name < 600 THEN {name("nfd")}
             WHEN r_name < 800 THEN {name("tcvn")}
             WHEN r_name < 900 THEN {name("vni")}
             WHEN r_name >= 99500 AND i > 0 THEN regexp_replace(lower({name("")}), ' ', '  ', 'g')
             ELSE {name("")} END AS full_name,
        CASE WHEN r_date < 100 THEN CAST(1950 + h_date % 60 AS VARCHAR) || '-02-30'
             WHEN r_date < 200 THEN strftime(DATE '2027-01-01' + CAST(h_date % 3000 AS INTEGER), '%Y-%m-%d')
             WHEN r_date < 300 THEN strftime(DATE '1850-01-01' + CAST(h_date % 18000 AS INTEGER), '%Y-%m-%d')
             WHEN r_date < 800 THEN NULL
             ELSE strftime(DATE '1930-01-01' + CAST(h_date % 33000 AS INTEGER), '%Y-%m-%d') END AS birth_date,
        CASE WHEN r_code < 200 THEN 'X' || lpad(CAST(h_code % 10000 AS VARCHAR), 4, '0')
             WHEN r_code < 500 THEN ''
             ELSE 'C' || lpad(CAST(h_code % {COMMUNES} AS VARCHAR), 4, '0') END AS commune_code,
        CASE WHEN r_other < 100 THEN 'U' WHEN h % 2 = 0 THEN 'M' ELSE 'F' END AS sex,
        CASE WHEN r_other >= 99900 THEN -1.0 - (h_area % 100) ELSE (h_area % 300000) / 100.0 END AS area_m2
      FROM p
    ) TO $path (FORMAT parquet, ROW_GROUP_SIZE 122880)
    """
    con.execute(sql, params)


# --- the raw side: what a person would write by hand ------------------------------------------


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def raw_queries() -> dict[str, str]:
    from tiendo.datacatalog import textfix

    norm = textfix.normalise_name_sql("full_name")
    vni = f"regexp_matches(full_name, {_lit(textfix.VNI_PATTERN)})"
    weak = f"regexp_matches(full_name, {_lit(textfix.VNI_WEAK_PATTERN)})"
    tcvn = f"regexp_matches(full_name, {_lit(textfix.TCVN3_PATTERN)})"
    t = "read_parquet($path)"
    today = f"DATE '{TODAY.isoformat()}'"
    filled = "({c} IS NOT NULL AND trim({c}) <> '')"
    is_date = "TRY_CAST(birth_date AS DATE)"
    accurate = {
        "pattern": f"{filled.format(c='citizen_id')} AND NOT regexp_full_match(citizen_id, '^\\d{{12}}$')",
        "date_type": f"{filled.format(c='birth_date')} AND {is_date} IS NULL",
        "date_min": f"{is_date} < DATE '1900-01-01'",
        "date_max": f"{is_date} > {today}",
        "length": f"{filled.format(c='full_name')} AND (length(full_name) < 2 OR length(full_name) > 100)",
        "code": f"{filled.format(c='commune_code')} AND commune_code NOT IN (SELECT code FROM codes)",
        "sex": f"{filled.format(c='sex')} AND sex NOT IN ('M', 'F')",
        "area": "area_m2 < 0",
    }
    required = {
        c: f"NOT {filled.format(c=c)}"
        for c in ("citizen_id", "full_name", "birth_date", "commune_code")
    }

    def counts(conds: dict[str, str]) -> str:
        parts = [f"count(*) FILTER (WHERE {c}) AS {k}" for k, c in conds.items()]
        any_ = " OR ".join(f"coalesce({c}, false)" for c in conds.values())
        return f"SELECT count(*) AS rows, {', '.join(parts)}, count(*) FILTER (WHERE {any_}) AS any_rows FROM {t}"

    clean = f"""
      WITH d AS (SELECT citizen_id FROM {t} WHERE citizen_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1),
           n AS (SELECT commune_code, birth_date, {norm} AS k FROM {t} WHERE full_name IS NOT NULL
                 GROUP BY ALL HAVING min(full_name) <> max(full_name)),
           x AS (SELECT t.*, d.citizen_id IS NOT NULL AS dup,
                        (t.full_name IS NOT NULL AND n.k IS NOT NULL) AS near
                 FROM {t} t LEFT JOIN d USING (citizen_id)
                 LEFT JOIN n ON t.commune_code IS NOT DISTINCT FROM n.commune_code
                            AND t.birth_date IS NOT DISTINCT FROM n.birth_date
                            AND {norm.replace("full_name", "t.full_name")} = n.k)
      SELECT count(*) FILTER (WHERE dup) AS dup, count(*) FILTER (WHERE near) AS near,
             count(*) FILTER (WHERE full_name <> nfc_normalize(full_name) AND NOT {tcvn} AND NOT {vni} AND NOT {weak}) AS nfd,
             count(*) FILTER (WHERE {tcvn} AND NOT {vni}) AS tcvn3,
             count(*) FILTER (WHERE {vni} OR ({weak} AND NOT {tcvn})) AS vni,
             count(*) FILTER (WHERE dup OR near OR full_name <> nfc_normalize(full_name) OR {tcvn} OR {vni} OR {weak}) AS any_rows
      FROM x"""
    return {
        "accurate": counts(accurate),
        "complete": counts(required)
        + "; SELECT count(*) FILTER (WHERE code NOT IN (SELECT DISTINCT commune_code FROM "
        + t
        + " WHERE commune_code IS NOT NULL)) AS missing FROM codes",
        "clean": clean,
        "unified": counts({"code": accurate["code"]}),
    }


def run_raw(con: duckdb.DuckDBPyConnection, dimension: str, sql: str, path: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for statement in sql.split("; "):
        cur = con.execute(statement, {"path": path})
        names = [d[0] for d in cur.description]
        row = cur.fetchone()
        assert row is not None
        out.update({f"{n}": int(v) for n, v in zip(names, row, strict=True)})
    return out


def engine_figures(report: Any, dimension: str) -> dict[str, int]:
    """The same figures read from the engine's report, named as the raw side names them."""
    r = report.rule
    if dimension == "accurate":
        ids = {
            "pattern": "accurate.pattern.citizen_id",
            "date_type": "accurate.type.birth_date",
            "date_min": "accurate.min.birth_date",
            "date_max": "accurate.max.birth_date",
            "length": "accurate.length.full_name",
            "code": "accurate.code_list.commune_code",
            "sex": "accurate.values.sex",
            "area": "accurate.min.area_m2",
        }
        out = {k: r(v).failed for k, v in ids.items()}
        return out | {"rows": report.rows, "any_rows": report.dimensions["accurate"].failed}
    if dimension == "complete":
        out = {
            c: r(f"complete.required.{c}").failed
            for c in ("citizen_id", "full_name", "birth_date", "commune_code")
        }
        return out | {
            "rows": report.rows,
            "any_rows": report.dimensions["complete"].failed,
            "missing": r("complete.coverage.commune_code").failed,
        }
    if dimension == "clean":
        return {
            "dup": r("clean.duplicate_key").failed,
            "near": r("clean.near_duplicate.full_name").failed,
            "nfd": r("clean.nfd.full_name").failed,
            "tcvn3": r("clean.tcvn3.full_name").failed,
            "vni": r("clean.vni.full_name").failed,
            "any_rows": report.dimensions["clean"].failed,
        }
    if dimension == "unified":
        return {
            "rows": report.rows,
            "code": r("unified.code_list.commune_code").failed,
            "any_rows": report.dimensions["unified"].failed,
        }
    if dimension == "live":
        return {
            "days_overdue": r("live.frequency").detail["days_overdue"],
            "score": round(r("live.frequency").score * 100),
        }
    return {"score": round(r("shared.publication").score * 100)}


def raw_facts(con: duckdb.DuckDBPyConnection, dimension: str) -> dict[str, int]:
    """Live and shared are facts, not scans: the same arithmetic written in SQL by hand."""
    if dimension == "live":
        row = con.execute(
            "SELECT greatest(0, $today - (CAST($last AS DATE) + INTERVAL 1 MONTH)::DATE) AS late",
            {"today": TODAY, "last": LAST_UPDATE},
        ).fetchone()
        assert row is not None
        late = int(row[0])
        period = ((LAST_UPDATE.replace(month=LAST_UPDATE.month + 1)) - LAST_UPDATE).days
        return {
            "days_overdue": late,
            "score": round(max(0.0, 100 * (1 - late / period)) * 100) if late else 10000,
        }
    row = con.execute(
        "SELECT CASE WHEN $p THEN least(100, 50 + 10 * $u) ELSE 0 END", {"p": PUBLISHED, "u": USERS}
    ).fetchone()
    assert row is not None
    return {"score": round(float(row[0]) * 100)}


SIMILAR_RULES = """
names: [full_name]
near_duplicates: {{block: [commune_code], similarity: {threshold}}}
text: []
"""


def raw_similar_sql(threshold: float) -> str:
    """Near names by hand: the distinct normalised names of each commune, each pair compared
    once (``k1 < k2``), then the rows carrying a name of such a pair."""
    from tiendo.datacatalog import textfix

    norm = textfix.normalise_name_sql("full_name")
    return f"""
      WITH t AS (SELECT commune_code AS b, full_name, {norm} AS k FROM read_parquet($path)
                 WHERE full_name IS NOT NULL AND commune_code IS NOT NULL),
           keys AS (SELECT DISTINCT b, k FROM t),
           pairs AS (SELECT x.b, x.k AS k1, y.k AS k2 FROM keys x JOIN keys y
                     ON x.b = y.b AND x.k < y.k
                     WHERE jaro_winkler_similarity(x.k, y.k) >= {float(threshold)!r}),
           sim AS (SELECT b, k1 AS k FROM pairs UNION SELECT b, k2 FROM pairs),
           equal AS (SELECT b, k FROM t GROUP BY ALL HAVING min(full_name) <> max(full_name))
      SELECT count(*) FILTER (WHERE s.k IS NOT NULL) AS "similar",
             count(*) FILTER (WHERE e.k IS NOT NULL) AS near
      FROM t LEFT JOIN sim s USING (b, k) LEFT JOIN equal e USING (b, k)"""


def similarity_case(
    con: duckdb.DuckDBPyConnection, path: Path, threshold: float, repeat: int
) -> bool:
    """The near-name (Jaro-Winkler) check: engine against raw DuckDB, figures compared."""
    from tiendo.datacatalog.quality import parse_rules, profile

    rules = parse_rules(SIMILAR_RULES.format(threshold=threshold))
    best_e = best_r = float("inf")
    mine: dict[str, int] = {}
    raw: dict[str, int] = {}
    sql = raw_similar_sql(threshold)
    for _ in range(repeat):
        start = time.perf_counter()
        report = profile(path, rules, dimensions=["clean"], today=TODAY, connection=con)
        best_e = min(best_e, time.perf_counter() - start)
        start = time.perf_counter()
        raw = run_raw(con, "clean", sql, str(path))
        best_r = min(best_r, time.perf_counter() - start)
        mine = {
            "similar": report.rule("clean.similar_name.full_name").failed,
            "near": report.rule("clean.near_duplicate.full_name").failed,
        }
    same = mine == raw
    shown = ", ".join(f"{k}={v:,}" for k, v in mine.items())
    print(f"\n{'case':<10} {'engine s':>9} {'raw s':>9} {'ratio':>6}  figures")
    print(
        f"{'similar':<10} {best_e:9.2f} {best_r:9.3f} {best_e / best_r:6.2f}  "
        f"{'OK' if same else 'MISMATCH'} {shown} (threshold {threshold}, block commune_code)"
    )
    if not same:
        print(f"{'':<10} raw: {raw}")
    print("\nfigures:", "all equal" if same else "MISMATCH")
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory", default="8GB", help="DuckDB memory_limit")
    parser.add_argument(
        "--path", default=None, help="Parquet file (default data/bench/quality_<rows>.parquet)"
    )
    parser.add_argument(
        "--similarity",
        type=float,
        default=None,
        help="run only the near-name (Jaro-Winkler) case with this threshold, e.g. 0.92",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from tiendo.datacatalog.quality import PublicationFacts, parse_rules, parse_standard, profile

    path = Path(args.path or Path("data/bench") / f"quality_{args.rows}_{args.seed}.parquet")
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"SET threads = {int(args.threads)}")
    con.execute("SET memory_limit = $m", {"m": args.memory})
    con.execute("SET preserve_insertion_order = false")

    if path.exists():
        have = con.execute("SELECT count(*) FROM read_parquet($p)", {"p": str(path)}).fetchone()
    if not path.exists() or have is None or have[0] != args.rows:
        start = time.perf_counter()
        generate(con, path, args.rows, args.seed)
        print(
            f"generated {args.rows:,} rows in {time.perf_counter() - start:.1f} s -> {path} ({path.stat().st_size / 1e6:.0f} MB)"
        )
    else:
        print(f"reusing {path} ({args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB)")

    if args.similarity is not None:
        return 0 if similarity_case(con, path, args.similarity, args.repeat) else 1

    rules = parse_rules(RULES)
    options: dict[str, Any] = {
        "code_lists": {"admin_units": code_list()},
        "standards": {"population": parse_standard("population", STANDARD)},
        "today": TODAY,
        "last_update": LAST_UPDATE,
        "publication": PublicationFacts(published=PUBLISHED, users=USERS),
        "connection": con,
    }
    con.execute(
        "CREATE OR REPLACE TEMP TABLE codes AS SELECT unnest($c::VARCHAR[]) AS code",
        {"c": code_list()},
    )
    queries = raw_queries()
    dims = ["accurate", "complete", "clean", "live", "unified", "shared"]
    ok = True
    raws: dict[str, dict[str, int]] = {}
    totals = {"engine": 0.0, "raw": 0.0}
    print(f"\n{'dimension':<10} {'engine s':>9} {'raw s':>9} {'ratio':>6}  figures")
    for dim in dims:
        best_e = best_r = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            report = profile(path, rules, dimensions=[dim], **options)
            best_e = min(best_e, time.perf_counter() - start)
            start = time.perf_counter()
            raw = (
                raw_facts(con, dim)
                if dim in ("live", "shared")
                else run_raw(con, dim, queries[dim], str(path))
            )
            best_r = min(best_r, time.perf_counter() - start)
        mine = engine_figures(report, dim)
        raws[dim] = raw
        same = mine == raw
        ok &= same
        totals["engine"] += best_e
        totals["raw"] += best_r
        shown = ", ".join(f"{k}={v:,}" for k, v in mine.items())
        print(
            f"{dim:<10} {best_e:9.2f} {best_r:9.3f} {best_e / best_r:6.2f}  {'OK' if same else 'MISMATCH'} {shown}"
        )
        if not same:
            print(f"{'':<10} raw: {raw}")
    print(
        f"{'sum':<10} {totals['engine']:9.2f} {totals['raw']:9.2f} {totals['engine'] / totals['raw']:6.2f}"
    )
    best_all = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        report = profile(path, rules, **options)
        best_all = min(best_all, time.perf_counter() - start)
    print(
        f"{'all six':<10} {best_all:9.2f} {totals['raw']:9.2f} {best_all / totals['raw']:6.2f}  "
        f"one profile() call (accurate+complete+unified share a scan); overall score {report.overall}"
    )
    together = all(engine_figures(report, dim) == raws[dim] for dim in dims)
    print(
        f"{'':<10} all six at once: {'OK' if together else 'MISMATCH'} (same figures as one at a time)"
    )
    ok &= together
    print("\nfigures:", "all equal" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
