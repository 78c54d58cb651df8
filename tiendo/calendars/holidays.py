"""Vietnam's public holidays for a year, computed from the law (no table typed per year).

Labour Code 2019 (Bộ luật Lao động số 45/2019/QH14), article 112:
- Tết Dương lịch: 1 January;
- Tết Âm lịch: 5 days. The Prime Minister fixes which 5 each year; the default here is the
  last day of the lunar year and days 1 to 4 of month 1, which is what most years use;
- Victory Day 30 April; International Labour Day 1 May;
- National Day: 2 September plus one adjacent day (1 or 3 September, chosen by the government
  each year since 2021). The default rule reproduces the choices of 2021-2025: the day that joins
  the holiday to a weekend, else 1 September;
- Hùng Kings' Commemoration Day: 10th day of lunar month 3.
Clause 3: a holiday that falls on a weekly rest day is compensated on the next working day.

Anything else the government decides in a given year (swapped days, make-up working Saturdays,
a different choice of Tết days) is recorded as a ``CalendarOverride`` by an administrator.
Everything in this module is pure: no database, no settings.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.db import models
from django.utils.translation import gettext_lazy as _

from .lunar import lunar_to_solar

SATURDAY, SUNDAY = 5, 6
WEEKEND = frozenset({SATURDAY, SUNDAY})


class HolidayKind(models.TextChoices):
    NEW_YEAR = "new_year", _("New Year's Day")
    TET = "tet", _("Lunar New Year (Tết)")
    HUNG_KINGS = "hung_kings", _("Hùng Kings' Commemoration Day")
    VICTORY = "victory", _("Victory Day")
    LABOUR = "labour", _("International Labour Day")
    NATIONAL = "national", _("National Day")
    COMPENSATORY = "compensatory", _("Compensatory day off")


def tet_days(year: int) -> list[dt.date]:
    """The five days of Tết whose first lunar day falls in solar ``year``."""
    first = lunar_to_solar(year, 1, 1)
    return [first + dt.timedelta(days=offset) for offset in range(-1, 4)]


def national_day_pair(year: int) -> tuple[dt.date, dt.date]:
    """2 September and the adjacent day the default rule picks (see the module docstring)."""
    national = dt.date(year, 9, 2)
    weekday = national.weekday()
    # Thursday: Friday joins the weekend. Sunday or Monday: 1 September is a weekend day.
    after = weekday in (3, 6, 0)
    extra = national + dt.timedelta(days=1 if after else -1)
    return (national, extra) if after else (extra, national)


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """Days off by law in ``year`` (date -> ``HolidayKind``), compensatory days included.

    Tết always falls between 21 January and 20 February, so every day of a year's holidays and
    their compensatory days lies in that year.
    """
    days: dict[dt.date, str] = dict.fromkeys(tet_days(year), HolidayKind.TET)
    days[dt.date(year, 1, 1)] = HolidayKind.NEW_YEAR
    days[lunar_to_solar(year, 3, 10)] = HolidayKind.HUNG_KINGS
    days[dt.date(year, 4, 30)] = HolidayKind.VICTORY
    days[dt.date(year, 5, 1)] = HolidayKind.LABOUR
    for day in national_day_pair(year):
        days[day] = HolidayKind.NATIONAL
    _add_compensatory_days(days)
    return dict(sorted(days.items()))


def _add_compensatory_days(days: dict[dt.date, str]) -> None:
    """Each holiday on a weekend gives the next day that is neither weekend nor holiday."""
    for holiday in sorted(d for d in days if d.weekday() in WEEKEND):
        day = holiday + dt.timedelta(days=1)
        while day.weekday() in WEEKEND or day in days:
            day += dt.timedelta(days=1)
        days[day] = HolidayKind.COMPENSATORY
