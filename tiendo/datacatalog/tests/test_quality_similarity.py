"""The near-name check (Jaro-Winkler within a block) finds exactly the rows that comparing every
pair of rows finds: the engine compares each pair of distinct normalised names of a block once
and joins the rows back; the oracle here is the plain row-by-row self-join."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.datacatalog import textfix
from tiendo.datacatalog.quality import parse_rules, profile

TODAY = dt.date(2026, 11, 22)
# Few letters and short words, with diacritics and case: similar and equal names are frequent.
WORDS = ["An", "Ân", "Anh", "Hà", "Ha", "Hải", "Nam", "nam", "Lan", "Lân", "Thu", "Thư"]
row = st.tuples(
    st.sampled_from(["X1", "X2", None, ""]),
    st.one_of(st.none(), st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)),
)


def _oracle(path: Path, threshold: float) -> int:
    norm_a = textfix.normalise_name_sql("a.full_name")
    norm_b = textfix.normalise_name_sql("b.full_name")
    sql = (
        "SELECT count(DISTINCT a.file_row_number) FROM read_parquet($p, file_row_number=true) a "  # noqa: S608 -- constants
        "JOIN read_parquet($p, file_row_number=true) b ON a.commune_code = b.commune_code "
        f"AND a.file_row_number <> b.file_row_number WHERE {norm_a} <> {norm_b} "
        f"AND jaro_winkler_similarity({norm_a}, {norm_b}) >= $t"
    )
    found = duckdb.connect().execute(sql, {"p": str(path), "t": threshold}).fetchone()
    return int(found[0]) if found else 0


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(row, max_size=30), threshold=st.sampled_from([0.8, 0.9, 0.95]))
def test_similar_names_are_the_rows_of_a_similar_pair(
    tmp_path: Path, rows: list[tuple[str | None, str | None]], threshold: float
) -> None:
    path = tmp_path / "names.parquet"
    con = duckdb.connect()
    con.execute("CREATE TABLE t (commune_code VARCHAR, full_name VARCHAR)")
    if rows:
        con.executemany("INSERT INTO t VALUES (?, ?)", rows)
    con.execute("COPY t TO $p (FORMAT parquet)", {"p": str(path)})
    rules = parse_rules(
        "names: [full_name]\n"
        f"near_duplicates: {{block: [commune_code], similarity: {threshold}}}\ntext: []\n"
    )
    report = profile(path, rules, dimensions=["clean"], today=TODAY)
    assert report.rule("clean.similar_name.full_name").failed == _oracle(path, threshold)
