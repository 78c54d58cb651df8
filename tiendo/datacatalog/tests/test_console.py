"""The SQL console's lock-down, on real Parquet files: only shared datasets, no writes, no files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from tiendo.datacatalog.console import ConsoleError, check_statement, run_query
from tiendo.datacatalog.warehouse import write_version


@pytest.fixture
def published(tmp_path: Path) -> dict[str, Path]:
    dan_cu = write_version(
        source_sql="SELECT range AS id, lpad((range % 5)::VARCHAR, 5, '0') AS ma_xa FROM range(100)",
        dataset_code="dan_cu",
        version=1,
        partition_by="ma_xa",
        root=tmp_path,
    )
    secret = write_version(
        source_sql="SELECT 'bí mật' AS noi_dung", dataset_code="ho_so_mat", version=1, root=tmp_path
    )
    older = write_version(
        source_sql="SELECT 'cũ' AS noi_dung", dataset_code="dan_cu", version=0, root=tmp_path
    )
    return {"dan_cu": dan_cu.path, "ho_so_mat": secret.path, "dan_cu_v0": older.path}


def shared(published: dict[str, Path]) -> dict[str, Path]:
    """The analyst may use dan_cu (current version 1) only."""
    return {"dan_cu": published["dan_cu"]}


def test_select_over_a_shared_dataset_is_paginated(published: dict[str, Path]) -> None:
    sql = "SELECT ma_xa, count(*) AS n FROM dan_cu GROUP BY ma_xa ORDER BY ma_xa"
    first = run_query(sql, tables=shared(published), page=1, page_size=2)
    assert first.columns == ["ma_xa", "n"]
    assert first.rows == [("00000", 20), ("00001", 20)]
    assert first.has_next
    last = run_query(sql, tables=shared(published), page=3, page_size=2)
    assert last.rows == [("00004", 20)]
    assert not last.has_next
    assert last.first_row_number == 5


def test_with_queries_are_selects(published: dict[str, Path]) -> None:
    result = run_query(
        "WITH x AS (SELECT id FROM dan_cu WHERE id < 3) SELECT sum(id) FROM x;",
        tables=shared(published),
    )
    assert result.rows == [(3,)]


def test_a_dataset_not_shared_is_an_unknown_table(published: dict[str, Path]) -> None:
    with pytest.raises(ConsoleError, match=r"Unknown table “ho_so_mat”.*dan_cu"):
        run_query("SELECT * FROM ho_so_mat", tables=shared(published))
    with pytest.raises(ConsoleError, match="Unknown table"):
        run_query("SELECT * FROM query_table('ho_so_mat')", tables=shared(published))


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE x AS SELECT 1",
        "CREATE VIEW v AS SELECT * FROM dan_cu",
        "INSERT INTO dan_cu VALUES (1, '1')",
        "UPDATE dan_cu SET id = 0",
        "DELETE FROM dan_cu",
        "DROP VIEW dan_cu",
        "COPY dan_cu TO 'out.csv'",
        "COPY (SELECT 1) TO '{dan_cu}/evil.parquet' (FORMAT parquet)",
        "EXPORT DATABASE '/tmp/x'",
        "ATTACH ':memory:' AS m",
        "ATTACH '/tmp/other.duckdb'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "RESET lock_configuration",
        "PRAGMA enable_profiling",
        "CALL pragma_version()",
        "EXPLAIN SELECT 1",
        "SELECT 1; DROP VIEW dan_cu",
        "SELECT * FROM query('COPY dan_cu TO ''out.csv''')",
    ],
)
def test_no_writes_and_no_settings(published: dict[str, Path], sql: str) -> None:
    before = sorted(p.name for p in published["dan_cu"].rglob("*"))
    with pytest.raises(ConsoleError):
        run_query(sql.format(dan_cu=published["dan_cu"]), tables=shared(published))
    assert sorted(p.name for p in published["dan_cu"].rglob("*")) == before
    assert not Path("out.csv").exists()


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM glob('*')",
        "SELECT * FROM glob('/**')",
        "SELECT * FROM read_parquet('{ho_so_mat}/data_0.parquet')",
        "SELECT * FROM read_parquet('{dan_cu_v0}/data_0.parquet')",
        "SELECT * FROM read_parquet('{dan_cu}/../../ho_so_mat/version=1/data_0.parquet')",
        "SELECT * FROM read_json('https://example.com/x.json')",
        "SELECT * FROM duckdb_extensions()",
    ],
)
def test_no_file_access_beyond_the_shared_versions(published: dict[str, Path], sql: str) -> None:
    with pytest.raises(ConsoleError, match="out of reach"):
        run_query(sql.format(**published), tables=shared(published))


def test_a_long_query_is_interrupted(published: dict[str, Path]) -> None:
    with pytest.raises(ConsoleError, match="longer than 1 seconds"):
        run_query("SELECT count(*) FROM range(10000000000) a", tables=shared(published), timeout=1)


def test_errors_are_in_the_users_language(published: dict[str, Path]) -> None:
    with translation.override("vi"):
        with pytest.raises(ConsoleError) as refused:
            run_query("DELETE FROM dan_cu", tables=shared(published))
        with pytest.raises(ConsoleError) as unknown:
            run_query("SELECT * FROM ho_so_mat", tables=shared(published))
    assert "SELECT" in refused.value.message
    assert "Only SELECT" not in refused.value.message
    assert "ho_so_mat" in unknown.value.message
    assert "Unknown table" not in unknown.value.message


@pytest.mark.parametrize("sql", ["", "   ", "SELEC 1", "SELECT 1; SELECT 2"])
def test_malformed_or_multiple_statements(sql: str) -> None:
    with pytest.raises(ConsoleError):
        check_statement(sql)
