"""Pages through the real HTTP path: access (404 outside the scope), workflow, downloads."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tiendo.programs.tests.factories import make_unit, make_user
from tiendo.reporting.models import ConsolidatedReport, ReportState, UnitReport

from .builders import make_world, open_q1

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_unit_writes_and_sends_its_report_and_the_office_returns_it() -> None:
    w = make_world()
    period = open_q1(w)
    report = UnitReport.objects.get(period=period, unit=w.dept_a)
    officer = client_for(w.officer_a)
    page = officer.get(reverse("reporting:report", args=[report.pk]))
    assert page.status_code == 200
    assert "Figures as of 2025-03-31" in page.content.decode()
    r = officer.post(
        reverse("reporting:report_save", args=[report.pk]),
        {"edit_version": report.edit_version, "results": "Done", "submit": "1"},
    )
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    office = client_for(w.office)
    r = office.post(
        reverse("reporting:report_review", args=[report.pk]),
        {"decision": "return", "comment": "More detail"},
    )
    assert r.status_code == 302
    assert (
        UnitReport.objects.get(period=period, unit=w.dept_a, version=2).state == ReportState.DRAFT
    )


def test_a_stale_form_is_refused_with_a_message_and_changes_nothing() -> None:
    w = make_world()
    period = open_q1(w)
    report = UnitReport.objects.get(period=period, unit=w.dept_a)
    officer = client_for(w.officer_a)
    url = reverse("reporting:report_save", args=[report.pk])
    officer.post(url, {"edit_version": report.edit_version, "results": "first"})
    r = officer.post(url, {"edit_version": report.edit_version, "results": "second"}, follow=True)
    assert "Someone else changed this report" in r.content.decode()
    report.refresh_from_db()
    assert report.results == "first"


def test_other_units_and_outsiders_get_404() -> None:
    w = make_world()
    period = open_q1(w)
    draft_b = UnitReport.objects.get(period=period, unit=w.dept_b)
    assert (
        client_for(w.officer_a).get(reverse("reporting:report", args=[draft_b.pk])).status_code
        == 404
    )
    outsider = client_for(make_user(unit=make_unit("Elsewhere"), role="committee_leader"))
    for url in (
        reverse("reporting:program", args=[w.program.pk]),
        reverse("reporting:period", args=[period.pk]),
        reverse("reporting:report", args=[draft_b.pk]),
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(reverse("reporting:consolidate", args=[period.pk])).status_code == 404


def test_discipline_counts_open_their_lists() -> None:
    w = make_world()
    period = open_q1(w)  # Q1 2025 is long past its due date: both units are missing
    page = client_for(w.office).get(reverse("reporting:period", args=[period.pk]))
    html = page.content.decode()
    assert re.search(r'href="\?status=missing">2</a>', html)
    listed = client_for(w.office).get(
        reverse("reporting:period", args=[period.pk]) + "?status=missing"
    )
    body = listed.content.decode()
    assert "Department A" in body
    assert "Department B" in body
    assert (
        client_for(w.office)
        .get(reverse("reporting:period", args=[period.pk]) + "?status=x")
        .status_code
        == 404
    )


@override_settings(TASKS=IMMEDIATE)
def test_consolidate_generate_and_download_only_with_access(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    w = make_world()
    period = open_q1(w)
    office = client_for(w.office)
    with django_capture_on_commit_callbacks(execute=True):  # the consolidation job runs
        r = office.post(reverse("reporting:consolidate", args=[period.pk]))
    assert r.status_code == 302
    c = ConsolidatedReport.objects.get(period=period)
    with django_capture_on_commit_callbacks(execute=True):
        r = office.post(reverse("reporting:files_request", args=[c.pk]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    status = office.get(reverse("reporting:files_status", args=[c.pk])).content.decode()
    assert ".docx" not in status  # links go to the checked view, never to the stored file
    assert "/pdf/" in status
    pdf = office.get(reverse("reporting:download", args=[c.pk, "pdf"]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    outsider = client_for(make_user(unit=make_unit("Elsewhere"), role="committee_leader"))
    assert outsider.get(reverse("reporting:download", args=[c.pk, "pdf"])).status_code == 404
    assert office.get(reverse("reporting:download", args=[c.pk, "exe"])).status_code == 404


def test_pages_speak_vietnamese() -> None:
    # Given the standing office reading in Vietnamese
    w = make_world()
    period = open_q1(w)
    office = client_for(w.office)
    office.cookies["django_language"] = "vi"
    # When the period and program pages are opened
    period_page = office.get(
        reverse("reporting:period", args=[period.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    )
    program_page = office.get(
        reverse("reporting:program", args=[w.program.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    )
    # Then the official terms are used, and the period is named as officials name it
    assert "Chấp hành chế độ báo cáo" in period_page.content.decode()
    assert "Quý I/2025" in period_page.content.decode()
    assert "Chế độ báo cáo mới" in program_page.content.decode()


def test_the_period_page_query_count_does_not_grow_with_units() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = make_world()
    period = open_q1(w)
    office = client_for(w.office)
    url = reverse("reporting:period", args=[period.pk])
    office.get(url)
    with CaptureQueriesContext(connection) as few:
        office.get(url)
    for n in range(5):
        w.schedule.units.add(make_unit(f"Extra {n}", parent=w.province))
    with CaptureQueriesContext(connection) as many:
        office.get(url)
    assert len(many) == len(few)
