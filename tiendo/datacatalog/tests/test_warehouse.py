"""The warehouse files: partitioned, atomic, immutable, with a checksum that detects changes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tiendo.datacatalog import warehouse
from tiendo.datacatalog.warehouse import WarehouseError, parquet_scan, verify_version, write_version

SOURCE = (
    "SELECT range AS id, lpad((range % 4)::VARCHAR, 5, '0') AS ma_xa, "
    "'Nguyễn Văn ' || range AS ho_ten FROM range(1000)"
)


def test_partitioned_version_keeps_every_row_and_the_codes_as_text(tmp_path: Path) -> None:
    # given a dataset with a commune code made of digits
    # when it is published partitioned by that code
    written = write_version(
        source_sql=SOURCE, dataset_code="dan_cu", version=3, partition_by="ma_xa", root=tmp_path
    )
    # then one directory per code, every row, and "00001" is still text (no Hive guessing)
    assert written.path == tmp_path / "dan_cu" / "version=3"
    assert written.files == tuple(f"ma_xa=0000{i}/data_0.parquet" for i in range(4))
    assert written.row_count == 1000
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT ma_xa, count(*), typeof(any_value(ma_xa)) FROM {parquet_scan(written.path)} "  # noqa: S608
        "GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert rows == [(f"0000{i}", 250, "VARCHAR") for i in range(4)]
    same = con.execute(
        f"SELECT count(*) FROM ({SOURCE}) s JOIN {parquet_scan(written.path)} w USING (id, ma_xa, ho_ten)"  # noqa: S608
    ).fetchone()
    assert same == (1000,)
    assert verify_version(written.path, written.checksum)


def test_unpartitioned_and_empty_versions(tmp_path: Path) -> None:
    plain = write_version(source_sql=SOURCE, dataset_code="a", version=1, root=tmp_path)
    assert plain.files == ("data_0.parquet",)
    assert plain.row_count == 1000
    empty = write_version(
        source_sql=f"{SOURCE} WHERE false",
        dataset_code="b",
        version=1,
        partition_by="ma_xa",
        root=tmp_path,
    )
    assert empty.row_count == 0
    assert empty.files == ()
    assert empty.path.is_dir()


def test_a_published_version_is_never_overwritten(tmp_path: Path) -> None:
    first = write_version(source_sql=SOURCE, dataset_code="a", version=1, root=tmp_path)
    with pytest.raises(WarehouseError, match="already in the warehouse"):
        write_version(source_sql="SELECT 1 AS x", dataset_code="a", version=1, root=tmp_path)
    assert verify_version(first.path, first.checksum)


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    # given a source whose rows fail half way (a cast error on a late row)
    bad = (
        "SELECT range AS id, (CASE WHEN range < 900000 THEN range::VARCHAR ELSE 'x' END)::INTEGER "
        "AS v FROM range(1000000)"
    )
    with pytest.raises(WarehouseError):
        write_version(source_sql=bad, dataset_code="a", version=1, root=tmp_path)
    # then no version directory and no temporary directory remain
    assert [p.name for p in (tmp_path / "a").iterdir()] == []


def test_unknown_partition_field_and_bad_codes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="not a column"):
        write_version(
            source_sql=SOURCE, dataset_code="a", version=1, partition_by="nope", root=tmp_path
        )
    for code in ("../etc", "A", "1abc", "a-b", "a b", ""):
        with pytest.raises(WarehouseError):
            warehouse.version_dir(code, 1, root=tmp_path)


def test_checksum_detects_a_changed_file(tmp_path: Path) -> None:
    written = write_version(
        source_sql=SOURCE, dataset_code="a", version=1, partition_by="ma_xa", root=tmp_path
    )
    target = written.path / written.files[0]
    target.write_bytes(target.read_bytes()[:-1] + b"\0")
    assert not verify_version(written.path, written.checksum)
