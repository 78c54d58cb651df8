"""Catalogue writes: declare, schema, upload (good and malformed), rollback, conflicts, audit."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import duckdb
import openpyxl
import pytest
from django.core.exceptions import ValidationError

from tiendo.accounts.models import Role
from tiendo.audit.models import AuditEntry
from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.programs.tests.factories import make_admin, make_unit, make_user

from ..ingest import error_text
from ..models import DatasetStatus, VersionStatus
from ..services import (
    codelist_from_units,
    dataset_update,
    version_make_current,
)
from .catalog_factories import make_dataset, upload, write_csv

pytestmark = pytest.mark.django_db

GOOD = (
    "so_dinh_danh,ho_ten,ngay_sinh,so_nhan_khau\n"
    "001090000001,Nguyễn Văn An,1990-01-02,4\n"
    "001090000002,Trần Thị Bình,02/03/1985,3\n"
)


@pytest.fixture
def world():
    province = make_unit("Tỉnh")
    dept = make_unit("Sở Y tế", parent=province)
    officer = make_user(unit=dept, role=Role.UNIT_OFFICER)
    return province, dept, officer


def test_a_good_csv_becomes_the_current_version_with_its_rows(world, tmp_path: Path) -> None:
    # given a declared dataset
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    # when an officer uploads a valid file
    version = upload(officer, dataset, write_csv(tmp_path / "dan_cu.csv", GOOD))
    # then it is current, counted, and stored as Parquet with the declared types
    assert version.status == VersionStatus.CURRENT
    assert version.row_count == 2
    assert len(version.checksum) == 64
    rows = (
        duckdb.connect()
        .execute("SELECT * FROM read_parquet(?)", [str(version.parquet_file)])
        .fetchall()
    )
    assert [r[0] for r in rows] == ["001090000001", "001090000002"]  # leading zeros kept
    assert str(rows[1][2]) == "1985-03-02"
    assert rows[0][3] == 4
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.LIVE
    assert AuditEntry.objects.filter(action="dataset.version_publish").count() == 1


def test_a_malformed_file_gives_row_and_column_and_keeps_the_current_version(
    world, tmp_path: Path
) -> None:
    # given a current version
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    good = upload(officer, dataset, write_csv(tmp_path / "v1.csv", GOOD))
    # when a file with a bad date and a bad number is uploaded
    bad = write_csv(
        tmp_path / "v2.csv",
        "so_dinh_danh;ho_ten;ngay_sinh;so_nhan_khau\n"
        "001090000003;Lê Văn C;31/02/1990;2\n"
        "001090000004;Phạm D;1991-01-01;hai\n",
    )
    failed = upload(officer, dataset, bad)
    # then the new version failed with row + column (letter and header) errors
    assert failed.status == VersionStatus.FAILED
    assert [error_text(e) for e in failed.errors] == [
        "Row 2, column C (ngay_sinh): “31/02/1990” is not a date (expected YYYY-MM-DD or DD/MM/YYYY).",
        "Row 3, column D (so_nhan_khau): “hai” is not a whole number.",
    ]
    assert not failed.parquet_path
    # and the first version is still current, its file intact
    good.refresh_from_db()
    assert good.status == VersionStatus.CURRENT
    assert good.parquet_file.exists()
    assert list((good.parquet_file.parent).glob("*")) == [good.parquet_file]


def test_a_missing_column_is_reported_on_row_one(world, tmp_path: Path) -> None:
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    version = upload(officer, dataset, write_csv(tmp_path / "x.csv", "so_dinh_danh,ho_ten\n1,A\n"))
    assert version.status == VersionStatus.FAILED
    assert [e["row"] for e in version.errors] == [1, 1]
    assert "ngay_sinh" in version.errors[0]["message"]


def test_headers_may_use_the_field_labels_and_windows_1258_text(world, tmp_path: Path) -> None:
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    text = "Số định danh;Họ và tên;Ngày sinh;so_nhan_khau\n001;Đỗ Thị Hà;;\n"
    version = upload(officer, dataset, write_csv(tmp_path / "x.csv", text, encoding="cp1258"))
    assert version.status == VersionStatus.CURRENT, version.errors
    name = duckdb.connect().execute(
        "SELECT ho_ten FROM read_parquet(?)", [str(version.parquet_file)]
    )
    assert unicodedata.normalize("NFC", name.fetchone()[0]) == "Đỗ Thị Hà"


def test_xlsx_upload_is_read_row_by_row(world, tmp_path: Path) -> None:
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["so_dinh_danh", "ho_ten", "ngay_sinh", "so_nhan_khau"])
    sheet.append(["001", "A", "2001-05-06", 3])
    sheet.append(["002", "B", "not a date", 3])
    path = tmp_path / "x.xlsx"
    book.save(path)
    version = upload(officer, dataset, path)
    assert version.status == VersionStatus.FAILED
    assert (version.errors[0]["row"], version.errors[0]["column"]) == (3, "C")


def test_parquet_upload(world, tmp_path: Path) -> None:
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    path = tmp_path / "x.parquet"
    duckdb.connect().execute(
        "COPY (SELECT '00' || range AS so_dinh_danh, 'Tên ' || range AS ho_ten, "
        "DATE '2000-01-01' + range::INT AS ngay_sinh, range AS so_nhan_khau FROM range(1000)) "
        "TO ? (FORMAT parquet)",
        [str(path)],
    )
    version = upload(officer, dataset, path)
    assert version.status == VersionStatus.CURRENT, version.errors
    assert version.row_count == 1000


def test_an_unsupported_file_fails_cleanly(world, tmp_path: Path) -> None:
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    version = upload(officer, dataset, write_csv(tmp_path / "x.pdf", "%PDF"))
    assert version.status == VersionStatus.FAILED
    assert "CSV, XLSX or Parquet" in version.errors[0]["message"]


def test_rollback_makes_an_older_version_current_with_a_reason(world, tmp_path: Path) -> None:
    # given two good versions
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    v1 = upload(officer, dataset, write_csv(tmp_path / "v1.csv", GOOD))
    v2 = upload(officer, dataset, write_csv(tmp_path / "v2.csv", GOOD + "003,C,,\n"))
    v1.refresh_from_db()
    assert (v1.status, v2.status) == (VersionStatus.SUPERSEDED, VersionStatus.CURRENT)
    # when the steward rolls back without a reason, nothing changes
    with pytest.raises(ValidationError):
        version_make_current(actor=officer, dataset=dataset, number=1, reason=" ")
    # when with a reason
    version_make_current(actor=officer, dataset=dataset, number=1, reason="v2 had test rows")
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (VersionStatus.CURRENT, VersionStatus.ROLLED_BACK)
    entry = AuditEntry.objects.get(action="dataset.version_rollback")
    assert entry.summary == "v2 had test rows"
    # and it can roll forward again
    version_make_current(actor=officer, dataset=dataset, number=2, reason="fixed")
    v2.refresh_from_db()
    assert v2.status == VersionStatus.CURRENT


def test_a_failed_version_cannot_be_made_current(world, tmp_path: Path) -> None:
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    upload(officer, dataset, write_csv(tmp_path / "v1.csv", GOOD))
    upload(officer, dataset, write_csv(tmp_path / "v2.csv", "so_dinh_danh\n1\n"))
    with pytest.raises(ValidationError):
        version_make_current(actor=officer, dataset=dataset, number=2, reason="try")


def test_a_stale_edit_is_refused(world) -> None:
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    seen = dataset.version
    dataset_update(actor=officer, dataset=dataset, version=seen, name="Dân cư")
    with pytest.raises(ConflictError):
        dataset_update(actor=officer, dataset=dataset, version=seen, name="Dân cư 2")


def test_a_viewer_or_another_unit_cannot_change_or_upload(world, tmp_path: Path) -> None:
    province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    viewer = make_user(unit=dept, role=Role.VIEWER)
    other = make_user(unit=make_unit("Sở khác", parent=province))
    for actor in (viewer, other):
        with pytest.raises(PermissionDeniedError):
            dataset_update(actor=actor, dataset=dataset, version=None, name="x")
        with pytest.raises(PermissionDeniedError):
            upload(actor, dataset, write_csv(tmp_path / "v.csv", GOOD))
    assert not dataset.versions.exists()


def test_code_list_of_administrative_units(world) -> None:
    province, dept, _officer = world

    code_list = codelist_from_units(
        actor=make_admin(), code="don-vi-hanh-chinh", name="Đơn vị", root=province
    )
    assert set(code_list.items.values_list("code", flat=True)) == {province.code, dept.code}
    assert code_list.items.get(code=dept.code).parent_code == province.code


def test_unit_codes_command(world) -> None:
    from io import StringIO

    from django.core.management import call_command

    province, _dept, _officer = world
    make_admin()
    out = StringIO()
    call_command("datacatalog_unit_codes", province.code, stdout=out)
    assert out.getvalue().strip() == "don-vi-hanh-chinh: 2 units"
