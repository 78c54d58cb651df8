"""Periods and due rules (property tests over dates and the Vietnamese working calendar)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.calendars.workdays import is_working_day, working_days_between
from tiendo.reporting.models import DueRule, Frequency
from tiendo.reporting.periods import due_date, period_containing, period_label, periods_between

pytestmark = pytest.mark.django_db  # the working calendar reads its overrides from the database
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
calendar_frequencies = st.sampled_from(
    [Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.SIX_MONTHLY, Frequency.YEARLY]
)


@settings(max_examples=200, deadline=None)
@given(frequency=calendar_frequencies, day=days)
def test_a_period_contains_its_day_and_tiles_the_calendar(frequency: str, day: dt.date) -> None:
    # Given a day, when we take the period containing it
    period = period_containing(frequency, day)
    # Then the day is inside, the period starts on a 1st, and the next one follows without a gap
    assert period.start <= day <= period.end
    assert period.start.day == 1
    after = period_containing(frequency, period.end + dt.timedelta(days=1))
    assert after.start == period.end + dt.timedelta(days=1)
    assert period_containing(frequency, period.start) == period


@settings(max_examples=200, deadline=None)
@given(day=days, value=st.integers(1, 31))
def test_day_of_last_month_is_that_day_or_the_month_end(day: dt.date, value: int) -> None:
    # Given a quarter and "by the <value>th of the last month of the quarter"
    period = period_containing(Frequency.QUARTERLY, day)
    # When the due date is computed
    due = due_date(DueRule.DAY_OF_LAST_MONTH, value, period.end)
    # Then it lies in the quarter's last month, on that day unless the month is shorter
    assert (due.year, due.month) == (period.end.year, period.end.month)
    assert due.day == min(value, period.end.day)


@settings(max_examples=100, deadline=None, suppress_health_check=HEALTH)
@given(day=days, n=st.integers(1, 20), frequency=calendar_frequencies)
def test_working_days_after_end_counts_working_days_only(
    day: dt.date, n: int, frequency: str
) -> None:
    # Given a period and "within n working days after the period end"
    period = period_containing(frequency, day)
    # When the due date is computed
    due = due_date(DueRule.WORKING_DAYS_AFTER_END, n, period.end)
    # Then it is a working day, exactly n working days after the end
    assert is_working_day(due)
    assert due > period.end
    assert working_days_between(period.end, due) == n


def test_working_days_skip_the_lunar_new_year() -> None:
    # Given January 2025: by the statutory rule Tết is 28 Jan-1 Feb, and Saturday 1 Feb is
    # compensated on Monday 3 Feb (tiendo.calendars.holidays)
    period = period_containing(Frequency.MONTHLY, dt.date(2025, 1, 15))
    # When 5 working days after 31 Jan 2025 (a Tết holiday) are counted
    due = due_date(DueRule.WORKING_DAYS_AFTER_END, 5, period.end)
    # Then Tết, the weekend and the compensatory day are skipped: 4, 5, 6, 7, 10 February
    assert due == dt.date(2025, 2, 10)


def test_zero_working_days_is_the_end_or_the_next_working_day() -> None:
    # 30 Mar 2025 is a Sunday: the report is due on Monday 31 March
    assert due_date(DueRule.WORKING_DAYS_AFTER_END, 0, dt.date(2025, 3, 30)) == dt.date(2025, 3, 31)


def test_periods_between_and_labels() -> None:
    periods = periods_between(Frequency.QUARTERLY, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert [p.label for p in periods] == [
        "Quarter I/2025",
        "Quarter II/2025",
        "Quarter III/2025",
        "Quarter IV/2025",
    ]
    assert period_label(Frequency.SIX_MONTHLY, dt.date(2025, 7, 1), dt.date(2025, 12, 31)) == (
        "Last six months of 2025"
    )
