"""When a reminder fires: pure functions of a due date, today and a program's settings.

One rule serves both families, task deadlines and periodic progress reports:

- before the due day, at most ``days_before`` working days ahead  -> AHEAD, to the assignee;
- on the due day (the last working day on or before it)           -> TODAY, assignee + unit leader;
- every ``overdue_every`` working days past it                    -> OVERDUE step k, to the
  assignee and the level above: step 1 unit leader, 2 standing office, 3+ committee leader.

Nothing fires on a day off; a day missed (server down, weekend) is caught up on the next
working day, because each reminder is identified by its ``occurrence`` (the due date for AHEAD
and TODAY, the day step k was reached for OVERDUE), not by the day the engine ran.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tiendo.calendars.workdays import WorkingCalendar, default_calendar
from tiendo.core.deadlines import month_end

from .models import Level, NotificationKind, ReminderSettings, ReportPeriod

AHEAD, TODAY, OVERDUE = "ahead", "today", "overdue"
TASK_KINDS = {
    AHEAD: NotificationKind.DEADLINE_AHEAD,
    TODAY: NotificationKind.DEADLINE_TODAY,
    OVERDUE: NotificationKind.OVERDUE,
}
REPORT_KINDS = {
    AHEAD: NotificationKind.REPORT_AHEAD,
    TODAY: NotificationKind.REPORT_TODAY,
    OVERDUE: NotificationKind.REPORT_OVERDUE,
}


@dataclass(frozen=True)
class Firing:
    stage: str  # AHEAD, TODAY or OVERDUE
    occurrence: dt.date
    level: int  # the highest level reached; the assignee is always included
    days_overdue: int = 0


def last_working_day_until(day: dt.date, cal: WorkingCalendar) -> dt.date:
    """``day`` if it is a working day, else the last working day before it."""
    return day if cal.is_working_day(day) else cal.add_working_days(day, -1)


def plan(
    due: dt.date,
    today: dt.date,
    rules: ReminderSettings,
    cal: WorkingCalendar = default_calendar,
) -> Firing | None:
    """The reminder that is due ``today`` for something due on ``due``, if any."""
    if not rules.enabled or not cal.is_working_day(today):
        return None
    due_day = last_working_day_until(due, cal)
    if today < due_day:
        if cal.working_days_between(today, due_day) <= rules.days_before:
            return Firing(AHEAD, due, Level.ASSIGNEE)
        return None
    if today <= due:  # today is the due day (a working day on or before the deadline)
        if rules.on_due_day:
            return Firing(TODAY, due, Level.UNIT_LEADER)
        return Firing(AHEAD, due, Level.ASSIGNEE)
    overdue = cal.working_days_between(due, today)
    step = overdue // rules.overdue_every
    if step < 1:
        return None
    reached = cal.add_working_days(due, step * rules.overdue_every)
    return Firing(OVERDUE, reached, min(step, Level.COMMITTEE_LEADER), overdue)


def latest_due_horizon(today: dt.date, rules: ReminderSettings, cal: WorkingCalendar) -> dt.date:
    """Due dates on or after this never fire today (AHEAD reaches ``days_before`` ahead)."""
    return cal.add_working_days(today, rules.days_before + 1)


@dataclass(frozen=True)
class ReportPeriodWindow:
    start: dt.date
    end: dt.date
    due: dt.date


def report_periods(
    today: dt.date, rules: ReminderSettings, cal: WorkingCalendar = default_calendar
) -> list[ReportPeriodWindow]:
    """The current and the previous reporting period, with their report due dates."""
    if not rules.report_period:
        return []
    months = 1 if rules.report_period == ReportPeriod.MONTHLY else 3
    # first month of the period containing today
    index = (today.year * 12 + today.month - 1) // months * months
    windows = []
    for back in (1, 0):
        first = index - back * months
        start = dt.date(first // 12, first % 12 + 1, 1)
        last = first + months - 1
        end = month_end(last // 12, last % 12 + 1)
        windows.append(
            ReportPeriodWindow(start, end, cal.add_working_days(end, rules.report_due_days))
        )
    return windows
