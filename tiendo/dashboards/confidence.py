"""Delivery confidence: a five-point rating computed from the figures, with the reason in words.

The rule (also in README.md, "Delivery confidence"):

Four factors, each read from counts that a dashboard already has (see ``figures.BUCKETS``):

==================  =============================================  ===========================
factor              share                                          level 0/1/2/3/4 when share
==================  =============================================  ===========================
overdue             overdue / active                               0, <=5%, <=15%, <=30%, more
at risk             at_risk / open_within                          <=10%, <=20%, <=35%, <=50%, more
deadline slippage   extended / active                              <=10%, <=25%, more (max 2)
late reporting      stale / open                                   <=10%, <=30%, more (max 2)
==================  =============================================  ===========================

``active`` = completed + open (paused and cancelled tasks are left out), ``at_risk`` = open within
the deadline, due within 30 days and under 50 % done ("little time left, much work left"),
``extended`` = deadline in force differs from the deadline at assignment, ``stale`` = open and
no report for 45 days.

The rating is the worst level of the four factors: 0 green, 1 amber-green, 2 amber, 3 amber-red,
4 red. Slippage and late reporting are warnings, not failures: alone they can lower the rating
to amber at most. With no active task there is nothing to rate ("not rated").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Rating(models.TextChoices):
    GREEN = "green", gettext_lazy("Green")
    AMBER_GREEN = "amber_green", gettext_lazy("Amber-green")
    AMBER = "amber", gettext_lazy("Amber")
    AMBER_RED = "amber_red", gettext_lazy("Amber-red")
    RED = "red", gettext_lazy("Red")


LEVELS: tuple[Rating, ...] = (
    Rating.GREEN,
    Rating.AMBER_GREEN,
    Rating.AMBER,
    Rating.AMBER_RED,
    Rating.RED,
)

# Upper bounds (inclusive) of each level's share; above the last bound: the next level.
OVERDUE_BOUNDS = (0.0, 0.05, 0.15, 0.30)
AT_RISK_BOUNDS = (0.10, 0.20, 0.35, 0.50)
SLIPPAGE_BOUNDS = (0.10, 0.25)
STALE_BOUNDS = (0.10, 0.30)

COUNTS_NEEDED = ("active", "overdue", "open_within", "at_risk", "extended", "open", "stale")


@dataclass(frozen=True)
class Confidence:
    rating: Rating | None  # None: nothing to rate
    reasons: tuple[str, ...]

    @property
    def level(self) -> int | None:
        return None if self.rating is None else LEVELS.index(self.rating)

    @property
    def label(self) -> str:
        return str(self.rating.label) if self.rating else _("Not rated")

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)


def _level(part: int, whole: int, bounds: Sequence[float]) -> int:
    if whole <= 0:
        return 0
    share = part / whole
    for level, bound in enumerate(bounds):
        if share <= bound:
            return level
    return len(bounds)


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


def rate(counts: Mapping[str, int]) -> Confidence:
    """The rating and its reasons for a block of counts (see the module docstring)."""
    active = counts.get("active", 0)
    if active <= 0:
        return Confidence(None, (_("No active task to rate."),))
    levels = (
        _level(counts["overdue"], active, OVERDUE_BOUNDS),
        _level(counts["at_risk"], counts["open_within"], AT_RISK_BOUNDS),
        _level(counts["extended"], active, SLIPPAGE_BOUNDS),
        _level(counts["stale"], counts["open"], STALE_BOUNDS),
    )
    worst = max(levels)
    if worst == 0:
        return Confidence(LEVELS[0], (_("No task is overdue, at risk, extended or unreported."),))
    # The reason of each factor that is not green, in the factors' order (only those are
    # translated and formatted: a national page rates about a hundred rows).
    reasons = []
    if levels[0]:
        reasons.append(
            _("%(share)s of active tasks are overdue (%(part)d of %(whole)d).")
            % {
                "share": _pct(counts["overdue"], active),
                "part": counts["overdue"],
                "whole": active,
            }
        )
    if levels[1]:
        reasons.append(
            _(
                "%(part)d of %(whole)d tasks within their deadline are due in 30 days and less than half done."
            )
            % {"part": counts["at_risk"], "whole": counts["open_within"]}
        )
    if levels[2]:
        reasons.append(
            _("%(part)d of %(whole)d active tasks had their deadline extended.")
            % {"part": counts["extended"], "whole": active}
        )
    if levels[3]:
        reasons.append(
            _("%(part)d of %(whole)d open tasks have no progress report for 45 days.")
            % {"part": counts["stale"], "whole": counts["open"]}
        )
    return Confidence(LEVELS[worst], tuple(reasons))
