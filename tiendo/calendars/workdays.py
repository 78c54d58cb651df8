"""Working-day arithmetic on Vietnam's calendar. Start here.

    is_working_day(d)             Monday-Friday, not a public holiday, unless an override says
    add_working_days(d, n)        the n-th working day after d (n > 0), before d (n < 0), d (n = 0)
    working_days_between(a, b)    working days after a up to and including b; negative if b < a
    next_working_day(d)           d itself if it is a working day, else the first one after it

"Within 10 working days from 3 March" is ``add_working_days(date(…, 3, 3), 10)``. A deadline
on a day off is ``next_working_day(deadline)`` when the rule says it moves to the next one.

The module-level functions use the statutory holidays (``holidays.py``) and the administrators'
``CalendarOverride`` rows, loaded once per year and per process and reloaded after
``CACHE_SECONDS`` (an override edited in the admin reaches other processes within that time).
``WorkingCalendar`` takes the overrides as an argument and touches no database: tests and
simulations build their own.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping

from .holidays import WEEKEND, statutory_holidays

CACHE_SECONDS = 300
MIN_YEAR, MAX_YEAR = 1900, 2199  # the range where the lunar calendar is computed accurately

OverrideLoader = Callable[[int], Mapping[dt.date, bool]]


def _no_overrides(year: int) -> Mapping[dt.date, bool]:
    return {}


class WorkingCalendar:
    """Working days of Vietnam, given a loader of overrides per year (date -> is working day)."""

    def __init__(
        self, overrides: OverrideLoader | None = None, *, ttl: float | None = None
    ) -> None:
        self._load_overrides = overrides or _no_overrides
        self._ttl = ttl
        self._years: dict[int, tuple[float, tuple[int, ...], frozenset[int]]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._years.clear()

    def _year(self, year: int) -> tuple[tuple[int, ...], frozenset[int]]:
        """Sorted ordinals of the year's working days, and the same as a set."""
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"the working-day calendar covers {MIN_YEAR}-{MAX_YEAR}: {year}")
        entry = self._years.get(year)
        now = time.monotonic()
        if entry is not None and (self._ttl is None or now - entry[0] < self._ttl):
            return entry[1], entry[2]
        holidays = statutory_holidays(year)
        overrides = self._load_overrides(year)
        days = []
        day = dt.date(year, 1, 1)
        while day.year == year:
            working = day.weekday() not in WEEKEND and day not in holidays
            working = overrides.get(day, working)
            if working:
                days.append(day.toordinal())
            day += dt.timedelta(days=1)
        ordinals, members = tuple(days), frozenset(days)
        with self._lock:
            self._years[year] = (now, ordinals, members)
        return ordinals, members

    def is_working_day(self, day: dt.date) -> bool:
        return day.toordinal() in self._year(day.year)[1]

    def next_working_day(self, day: dt.date) -> dt.date:
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        ordinal, year = day.toordinal(), day.year
        if n > 0:
            days = self._year(year)[0]
            index = bisect_right(days, ordinal)
            while index + n > len(days):
                n -= len(days) - index
                year += 1
                days, index = self._year(year)[0], 0
            return dt.date.fromordinal(days[index + n - 1])
        if n < 0:
            days = self._year(year)[0]
            before = bisect_left(days, ordinal)  # working days of the year strictly before day
            while before + n < 0:
                n += before
                year -= 1
                days = self._year(year)[0]
                before = len(days)
            return dt.date.fromordinal(days[before + n])
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        if end < start:
            return -self.working_days_between(end, start)
        total = 0
        for year in range(start.year, end.year + 1):
            days = self._year(year)[0]
            low = bisect_right(days, start.toordinal()) if year == start.year else 0
            high = bisect_right(days, end.toordinal()) if year == end.year else len(days)
            total += high - low
        return total


def _database_overrides(year: int) -> Mapping[dt.date, bool]:
    from .models import CalendarOverride

    return dict(
        CalendarOverride.objects.filter(date__year=year).values_list("date", "is_working_day")
    )


default_calendar = WorkingCalendar(_database_overrides, ttl=CACHE_SECONDS)


def clear_cache() -> None:
    """Forget loaded years in this process (called after an override is saved)."""
    default_calendar.clear()


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day: not a weekend or holiday, unless an override says so."""
    return default_calendar.is_working_day(day)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the first working day after it."""
    return default_calendar.next_working_day(day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after ``day`` (before it if n < 0); ``day`` itself counts as day 0."""
    return default_calendar.add_working_days(day, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``; the negative count if end < start."""
    return default_calendar.working_days_between(start, end)
