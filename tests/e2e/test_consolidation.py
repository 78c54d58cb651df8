"""The standing office consolidates a period in a real browser: the job is queued, the page shows
it in progress and then the figures (HTMX polling), the files are generated and downloaded."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tiendo.reporting.models import ConsolidatedReport, ConsolidationRun, RunState
from tiendo.reporting.tasks import consolidate_period, generate_report_files
from tiendo.reporting.tests.builders import make_world, open_q1

T = 60_000  # ms; see the note on timeouts below
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_consolidate_in_progress_done_download(browser: Browser, live_server, sign_in) -> None:
    # Given the first quarter of 2025, ended, with its unit reports
    w = make_world()
    period = open_q1(w)
    page = browser.new_page(locale="en-GB")
    # Generous: the machine running the suite is shared (a navigation took over 30 s under load).
    page.set_default_navigation_timeout(120_000)
    page.set_default_timeout(60_000)
    sign_in(page, live_server.url, "office")
    page.goto(f"{live_server.url}/reports/periods/{period.pk}/")
    block = page.locator("#consolidation")

    # When the office consolidates: the job is queued and the block says so
    block.locator("input[name=number]").fill("15/BC-STTTT")
    block.get_by_role("button", name="Consolidate").click()
    expect(block).to_contain_text("Consolidation queued", timeout=T)
    run = ConsolidationRun.objects.get(period=period)
    assert run.state == RunState.QUEUED

    # Then, once a worker has run the job, the page shows the figures by itself
    assert consolidate_period.call(run.pk) == RunState.DONE
    expect(block).to_contain_text("15/BC-STTTT", timeout=T)
    expect(block).to_contain_text("Completed / assigned", timeout=T)
    report = ConsolidatedReport.objects.get(period=period)
    expect(block).to_contain_text(report.snapshot["headline"]["ratio"], timeout=T)

    # And the files are generated in the background, then downloaded
    block.get_by_role("button", name="Generate DOCX, XLSX and PDF").click()
    expect(block).to_contain_text("Generating the files", timeout=T)
    generate_report_files.call(report.pk)
    xlsx = block.get_by_role("link", name="XLSX")
    expect(xlsx).to_be_visible(timeout=T)
    with page.expect_download() as download:
        xlsx.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.close()
