"""The Vietnamese lunisolar calendar (âm lịch), computed, not tabulated.

This is Hồ Ngọc Đức's published algorithm ("Âm lịch Việt Nam", 2004), which follows the rules
of the Vietnamese calendar: a month starts on the day (in UTC+7) of the astronomical new moon;
month 11 contains the winter solstice; in a year of 13 months the leap month is the first one
that contains no major solar term. New moons and solar longitudes use the series of Jean
Meeus' "Astronomical Algorithms", accurate to minutes for 1800-2199.

Why not a PyPI package: ``lunardate`` and ``lunar-python`` follow the Chinese calendar (UTC+8),
which disagrees with Vietnam's in some years (Tết 1985 fell on 21 January in Vietnam, on 20
February in China); ``vnlunar`` (checked in November 2026: v1.0.5, one author, mostly
fortune-telling features) is young. These 150 lines are small enough to own and are tested
against published Tết dates.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache

VIETNAM_TZ = 7.0  # hours east of UTC; the Chinese calendar uses 8.0
_SYNODIC_MONTH = 29.530588853
_EPOCH_NEW_MOON = 2415021.076998695  # Julian day of the new moon of 1 January 1900
_DR = math.pi / 180


@dataclass(frozen=True, order=True)
class LunarDate:
    year: int
    month: int
    day: int
    leap: bool = False


def jd_from_date(day: dt.date) -> int:
    """Julian day number of a (proleptic Gregorian) date."""
    return day.toordinal() + 1721425


def date_from_jd(jd: int) -> dt.date:
    return dt.date.fromordinal(jd - 1721425)


def _new_moon(k: int) -> float:
    """Julian date (UTC, fractional) of the k-th new moon after 1 January 1900."""
    t = k / 1236.85
    t2 = t * t
    t3 = t2 * t
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _DR)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3  # sun's mean anomaly
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3  # moon's mean anomaly
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3  # moon's latitude
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * _DR) + 0.0021 * math.sin(2 * _DR * m)
    c1 = c1 - 0.4068 * math.sin(mpr * _DR) + 0.0161 * math.sin(_DR * 2 * mpr)
    c1 = c1 - 0.0004 * math.sin(_DR * 3 * mpr)
    c1 = c1 + 0.0104 * math.sin(_DR * 2 * f) - 0.0051 * math.sin(_DR * (m + mpr))
    c1 = c1 - 0.0074 * math.sin(_DR * (m - mpr)) + 0.0004 * math.sin(_DR * (2 * f + m))
    c1 = c1 - 0.0004 * math.sin(_DR * (2 * f - m)) - 0.0006 * math.sin(_DR * (2 * f + mpr))
    c1 = c1 + 0.0010 * math.sin(_DR * (2 * f - mpr)) + 0.0005 * math.sin(_DR * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


def _sun_longitude(jdn: float) -> float:
    """The sun's apparent longitude in radians, normalised to [0, 2π)."""
    t = (jdn - 2451545.0) / 36525
    t2 = t * t
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(_DR * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(_DR * 2 * m) + 0.000290 * math.sin(_DR * 3 * m)
    longitude = (l0 + dl) * _DR
    return longitude - 2 * math.pi * math.floor(longitude / (2 * math.pi))


def _new_moon_day(k: int, tz: float) -> int:
    """Julian day number, in local time ``tz``, of the k-th new moon."""
    return math.floor(_new_moon(k) + 0.5 + tz / 24)


def _sun_sector(jdn: int, tz: float) -> int:
    """Which of the 12 major solar terms (30° sectors) the sun is in at the start of a local day."""
    return math.floor(_sun_longitude(jdn - 0.5 - tz / 24) / math.pi * 6)


@lru_cache(maxsize=512)
def _month11_start(year: int, tz: float) -> int:
    """Julian day on which lunar month 11 (the month of the winter solstice) of ``year`` starts."""
    off = jd_from_date(dt.date(year, 12, 31)) - 2415021
    k = math.floor(off / _SYNODIC_MONTH)
    nm = _new_moon_day(k, tz)
    if _sun_sector(nm, tz) >= 9:  # the new moon is after the solstice: take the one before
        nm = _new_moon_day(k - 1, tz)
    return nm


def _leap_month_offset(a11: int, tz: float) -> int:
    """Position after month 11 of the first month without a major solar term."""
    k = math.floor((a11 - _EPOCH_NEW_MOON) / _SYNODIC_MONTH + 0.5)
    i = 1
    arc = _sun_sector(_new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = _sun_sector(_new_moon_day(k + i, tz), tz)
        if arc == last or i >= 14:
            return i - 1


def lunar_to_solar(
    year: int, month: int, day: int, *, leap: bool = False, tz: float = VIETNAM_TZ
) -> dt.date:
    """The solar date of a lunar date. Raises ``ValueError`` for a leap month that does not exist."""
    if month < 11:
        a11, b11 = _month11_start(year - 1, tz), _month11_start(year, tz)
    else:
        a11, b11 = _month11_start(year, tz), _month11_start(year + 1, tz)
    k = math.floor(0.5 + (a11 - _EPOCH_NEW_MOON) / _SYNODIC_MONTH)
    off = (month - 11) % 12
    if b11 - a11 > 365:  # this lunar year has 13 months
        leap_off = _leap_month_offset(a11, tz)
        leap_month = (leap_off - 2) % 12
        if leap and month != leap_month:
            raise ValueError(f"lunar year {year} has no leap month {month}")
        if leap or off >= leap_off:
            off += 1
    elif leap:
        raise ValueError(f"lunar year {year} has no leap month")
    return date_from_jd(_new_moon_day(k + off, tz) + day - 1)


def solar_to_lunar(day: dt.date, *, tz: float = VIETNAM_TZ) -> LunarDate:
    """The lunar date of a solar date."""
    jdn = jd_from_date(day)
    k = math.floor((jdn - 2415021.076998695) / _SYNODIC_MONTH)
    month_start = _new_moon_day(k + 1, tz)
    # The mean-motion estimate of k can be one month late near a new moon (e.g. 7 May 2054):
    # step back until the month starts on or before the day.
    while month_start > jdn:
        k -= 1
        month_start = _new_moon_day(k + 1, tz)
    a11 = _month11_start(day.year, tz)
    b11 = a11
    if a11 >= month_start:
        lunar_year = day.year
        a11 = _month11_start(day.year - 1, tz)
    else:
        lunar_year = day.year + 1
        b11 = _month11_start(day.year + 1, tz)
    lunar_day = jdn - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11, tz)
        if diff >= leap_diff:
            lunar_month = diff + 10
            leap = diff == leap_diff
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(lunar_year, lunar_month, lunar_day, leap)


def tet(year: int, *, tz: float = VIETNAM_TZ) -> dt.date:
    """The first day of the lunar year that starts in solar ``year`` (Tết Nguyên đán)."""
    return lunar_to_solar(year, 1, 1, tz=tz)
