"""Completion times as officials write them."""

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tiendo.core.deadlines import Deadline, DeadlineKind, deadline_label, parse_deadline


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("30/6/2024", DeadlineKind.DATE, dt.date(2024, 6, 30)),
        ("2024-06-30", DeadlineKind.DATE, dt.date(2024, 6, 30)),
        ("Tháng 6/2024", DeadlineKind.MONTH, dt.date(2024, 6, 30)),
        ("tháng 02/2024", DeadlineKind.MONTH, dt.date(2024, 2, 29)),
        ("Quý II/2024", DeadlineKind.QUARTER, dt.date(2024, 6, 30)),
        ("Quý IV năm 2023", DeadlineKind.QUARTER, dt.date(2023, 12, 31)),
        ("Q1/2025", DeadlineKind.QUARTER, dt.date(2025, 3, 31)),
        ("Năm 2024", DeadlineKind.YEAR, dt.date(2024, 12, 31)),
        ("2024", DeadlineKind.YEAR, dt.date(2024, 12, 31)),
        ("2024-2025", DeadlineKind.YEAR, dt.date(2025, 12, 31)),
        ("Giai đoạn 2022 - 2025", DeadlineKind.YEAR, dt.date(2025, 12, 31)),
        ("Thường xuyên", DeadlineKind.ONGOING, None),
        ("Thường xuyên, hằng năm", DeadlineKind.ONGOING, None),
        ("Tháng 6 năm 2024", DeadlineKind.MONTH, dt.date(2024, 6, 30)),
        ("Trước 30/6/2024", DeadlineKind.DATE, dt.date(2024, 6, 30)),
        ("Trong năm 2024", DeadlineKind.YEAR, dt.date(2024, 12, 31)),
        ("Quý II, 2024", DeadlineKind.QUARTER, dt.date(2024, 6, 30)),
        ("  THƯỜNG XUYÊN ", DeadlineKind.ONGOING, None),
    ],
)
def test_parse_forms_found_in_annexes(text: str, kind: str, due: dt.date | None) -> None:
    assert parse_deadline(text) == Deadline(kind, due)


@pytest.mark.parametrize(
    "text", ["", "sớm", "31/2/2024", "Tháng 13/2024", "Quý V/2024", "2025-2024"]
)
def test_unreadable_forms_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        parse_deadline(text)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_any_date_written_day_first_round_trips(day: dt.date) -> None:
    assert parse_deadline(f"{day.day}/{day.month}/{day.year}") == Deadline(DeadlineKind.DATE, day)


@given(st.integers(1990, 2100), st.integers(1, 4))
def test_quarter_ends_on_last_day_of_its_third_month(year: int, quarter: int) -> None:
    roman = ("I", "II", "III", "IV")[quarter - 1]
    due = parse_deadline(f"Quý {roman}/{year}").due
    assert due is not None
    assert due.month == quarter * 3
    assert (due + dt.timedelta(days=1)).day == 1


def test_labels_in_both_languages() -> None:
    with translation.override("en"):
        assert deadline_label(DeadlineKind.QUARTER, dt.date(2024, 6, 30)) == "Quarter II/2024"
        assert deadline_label(DeadlineKind.ONGOING, None) == "Ongoing"


def test_ongoing_has_no_date_and_others_need_one() -> None:
    with pytest.raises(ValueError, match="ongoing"):
        Deadline(DeadlineKind.ONGOING, dt.date(2024, 1, 1))
    with pytest.raises(ValueError, match="ongoing"):
        Deadline(DeadlineKind.DATE, None)
