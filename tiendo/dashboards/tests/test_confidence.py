"""The delivery-confidence rule: edge cases and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tiendo.dashboards.confidence import LEVELS, Rating, rate


def counts(**kw: int) -> dict[str, int]:
    base = dict.fromkeys(
        ("active", "overdue", "open_within", "at_risk", "extended", "open", "stale"), 0
    )
    return {**base, **kw}


def test_nothing_active_is_not_rated() -> None:
    # Given a block with only paused or cancelled tasks; when rated; then "not rated"
    result = rate(counts())
    assert result.rating is None
    assert result.reason


def test_all_on_track_is_green_with_a_reason() -> None:
    result = rate(counts(active=10, open_within=5, open=5))
    assert result.rating == Rating.GREEN
    assert "No task is overdue" in result.reason


def test_overdue_share_sets_the_level() -> None:
    # Given 100 active tasks, when 0, 5, 15, 30 and 31 are overdue, then each step is one level
    ratings = [rate(counts(active=100, open=n, overdue=n)).rating for n in (0, 5, 15, 30, 31)]
    assert ratings == list(LEVELS)


def test_one_overdue_of_many_is_amber_green_and_says_why() -> None:
    result = rate(counts(active=40, overdue=1, open=10, open_within=9))
    assert result.rating == Rating.AMBER_GREEN
    assert "1 of 40" in result.reason


def test_slippage_and_late_reporting_alone_stop_at_amber() -> None:
    result = rate(counts(active=10, extended=10, open=10, open_within=10, stale=10))
    assert result.rating == Rating.AMBER
    assert len(result.reasons) == 2


def test_at_risk_counts_against_tasks_within_the_deadline() -> None:
    result = rate(counts(active=10, open=4, open_within=4, at_risk=3))
    assert result.rating == Rating.RED


block = st.integers(min_value=1, max_value=200).flatmap(
    lambda active: st.fixed_dictionaries(
        {
            "active": st.just(active),
            "overdue": st.integers(0, active),
            "open_within": st.integers(0, active),
            "extended": st.integers(0, active),
        }
    ).flatmap(
        lambda c: st.fixed_dictionaries(
            {
                **{k: st.just(v) for k, v in c.items()},
                "at_risk": st.integers(0, c["open_within"]),
                "open": st.just(min(active, c["overdue"] + c["open_within"])),
                "stale": st.integers(0, min(active, c["overdue"] + c["open_within"])),
            }
        )
    )
)


@given(c=block, more=st.integers(min_value=1, max_value=50))
def test_more_overdue_never_improves_the_rating(c: dict[str, int], more: int) -> None:
    # Given a block without extensions or late reports (they are diluted by more tasks)
    c = {**c, "extended": 0, "stale": 0}
    # When more tasks fall overdue
    worse = {**c, "active": c["active"] + more, "overdue": c["overdue"] + more}
    worse["open"] = c["open"] + more
    # Then the rating is at least as bad
    assert rate(worse).level >= rate(c).level


@given(c=block)
def test_rating_is_one_of_five_and_always_explained(c: dict[str, int]) -> None:
    result = rate(c)
    assert result.rating in LEVELS
    assert result.reasons
    # Red or amber-red is only ever caused by overdue or at-risk tasks.
    if result.level >= 3:
        assert c["overdue"] or c["at_risk"]
