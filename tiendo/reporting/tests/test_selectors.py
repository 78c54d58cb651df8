"""Figures as of the period end (from history), reporting discipline, who sees which report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from tiendo.orgs.scope import scope_for
from tiendo.programs.tests.factories import make_unit, make_user
from tiendo.reporting.models import UnitReport
from tiendo.reporting.selectors import (
    DisciplineStatus,
    discipline,
    report_get,
    report_list,
    unit_figures,
)
from tiendo.reporting.services import report_submit, report_update

from .builders import make_world, open_q1

pytestmark = pytest.mark.django_db
S = DisciplineStatus


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _send(w, period, unit, officer, day: dt.date | None = None) -> UnitReport:  # type: ignore[no-untyped-def]
    draft = UnitReport.objects.get(period=period, unit=unit, version=1)
    draft = report_update(actor=officer, report=draft, edit_version=None, results="done")
    sent = report_submit(actor=officer, report=draft)
    if day:  # the report was sent on that day (tests cannot wait for the calendar)
        UnitReport.objects.filter(pk=sent.pk).update(submitted_at=at(day))
    return sent


def test_figures_are_those_of_the_period_end_not_of_today() -> None:
    # Given a task overdue at the end of Q1 2025 and completed late in May
    w = make_world()
    period = open_q1(w)
    # When department A's figures for Q1 are computed
    figures = unit_figures(w.program, w.dept_a, period)
    # Then the history as of 31 March counts it overdue at 50 %, not completed
    counts = figures["counts"]
    assert counts["total"] == 2
    assert counts["completed_on_time"] == 1
    assert counts["completed_late"] == 0
    assert counts["overdue"] == 1
    assert counts["completed_in_period"] == 1
    assert [t["id"] for t in figures["overdue"]] == [w.late.pk]
    assert figures["overdue"][0]["percent"] == 50
    assert [t["id"] for t in figures["completed_in_period"]] == [w.on_time.pk]
    assert figures["on_time_rate"] == "50.0"
    # ... while today the same task is completed late
    w.late.refresh_from_db()
    assert w.late.completed_on == dt.date(2025, 5, 5)
    # And products: expected 10 per task, delivered as reported by the period end
    assert figures["products"][0]["expected"] == "20"
    assert figures["products"][0]["delivered"] == "15"


def test_discipline_on_time_late_missing_and_its_list() -> None:
    # Given Q1 2025 due on 8 April; a third obliged unit that never reports
    w = make_world()
    dept_c = make_unit("Department C", parent=w.province)
    w.schedule.units.add(dept_c)
    period = open_q1(w)
    _send(w, period, w.dept_a, w.officer_a, dt.date(2025, 4, 8))  # the due day itself
    _send(w, period, w.dept_b, w.officer_b, dt.date(2025, 4, 9))
    # When the discipline is read by the standing office
    d = discipline(scope_for(w.office), w.program, period)
    # Then each count is the length of its list
    assert d.counts == {S.ON_TIME: 1, S.LATE: 1, S.MISSING: 1, S.NOT_DUE: 0}
    for status, n in d.counts.items():
        assert len(d.units(status)) == n
    assert [r.unit_id for r in d.units(S.LATE)] == [w.dept_b.pk]
    assert [r.unit_id for r in d.units(S.MISSING)] == [dept_c.pk]
    assert d.on_time_rate == pytest.approx(1 / 3)
    # And before the due day passed, the silent unit was "not due" yet, the late one too
    before = discipline(scope_for(w.office), w.program, period, now=at(dt.date(2025, 4, 8), 23))
    assert before.counts == {S.ON_TIME: 1, S.LATE: 0, S.MISSING: 0, S.NOT_DUE: 2}


def test_a_return_does_not_make_an_on_time_report_late() -> None:
    from tiendo.reporting.services import report_return

    w = make_world()
    period = open_q1(w)
    sent = _send(w, period, w.dept_a, w.officer_a, dt.date(2025, 4, 1))
    report_return(actor=w.office, report=sent, comment="fix")  # resent much later
    d = discipline(scope_for(w.office), w.program, period)
    assert [r.status for r in d.rows if r.unit_id == w.dept_a.pk] == [S.ON_TIME]


def test_units_cannot_see_each_others_drafts() -> None:
    # Given both units' drafts, A's sent
    w = make_world()
    period = open_q1(w)
    sent_a = _send(w, period, w.dept_a, w.officer_a)
    draft_b = UnitReport.objects.get(period=period, unit=w.dept_b)
    # Then B sees only its own report (not even A's sent one), A only its own
    assert [r.pk for r in report_list(scope_for(w.officer_b), period)] == [draft_b.pk]
    with pytest.raises(Http404):
        report_get(scope_for(w.officer_a), draft_b.pk)
    # The standing office sees sent reports, never drafts
    office = scope_for(w.office)
    assert [r.pk for r in report_list(office, period)] == [sent_a.pk]
    with pytest.raises(Http404):
        report_get(office, draft_b.pk)
    # A leader of the province above both units sees both drafts (their own subtree)
    leader = make_user(unit=w.province, role="unit_leader")
    assert {r.pk for r in report_list(scope_for(leader), period)} == {sent_a.pk, draft_b.pk}


def test_outsiders_get_404_for_the_discipline_and_reports() -> None:
    w = make_world()
    period = open_q1(w)
    outsider = make_user(unit=make_unit("Elsewhere"), role="committee_leader")
    with pytest.raises(Http404):
        discipline(scope_for(outsider), w.program, period)
    with pytest.raises(Http404):
        report_get(scope_for(outsider), UnitReport.objects.filter(period=period).first().pk)
