"""Due rules written in working days, as officials write them.

    parse_working_days("trong vòng 10 ngày làm việc")   -> 10
    parse_working_days("within 5 working days")         -> 5
    due_after_working_days(date(2025, 1, 24), "10 ngày làm việc") -> date(2025, 2, 14)

A task assigned "within 10 working days" is due ``add_working_days(assigned_on, 10)``.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from tiendo.core.text import fold

from .workdays import add_working_days

_RULE = re.compile(
    r"^(?:trong(?:\s+vong)?|within|in)?\s*(\d{1,3})\s*(?:ngay\s+lam\s+viec|working\s+days?)"
    r"(?:\s+(?:ke\s+tu|from|after).*)?$"
)


def parse_working_days(text: str) -> int:
    """The number of working days in a rule; ``ValueError`` with a readable message otherwise."""
    match = _RULE.match(fold(text))
    if not match or int(match[1]) == 0:
        raise ValueError(
            _("“%(text)s” is not a number of working days. Write for example “10 ngày làm việc”.")
            % {"text": text}
        )
    return int(match[1])


def due_after_working_days(start: dt.date, text: str) -> dt.date:
    """The due date of a rule such as "trong 10 ngày làm việc" counted from ``start``."""
    return add_working_days(start, parse_working_days(text))
