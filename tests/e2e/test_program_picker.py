"""The task list's program filter in a real browser: search a program, pick it, see the list
filtered and the task groups of that program offered."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiendo.accounts.models import Role
from tiendo.orgs.models import UnitKind
from tiendo.programs.models import Program
from tiendo.programs.services import group_create
from tiendo.programs.tests.factories import make_program, make_task, make_unit, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _seed() -> Program:
    """A province's plan with a group and a task, the national scheme with a task led in the
    province, and another province's plan nobody here may see."""
    ministry = make_unit("Bộ Công an", kind=UnitKind.MINISTRY)
    province = make_unit("Tỉnh Bình Minh", kind=UnitKind.PROVINCE)
    office = make_unit("Sở Thông tin và Truyền thông", parent=province)
    other = make_unit("Tỉnh Trường Sơn", kind=UnitKind.PROVINCE)
    leader = make_user("lanhdao", unit=province, role=Role.COMMITTEE_LEADER)
    plan = make_program(
        owner=province, standing_office=office, code="KH-CDS", name="Kế hoạch chuyển đổi số"
    )
    group = group_create(actor=leader, program=plan, name="Chính quyền số", number="II")
    make_task(program=plan, lead_unit=office, group=group, title="Cổng dữ liệu mở")
    scheme = make_program(owner=ministry, code="DA06", name="Đề án 06 dữ liệu dân cư")
    make_task(program=scheme, lead_unit=office, title="Xác thực định danh điện tử")
    hidden = make_program(owner=other, code="KH-TS", name="Kế hoạch chuyển đổi số Trường Sơn")
    make_task(program=hidden, lead_unit=other, title="Không thấy")
    return scheme


def test_search_pick_a_program_and_filter_the_task_list(
    live_server, page: Page, sign_in, screenshot_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    scheme = _seed()
    sign_in(page, live_server.url, "lanhdao")
    page.goto(f"{live_server.url}/tasks/")
    rows = page.locator("table.tasks tbody tr")
    expect(rows).to_have_count(2)
    # the filter is a labelled combobox, not a <select> of every program
    box = page.get_by_role("combobox", name="Program")
    assert page.locator("select[name=program]").count() == 0
    expect(page.locator("#id_program_chosen")).to_contain_text("Any program")
    # typing without accents lists the programs this leader sees, never another province's
    box.fill("chuyen doi so")
    options = page.locator("#id_program_listbox").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Kế hoạch chuyển đổi số")
    expect(options.first).to_contain_text("Tỉnh Bình Minh · KH-CDS")  # its owner and code
    # picking one filters the list at once and offers that program's groups
    box.press("ArrowDown")
    box.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Cổng dữ liệu mở")
    expect(page.locator("#id_group")).to_contain_text("II. Chính quyền số")
    page.screenshot(path=str(screenshot_dir / "en-program-picker-chosen.png"), full_page=True)
    # the other program, by its code, with the mouse
    box.fill("da06")
    expect(options).to_have_count(1)
    options.first.click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Xác thực định danh điện tử")
    expect(page).to_have_url(re.compile(rf"[?&]program={scheme.pk}(&|$)"))
    expect(page.locator("#id_program_chosen")).to_contain_text("Đề án 06 dữ liệu dân cư")
    # removing the choice lists every task again
    page.locator("[data-name=program]").get_by_role("button", name=re.compile("^Remove")).click()
    expect(rows).to_have_count(2)
    expect(page.locator("#id_program_chosen")).to_contain_text("Any program")
