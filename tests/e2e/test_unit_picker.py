"""The task list's unit filter in a real browser: search a unit, pick it, see the list filtered.

The same filter without JavaScript, and the picker in a right-to-left page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tiendo.accounts.models import Role
from tiendo.orgs.models import Unit, UnitKind
from tiendo.programs.tests.factories import make_program, make_task, make_unit, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _seed() -> Unit:
    """A province with two departments and a district centre below health; one task each."""
    province = make_unit("Tỉnh Bình Minh", kind=UnitKind.PROVINCE)
    office = make_unit("Sở Thông tin và Truyền thông", parent=province)
    health = make_unit("Sở Y tế", parent=province)
    centre = make_unit("Trung tâm Y tế huyện Đông Hà", parent=health)
    transport = make_unit("Sở Giao thông vận tải", parent=province)
    for i in range(30):  # enough units for "more match" when searching "so"
        make_unit(f"Sở ngành {i}", parent=province)
    leader = make_user("thuongtruc", unit=office, role=Role.STANDING_OFFICE)
    program = make_program(owner=province, standing_office=office, actor=leader, name="Kế hoạch")
    make_task(program=program, lead_unit=centre, actor=leader, title="Bệnh án điện tử huyện")
    make_task(program=program, lead_unit=transport, actor=leader, title="Vé xe điện tử")
    make_task(program=program, lead_unit=office, actor=leader, title="Cổng dữ liệu mở")
    return centre


def test_search_pick_and_filter_the_task_list(
    live_server, page: Page, sign_in, screenshot_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    centre = _seed()
    sign_in(page, live_server.url, "thuongtruc")
    page.goto(f"{live_server.url}/tasks/")
    rows = page.locator("table.tasks tbody tr")
    expect(rows).to_have_count(3)
    # the filter is a labelled combobox, not a <select> of every unit
    box = page.get_by_role("combobox", name="Lead unit (and below)")
    expect(box).to_have_attribute("aria-expanded", "false")
    assert page.locator("select[name=unit]").count() == 0
    # when the user types without accents
    box.fill("dong ha")
    listbox = page.locator("#id_unit_listbox")
    expect(listbox).to_have_attribute("role", "listbox")
    option = listbox.get_by_role("option", name=re.compile("Trung tâm Y tế huyện Đông Hà"))
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(option).to_contain_text("Sở Y tế · Tỉnh Bình Minh")  # where it sits
    # and picks it with the keyboard
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id") or "")
    box.press("Enter")
    # then the choice is shown by name and the list closes
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("")
    chosen = page.locator("#id_unit_chosen")
    expect(chosen).to_contain_text("Trung tâm Y tế huyện Đông Hà")
    # and, submitted, the list holds only the tasks of that unit, the address names it by id
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Bệnh án điện tử huyện")
    expect(page).to_have_url(re.compile(rf"[?&]unit={centre.pk}(&|$)"))
    assert "unit_search" not in page.url
    page.screenshot(path=str(screenshot_dir / "en-unit-picker-chosen.png"), full_page=True)
    # a link to that address (a dashboard's, a bookmark) opens with the unit shown by name
    page.goto(f"{live_server.url}/tasks/?unit={centre.pk}")
    expect(page.locator("#id_unit_chosen")).to_contain_text("Trung tâm Y tế huyện Đông Hà")
    expect(rows).to_have_count(1)
    # removing the choice lists every task again
    page.get_by_role("button", name=re.compile("^Remove")).click()
    expect(rows).to_have_count(3)
    expect(page.locator("#id_unit_chosen")).to_contain_text("Any unit")


def test_a_broad_search_says_to_type_more_and_the_mouse_picks_too(
    live_server, page: Page, sign_in, screenshot_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    _seed()
    sign_in(page, live_server.url, "thuongtruc")
    page.goto(f"{live_server.url}/tasks/")
    box = page.get_by_role("combobox", name="Lead unit (and below)")
    box.fill("so")
    options = page.locator("#id_unit_listbox").get_by_role("option")
    expect(options).to_have_count(20)
    expect(page.locator("[data-name=unit] .picker-more")).to_contain_text(
        "type more to narrow the search"
    )
    page.screenshot(path=str(screenshot_dir / "en-unit-picker-open.png"), full_page=True)
    # Escape closes the list; typing more narrows it; a click picks
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.fill("so giao thong")
    expect(options).to_have_count(1)
    options.first.click()
    expect(page.locator("table.tasks tbody tr")).to_have_count(1)  # the change filters at once
    expect(page.locator("table.tasks")).to_contain_text("Vé xe điện tử")


def test_without_javascript_the_search_is_sent_with_the_form(
    live_server, browser: Browser, sign_in, screenshot_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    centre = _seed()
    context = browser.new_context(
        locale="vi-VN", java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    sign_in(page, live_server.url, "thuongtruc")
    page.goto(f"{live_server.url}/tasks/")
    # a search that finds one unit filters by it
    box = page.get_by_role("combobox", name="Cơ quan chủ trì (kể cả đơn vị trực thuộc)")
    box.fill("so giao")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("table.tasks tbody tr")).to_have_count(1)
    expect(page.locator("table.tasks")).to_contain_text("Vé xe điện tử")
    expect(page.locator("#id_unit_chosen")).to_contain_text("Sở Giao thông vận tải")
    # a search that finds several lists them as choices; choosing one and filtering applies it
    box.fill("y te")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#id_unit_errors")).to_contain_text("Có nhiều đơn vị khớp với “y te”")
    page.screenshot(path=str(screenshot_dir / "vi-unit-picker-no-js.png"), full_page=True)
    page.get_by_role("radio", name=re.compile("^Sở Y tế")).check()
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("table.tasks tbody tr")).to_have_count(1)
    expect(page.locator("table.tasks")).to_contain_text("Bệnh án điện tử huyện")
    expect(page.locator("#id_unit_chosen")).to_contain_text("Sở Y tế")
    assert f"unit={centre.parent_id}" in page.url
    context.close()


def test_the_picker_in_a_right_to_left_page(
    live_server, browser: Browser, sign_in, screenshot_dir: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    # given the interface in Arabic (right to left; its texts are not translated)
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "Arabic")]
    _seed()
    context = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, "thuongtruc")
    page.goto(f"{live_server.url}/tasks/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    box = page.locator("#id_unit")
    box.fill("y te")
    popup = page.locator("[data-name=unit] .picker-popup")
    expect(page.locator("#id_unit_listbox").get_by_role("option").first).to_be_visible()
    # then the list opens under the box, aligned on its right edge (where RTL text starts)
    field, listed = box.bounding_box(), popup.bounding_box()
    assert field is not None
    assert listed is not None
    assert abs((field["x"] + field["width"]) - (listed["x"] + listed["width"])) <= 2
    assert listed["y"] >= field["y"] + field["height"]
    page.screenshot(path=str(screenshot_dir / "ar-unit-picker-open.png"), full_page=True)
    box.press("ArrowDown")
    box.press("Enter")
    expect(page.locator("#id_unit_chosen")).to_contain_text("Sở Y tế")
    context.close()
