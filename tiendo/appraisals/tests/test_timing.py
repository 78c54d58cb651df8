"""Timing rules: due days in working days, step and project timing as of a day (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiendo.calendars.workdays import is_working_day, working_days_between

from ..timing import (
    ProjectTiming,
    StepFacts,
    StepTiming,
    project_timing,
    step_due,
    step_timing,
    waiting_days,
)

# Working days read the administrators' calendar overrides from the database.
pytestmark = pytest.mark.django_db

days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
limits = st.integers(min_value=1, max_value=60)


@given(days, limits)
def test_a_step_is_due_exactly_its_limit_in_working_days_later(start: dt.date, limit: int) -> None:
    # given a step started on any day with a limit in working days
    # when its due day is computed
    due = step_due(start, limit)
    # then the due day is a working day, exactly `limit` working days after the start
    assert is_working_day(due)
    assert working_days_between(start, due) == limit


def test_a_limit_skips_the_lunar_new_year_holiday() -> None:
    # given a step received on Friday 2 February 2024 with 5 working days (Tết: 8-14 February)
    # when its due day is computed
    due = step_due(dt.date(2024, 2, 2), 5)
    # then the week-long Tết holiday does not count
    assert due == dt.date(2024, 2, 16)


@given(days, limits, st.integers(min_value=0, max_value=120), st.integers(0, 200))
def test_step_timing_as_of_a_day(start: dt.date, limit: int, took: int, later: int) -> None:
    # given a step finished `took` days after it started, read `later` days after the start
    due = step_due(start, limit)
    finished = start + dt.timedelta(days=took)
    on = start + dt.timedelta(days=later)
    step = StepFacts(start, due, finished)
    # when its timing is read
    timing = step_timing(step, on)
    # then facts after the reading day are ignored, and lateness compares with the due day
    if finished <= on:
        assert timing == (StepTiming.ON_TIME if finished <= due else StepTiming.LATE)
    else:
        assert timing == (StepTiming.OVERDUE if on > due else StepTiming.WAITING)
    assert 0 <= waiting_days(step, on) <= working_days_between(start, on)


def test_a_step_not_started_on_the_day_has_no_timing() -> None:
    step = StepFacts(dt.date(2024, 3, 4), dt.date(2024, 3, 8), None)
    assert step_timing(step, dt.date(2024, 3, 1)) is None


@given(
    days,
    st.lists(st.tuples(limits, st.integers(0, 40)), min_size=1, max_size=5),
    st.integers(0, 400),
)
def test_project_timing_follows_its_steps(
    start: dt.date, chain: list[tuple[int, int]], later: int
) -> None:
    # given a chain of passed steps, each starting the day the previous one finished,
    # and the project approved when the last one finished
    steps, day = [], start
    for limit, took in chain:
        finish = day + dt.timedelta(days=took)
        steps.append(StepFacts(day, step_due(day, limit), finish))
        day = finish
    on = start + dt.timedelta(days=later)
    # when the project's timing is read on some day
    timing = project_timing(steps, day, on)
    # then it is appraised (on time iff every step was) once approved, else behind iff a step is late
    timings = [step_timing(s, on) for s in steps]
    late = any(t in (StepTiming.LATE, StepTiming.OVERDUE) for t in timings)
    if day <= on:
        expected = ProjectTiming.APPRAISED_LATE if late else ProjectTiming.APPRAISED_ON_TIME
    else:
        expected = ProjectTiming.BEHIND if late else ProjectTiming.ON_SCHEDULE
    assert timing == expected


def test_a_returned_dossier_waits_with_its_owner() -> None:
    step = StepFacts(dt.date(2024, 3, 4), dt.date(2024, 3, 11), dt.date(2024, 3, 6), returned=True)
    assert project_timing([step], None, dt.date(2024, 3, 20)) == ProjectTiming.RETURNED
    assert project_timing([step], None, dt.date(2024, 3, 5)) == ProjectTiming.ON_SCHEDULE
    assert project_timing([], None, dt.date(2024, 3, 5)) == ProjectTiming.NOT_SUBMITTED
