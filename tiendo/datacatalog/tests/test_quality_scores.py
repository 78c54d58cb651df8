"""Scores: liveness against the declared frequency, sharing, and the overall weighted mean,
tested as properties (hypothesis) rather than a few hand-picked dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiendo.datacatalog.quality.scores import (
    DIMENSIONS,
    PERIODS,
    WEIGHTS,
    LiveStatus,
    add_months,
    due_date,
    liveness,
    overall_score,
    shared_score,
)

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
frequencies = st.sampled_from(sorted(PERIODS))
scores = st.one_of(st.none(), st.floats(min_value=0, max_value=100))


@given(dates, frequencies, dates)
def test_live_until_due_then_overdue_by_the_days_past_it(
    last: dt.date, frequency: str, today: dt.date
) -> None:
    result = liveness(last, frequency, today)
    due = due_date(last, frequency)
    assert due is not None
    assert due > last
    assert result.due_on == due
    assert result.days_overdue == max(0, (today - due).days)
    assert (result.status == LiveStatus.LIVE) == (today <= due)
    assert (result.score == 100.0) == (result.status == LiveStatus.LIVE)
    assert 0.0 <= result.score <= 100.0


@given(dates, frequencies, dates, st.integers(min_value=0, max_value=400))
def test_liveness_never_improves_as_time_passes(
    last: dt.date, frequency: str, today: dt.date, later: int
) -> None:
    before = liveness(last, frequency, today)
    after = liveness(last, frequency, today + dt.timedelta(days=later))
    assert after.days_overdue >= before.days_overdue
    assert after.score <= before.score


@given(dates, frequencies, dates, st.integers(min_value=0, max_value=400))
def test_a_newer_update_is_never_less_live(
    last: dt.date, frequency: str, today: dt.date, newer: int
) -> None:
    assert (
        liveness(last + dt.timedelta(days=newer), frequency, today).score
        >= liveness(last, frequency, today).score
    )


@given(dates, st.integers(min_value=-240, max_value=240))
def test_add_months_keeps_the_day_or_the_months_end(day: dt.date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (
        result.day < day.day and (result + dt.timedelta(days=1)).day == 1
    )


def test_examples() -> None:
    assert due_date(dt.date(2026, 1, 31), "monthly") == dt.date(2026, 2, 28)
    late = liveness(dt.date(2026, 1, 1), "quarterly", dt.date(2026, 5, 16))
    assert (late.status, late.days_overdue, late.score) == (LiveStatus.OVERDUE, 45, 50.0)
    assert liveness(None, "monthly", dt.date(2026, 1, 1)).status == LiveStatus.NEVER
    assert liveness(dt.date(2000, 1, 1), "ad_hoc", dt.date(2026, 1, 1)).score == 100.0
    with pytest.raises(ValueError, match="frequency"):
        liveness(dt.date(2026, 1, 1), "hourly", dt.date(2026, 1, 1))


@given(st.booleans(), st.integers(min_value=0, max_value=1000))
def test_shared_score(published: bool, users: int) -> None:
    score = shared_score(published=published, users=users)
    assert 0.0 <= score <= 100.0
    assert (score == 0.0) == (not published)
    assert shared_score(published=published, users=users + 1) >= score


@given(st.fixed_dictionaries(dict.fromkeys(DIMENSIONS, scores)))
def test_overall_is_a_weighted_mean_of_the_measured(
    dimension_scores: dict[str, float | None],
) -> None:
    measured = {d: s for d, s in dimension_scores.items() if s is not None}
    overall = overall_score(dimension_scores)
    if not measured:
        assert overall is None
        return
    assert overall is not None
    # rounded to 4 decimals
    assert min(measured.values()) - 1e-4 <= overall <= max(measured.values()) + 1e-4
    expected = sum(WEIGHTS[d] * s for d, s in measured.items()) / sum(WEIGHTS[d] for d in measured)
    assert overall == pytest.approx(expected, abs=1e-3)


def test_weights_add_up_to_one() -> None:
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
