"""A committee leader opens the program dashboard in a real browser, clicks a figure, sees its list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiendo.accounts.models import Role
from tiendo.orgs.models import UnitKind
from tiendo.programs.models import Task
from tiendo.programs.selectors import today
from tiendo.programs.services import group_create
from tiendo.programs.tests.factories import make_program, make_task, make_unit, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _seed() -> int:
    province = make_unit("Tỉnh Bình Minh", kind=UnitKind.PROVINCE)
    committee = make_unit("Ban Chỉ đạo chuyển đổi số tỉnh", parent=province)
    health = make_unit("Sở Y tế", parent=province)
    leader = make_user("chutich", unit=committee, role=Role.COMMITTEE_LEADER)
    program = make_program(
        owner=committee,
        actor=leader,
        code="ke-hoach",
        name="Kế hoạch chuyển đổi số",
        start_year=2024,
    )
    group = group_create(actor=leader, program=program, name="Chính quyền số", number="I")
    late = today() - dt.timedelta(days=5)
    for _n in range(3):
        make_task(program=program, lead_unit=health, actor=leader, group=group, deadline=late)
    done = make_task(program=program, lead_unit=health, actor=leader, group=group)
    Task.objects.filter(pk=done.pk).update(completed_on=today(), started_on=today())
    return program.pk


def test_leader_clicks_an_overdue_figure_and_sees_its_tasks(
    live_server, page: Page, sign_in, screenshot_dir: Path
) -> None:
    # Given a committee leader signed in, and a program with 3 overdue tasks of 4
    program_id = _seed()
    sign_in(page, live_server.url, "chutich")
    # When they open the dashboard from the navigation
    page.goto(f"{live_server.url}/dashboards/")
    page.get_by_role("link", name="Kế hoạch chuyển đổi số").click()
    expect(page.locator("h1")).to_have_text("Kế hoạch chuyển đổi số")
    overdue = page.locator("#groups-table tbody tr").first.locator('a.fig[data-bucket="overdue"]')
    expect(overdue).to_have_text("3")
    # The chart is drawn from the same numbers, by the library served from our own static files
    expect(page.locator("#chart-status svg")).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / f"dashboard-{program_id}.png"), full_page=True)
    # And they click the overdue figure
    overdue.click()
    # Then the list of exactly those tasks opens
    expect(page.locator("#figure-count")).to_have_text("3")
    expect(page.locator("#figure-tasks tbody tr")).to_have_count(3)
    expect(page.locator("h1")).to_contain_text("Overdue")
