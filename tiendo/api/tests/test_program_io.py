"""``tiendo.api.program_io``: deadlines sent to the API, turned into the model's two fields."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tiendo.core.deadlines import DeadlineKind, parse_deadline

from ..program_io import deadline_fields

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@given(
    due=dates, kind=st.sampled_from([DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.YEAR])
)
def test_a_period_deadline_is_the_last_day_of_the_period_containing_the_date(
    due: dt.date, kind: str
) -> None:
    result = deadline_fields({"deadline_kind": kind, "deadline": due})["deadline"]
    # The result is in the same period as the date sent, and the next day is in the next period
    assert result >= due
    assert result.year == due.year
    following = result + dt.timedelta(days=1)
    if kind == DeadlineKind.MONTH:
        assert result.month == due.month
        assert following.month != result.month
    elif kind == DeadlineKind.QUARTER:
        assert (result.month - 1) // 3 == (due.month - 1) // 3
        assert result.month % 3 == 0
        assert following.day == 1
    else:
        assert (result.month, result.day) == (12, 31)


@given(due=dates)
def test_an_exact_date_is_kept(due: dt.date) -> None:
    assert deadline_fields({"deadline_kind": DeadlineKind.DATE, "deadline": due})["deadline"] == due


@given(
    year=st.integers(min_value=2000, max_value=2099),
    quarter=st.sampled_from(["I", "II", "III", "IV"]),
)
def test_deadline_text_gives_what_the_parser_gives(year: int, quarter: str) -> None:
    text = f"Quý {quarter}/{year}"
    parsed = parse_deadline(text)
    result = deadline_fields({"deadline_text": text})
    assert (result["deadline_kind"], result["deadline"]) == (parsed.kind, parsed.due)
    # The same period sent as kind + any date in it gives the same deadline
    assert deadline_fields({"deadline_kind": parsed.kind, "deadline": parsed.due}) == result


def test_text_and_kind_together_are_refused() -> None:
    with pytest.raises(ValidationError) as error:
        deadline_fields({"deadline_text": "Năm 2030", "deadline_kind": DeadlineKind.DATE})
    assert list(error.value.message_dict) == ["deadline_text"]


def test_ongoing_has_no_date() -> None:
    assert deadline_fields({"deadline_text": "Thường xuyên"}) == {
        "deadline_kind": DeadlineKind.ONGOING,
        "deadline": None,
    }


def test_null_kind_clears_the_deadline_kind() -> None:
    assert deadline_fields({"deadline_kind": None, "deadline": None}) == {
        "deadline_kind": "",
        "deadline": None,
    }
