"""An appraiser takes an investment project through two appraisal steps in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiendo.appraisals.models import AppraisalStep
from tiendo.appraisals.services import appraisal_submit
from tiendo.appraisals.tests.world import MONDAY, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_appraiser_passes_two_steps(live_server, page: Page, sign_in, screenshot_dir: Path) -> None:  # type: ignore[no-untyped-def]
    # given a project whose dossier was submitted on Monday 4 March 2024
    w = build_world()
    appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    # when the appraiser signs in and opens the project from the appraisal board
    sign_in(page, live_server.url, w.reviewer.username)
    page.goto(f"{live_server.url}/appraisals/?program={w.program.pk}")
    page.get_by_role("link", name=w.project.title).click()
    expect(page.locator("#current-title")).to_contain_text("Waiting at step 1")
    # and passes step 1 on 5 March, then step 2 on 8 March
    form = page.locator("#pass-form")
    form.get_by_label("Date").fill("2024-03-05")
    form.get_by_role("button", name="Pass this step").click()
    expect(page.locator("#current-title")).to_contain_text("Waiting at step 2")
    form = page.locator("#pass-form")
    form.get_by_label("Date").fill("2024-03-08")
    form.get_by_label("Note").fill("Hồ sơ đầy đủ, hợp lệ.")
    form.get_by_role("button", name="Pass this step").click()
    # then the project waits at step 3, and both passed steps are listed with their dates
    expect(page.locator("#current-title")).to_contain_text("Waiting at step 3")
    steps = page.locator("#appraisal-steps tbody tr")
    expect(steps).to_have_count(3)
    expect(steps.nth(1)).to_contain_text("Hồ sơ đầy đủ, hợp lệ.")
    page.screenshot(path=str(screenshot_dir / "appraisal-two-steps.png"), full_page=True)
    assert list(
        AppraisalStep.objects.filter(appraisal__task=w.project).values_list("position", "outcome")
    ) == [(1, "passed"), (2, "passed"), (3, "")]
