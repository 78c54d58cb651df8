"""A data steward in a real browser: finds the dataset in the catalogue, uploads a file with an
error (row and column named, current data kept), uploads the corrected file, and sees the new
version with its record count and its quality, then opens the failing rows behind a figure."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiendo.accounts.models import Role
from tiendo.datacatalog.models import VersionStatus
from tiendo.datacatalog.services import FieldInput, dataset_update
from tiendo.datacatalog.tests.catalog_factories import make_dataset
from tiendo.orgs.models import UnitKind
from tiendo.programs.tests.factories import make_unit, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BAD = "so_dinh_danh,ho_ten,ngay_sinh\n001090000001,Nguyễn Văn An,30/02/1990\n"
GOOD = (
    "so_dinh_danh,ho_ten,ngay_sinh\n"
    "001090000001,Nguyễn Văn An,28/02/1990\n"
    "00109000002,Trần Thị Bình,1985-03-02\n"
)


@pytest.fixture
def patient(page: Page) -> Iterator[Page]:
    page.set_default_timeout(60_000)
    expect.set_options(timeout=30_000)
    yield page
    expect.set_options(timeout=5_000)


def _seed():
    province = make_unit("Tỉnh Bình Minh", kind=UnitKind.PROVINCE)
    police = make_unit("Công an tỉnh", parent=province)
    steward = make_user("steward.dancu", unit=police, role=Role.UNIT_OFFICER)
    dataset = make_dataset(
        actor=steward,
        owner=police,
        code="dan-cu",
        name="Cơ sở dữ liệu dân cư",
        description="Công dân cư trú trên địa bàn tỉnh",
        steward=steward,
        update_frequency="monthly",
        fields=[
            FieldInput(name="so_dinh_danh", required=True),
            FieldInput(name="ho_ten", required=True),
            FieldInput(name="ngay_sinh", type="date"),
        ],
    )
    dataset_update(
        actor=steward,
        dataset=dataset,
        version=None,
        rules_yaml="fields:\n  so_dinh_danh: {pattern: '^\\d{12}$'}\n",
    )
    return dataset


def test_upload_then_see_the_version_and_its_quality(
    live_server, patient: Page, sign_in, tmp_path: Path, screenshot_dir: Path
) -> None:
    page = patient
    dataset = _seed()
    sign_in(page, live_server.url, "steward.dancu")
    # The steward finds the dataset by a field name in the catalogue
    page.goto(f"{live_server.url}/data/")
    page.fill("#id_q", "so_dinh_danh")
    page.click("form[role=search] button[type=submit]")
    page.get_by_role("link", name="Cơ sở dữ liệu dân cư").click()
    expect(page.get_by_role("heading", name="Cơ sở dữ liệu dân cư")).to_be_visible()
    # A file with an impossible date is refused with its row and column
    bad = tmp_path / "dan_cu_loi.csv"
    bad.write_text(BAD, encoding="utf-8")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="Upload a new version").click()
    expect(page.get_by_text("Row 2, column C (ngay_sinh)")).to_be_visible()
    assert not dataset.versions.filter(status=VersionStatus.CURRENT).exists()
    # The corrected file becomes the current version, with its records and quality
    good = tmp_path / "dan_cu.csv"
    good.write_text(GOOD, encoding="utf-8")
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="Upload a new version").click()
    expect(page.get_by_text("Version 2 is in: 2 rows.")).to_be_visible()
    expect(page.locator("#version-2")).to_contain_text("Current")
    expect(page.locator("#quality-accurate")).to_contain_text(
        "83.33"
    )  # mean of its rules: 50, 100, 100
    page.screenshot(path=str(screenshot_dir / "datacatalog-dataset.png"), full_page=True)
    # The figure opens the exact failing row
    page.locator('#quality-accurate [title="accurate.pattern.so_dinh_danh"] a').click()
    expect(page.get_by_role("cell", name="00109000002")).to_be_visible()
