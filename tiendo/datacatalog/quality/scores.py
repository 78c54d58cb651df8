"""Pure scoring functions: liveness against a declared frequency, sharing, the overall score.

No I/O here, so each rule is tested exhaustively with hypothesis (tests/test_quality_scores.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

# The declared update frequency -> how long a version stays "live" (months, days).
PERIODS: dict[str, tuple[int, int]] = {
    "daily": (0, 1),
    "weekly": (0, 7),
    "monthly": (1, 0),
    "quarterly": (3, 0),
    "yearly": (12, 0),
}
AD_HOC = "ad_hoc"

# Overall score = weighted mean of the measured dimensions (weights rescaled over those that
# were measured). Accuracy and completeness weigh most: wrong or missing records mislead a
# decision directly; liveness and sharing next; cleanliness and unification last.
WEIGHTS: dict[str, float] = {
    "accurate": 0.25,
    "complete": 0.20,
    "clean": 0.15,
    "live": 0.15,
    "unified": 0.10,
    "shared": 0.15,
}
DIMENSIONS = tuple(WEIGHTS)

# Sharing: publishing earns half the score, each other unit using the data a tenth more.
SHARED_PUBLISHED = 50.0
SHARED_PER_USER = 10.0


class LiveStatus:
    LIVE = "live"  # updated within the declared period
    OVERDUE = "overdue"  # the period has run out since the last update
    NEVER = "never"  # no version yet
    AD_HOC = "ad_hoc"  # no rhythm declared: never overdue


@dataclass(frozen=True)
class Liveness:
    """Whether a dataset is up to date. ``due_on``: the day the next update is due."""

    status: str
    days_overdue: int
    due_on: dt.date | None
    score: float


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def due_date(last_update: dt.date, frequency: str) -> dt.date | None:
    """The day after which a dataset updated on ``last_update`` is overdue (None: ad hoc)."""
    if frequency == AD_HOC:
        return None
    months, days = PERIODS[frequency]
    return add_months(last_update, months) + dt.timedelta(days=days)


def period_days(last_update: dt.date, frequency: str) -> int:
    due = due_date(last_update, frequency)
    return (due - last_update).days if due else 0


def liveness(last_update: dt.date | None, frequency: str, today: dt.date) -> Liveness:
    """Status, days overdue and score (0-100) of a dataset last updated on ``last_update``.

    Live until the due date inclusive; then overdue by ``today - due`` days. The score falls
    linearly from 100 (on time) to 0 when the delay equals one whole period (a monthly dataset
    30 days late scores about 0): a dataset one period behind has missed a whole update.
    """
    if frequency != AD_HOC and frequency not in PERIODS:
        raise ValueError(f"unknown frequency {frequency!r}")
    if last_update is None:
        return Liveness(LiveStatus.NEVER, 0, None, 0.0)
    if frequency == AD_HOC:
        return Liveness(LiveStatus.AD_HOC, 0, None, 100.0)
    due = due_date(last_update, frequency)
    assert due is not None
    late = max(0, (today - due).days)
    if late == 0:
        return Liveness(LiveStatus.LIVE, 0, due, 100.0)
    period = period_days(last_update, frequency)
    score = max(0.0, 100.0 * (1 - late / period))
    return Liveness(LiveStatus.OVERDUE, late, due, round(score, 2))


def shared_score(*, published: bool, users: int) -> float:
    """Sharing score (0-100): 0 unpublished; 50 published; +10 per other unit using it, max 100."""
    if users < 0:
        raise ValueError("users must be 0 or more")
    if not published:
        return 0.0
    return min(100.0, SHARED_PUBLISHED + SHARED_PER_USER * users)


def ratio_score(checked: int, failed: int) -> float | None:
    """100 x share of checked items that passed; None when nothing was checked."""
    if checked <= 0:
        return None
    return round(100.0 * (checked - failed) / checked, 4)


def overall_score(
    scores: Mapping[str, float | None], weights: Mapping[str, float] = WEIGHTS
) -> float | None:
    """Weighted mean of the dimension scores that were measured (None ones are left out)."""
    measured = {d: s for d, s in scores.items() if s is not None and weights.get(d, 0) > 0}
    total = sum(weights[d] for d in measured)
    if not measured or total <= 0:
        return None
    return round(sum(weights[d] * s for d, s in measured.items()) / total, 4)
