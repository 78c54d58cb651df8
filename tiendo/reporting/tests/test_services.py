"""Workflow of unit reports: transitions, permissions, immutability, versions, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tiendo.audit.models import AuditEntry
from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.reporting.models import ReportState, UnitReport
from tiendo.reporting.services import (
    period_open,
    remind_missing,
    report_accept,
    report_return,
    report_submit,
    report_update,
    schedule_create,
)

from .builders import Q1, make_world, open_q1

pytestmark = pytest.mark.django_db


def _draft(w, period, unit) -> UnitReport:  # type: ignore[no-untyped-def]
    return UnitReport.objects.get(period=period, unit=unit, version=1)


def test_opening_a_period_gives_each_obliged_unit_a_draft_with_its_due_date() -> None:
    # Given a quarterly schedule due 5 working days after the quarter
    w = make_world()
    # When the first quarter of 2025 is opened (twice)
    period = open_q1(w)
    again = period_open(actor=w.office, schedule=w.schedule, day=Q1)
    # Then one period, due Tuesday 8 April (31 Mar Mon; 1,2,3,4,7 Apr; Hùng Kings 7 Apr -> 8)
    assert again.pk == period.pk
    assert (period.start, period.end) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert period.due_on == dt.date(2025, 4, 8)
    assert set(UnitReport.objects.filter(period=period).values_list("unit_id", flat=True)) == {
        w.dept_a.pk,
        w.dept_b.pk,
    }


def test_only_program_leaders_create_schedules_and_open_periods() -> None:
    w = make_world()
    with pytest.raises(PermissionDeniedError):
        schedule_create(
            actor=w.officer_a,
            program=w.program,
            name="x",
            frequency="monthly",
            due_rule="day_of_last_month",
            due_value=20,
            units=[w.dept_a],
        )
    with pytest.raises(PermissionDeniedError):
        period_open(actor=w.officer_a, schedule=w.schedule, day=Q1)


def test_schedule_input_errors_are_specific_and_change_nothing() -> None:
    w = make_world()
    with pytest.raises(ValidationError) as error:
        schedule_create(
            actor=w.office,
            program=w.program,
            name=" ",
            frequency="weekly",
            due_rule="working_days_after_end",
            due_value=99,
            units=[],
        )
    assert set(error.value.message_dict) == {"name", "frequency", "due_value", "units"}
    with pytest.raises(ValidationError) as error:
        schedule_create(
            actor=w.office,
            program=w.program,
            name="M",
            frequency="monthly",
            due_rule="working_days_after_end",
            due_value=99,
            units=[w.dept_a],
        )
    assert "due_value" in error.value.message_dict
    assert w.program.report_schedules.count() == 1


def test_full_workflow_draft_submit_return_resubmit_accept() -> None:
    # Given the draft of department A
    w = make_world()
    period = open_q1(w)
    draft = _draft(w, period, w.dept_a)
    # When the officer writes and sends it
    draft = report_update(
        actor=w.officer_a,
        report=draft,
        edit_version=draft.edit_version,
        results="Two services online",
        difficulties="Old servers",
        difficulties_theme="infrastructure",
    )
    sent = report_submit(actor=w.officer_a, report=draft, edit_version=draft.edit_version)
    # Then it is frozen with its figures as of the period end and the submission time
    assert sent.state == ReportState.SUBMITTED
    assert sent.submitted_at
    assert sent.submitted_by == w.officer_a
    assert sent.figures["as_of"] == "2025-03-31"
    assert sent.figures["counts"]["completed_on_time"] == 1
    with pytest.raises(ConflictError):
        report_update(actor=w.officer_a, report=sent, edit_version=None, results="changed")
    # When the standing office returns it with comments
    new = report_return(actor=w.office, report=sent, comment="Add the figures of the districts")
    # Then the sent version is kept as it was and a new draft version carries the text
    sent.refresh_from_db()
    assert sent.state == ReportState.RETURNED
    assert sent.results == "Two services online"
    assert (new.version, new.state, new.results) == (2, ReportState.DRAFT, "Two services online")
    # When the unit corrects and resends, and the office accepts
    new = report_update(
        actor=w.officer_a,
        report=new,
        edit_version=new.edit_version,
        results="Two services online; districts too",
    )
    new = report_submit(actor=w.officer_a, report=new)
    accepted = report_accept(actor=w.office, report=new)
    assert accepted.state == ReportState.ACCEPTED
    assert UnitReport.objects.filter(period=period, unit=w.dept_a).count() == 2
    # And every step is in the audit trail
    actions = list(
        AuditEntry.objects.filter(object_type="reporting.unitreport").values_list(
            "action", flat=True
        )
    )
    assert actions.count("report.submit") == 2
    assert {"report.update", "report.return", "report.accept"} <= set(actions)


def test_units_cannot_write_or_send_each_others_reports() -> None:
    w = make_world()
    period = open_q1(w)
    draft_b = _draft(w, period, w.dept_b)
    with pytest.raises(PermissionDeniedError):
        report_update(actor=w.officer_a, report=draft_b, edit_version=None, results="x")
    with pytest.raises(PermissionDeniedError):
        report_submit(actor=w.officer_a, report=draft_b)
    with pytest.raises(PermissionDeniedError):
        report_update(actor=w.viewer, report=draft_b, edit_version=None, results="x")


def test_only_the_program_leaders_review_and_only_sent_reports() -> None:
    w = make_world()
    period = open_q1(w)
    draft = report_update(
        actor=w.officer_a, report=_draft(w, period, w.dept_a), edit_version=None, results="r"
    )
    with pytest.raises(ConflictError):
        report_accept(actor=w.office, report=draft)  # a draft cannot be reviewed
    sent = report_submit(actor=w.officer_a, report=draft)
    with pytest.raises(PermissionDeniedError):
        report_accept(actor=w.officer_a, report=sent)
    with pytest.raises(ValidationError):
        report_return(actor=w.office, report=sent, comment="  ")
    report_accept(actor=w.office, report=sent)
    with pytest.raises(ConflictError):
        report_return(actor=w.office, report=sent, comment="too late")


def test_a_stale_edit_is_refused_and_changes_nothing() -> None:
    w = make_world()
    period = open_q1(w)
    draft = _draft(w, period, w.dept_a)
    loaded = draft.edit_version
    report_update(actor=w.officer_a, report=draft, edit_version=loaded, results="first")
    with pytest.raises(ConflictError):
        report_update(actor=w.officer_a, report=draft, edit_version=loaded, results="second")
    draft.refresh_from_db()
    assert draft.results == "first"


def test_a_report_without_results_cannot_be_sent_and_bad_themes_are_refused() -> None:
    w = make_world()
    period = open_q1(w)
    draft = _draft(w, period, w.dept_a)
    with pytest.raises(ValidationError) as error:
        report_submit(actor=w.officer_a, report=draft)
    assert "results" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        report_update(actor=w.officer_a, report=draft, edit_version=None, proposals_theme="weather")
    assert "proposals_theme" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.state == ReportState.DRAFT


def test_reminding_names_only_units_that_have_not_sent() -> None:
    w = make_world()
    period = open_q1(w)
    draft = report_update(
        actor=w.officer_a, report=_draft(w, period, w.dept_a), edit_version=None, results="r"
    )
    report_submit(actor=w.officer_a, report=draft)
    assert remind_missing(actor=w.office, period=period, unit_ids=[w.dept_a.pk, w.dept_b.pk]) == [
        w.dept_b.pk
    ]
    with pytest.raises(PermissionDeniedError):
        remind_missing(actor=w.officer_a, period=period, unit_ids=[w.dept_b.pk])
    assert AuditEntry.objects.filter(action="report.remind").count() == 1


def test_a_schedule_cannot_oblige_units_unrelated_to_the_program() -> None:
    from tiendo.programs.tests.factories import make_unit

    w = make_world()
    with pytest.raises(ValidationError) as error:
        schedule_create(
            actor=w.office,
            program=w.program,
            name="M",
            frequency="monthly",
            due_rule="day_of_last_month",
            due_value=20,
            units=[make_unit("Elsewhere")],
        )
    assert "units" in error.value.message_dict
