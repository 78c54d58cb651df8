"""Deadlines as officials write them: a date, a month, a quarter, a year, or "ongoing".

A fuzzy deadline is stored as its kind plus the last day of its period, so that "Quý II/2024"
is due on 30 June 2024 and every comparison in the database is a plain date comparison.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import fold


class DeadlineKind(models.TextChoices):
    DATE = "date", gettext_lazy("Date")
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    YEAR = "year", gettext_lazy("Year")
    ONGOING = "ongoing", gettext_lazy("Ongoing")  # "Thường xuyên": never overdue


ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: dt.date | None  # last day of the period; None only for ongoing

    def __post_init__(self) -> None:
        if (self.kind == DeadlineKind.ONGOING) != (self.due is None):
            raise ValueError("an ongoing deadline has no date; every other kind has one")

    def label(self) -> str:
        return deadline_label(self.kind, self.due)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_end(kind: str, year: int, number: int = 1) -> dt.date:
    """Last day of a month (number 1-12), a quarter (1-4) or a year."""
    if kind == DeadlineKind.MONTH:
        return month_end(year, number)
    if kind == DeadlineKind.QUARTER:
        return month_end(year, number * 3)
    if kind == DeadlineKind.YEAR:
        return dt.date(year, 12, 31)
    raise ValueError(kind)


def deadline_label(kind: str, due: dt.date | None) -> str:
    """The deadline as a reader expects it, in the active language."""
    if kind == DeadlineKind.ONGOING or due is None:
        return _("Ongoing")
    if kind == DeadlineKind.MONTH:
        return _("Month %(month)s/%(year)s") % {"month": due.month, "year": due.year}
    if kind == DeadlineKind.QUARTER:
        quarter = ("I", "II", "III", "IV")[(due.month - 1) // 3]
        return _("Quarter %(quarter)s/%(year)s") % {"quarter": quarter, "year": due.year}
    if kind == DeadlineKind.YEAR:
        return _("Year %(year)s") % {"year": due.year}
    return formats.date_format(due, "SHORT_DATE_FORMAT")


_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(?:thang|month)?\s*(\d{1,2})\s*(?:[/.-]|\s+nam\s+)\s*(\d{4})$")
_QUARTER = re.compile(r"^(?:quy|quarter|q)\s*(iv|iii|ii|i|[1-4])\s*[/.,\-\s]\s*(?:nam\s*)?(\d{4})$")
_YEAR = re.compile(r"^(?:nam|year)?\s*(\d{4})$")
_YEAR_RANGE = re.compile(r"^(?:giai doan|nam)?\s*(\d{4})\s*[-–]\s*(\d{4})$")
# "Trước 30/6/2024", "Trong năm 2024", "Chậm nhất Quý II/2024": the date is what counts.
_PREFIX = re.compile(r"^(?:truoc|trong|den|cham nhat|hoan thanh truoc|before|by)\s+(?:ngay\s+)?")
_ONGOING = {"thuong xuyen", "ongoing", "hang nam", "hang nam thuong xuyen", "lien tuc"}


def parse_deadline(text: str) -> Deadline:
    """Parse a completion time as written in plans; raise ``ValueError`` with a readable message.

    >>> parse_deadline("Quý II/2024")
    Deadline(kind='quarter', due=datetime.date(2024, 6, 30))
    """
    folded = _PREFIX.sub("", fold(text)).strip()
    if not folded:
        raise ValueError(_("The completion time is empty."))
    if folded in _ONGOING or folded.startswith("thuong xuyen"):
        return Deadline(DeadlineKind.ONGOING, None)
    try:
        if m := _DATE_DMY.match(folded):
            return Deadline(DeadlineKind.DATE, dt.date(int(m[3]), int(m[2]), int(m[1])))
        if m := _DATE_ISO.match(folded):
            return Deadline(DeadlineKind.DATE, dt.date(int(m[1]), int(m[2]), int(m[3])))
        if m := _MONTH.match(folded):
            month = int(m[1])
            if not 1 <= month <= 12:
                raise ValueError
            return Deadline(DeadlineKind.MONTH, month_end(int(m[2]), month))
        if m := _QUARTER.match(folded):
            q = m[1].upper()
            number = ROMAN[q] if q in ROMAN else int(q)
            return Deadline(
                DeadlineKind.QUARTER, period_end(DeadlineKind.QUARTER, int(m[2]), number)
            )
        if m := _YEAR.match(folded):
            return Deadline(DeadlineKind.YEAR, dt.date(int(m[1]), 12, 31))
        if m := _YEAR_RANGE.match(folded):
            first, last = int(m[1]), int(m[2])
            if last < first:
                raise ValueError
            return Deadline(DeadlineKind.YEAR, dt.date(last, 12, 31))
    except ValueError:
        pass
    raise ValueError(
        _(
            "“%(text)s” is not a completion time tiendo understands. Write a date (30/6/2024), "
            "a month (Tháng 6/2024), a quarter (Quý II/2024), a year (Năm 2024) or “Thường xuyên”."
        )
        % {"text": text}
    )
