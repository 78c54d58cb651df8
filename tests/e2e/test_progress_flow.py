"""A unit officer reports progress with evidence in a real browser, and sees the result."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiendo.accounts.models import Role
from tiendo.orgs.models import UnitKind
from tiendo.programs.models import ProgressUpdate, Task
from tiendo.programs.services import group_create
from tiendo.programs.tests.factories import make_program, make_task, make_unit, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _seed() -> Task:
    province = make_unit("Tỉnh Bình Minh", kind=UnitKind.PROVINCE)
    committee = make_unit("Ban Chỉ đạo chuyển đổi số tỉnh", parent=province)
    office = make_unit("Sở Thông tin và Truyền thông", parent=province)
    health = make_unit("Sở Y tế", parent=province)
    leader = make_user("thuongtruc", unit=office, role=Role.STANDING_OFFICE)
    officer = make_user("canbo.yte", unit=health)
    officer.full_name = "Nguyễn Thị Lan"
    officer.save(update_fields=["full_name"])
    program = make_program(
        owner=committee,
        standing_office=office,
        actor=leader,
        code="ke-hoach-cds",
        name="Kế hoạch chuyển đổi số tỉnh Bình Minh",
        decision_number="1982/QĐ-UBND",
        decision_date=dt.date(2022, 7, 29),
        start_year=2022,
        end_year=2025,
        vision_year=2030,
    )
    group = group_create(actor=leader, program=program, name="Chính quyền số", number="II")
    make_task(
        program=program,
        lead_unit=health,
        group=group,
        assignee=officer,
        actor=leader,
        title="Triển khai bệnh án điện tử",
        deadline=dt.date(2020, 6, 30),
        number="2.2",
    )
    return make_task(
        program=program,
        lead_unit=health,
        group=group,
        assignee=officer,
        actor=leader,
        title="Số hóa hồ sơ sức khỏe điện tử",
        number="2.1",
    )


def test_officer_reports_progress_with_a_file(
    live_server, page: Page, sign_in, tmp_path: Path, screenshot_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    # given an assigned task, not started, carried by a unit officer
    task = _seed()
    evidence = tmp_path / "Biên bản kiểm tra.pdf"
    evidence.write_bytes(PDF)
    # when the officer signs in through the form and opens the task from "My tasks"
    sign_in(page, live_server.url, "canbo.yte")
    expect(page.locator("h1")).to_have_text("My tasks")
    page.get_by_role("link", name="Số hóa hồ sơ sức khỏe điện tử").click()
    expect(page.locator("#task-status")).to_contain_text("Not started")
    # and submits a progress update with a file
    form = page.locator("#progress-form")
    form.get_by_label("Progress (%)").fill("60")
    form.get_by_label("Achieved quantity").fill("12")
    form.get_by_label("Results").fill("Đã số hóa 12 nghìn hồ sơ")
    form.locator("input[type=file]").set_input_files(str(evidence))
    form.get_by_role("button", name="Submit report").click()
    # then the timeline shows the update with its file, and the status has changed
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Đã số hóa 12 nghìn hồ sơ")
    expect(timeline.get_by_role("link", name="Biên bản kiểm tra.pdf")).to_be_visible()
    expect(page.locator("#task-status")).to_contain_text("In progress")
    expect(page.locator(".messages")).to_contain_text("Your progress report has been recorded.")
    page.screenshot(path=str(screenshot_dir / "en-task-after-report.png"), full_page=True)
    update = ProgressUpdate.objects.get(task=task)
    assert update.percent == 60
    assert update.evidence.get().original_name == "Biên bản kiểm tra.pdf"
    # and the evidence downloads as an attachment with its own name
    with page.expect_download() as download:
        timeline.get_by_role("link", name="Biên bản kiểm tra.pdf").click()
    assert download.value.suggested_filename == "Biên bản kiểm tra.pdf"


def test_refused_file_shows_an_error_and_records_nothing(
    live_server, page: Page, sign_in, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    task = _seed()
    bad = tmp_path / "report.pdf"
    bad.write_bytes(b"MZ" + b"\x00\x01" * 200)
    sign_in(page, live_server.url, "canbo.yte")
    page.goto(f"{live_server.url}{task.get_absolute_url()}")
    form = page.locator("#progress-form")
    form.get_by_label("Progress (%)").fill("30")
    form.locator("input[type=file]").set_input_files(str(bad))
    form.get_by_role("button", name="Submit report").click()
    expect(page.locator("#progress-form .errorlist")).to_contain_text(
        "report.pdf is not an accepted kind of file"
    )
    assert not ProgressUpdate.objects.exists()


def test_screenshots_of_the_main_pages_in_both_languages(  # type: ignore[no-untyped-def]
    live_server, browser, sign_in, screenshot_dir: Path, settings
) -> None:
    """Screenshots for a person to look at (TIENDO_SCREENSHOT_DIR keeps them)."""
    settings.TIENDO_DEMO = True
    task = _seed()
    program = task.program
    for language, locale in (("vi", "vi-VN"), ("en", "en-GB")):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.screenshot(path=str(screenshot_dir / f"{language}-login.png"), full_page=True)
        sign_in(page, live_server.url, "thuongtruc")
        pages = {
            "my-tasks": "/tasks/mine/",
            "tasks": "/tasks/",
            "task": task.get_absolute_url(),
            "programs": "/programs/",
            "program": program.get_absolute_url(),
            "task-form": f"/programs/{program.pk}/tasks/new/",
        }
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            if name == "task-form":
                # the completion time is read back as the user types
                page.locator("#id_deadline_text").fill("Quý II/2024")
                expect(page.locator(".preview.ok")).to_contain_text("30")
            page.screenshot(path=str(screenshot_dir / f"{language}-{name}.png"), full_page=True)
        context.close()
    assert len(list(screenshot_dir.glob("*.png"))) == 14


def test_task_list_filters_swap_the_results_in_place(live_server, page: Page, sign_in) -> None:  # type: ignore[no-untyped-def]
    # given a leader looking at the list of two tasks, one of them overdue
    _seed()
    sign_in(page, live_server.url, "thuongtruc")
    page.goto(f"{live_server.url}/tasks/")
    expect(page.locator("table.tasks tbody tr")).to_have_count(2)
    page.evaluate("window.__same_document = true")
    # when a status is chosen
    page.select_option("#id_status", "overdue")
    # then the results change without a page load, and the address keeps the filter
    expect(page.locator("table.tasks tbody tr")).to_have_count(1)
    expect(page.locator("table.tasks")).to_contain_text("Triển khai bệnh án điện tử")
    assert page.evaluate("window.__same_document") is True
    assert "status=overdue" in page.url
    # and choosing a program offers its task groups
    box = page.get_by_role("combobox", name="Program")
    box.fill("binh minh")
    box.locator("xpath=..").get_by_role("option", name=re.compile("Bình Minh")).click()
    expect(page.locator("#id_group option")).to_have_count(2)  # "—" and "II. Chính quyền số"
    page.select_option("#id_group", label="II. Chính quyền số")
    expect(page).to_have_url(re.compile(r"group=\d+"))  # swapped and pushed
    expect(page.locator("table.tasks tbody tr")).to_have_count(1)
    assert page.evaluate("window.__same_document") is True
