"""Value checks of the ingest, as properties: every real date in every accepted layout is read
as itself; an impossible date, a fraction in a whole-number column are refused; column letters."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..ingest import CHECKS, _BadValue, column_letter
from ..models import FieldType

check_date = CHECKS[FieldType.DATE]
check_integer = CHECKS[FieldType.INTEGER]
check_decimal = CHECKS[FieldType.DECIMAL]

# The machine is shared: a stall must not fail a property (speed is not what is tested here).
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

LAYOUTS = ("{d:%Y-%m-%d}", "{d.day:02d}/{d.month:02d}/{d.year}", "{d.day}/{d.month}/{d.year}")


@relaxed
@given(st.dates(min_value=dt.date(1000, 1, 1)), st.sampled_from(LAYOUTS))
def test_every_real_date_reads_as_itself(day: dt.date, layout: str) -> None:
    assert check_date(layout.format(d=day)) == day.isoformat()
    assert check_date(day) == day.isoformat()
    assert check_date(dt.datetime.combine(day, dt.time(8, 30))) == day.isoformat()


@relaxed
@given(st.integers(min_value=1900, max_value=2100), st.integers(min_value=1, max_value=12))
def test_a_day_past_the_end_of_its_month_is_refused(year: int, month: int) -> None:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = (following - dt.timedelta(days=1)).day
    with pytest.raises(_BadValue):
        check_date(f"{last + 1}/{month}/{year}")


@relaxed
@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_whole_numbers_round_trip(n: int) -> None:
    # as text (CSV) and as a float (a spreadsheet cell holds numbers as floats)
    assert check_integer(str(n)) == str(n)
    assert check_integer(float(n)) == str(n)


@relaxed
@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()))
def test_a_fraction_is_not_a_whole_number(x: float) -> None:
    with pytest.raises(_BadValue):
        check_integer(x)


def test_decimal_comma_and_empty_values() -> None:
    assert check_decimal("12,5") == "12.5"
    assert check_decimal("  ") is None
    assert check_integer(None) is None
    with pytest.raises(_BadValue):
        check_decimal("nan")


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


@pytest.mark.parametrize(
    "text", ["--5", "+-3", "²", "①", "9223372036854775808", "-9223372036854775809", "1e3"]
)
def test_what_is_no_whole_number_is_refused_rather_than_failing_the_ingest(text: str) -> None:
    # "--5" and "²" passed the old test and then made ``int`` raise; BIGINT ends at 2**63 - 1
    with pytest.raises(_BadValue):
        check_integer(text)


def test_whole_numbers_at_the_edges_and_in_other_scripts() -> None:
    assert check_integer("9223372036854775807") == "9223372036854775807"
    assert check_integer("-9223372036854775808") == "-9223372036854775808"
    assert check_integer("١٢") == "12"  # Arabic-Indic digits, as ``int`` reads them
    with pytest.raises(_BadValue):
        check_integer(2.0**63)


def test_a_decimal_beyond_double_is_refused() -> None:
    with pytest.raises(_BadValue):
        check_decimal("1e400")
    assert check_decimal("1e300") == "1E+300"
