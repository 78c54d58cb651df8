"""The standing office imports a plan in a real browser: from the program page, the blank
template filled in, a first upload with an error (row and column named, nothing written), the
corrected file previewed and confirmed, and the tasks on the program page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tiendo.accounts.models import Role
from tiendo.core.deadlines import DeadlineKind
from tiendo.orgs.models import UnitKind
from tiendo.programs.models import Program, Task, TaskGroup
from tiendo.programs.tests.factories import make_program, make_unit, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROWS = [
    (
        "1",
        "Cung cấp dịch vụ công trực tuyến toàn trình",
        "Sở Nội vụ",
        "Sở Thông tin và Truyền thông",
        "30/6/2024",
        "53 dịch vụ công trực tuyến",
    ),
    ("2", "Số hóa hồ sơ lưu trữ", "Sở Thông tin và Truyền thông", "", "Quý V/2024", "Kho dữ liệu"),
    ("3", "Tập huấn kỹ năng số cho cán bộ", "Sở Nội vụ", "", "Thường xuyên", "Báo cáo"),
]


@pytest.fixture
def patient(page: Page) -> Iterator[Page]:
    """The flow reads and plans a workbook on each step: on a shared, loaded machine one step
    can take longer than the suite's 10 s default, which is not what this test is about."""
    page.set_default_timeout(60_000)
    expect.set_options(timeout=30_000)
    yield page
    expect.set_options(timeout=5_000)  # Playwright's default


def _seed() -> Program:
    province = make_unit("Tỉnh Bình Minh", kind=UnitKind.PROVINCE)
    committee = make_unit(
        "Ban Chỉ đạo chuyển đổi số tỉnh", parent=province, kind=UnitKind.COMMITTEE
    )
    office = make_unit("Sở Thông tin và Truyền thông", parent=province)
    make_unit("Sở Nội vụ", parent=province)
    leader = make_user("vanphong.import", unit=office, role=Role.STANDING_OFFICE)
    return make_program(
        owner=committee,
        standing_office=office,
        actor=leader,
        code="ke-hoach-2024",
        name="Kế hoạch chuyển đổi số năm 2024",
    )


def _fill(template: Path, target: Path, rows: list[tuple[str, ...]]) -> Path:
    book = load_workbook(template)
    sheet = book.worksheets[0]
    sheet["A5"] = "I. Chính quyền số"  # the template's example group
    for row in rows:
        sheet.append(list(row))
    book.save(target)
    return target


def _upload_and_preview(page: Page, annex: Path) -> None:
    page.set_input_files("#id_file", str(annex))
    page.get_by_role("button", name="Upload and read").click()
    page.get_by_role("button", name="Confirm columns and preview").click()
    expect(page.locator("#rows-title")).to_have_text("Rows as they will be imported")


def test_office_imports_a_plan_from_the_template(
    live_server, patient: Page, sign_in, tmp_path: Path, screenshot_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    page = patient
    # given a program, and its standing office signed in on the program page
    program = _seed()
    sign_in(page, live_server.url, "vanphong.import")
    page.goto(f"{live_server.url}{program.get_absolute_url()}")
    # when they follow the import link and download the blank template
    page.get_by_role("link", name="Import from an annex").click()
    expect(page.locator("h1")).to_have_text("Import a plan")
    with page.expect_download() as download:
        page.get_by_role("link", name="Blank template (XLSX)").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    headers = [c.value for c in load_workbook(template).worksheets[0][3]]
    assert headers[:6] == [
        "No.",
        "Task",
        "Lead agency",
        "Coordinating agencies",
        "Completion time",
        "Expected product",
    ]
    # and upload it filled in, with a quarter that does not exist in row 7
    _upload_and_preview(page, _fill(template, tmp_path / "ke-hoach.xlsx", ROWS))
    # then the error names the row and the column, nothing can be confirmed, nothing is written
    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("1 error to correct in the file")
    expect(errors).to_contain_text(
        re.compile(r"Row 7, column E \(Completion time\): “Quý V/2024” is not a completion time")
    )
    expect(page.get_by_role("button", name="Confirm and import")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "import-error.png"), full_page=True)
    assert Task.objects.count() == 0
    assert TaskGroup.objects.count() == 0
    # when the file is corrected and uploaded again
    page.get_by_role("link", name="Correct the file and upload it again").click()
    fixed = [ROWS[0], (*ROWS[1][:4], "Quý IV/2024", ROWS[1][5]), ROWS[2]]
    _upload_and_preview(page, _fill(template, tmp_path / "ke-hoach-sua.xlsx", fixed))
    # then the preview shows every row as it will be created
    expect(page.get_by_text("3 tasks will be created")).to_be_visible()
    rows = page.locator("#rows-title + .table-wrap tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("Số hóa hồ sơ lưu trữ")
    assert Task.objects.count() == 0
    # when confirmed
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", name="The plan is imported")).to_be_visible()
    expect(page.get_by_text("3 tasks created")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "import-done.png"), full_page=True)
    # then the tasks appear on the program page, in their group
    page.get_by_role("link", name="Open the program").click()
    expect(page.locator("h1")).to_have_text(program.name)
    expect(page.get_by_role("link", name="3 tasks")).to_be_visible()
    expect(page.get_by_role("link", name="I. Chính quyền số")).to_be_visible()
    page.get_by_role("link", name="3 tasks").click()
    expect(page.get_by_text("Số hóa hồ sơ lưu trữ")).to_be_visible()
    # and they are stored as drafts with the corrected completion time
    tasks = {t.number: t for t in Task.objects.filter(program=program)}
    assert sorted(tasks) == ["1", "2", "3"]
    assert (tasks["2"].deadline_kind, tasks["2"].deadline) == (
        DeadlineKind.QUARTER,
        dt.date(2024, 12, 31),
    )
    assert all(t.is_draft for t in tasks.values())
