"""When reminders fire, on a simulated clock (pure: no database)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from tiendo.calendars.workdays import WorkingCalendar
from tiendo.reminders.models import DEFAULTS, Level, ReminderSettings, ReportPeriod
from tiendo.reminders.rules import AHEAD, OVERDUE, TODAY, plan, report_periods

D = dt.date
CAL = WorkingCalendar()


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def simulate(due: dt.date, start: dt.date, end: dt.date, rules: ReminderSettings = DEFAULTS):
    """Every (day, firing) the engine would see between start and end, deduplicated by key."""
    seen = {}
    for today in days(start, end):
        firing = plan(due, today, rules, CAL)
        if firing is not None and (firing.stage, firing.occurrence) not in seen:
            seen[(firing.stage, firing.occurrence)] = (today, firing)
    return list(seen.values())


def test_a_deadline_across_weeks() -> None:
    # given a deadline on Friday 12 June 2026 and the default rules (3 days ahead, every 5 days)
    due = D(2026, 6, 12)
    # when the clock runs from 1 June to 31 July 2026
    fired = simulate(due, D(2026, 6, 1), D(2026, 7, 31))
    # then: 3 working days before (Tuesday 9 June), on the day, then escalation every 5 days
    assert [(day, f.stage, f.level) for day, f in fired] == [
        (D(2026, 6, 9), AHEAD, Level.ASSIGNEE),
        (D(2026, 6, 12), TODAY, Level.UNIT_LEADER),
        (D(2026, 6, 19), OVERDUE, Level.UNIT_LEADER),
        (D(2026, 6, 26), OVERDUE, Level.STANDING_OFFICE),
        (D(2026, 7, 3), OVERDUE, Level.COMMITTEE_LEADER),
        (D(2026, 7, 10), OVERDUE, Level.COMMITTEE_LEADER),
        (D(2026, 7, 17), OVERDUE, Level.COMMITTEE_LEADER),
        (D(2026, 7, 24), OVERDUE, Level.COMMITTEE_LEADER),
        (D(2026, 7, 31), OVERDUE, Level.COMMITTEE_LEADER),
    ]


def test_deadline_on_a_sunday_is_reminded_on_friday() -> None:
    # given a deadline on Sunday 31 May 2026 (month end)
    fired = simulate(D(2026, 5, 31), D(2026, 5, 20), D(2026, 6, 2))
    # then "due today" goes out on the last working day before it, Friday 29 May
    assert [(day, f.stage) for day, f in fired] == [
        (D(2026, 5, 26), AHEAD),
        (D(2026, 5, 29), TODAY),
    ]


def test_holidays_are_skipped_and_counted_out() -> None:
    # given a deadline on Friday 1 May 2026 (Labour Day; 30 April is a holiday too)
    fired = simulate(D(2026, 5, 1), D(2026, 4, 20), D(2026, 5, 12))
    # then the 3-working-day reminder skips 27 April (Hùng Kings' compensatory day)
    # and "due today" is Wednesday 29 April, the last working day on or before 1 May
    assert [(day, f.stage) for day, f in fired] == [
        (D(2026, 4, 23), AHEAD),
        (D(2026, 4, 29), TODAY),
        (D(2026, 5, 8), OVERDUE),
    ]


def test_program_rules_change_the_schedule() -> None:
    rules = ReminderSettings(days_before=1, on_due_day=False, overdue_every=2, enabled=True)
    fired = simulate(D(2026, 6, 12), D(2026, 6, 1), D(2026, 6, 19), rules)
    assert [(day, f.stage, f.level) for day, f in fired] == [
        (D(2026, 6, 11), AHEAD, Level.ASSIGNEE),
        (D(2026, 6, 16), OVERDUE, Level.UNIT_LEADER),
        (D(2026, 6, 18), OVERDUE, Level.STANDING_OFFICE),
    ]


def test_disabled_rules_never_fire() -> None:
    rules = ReminderSettings(enabled=False, days_before=3, overdue_every=5)
    assert simulate(D(2026, 6, 12), D(2026, 6, 1), D(2026, 7, 31), rules) == []


def test_monthly_report_periods() -> None:
    # given 10 July 2026 / then June's report is due 5 working days after 30 June, July's after 31
    june, july = report_periods(D(2026, 7, 10), DEFAULTS, CAL)
    assert (june.start, june.end, june.due) == (D(2026, 6, 1), D(2026, 6, 30), D(2026, 7, 7))
    assert (july.start, july.end, july.due) == (D(2026, 7, 1), D(2026, 7, 31), D(2026, 8, 7))
    quarterly = ReminderSettings(report_period=ReportPeriod.QUARTERLY, report_due_days=5)
    q2, q3 = report_periods(D(2026, 7, 10), quarterly, CAL)
    assert (q2.start, q2.end) == (D(2026, 4, 1), D(2026, 6, 30))
    assert (q3.start, q3.end) == (D(2026, 7, 1), D(2026, 9, 30))


rules_st = st.builds(
    ReminderSettings,
    enabled=st.just(True),
    days_before=st.integers(1, 10),
    on_due_day=st.booleans(),
    overdue_every=st.integers(1, 10),
)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), rules_st)
def test_firing_properties_on_a_simulated_clock(due: dt.date, rules: ReminderSettings) -> None:
    fired = simulate(due, due - dt.timedelta(days=40), due + dt.timedelta(days=60), rules)
    stages = [f.stage for _, f in fired]
    # nothing fires on a day off
    assert all(CAL.is_working_day(day) for day, _ in fired)
    # one reminder ahead, one on the due day (if the program wants it), then escalations
    assert stages.count(AHEAD) == 1
    assert stages.count(TODAY) == int(rules.on_due_day)
    assert stages == sorted(stages, key=[AHEAD, TODAY, OVERDUE].index)
    overdue = [(day, f) for day, f in fired if f.stage == OVERDUE]
    for step, (day, firing) in enumerate(overdue, start=1):
        # step k fires on the day the task is exactly k * M working days late
        assert CAL.working_days_between(due, day) == step * rules.overdue_every
        assert firing.level == min(step, Level.COMMITTEE_LEADER)
        assert firing.occurrence == day
