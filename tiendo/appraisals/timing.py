"""Pure rules of appraisal timing: due dates in working days, and where a project stands on a
given day. No database here, so the rules are property-tested directly.

A step is due ``time_limit_days`` working days after the day it started (the day itself is day 0,
as in "within 10 working days from receipt"). As of a day ``on``, a step is
- *on time* / *late*: finished by ``on``, on or before / after its due day;
- *waiting*: not finished by ``on`` and ``on`` is not past its due day;
- *overdue*: not finished by ``on`` and ``on`` is past its due day.
Facts dated after ``on`` are ignored, so figures "as of" a past day are the figures of that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiendo.calendars.workdays import add_working_days, working_days_between


class StepTiming(models.TextChoices):
    ON_TIME = "on_time", _("Finished on time")
    LATE = "late", _("Finished late")
    WAITING = "waiting", _("Waiting, within the time limit")
    OVERDUE = "overdue", _("Waiting, past the time limit")


class ProjectTiming(models.TextChoices):
    NOT_SUBMITTED = "not_submitted", _("Dossier not submitted")
    ON_SCHEDULE = "on_schedule", _("In appraisal, on schedule")
    RETURNED = "returned", _("Returned to the project owner")
    BEHIND = "behind", _("Behind schedule")
    APPRAISED_ON_TIME = "appraised_on_time", _("Appraised on time")
    APPRAISED_LATE = "appraised_late", _("Appraised late")


@dataclass(frozen=True)
class StepFacts:
    started_on: dt.date
    due_on: dt.date
    finished_on: dt.date | None
    returned: bool = False  # the step ended by returning the dossier


def step_due(started_on: dt.date, time_limit_days: int) -> dt.date:
    """The last day allowed for a step started on ``started_on``."""
    return add_working_days(started_on, time_limit_days)


def step_timing(step: StepFacts, on: dt.date) -> StepTiming | None:
    """The step's timing as of ``on``; None if it had not started by then."""
    if step.started_on > on:
        return None
    if step.finished_on is not None and step.finished_on <= on:
        return StepTiming.ON_TIME if step.finished_on <= step.due_on else StepTiming.LATE
    return StepTiming.OVERDUE if on > step.due_on else StepTiming.WAITING


def waiting_days(step: StepFacts, on: dt.date) -> int:
    """Working days a step has waited by ``on`` (until it finished, if it finished by then)."""
    end = step.finished_on if step.finished_on is not None and step.finished_on <= on else on
    return max(0, working_days_between(step.started_on, end))


def project_timing(
    steps: Sequence[StepFacts], approved_on: dt.date | None, on: dt.date
) -> ProjectTiming:
    """Where a project's appraisal stands on ``on``, from its steps (in the order entered)."""
    seen = [(s, step_timing(s, on)) for s in steps]
    seen = [(s, t) for s, t in seen if t is not None]
    if not seen:
        return ProjectTiming.NOT_SUBMITTED
    any_late = any(t in (StepTiming.LATE, StepTiming.OVERDUE) for _, t in seen)
    if approved_on is not None and approved_on <= on:
        return ProjectTiming.APPRAISED_LATE if any_late else ProjectTiming.APPRAISED_ON_TIME
    if any_late:
        return ProjectTiming.BEHIND
    last, timing = seen[-1]
    if last.returned and timing in (StepTiming.ON_TIME, StepTiming.LATE):
        return ProjectTiming.RETURNED
    return ProjectTiming.ON_SCHEDULE
