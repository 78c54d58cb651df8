"""The index cycle in a real browser: self-assessment with evidence, verification with an
adjustment, publication, and the ranking and explanation that show the result."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiendo.indexing import services
from tiendo.indexing.models import AssessmentState, IndicatorValue, PeriodState, Result, ValueKind
from tiendo.indexing.tests.builders import make_cycle, self_assess

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_self_assess_verify_publish_and_explain(  # type: ignore[no-untyped-def]
    live_server, page: Page, sign_in, screenshot_dir: Path, tmp_path: Path
) -> None:
    # given a period of the small index (P1 yes/no 20 points, P2 ratio 30, Q1 automatic 50) for
    # three provinces; B and C are already verified: B 20 + 15 = 35, C 0 + 27 = 27
    cycle = make_cycle(3)
    for i, (p1, p2) in ((1, (1, 50)), (2, (0, 90))):
        a = self_assess(cycle, i, p1, p2)
        services.assessment_verify(assessment=a, actor=cycle.reviewer, version=a.version)
    assessment = cycle.assessment(0)
    url = f"{live_server.url}/index/assessments/{assessment.pk}/"
    evidence = tmp_path / "quyet-dinh-ke-hoach-cds.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% Quyet dinh ban hanh ke hoach chuyen doi so\n")

    # when province A's leader opens the self-assessment and submits too early
    sign_in(page, live_server.url, cycle.leaders[0].username)
    page.goto(url)
    page.get_by_role("button", name="Submit for verification").click()
    # then the page says which indicators are missing, and nothing changed
    expect(page.locator(".messages")).to_contain_text("missing: P1, P2")

    # when the leader enters P1 = yes with a file and P2 = 80 % with a note, and submits
    row = page.locator('[id="node-P1"]')
    row.get_by_label("Value").fill("1")
    row.get_by_label("Evidence", exact=True).fill("Decision 12/QĐ-UBND")
    row.get_by_label("Evidence file").set_input_files(str(evidence))
    row.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Saved.")
    row = page.locator('[id="node-P2"]')
    row.get_by_label("Value").fill("80")
    row.get_by_label("Evidence", exact=True).fill("Portal statistics, December")
    row.get_by_role("button", name="Save").click()
    # (the note shows in the row once the page has come back from the save)
    expect(page.locator('[id="node-P2"]')).to_contain_text("Portal statistics, December")
    expect(page.locator('[id="node-P1"]')).to_contain_text("Evidence file")
    page.get_by_role("button", name="Submit for verification").click()
    expect(page.locator("main p strong").first).to_have_text("Submitted for verification")

    # when the reviewer lowers P2 to 60 % with a reason, and verifies
    page.context.clear_cookies()
    sign_in(page, live_server.url, cycle.reviewer.username)
    page.goto(url)
    row = page.locator('[id="node-P2"]')
    row.get_by_label("Adjusted value").fill("60")
    row.get_by_label("Reason").fill("The portal's December report shows 60 %")
    row.get_by_role("button", name="Adjust").click()
    expect(page.locator('[id="node-P2"]')).to_contain_text("The portal's December report")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("main p strong").first).to_have_text("Verified")

    # and the committee chair approves and publishes the results
    page.context.clear_cookies()
    sign_in(page, live_server.url, cycle.chair.username)
    page.goto(f"{live_server.url}/index/periods/{cycle.period.pk}/")
    page.get_by_role("button", name="Approve the results").click()
    page.get_by_role("button", name="Publish the results").click()
    expect(page.locator("main p strong").first).to_have_text("Published")

    # then the published ranking puts A first with 20 + 18 = 38, B 35, C 27, with the tie rule
    page.get_by_role("link", name="Results").click()
    expect(page.get_by_text("Published results.")).to_be_visible()
    rows = page.locator(".table-wrap tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Province A")
    expect(rows.nth(0)).to_contain_text("38.00")
    expect(rows.nth(1)).to_contain_text("35.00")
    expect(rows.nth(2)).to_contain_text("27.00")
    page.screenshot(path=str(screenshot_dir / "index-results.png"), full_page=True)

    # and the explanation of A's P2 shows the input, the method and both entries with the reason
    page.get_by_role("link", name="Province A").click()
    page.get_by_role("link", name="18.00").click()
    expect(page.locator("h1")).to_contain_text("P2")
    expect(page.locator("dl")).to_contain_text("18.0000")
    expect(page.locator("dl")).to_contain_text("60")
    history = page.locator("table").last
    expect(history).to_contain_text("The portal's December report shows 60 %")
    expect(history).to_contain_text("Portal statistics, December")
    page.screenshot(path=str(screenshot_dir / "index-explain.png"), full_page=True)

    # and the database agrees: adjusted value with its author, frozen result
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.VERIFIED
    adjustment = IndicatorValue.objects.get(assessment=assessment, kind=ValueKind.ADJUSTMENT)
    assert (adjustment.value, adjustment.entered_by) == (60, cycle.reviewer)
    assert IndicatorValue.objects.get(assessment=assessment, node__code="P1").evidence_file
    cycle.period.refresh_from_db()
    assert cycle.period.state == PeriodState.PUBLISHED
    total = Result.objects.get(period=cycle.period, unit=cycle.provinces[0], node__code="T")
    assert (total.score, total.rank) == (38, 1)
