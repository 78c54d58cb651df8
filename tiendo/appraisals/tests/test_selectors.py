"""Appraisal figures: where projects wait, on time vs late per project, step and body, as of a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from tiendo.orgs.scope import scope_for
from tiendo.programs.tests.factories import make_task, make_unit, make_user

from ..selectors import (
    appraisal_figures,
    appraisal_get,
    appraisal_rows,
    returned_dossiers,
    rows_with_timing,
    step_timeliness,
)
from ..services import appraisal_pass_step, appraisal_return, appraisal_submit
from ..timing import ProjectTiming
from .world import MONDAY, build_world

pytestmark = pytest.mark.django_db


def _two_projects():  # type: ignore[no-untyped-def]
    """Project A passes step 1 on time then waits at step 2; project B is returned at step 1."""
    w = build_world()
    a = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    appraisal_pass_step(actor=w.reviewer, appraisal=a, on=MONDAY + dt.timedelta(days=1))
    other = make_task(program=w.program, lead_unit=w.owner, assignee=w.officer, kind="project")
    b = appraisal_submit(actor=w.officer, task=other, on=MONDAY)
    appraisal_return(
        actor=w.reviewer, appraisal=b, on=MONDAY + dt.timedelta(days=3), reason="Thiếu hồ sơ"
    )
    return w, other


def test_where_each_project_waits_and_for_how_long() -> None:
    # given project A at step 2 since Tuesday 5 March (limit 5 working days: due 12 March)
    w, _ = _two_projects()
    # when the board is read on Friday 8 March
    rows = appraisal_rows(scope_for(w.office), program=w.program, on=dt.date(2024, 3, 8))
    a = next(r for r in rows if r.task == w.project)
    # then A waits at step 2 for 3 working days, on schedule
    assert (a.current.position, a.waited, a.timing) == (2, 3, ProjectTiming.ON_SCHEDULE)


def test_figures_and_their_lists_come_from_the_same_rows() -> None:
    # given A on schedule until 12 March, and B returned late (step 1 was due on 5 March)
    w, b = _two_projects()
    # when the figures are read on 20 March, after A's step 2 limit has passed
    rows = appraisal_rows(scope_for(w.office), program=w.program, on=dt.date(2024, 3, 20))
    figures = appraisal_figures(rows)
    # then both are behind schedule, and the drill-down lists exactly them
    assert figures["behind"] == figures["behind_or_late"] == 2
    assert {r.task for r in rows_with_timing(rows, "behind")} == {w.project, b}


def test_figures_as_of_a_past_day_ignore_later_facts() -> None:
    # given the same history
    w, b = _two_projects()
    # when the figures are read as of Monday 4 March (both just submitted)
    rows = appraisal_rows(scope_for(w.office), program=w.program, on=MONDAY)
    # then both wait at step 1 on schedule, and no return is known yet
    assert appraisal_figures(rows)["on_schedule"] == 2
    assert returned_dossiers(rows) == []
    # and as of 7 March the return of B is known, with its reason
    later = appraisal_rows(scope_for(w.office), program=w.program, on=dt.date(2024, 3, 7))
    assert [(r.task, s.note) for r, s in returned_dossiers(later)] == [(b, "Thiếu hồ sơ")]


def test_timeliness_per_step_and_per_body() -> None:
    w, _ = _two_projects()
    rows = appraisal_rows(scope_for(w.office), program=w.program, on=dt.date(2024, 3, 20))
    by_step, by_body = step_timeliness(rows)
    # step 1: A passed on time, B returned late; step 2: A waiting past its limit
    assert (by_step["1. Tiếp nhận hồ sơ"].on_time, by_step["1. Tiếp nhận hồ sơ"].late) == (1, 1)
    assert by_step["2. Kiểm tra tính đầy đủ của hồ sơ"].overdue == 1
    assert by_body["Bộ Tư lệnh 86"].late_or_overdue == 2


def test_a_project_outside_the_scope_is_not_found() -> None:
    # given an officer of an unrelated unit
    w, _ = _two_projects()
    stranger = make_user(unit=make_unit("Sở khác"))
    # then the project is absent from their board and its page is a 404
    assert appraisal_rows(scope_for(stranger)) == []
    with pytest.raises(Http404):
        appraisal_get(scope_for(stranger), w.project.pk)
    assert appraisal_get(scope_for(w.officer), w.project.pk).appraisal is not None


def test_a_body_of_the_procedure_sees_the_programs_projects() -> None:
    # given the planning department, named at step 4, which neither leads nor coordinates
    w, b = _two_projects()
    # then it sees the program's projects on its board
    rows = appraisal_rows(scope_for(w.planner), program=w.program, on=MONDAY)
    assert {r.task for r in rows} == {w.project, b}
