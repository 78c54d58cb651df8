from __future__ import annotations

import datetime as dt

import pytest

from tiendo.calendars.phrases import due_after_working_days, parse_working_days


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("10 ngày làm việc", 10),
        ("Trong vòng 10 ngày làm việc", 10),
        ("trong 5 ngày làm việc kể từ ngày nhận", 5),
        ("within 15 working days", 15),
        ("1 working day", 1),
    ],
)
def test_rules_in_working_days(text: str, days: int) -> None:
    assert parse_working_days(text) == days


@pytest.mark.parametrize("text", ["", "10 ngày", "Quý II/2024", "0 ngày làm việc", "mười ngày"])
def test_other_text_is_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match="not a number of working days"):
        parse_working_days(text)


@pytest.mark.django_db
def test_due_date_skips_tet() -> None:
    assert due_after_working_days(dt.date(2025, 1, 24), "trong 10 ngày làm việc") == dt.date(
        2025, 2, 14
    )
