"""The catalogue API: scoped lists and details, versions, quality, upload with a write token."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tiendo.accounts.models import Role, TokenScope
from tiendo.accounts.services import api_token_create
from tiendo.programs.tests.factories import make_unit, make_user

from ..models import VersionStatus
from .catalog_factories import make_dataset, upload, write_csv

pytestmark = pytest.mark.django_db

GOOD = "so_dinh_danh,ho_ten,ngay_sinh,so_nhan_khau\n001,An,1990-01-02,4\n"


def _headers(user, scope: str = TokenScope.WRITE) -> dict[str, str]:
    _token, secret = api_token_create(user=user, name="t", scope=scope)
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


@pytest.fixture
def world(tmp_path: Path):
    province = make_unit("Tỉnh")
    dept = make_unit("Sở Tư pháp", parent=province)
    other = make_unit("Sở Nội vụ", parent=province)
    officer = make_user(unit=dept, role=Role.UNIT_OFFICER)
    outsider = make_user(unit=other, role=Role.UNIT_OFFICER)
    dataset = make_dataset(actor=officer, owner=dept, name="Hộ tịch")
    upload(officer, dataset, write_csv(tmp_path / "v1.csv", GOOD))
    return officer, outsider, dataset


def test_list_detail_versions_quality_are_scoped(world) -> None:
    officer, outsider, dataset = world
    client = Client()
    mine = client.get("/api/v1/datasets", headers=_headers(officer)).json()
    assert [d["code"] for d in mine["items"]] == [dataset.code]
    assert mine["items"][0]["current_rows"] == 1
    assert client.get("/api/v1/datasets", headers=_headers(outsider)).json()["count"] == 0
    detail = client.get(f"/api/v1/datasets/{dataset.code}", headers=_headers(officer)).json()
    assert [f["name"] for f in detail["fields"]][:2] == ["so_dinh_danh", "ho_ten"]
    assert detail["current_version"] == 1
    versions = client.get(f"/api/v1/datasets/{dataset.code}/versions", headers=_headers(officer))
    assert [v["number"] for v in versions.json()] == [1]
    quality = client.get(
        f"/api/v1/datasets/{dataset.code}/versions/1/quality", headers=_headers(officer)
    )
    assert quality.status_code == 200
    assert set(quality.json()["dimensions"]) == {
        "accurate",
        "complete",
        "clean",
        "live",
        "unified",
        "shared",
    }
    for path in ("", "/versions", "/versions/1/quality"):
        answer = client.get(f"/api/v1/datasets/{dataset.code}{path}", headers=_headers(outsider))
        assert answer.status_code == 404


def test_upload_a_version_and_a_malformed_one(world) -> None:
    officer, _outsider, dataset = world
    client = Client()
    url = f"/api/v1/datasets/{dataset.code}/versions"
    ok = client.post(
        url, {"file": SimpleUploadedFile("v2.csv", GOOD.encode())}, headers=_headers(officer)
    )
    assert ok.status_code == 201
    assert ok.json()["status"] == VersionStatus.CURRENT
    bad_csv = "so_dinh_danh,ho_ten,ngay_sinh,so_nhan_khau\n002,B,x,1\n"
    bad = client.post(
        url, {"file": SimpleUploadedFile("v3.csv", bad_csv.encode())}, headers=_headers(officer)
    )
    assert bad.status_code == 422
    assert bad.json()["errors"]["file"] == [
        "Row 2, column C (ngay_sinh): “x” is not a date (expected YYYY-MM-DD or DD/MM/YYYY)."
    ]
    assert dataset.versions.get(status=VersionStatus.CURRENT).number == 2


def test_a_read_token_cannot_upload(world) -> None:
    officer, _outsider, dataset = world
    answer = Client().post(
        f"/api/v1/datasets/{dataset.code}/versions",
        {"file": SimpleUploadedFile("v2.csv", GOOD.encode())},
        headers=_headers(officer, TokenScope.READ),
    )
    assert answer.status_code == 403
    assert dataset.versions.count() == 1


def test_errors_in_vietnamese(world) -> None:
    officer, _outsider, dataset = world
    headers = _headers(officer) | {"Accept-Language": "vi"}
    bad_csv = "so_dinh_danh,ho_ten,ngay_sinh,so_nhan_khau\n002,B,x,1\n"
    bad = Client().post(
        f"/api/v1/datasets/{dataset.code}/versions",
        {"file": SimpleUploadedFile("v3.csv", bad_csv.encode())},
        headers=headers,
    )
    assert bad.json()["errors"]["file"][0].startswith("Dòng 2, cột C (ngay_sinh):")
