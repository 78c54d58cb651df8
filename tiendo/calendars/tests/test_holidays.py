"""Statutory holidays of several years against the dates the law and the government gave."""

from __future__ import annotations

import datetime as dt

import pytest

from tiendo.calendars.holidays import HolidayKind, national_day_pair, statutory_holidays, tet_days

D = dt.date


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2023, [D(2023, 1, 21), D(2023, 1, 22), D(2023, 1, 23), D(2023, 1, 24), D(2023, 1, 25)]),
        (2024, [D(2024, 2, 9), D(2024, 2, 10), D(2024, 2, 11), D(2024, 2, 12), D(2024, 2, 13)]),
        (2025, [D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31), D(2025, 2, 1)]),
        (2026, [D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20)]),
    ],
)
def test_tet_is_last_day_of_lunar_year_and_days_1_to_4(year: int, expected: list[dt.date]) -> None:
    assert tet_days(year) == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # the adjacent day the government chose in each year since the 2019 Labour Code
        (2021, (D(2021, 9, 2), D(2021, 9, 3))),
        (2022, (D(2022, 9, 1), D(2022, 9, 2))),
        (2023, (D(2023, 9, 1), D(2023, 9, 2))),
        (2024, (D(2024, 9, 2), D(2024, 9, 3))),
        (2025, (D(2025, 9, 1), D(2025, 9, 2))),
    ],
)
def test_national_day_default_rule_matches_government_choices(
    year: int, expected: tuple[dt.date, dt.date]
) -> None:
    assert national_day_pair(year) == expected


def test_2025_holidays() -> None:
    # given 2025 / when its holidays are computed / then the law's 11 days plus compensation
    days = statutory_holidays(2025)
    assert days[D(2025, 1, 1)] == HolidayKind.NEW_YEAR
    assert days[D(2025, 4, 7)] == HolidayKind.HUNG_KINGS
    assert days[D(2025, 4, 30)] == HolidayKind.VICTORY
    assert days[D(2025, 5, 1)] == HolidayKind.LABOUR
    assert days[D(2025, 9, 1)] == days[D(2025, 9, 2)] == HolidayKind.NATIONAL
    assert sum(1 for kind in days.values() if kind == HolidayKind.TET) == 5
    # 4th day of Tết falls on Saturday 1 February: compensated on Monday 3 February
    assert days[D(2025, 2, 3)] == HolidayKind.COMPENSATORY
    assert len(days) == 12


def test_holiday_on_weekend_is_compensated_on_next_working_day() -> None:
    # given 2026, when the Hùng Kings' day (26 April) is a Sunday
    days = statutory_holidays(2026)
    assert days[D(2026, 4, 26)] == HolidayKind.HUNG_KINGS
    # then Monday 27 April is off
    assert days[D(2026, 4, 27)] == HolidayKind.COMPENSATORY


def test_two_weekend_holidays_give_two_compensatory_days() -> None:
    # given Tết 2024 with two days on the weekend (10-11 February)
    days = statutory_holidays(2024)
    # then the two days after the block (14 and 15 February) are off
    assert days[D(2024, 2, 14)] == days[D(2024, 2, 15)] == HolidayKind.COMPENSATORY
    assert D(2024, 2, 16) not in days
