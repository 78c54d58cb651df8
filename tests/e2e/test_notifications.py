"""A leader urges a task in a real browser; the assignee sees the notification, opens it, marks it read."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, expect

from tiendo.accounts.models import Role
from tiendo.orgs.models import UnitKind
from tiendo.programs.tests.factories import make_program, make_task, make_unit, make_user
from tiendo.reminders.models import Notification

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_urge_reaches_the_assignee_who_marks_it_read(
    browser: Browser, live_server, sign_in
) -> None:
    # Given a standing-office leader and an officer carrying an overdue task
    province = make_unit("Tỉnh Bình Minh", kind=UnitKind.PROVINCE)
    office = make_unit("Sở Thông tin và Truyền thông", parent=province)
    health = make_unit("Sở Y tế", parent=province)
    leader = make_user("thuongtruc", unit=office, role=Role.STANDING_OFFICE)
    officer = make_user("canbo.yte", unit=health, language="en")
    program = make_program(owner=province, standing_office=office, actor=leader)
    task = make_task(
        program=program,
        lead_unit=health,
        assignee=officer,
        actor=leader,
        title="Triển khai bệnh án điện tử",
        deadline=dt.date(2024, 6, 30),
    )

    # When the leader urges it from the task page
    leader_page = browser.new_page(locale="en-GB")
    sign_in(leader_page, live_server.url, "thuongtruc")
    leader_page.goto(f"{live_server.url}/tasks/{task.pk}/")
    leader_page.get_by_text("Urge", exact=True).first.click()
    leader_page.fill("#task-reminders textarea", "Please report this week.")
    leader_page.locator("#task-reminders button[type=submit]").click()
    expect(leader_page.locator("#task-reminders")).to_contain_text("urged")
    leader_page.close()

    # Then the officer sees one unread notification in the header, opens the centre, marks it read
    page = browser.new_page(locale="en-GB")
    sign_in(page, live_server.url, "canbo.yte")
    badge = page.locator("#notification-badge")
    expect(badge).to_contain_text("1")
    badge.locator("a").click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    expect(page.locator("main")).to_contain_text("Please report this week.")
    page.get_by_role("button", name="Mark read").click()
    expect(page.locator("main")).to_contain_text("Read")
    expect(badge.locator("strong")).to_have_count(0)
    page.close()
    assert Notification.objects.get(recipient=officer).read_at is not None
