"""Reads of the calendar for people: the special days of a year, with their reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .holidays import HolidayKind, statutory_holidays
from .models import CalendarOverride
from .workdays import default_calendar


@dataclass(frozen=True)
class SpecialDay:
    date: dt.date
    is_working_day: bool
    label: str
    override: bool  # an administrator's decision, not the statutory rule


def special_days(year: int) -> list[SpecialDay]:
    """Holidays and overrides of ``year`` (ordinary weekdays and weekends left out)."""
    default_calendar.is_working_day(dt.date(year, 1, 1))  # refuses a year out of range
    days = {
        day: SpecialDay(day, False, str(HolidayKind(kind).label), False)
        for day, kind in statutory_holidays(year).items()
    }
    for row in CalendarOverride.objects.filter(date__year=year):
        days[row.date] = SpecialDay(row.date, row.is_working_day, row.reason, True)
    return [days[d] for d in sorted(days)]
