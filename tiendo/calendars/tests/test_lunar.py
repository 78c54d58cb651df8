"""The lunar calendar against published Vietnamese dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiendo.calendars.lunar import LunarDate, lunar_to_solar, solar_to_lunar, tet

# Tết Nguyên đán as published by Vietnam's calendars.
KNOWN_TET = {
    1985: dt.date(1985, 1, 21),
    2007: dt.date(2007, 2, 17),
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
}


@pytest.mark.parametrize(("year", "expected"), KNOWN_TET.items())
def test_tet_matches_published_dates(year: int, expected: dt.date) -> None:
    # given a solar year / when Tết is computed / then it is the published date
    assert tet(year) == expected


def test_vietnam_and_china_disagree_where_history_says_they_do() -> None:
    # given the two time zones / then Tết 1985 and 2007 differ, 2024 agrees
    assert tet(1985, tz=8) == dt.date(1985, 2, 20)
    assert tet(2007, tz=8) == dt.date(2007, 2, 18)
    assert tet(2024, tz=8) == tet(2024)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2023, dt.date(2023, 4, 29)), (2024, dt.date(2024, 4, 18)), (2025, dt.date(2025, 4, 7))],
)
def test_hung_kings_day_is_10th_of_3rd_lunar_month(year: int, expected: dt.date) -> None:
    assert lunar_to_solar(year, 3, 10) == expected


def test_leap_month_2023_is_month_2() -> None:
    # given 2023, a 13-month lunar year with a leap 2nd month (22 March - 19 April 2023)
    assert lunar_to_solar(2023, 2, 1, leap=True) == dt.date(2023, 3, 22)
    assert solar_to_lunar(dt.date(2023, 4, 1)) == LunarDate(2023, 2, 11, leap=True)
    # a leap month that does not exist is refused
    with pytest.raises(ValueError, match="no leap month"):
        lunar_to_solar(2024, 2, 1, leap=True)


def test_day_near_a_new_moon_is_not_day_zero() -> None:
    # given a date where the mean-motion estimate of the month is one month late
    assert solar_to_lunar(dt.date(2054, 5, 7)) == LunarDate(2054, 3, 30)


@given(st.dates(min_value=dt.date(1901, 3, 1), max_value=dt.date(2150, 12, 31)))
def test_solar_lunar_round_trip(day: dt.date) -> None:
    # given any date / when converted to lunar and back / then it is the same date
    lunar = solar_to_lunar(day)
    assert 1 <= lunar.day <= 30
    assert 1 <= lunar.month <= 12
    assert lunar_to_solar(lunar.year, lunar.month, lunar.day, leap=lunar.leap) == day
