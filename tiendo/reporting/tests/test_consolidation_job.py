"""Consolidation as a background job: queued once, run by the real worker function, failures
recorded and retried, the frozen semantics kept (same hash returns the report; a different
result fails the run with the conflict)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from tiendo.accounts.models import Membership, Role
from tiendo.reporting.models import (
    ConsolidatedReport,
    ConsolidationRun,
    ReportState,
    RunState,
    UnitReport,
)
from tiendo.reporting.services import (
    consolidation_execute,
    consolidation_request,
    period_open,
    report_submit,
    report_update,
)
from tiendo.reporting.tasks import consolidate_period

from .builders import make_world, open_q1

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _send(w, period, unit, officer):  # type: ignore[no-untyped-def]
    draft = UnitReport.objects.get(period=period, unit=unit, state=ReportState.DRAFT)
    draft = report_update(actor=officer, report=draft, edit_version=None, results="Done")
    report_submit(actor=officer, report=draft)


def test_two_clicks_one_job_then_in_progress_then_the_result(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    w = make_world()
    period = open_q1(w)
    office = client_for(w.office)
    url = reverse("reporting:consolidate", args=[period.pk])
    # When the office clicks "Consolidate" twice (the job not yet picked up by a worker)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = office.post(url, {"number": "12/BC-STTTT"}, HTTP_HX_REQUEST="true")
        office.post(url, {"number": "12/BC-STTTT"}, HTTP_HX_REQUEST="true")
    # Then one run is queued (one job enqueued), and the block polls its progress
    run = ConsolidationRun.objects.get()
    assert sum("consolidation_request" in f.__qualname__ for f in queued) == 1
    assert run.state == RunState.QUEUED
    body = first.content.decode()
    assert "Consolidation queued" in body
    status_url = reverse("reporting:consolidation_status", args=[period.pk])
    assert f'hx-get="{status_url}"' in body
    assert not ConsolidatedReport.objects.exists()
    # When the worker runs the job (the real task function, as db_worker calls it)
    assert consolidate_period.call(run.pk) == RunState.DONE
    # Then the status block shows the figures and stops polling
    done = office.get(status_url).content.decode()
    report = ConsolidatedReport.objects.get(period=period)
    assert report.number == "12/BC-STTTT"
    assert report.snapshot["headline"]["ratio"] in done
    assert "hx-get" not in done.split("report-files")[0]
    run.refresh_from_db()
    assert (run.state, run.consolidated_id) == (RunState.DONE, report.pk)
    # A job delivered twice does nothing the second time
    assert consolidation_execute(run_id=run.pk).state == RunState.DONE
    assert ConsolidatedReport.objects.count() == 1


@override_settings(TASKS=IMMEDIATE)
def test_same_figures_again_return_the_stored_report_different_ones_fail_with_conflict(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    w = make_world()
    period = open_q1(w)
    with django_capture_on_commit_callbacks(execute=True):
        consolidation_request(actor=w.office, period=period)
    report = ConsolidatedReport.objects.get(period=period)
    # Consolidating again with nothing changed: done, the same report and hash
    with django_capture_on_commit_callbacks(execute=True):
        again = consolidation_request(actor=w.office, period=period)
    again.refresh_from_db()
    assert (again.state, again.consolidated_id) == (RunState.DONE, report.pk)
    # A report sent since changes the figures: the run fails with the conflict, the stored
    # report stands, and the page says so
    _send(w, period, w.dept_b, w.officer_b)
    with django_capture_on_commit_callbacks(execute=True):
        third = consolidation_request(actor=w.office, period=period)
    third.refresh_from_db()
    assert (third.state, third.error_code) == (RunState.FAILED, "conflict")
    assert ConsolidatedReport.objects.get(period=period).snapshot_hash == report.snapshot_hash
    page = client_for(w.office).get(reverse("reporting:period", args=[period.pk]))
    assert "the stored report stands" in page.content.decode()


def test_a_failed_run_is_recorded_shown_and_retried(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    w = make_world()
    period = open_q1(w)
    with django_capture_on_commit_callbacks(execute=False):
        run = consolidation_request(actor=w.office, period=period)
    # The requester loses their role before the worker picks the job up: the run fails
    membership = Membership.objects.get(user=w.office, role=Role.STANDING_OFFICE)
    membership.delete()
    assert consolidation_execute(run_id=run.pk).state == RunState.FAILED
    run.refresh_from_db()
    assert run.error_code == "refused"
    assert run.error
    # The page of another manager shows the failure and a retry button
    chair = Membership.objects.create(user=w.admin, unit=w.province, role=Role.STANDING_OFFICE).user
    page = client_for(chair).get(reverse("reporting:period", args=[period.pk])).content.decode()
    assert "The consolidation failed:" in page
    assert "Try again" in page
    # The retry is a new run, which succeeds
    with django_capture_on_commit_callbacks(execute=False):
        retry = consolidation_request(actor=chair, period=period)
    assert retry.pk != run.pk
    assert consolidation_execute(run_id=retry.pk).state == RunState.DONE
    assert ConsolidatedReport.objects.filter(period=period).exists()


def test_a_period_not_ended_or_an_outsider_is_refused_at_once() -> None:
    import datetime as dt

    w = make_world()
    current = period_open(actor=w.office, schedule=w.schedule, day=dt.date.today())
    with pytest.raises(ValidationError):
        consolidation_request(actor=w.office, period=current)
    r = client_for(w.office).post(
        reverse("reporting:consolidate", args=[current.pk]), HTTP_HX_REQUEST="true"
    )
    assert "has not ended yet" in r.content.decode()
    assert not ConsolidationRun.objects.exists()
    period = open_q1(w)
    r = client_for(w.officer_a).post(reverse("reporting:consolidate", args=[period.pk]))
    assert r.status_code in (302, 403)
    assert not ConsolidationRun.objects.exists()


def test_background_consolidation_and_reminders_over_the_api(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from tiendo.api.tests.helpers import Api
    from tiendo.reminders.models import Notification

    w = make_world()
    period = open_q1(w)
    office, officer = Api(w.office), Api(w.officer_a)
    url = f"/report-periods/{period.pk}/consolidation"
    assert office.call("get", url).json()["state"] == ""
    with django_capture_on_commit_callbacks(execute=False):
        first = office.call("post", url, {"number": "7/BC"})
        second = office.call("post", url, {})
    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json()["run"] == second.json()["run"]
    assert first.json()["state"] == RunState.QUEUED
    consolidate_period.call(first.json()["run"])
    done = office.call("get", url).json()
    assert done["state"] == RunState.DONE
    assert done["consolidated"] == ConsolidatedReport.objects.get(period=period).pk
    assert officer.call("post", url, {}).status_code == 403
    # Reminders to units that have not reported
    r = office.call("post", f"/report-periods/{period.pk}/remind", {"units": [w.dept_b.pk]})
    assert r.json() == {"units": [w.dept_b.pk]}
    assert Notification.objects.filter(recipient=w.officer_b).count() == 1
    assert (
        office.call("post", f"/report-periods/{period.pk}/remind", {"units": []}).status_code == 422
    )
