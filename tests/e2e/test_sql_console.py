"""A data steward in a real browser, in Vietnamese: opens the SQL console, queries the published
population table, pages through the rows, and is refused (with the reason, in Vietnamese) a
write and a query on another department's table that is not shared with the police."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiendo.accounts.models import Role
from tiendo.datacatalog.services import FieldInput, dataset_access_grant
from tiendo.datacatalog.services_warehouse import publication_create
from tiendo.datacatalog.tests.catalog_factories import make_dataset, upload, write_csv
from tiendo.orgs.models import UnitKind
from tiendo.programs.tests.factories import make_unit, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PEOPLE = 150  # more than one page of the console (100 rows)


@pytest.fixture
def patient(page_vi: Page) -> Iterator[Page]:
    page_vi.set_default_timeout(60_000)
    expect.set_options(timeout=30_000)
    yield page_vi
    expect.set_options(timeout=5_000)


def _published(actor, owner, code: str, name: str, header: str, rows: list[str], folder: Path):
    names = header.split(",")
    dataset = make_dataset(
        actor=actor,
        owner=owner,
        code=code,
        name=name,
        steward=actor,
        fields=[FieldInput(name=n) for n in names],
    )
    upload(actor, dataset, write_csv(folder / f"{code}.csv", "\n".join([header, *rows]) + "\n"))
    publication_create(actor=actor, dataset=dataset)
    return dataset


def _seed(folder: Path) -> None:
    """A province like the demo's: the police's population table, the land department's table
    shared with the police, and the health department's table shared with nobody."""
    province = make_unit("Tỉnh Bình Minh", kind=UnitKind.PROVINCE)
    police = make_unit("Công an tỉnh", parent=province)
    land = make_unit("Sở Tài nguyên và Môi trường", parent=province)
    health = make_unit("Sở Y tế", parent=province)
    steward = make_user("steward.dancu", unit=police, role=Role.UNIT_OFFICER)
    surveyor = make_user("steward.datdai", unit=land, role=Role.UNIT_OFFICER)
    doctor = make_user("steward.yte", unit=health, role=Role.UNIT_OFFICER)
    people = [f"0450900{i:05d},Người số {i},tp.tranphu" for i in range(1, PEOPLE + 1)]
    _published(steward, police, "dan-cu", "Dân cư", "so_dinh_danh,ho_ten,ma_xa", people, folder)
    parcels = [f"T{i:04d},tp.tranphu" for i in range(1, 21)]
    land_data = _published(surveyor, land, "dat-dai", "Đất đai", "ma_thua,ma_xa", parcels, folder)
    dataset_access_grant(actor=surveyor, dataset=land_data, unit=police)
    clinics = [f"YT{i:03d},Trạm y tế {i}" for i in range(1, 6)]
    _published(doctor, health, "co-so-y-te", "Cơ sở y tế", "ma_co_so,ten_co_so", clinics, folder)


def _run(page: Page, sql: str) -> None:
    page.fill("#id_sql", sql)
    page.locator("#console-form").get_by_role("button", name="Chạy").click()


def test_a_steward_queries_pages_and_is_refused_in_vietnamese(
    live_server, patient: Page, sign_in, settings, tmp_path: Path, screenshot_dir: Path
) -> None:
    settings.TIENDO_WAREHOUSE_DIR = tmp_path / "warehouse"
    _seed(tmp_path)
    page = patient
    sign_in(page, live_server.url, "steward.dancu")
    # The console lists the tables the police may query: their own and the one shared with them
    page.goto(f"{live_server.url}/data/warehouse/console/")
    expect(page.get_by_role("heading", name="Bảng điều khiển SQL")).to_be_visible()
    tables = page.locator("#console-tables tbody tr td:first-child")
    expect(tables).to_have_text(["dan_cu", "dat_dai"])
    # A SELECT on the published population table shows its first page of rows
    _run(page, "SELECT so_dinh_danh, ho_ten FROM dan_cu ORDER BY so_dinh_danh")
    expect(page.get_by_text("Dòng 1–100")).to_be_visible()
    result = page.locator("#console-result tbody tr")
    expect(result).to_have_count(100)
    expect(result.first).to_contain_text("045090000001")
    expect(page.get_by_role("columnheader", name="ho_ten")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "datacatalog-console.png"), full_page=True)
    # The next page holds the remaining rows, and there is no page after it
    page.get_by_role("button", name="Trang sau").click()
    expect(page.get_by_text("Dòng 101–150")).to_be_visible()
    expect(page.get_by_text("Trang 2")).to_be_visible()
    expect(result).to_have_count(PEOPLE - 100)
    expect(result.last).to_contain_text(f"0450900{PEOPLE:05d}")
    expect(page.get_by_role("button", name="Trang sau")).to_have_count(0)
    page.get_by_role("button", name="Trang trước").click()
    expect(page.get_by_text("Dòng 1–100")).to_be_visible()
    # A write is refused before it runs, with the reason in Vietnamese
    _run(page, "DELETE FROM dan_cu")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Chỉ cho phép truy vấn SELECT")
    expect(alert).to_contain_text("không cho phép DELETE")
    expect(page.locator("#console-result")).to_have_count(0)
    # Another department's table that is not shared with the police does not exist for them
    _run(page, "SELECT * FROM co_so_y_te")
    expect(alert).to_contain_text(
        "Không có bảng “co_so_y_te”. Các bảng bạn được truy vấn: dan_cu, dat_dai."
    )
    expect(page.get_by_text("YT001")).to_have_count(0)
    # and the population table is whole after the refused write
    _run(page, "SELECT count(*) AS so_dong FROM dan_cu")
    expect(page.locator("#console-result tbody td")).to_have_text(str(PEOPLE))
