"""Working-day arithmetic: known cases, properties (hypothesis), overrides from the database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiendo.calendars import workdays
from tiendo.calendars.models import CalendarOverride
from tiendo.calendars.services import override_delete, override_set
from tiendo.calendars.workdays import WorkingCalendar
from tiendo.core.errors import PermissionDeniedError
from tiendo.programs.tests.factories import make_admin, make_user

D = dt.date
PURE = WorkingCalendar()  # statutory rules only, no database
dates = st.dates(min_value=D(1995, 1, 1), max_value=D(2095, 12, 31))
steps = st.integers(min_value=-600, max_value=600)


def test_weekends_and_holidays_are_not_working_days() -> None:
    assert PURE.is_working_day(D(2025, 1, 27))  # Monday before Tết
    assert not PURE.is_working_day(D(2025, 1, 29))  # Tết
    assert not PURE.is_working_day(D(2025, 2, 3))  # compensatory Monday
    assert not PURE.is_working_day(D(2025, 3, 8))  # Saturday


def test_ten_working_days_across_tet() -> None:
    # given Friday 24 January 2025 and Tết from 28 January to 3 February
    start = D(2025, 1, 24)
    # when 10 working days are added: 27 Jan, then 4-7 Feb, 10-14 Feb
    # then the result is Friday 14 February
    assert PURE.add_working_days(start, 10) == D(2025, 2, 14)
    assert PURE.working_days_between(start, D(2025, 2, 14)) == 10


def test_add_across_new_year() -> None:
    # Wednesday 31 December 2025 + 1 working day: 1 January is a holiday -> Friday 2 January 2026
    assert PURE.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 2)
    assert PURE.add_working_days(D(2026, 1, 2), -1) == D(2025, 12, 31)
    assert PURE.working_days_between(D(2026, 1, 2), D(2025, 12, 31)) == -1


@given(dates, st.integers(min_value=0, max_value=600))
def test_add_then_count_gives_n(day: dt.date, n: int) -> None:
    assert PURE.working_days_between(day, PURE.add_working_days(day, n)) == n


@given(dates, steps)
def test_result_is_a_working_day(day: dt.date, n: int) -> None:
    result = PURE.add_working_days(day, n)
    if n != 0:
        assert PURE.is_working_day(result)
        assert (result > day) == (n > 0)


@given(dates, steps, steps)
def test_add_is_monotonic(day: dt.date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert PURE.add_working_days(day, low) <= PURE.add_working_days(day, high)
    if low < high and (low != 0 or PURE.is_working_day(day)) and high != 0:
        assert PURE.add_working_days(day, low) < PURE.add_working_days(day, high)


@given(dates, steps)
def test_back_and_forth_from_a_working_day(day: dt.date, n: int) -> None:
    start = PURE.next_working_day(day)
    assert PURE.add_working_days(PURE.add_working_days(start, n), -n) == start


@given(dates, dates, dates)
def test_counts_add_up_and_are_antisymmetric(a: dt.date, b: dt.date, c: dt.date) -> None:
    ab, bc = PURE.working_days_between(a, b), PURE.working_days_between(b, c)
    assert ab + bc == PURE.working_days_between(a, c)
    assert PURE.working_days_between(b, a) == -ab


@given(dates, st.integers(min_value=0, max_value=60))
def test_count_agrees_with_day_by_day_walk(day: dt.date, span: int) -> None:
    end = day + dt.timedelta(days=span)
    walked = sum(PURE.is_working_day(day + dt.timedelta(days=i)) for i in range(1, span + 1))
    assert PURE.working_days_between(day, end) == walked


def test_overrides_change_the_calendar() -> None:
    # given a swap: Monday 27 January 2025 off, Saturday 8 February 2025 worked
    swapped = WorkingCalendar(
        lambda year: {D(2025, 1, 27): False, D(2025, 2, 8): True} if year == 2025 else {}
    )
    assert not swapped.is_working_day(D(2025, 1, 27))
    assert swapped.is_working_day(D(2025, 2, 8))
    # then the working day after Friday 24 January is 4 February, not 27 January
    assert swapped.add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 4)
    # and the swap keeps 10 working days ending on 14 February, with 8 February counted
    assert swapped.add_working_days(D(2025, 2, 7), 1) == D(2025, 2, 8)


def test_out_of_range_year_is_refused() -> None:
    with pytest.raises(ValueError, match="covers"):
        PURE.is_working_day(D(1850, 1, 1))


@pytest.mark.django_db
def test_administrator_override_reaches_module_functions() -> None:
    # given an administrator who records a make-up working Saturday
    admin = make_admin()
    saturday = D(2031, 3, 8)
    assert not workdays.is_working_day(saturday)
    # when the override is saved (on_commit clears the cache; tests run in a transaction)
    override_set(actor=admin, date=saturday, is_working_day=True, reason="Make-up day")
    workdays.clear_cache()
    # then the module-level calendar sees it
    assert workdays.is_working_day(saturday)
    assert CalendarOverride.objects.get(date=saturday).created_by == admin
    # and deleting it restores the rule
    override_delete(actor=admin, date=saturday)
    workdays.clear_cache()
    assert not workdays.is_working_day(saturday)


@pytest.mark.django_db
def test_only_administrators_change_the_calendar() -> None:
    officer = make_user()
    with pytest.raises(PermissionDeniedError):
        override_set(actor=officer, date=D(2031, 3, 8), is_working_day=True, reason="x")
    assert not CalendarOverride.objects.exists()
