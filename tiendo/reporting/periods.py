"""Reporting periods and their due dates: pure functions of dates (property-tested).

A period is a closed range of calendar dates. Monthly, quarterly, six-monthly and yearly
periods follow the calendar; an ad hoc period has the dates the standing office gives.
Due rules:
- ``day_of_last_month`` n: the n-th of the period's last month, or its last day if shorter
  ("by the 20th of the last month of the quarter");
- ``working_days_after_end`` n: the n-th working day after the period end, by the Vietnamese
  working calendar of ``tiendo.calendars`` (0: the end itself if a working day, else the next).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tiendo.calendars.workdays import add_working_days, next_working_day

from .models import DueRule, Frequency

MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.SIX_MONTHLY: 6,
    Frequency.YEARLY: 12,
}
ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_label(frequency: str, start: dt.date, end: dt.date) -> str:
    """The name officials give the period: "Quý I/2025", "Tháng 3/2025", "6 tháng đầu năm 2025"."""
    if frequency == Frequency.MONTHLY:
        return _("Month %(month)s/%(year)s") % {"month": start.month, "year": start.year}
    if frequency == Frequency.QUARTERLY:
        return _("Quarter %(roman)s/%(year)s") % {
            "roman": ROMAN[(start.month - 1) // 3],
            "year": start.year,
        }
    if frequency == Frequency.SIX_MONTHLY:
        if start.month == 1:
            return _("First six months of %(year)s") % {"year": start.year}
        return _("Last six months of %(year)s") % {"year": start.year}
    if frequency == Frequency.YEARLY:
        return _("Year %(year)s") % {"year": start.year}
    return _("%(start)s to %(end)s") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
    }


def period_containing(frequency: str, day: dt.date) -> Period:
    """The calendar period of ``frequency`` that contains ``day`` (not for ad hoc schedules)."""
    months = MONTHS[Frequency(frequency)]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    end = _month_end(day.year, first_month + months - 1)
    return Period(start, end, period_label(frequency, start, end))


def periods_between(frequency: str, first: dt.date, last: dt.date) -> list[Period]:
    """The calendar periods that end within [first, last], in order."""
    out: list[Period] = []
    period = period_containing(frequency, first)
    while period.end <= last:
        if period.end >= first:
            out.append(period)
        period = period_containing(frequency, period.end + dt.timedelta(days=1))
    return out


def due_date(rule: str, value: int, end: dt.date) -> dt.date:
    """When a report for a period ending on ``end`` is due under ``rule`` with ``value``."""
    if rule == DueRule.DAY_OF_LAST_MONTH:
        last = _month_end(end.year, end.month).day
        return dt.date(end.year, end.month, min(max(value, 1), last))
    if rule == DueRule.WORKING_DAYS_AFTER_END:
        return add_working_days(end, value) if value else next_working_day(end)
    raise ValueError(rule)
