"""The appraisal, consultation and indicator figures of a program, for dashboards and reports.

Each figure is counted from the same rows its list shows, and links to that list:

- appraisal timeliness ("2 of 17 appraised on time, 15 behind schedule"): ``selectors.
  appraisal_rows`` → the board filtered by ``timing`` (``selectors.rows_with_timing``);
- consultation responses ("28 on time, 5 late, 2 not answered"): ``consultation_rows`` (every
  consulted unit of the program's visible rounds, with its state as of the day) → the
  consulted-units list filtered by ``state`` (``rows_in_bucket``);
- indicator achievement: ``kpi_selectors.program_indicator_figures`` (``indicator_figure`` at
  the root of the program's tree) → the indicator page, built on the same ``indicator_figure``.

``report_section`` gives the same numbers as JSON for the consolidated report, from the
report's fixed viewpoint (``tiendo.reporting.selectors.report_scope``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from tiendo.orgs.scope import Scope
from tiendo.programs.models import Program

from . import consultation, kpi_selectors, selectors
from .models import ConsultationRecipient, IndicatorTarget
from .timing import ProjectTiming

# Appraisal figures shown: the board's ``timing`` values (``behind_or_late`` is "behind
# schedule" in reports: a step late, whether or not the project was approved since).
APPRAISAL_KEYS = (
    "total",
    ProjectTiming.APPRAISED_ON_TIME.value,
    "behind_or_late",
    ProjectTiming.ON_SCHEDULE.value,
    ProjectTiming.RETURNED.value,
    ProjectTiming.NOT_SUBMITTED.value,
)
# Consultation buckets: states of a consulted unit as of the day (``consultation.RecipientState``).
CONSULTATION_BUCKETS: dict[str, tuple[str, ...]] = {
    "total": tuple(s.value for s in consultation.RecipientState),
    "on_time": (consultation.RecipientState.ON_TIME.value,),
    "answered_late": (consultation.RecipientState.ANSWERED_LATE.value,),
    "unanswered": (
        consultation.RecipientState.LATE.value,
        consultation.RecipientState.NOT_ANSWERED.value,
    ),
    "waiting": (consultation.RecipientState.WAITING.value,),
}


@dataclass(frozen=True)
class Fig:
    """A number and the address of the exact list it counts."""

    key: str
    value: int
    url: str


@dataclass
class ProgramFigures:
    program: Program
    on: dt.date
    appraisal: dict[str, Fig] = field(default_factory=dict)
    consultation: dict[str, Fig] = field(default_factory=dict)
    response_rate: Decimal | None = None
    period: dt.date | None = None
    indicators: list[tuple[kpi_selectors.IndicatorFigure, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.appraisal.get("total", Fig("", 0, "")).value
            or self.consultation.get("total", Fig("", 0, "")).value
            or self.indicators
        )


def consultation_rows(
    scope: Scope, *, program: Program | None = None, on: dt.date
) -> list[tuple[ConsultationRecipient, str]]:
    """Every consulted unit of the visible rounds (of ``program``) with its state as of ``on``:
    the one query behind the consultation figures and their list."""
    rounds = consultation.visible_rounds(scope)
    if program is not None:
        rounds = rounds.filter(program=program)
    recipients = (
        ConsultationRecipient.objects.filter(round__in=rounds.values("pk"))
        .select_related("round", "round__sender_unit", "unit")
        .order_by("round__sent_on", "round_id", "unit_path")
    )
    return [(r, consultation.recipient_state(r, r.round.deadline, on)) for r in recipients]


def rows_in_bucket(
    rows: list[tuple[ConsultationRecipient, str]], bucket: str
) -> list[tuple[ConsultationRecipient, str]]:
    """The drill-down list of a consultation figure."""
    states = CONSULTATION_BUCKETS.get(bucket, ())
    return [(r, s) for r, s in rows if s in states]


def consultation_counts(rows: list[tuple[ConsultationRecipient, str]]) -> dict[str, int]:
    return {bucket: len(rows_in_bucket(rows, bucket)) for bucket in CONSULTATION_BUCKETS}


def response_rate(counts: dict[str, int]) -> Decimal | None:
    """Units that answered by the day (on time or late), in percent of the units consulted."""
    if not counts["total"]:
        return None
    answered = Decimal(counts["on_time"] + counts["answered_late"])
    return (answered * 100 / counts["total"]).quantize(Decimal("0.1"))


def indicator_period(program: Program, on: dt.date) -> dt.date | None:
    """The target period a program's indicators are shown for on ``on``: the first period
    ending on or after it (progress towards that target), else the latest one."""
    periods = sorted(
        set(
            IndicatorTarget.objects.filter(
                indicator__program=program, indicator__task__isnull=True
            ).values_list("period_end", flat=True)
        )
    )
    return next((p for p in periods if p >= on), periods[-1] if periods else None)


def _url(name: str, args: list[Any] | None = None, **query: Any) -> str:
    return reverse(name, args=args) + "?" + urlencode(query)


def program_figures(scope: Scope, program: Program, *, on: dt.date) -> ProgramFigures:
    """The program's appraisal, consultation and indicator figures as of ``on``, each with the
    address of its list. ``program`` comes from the access layer (``program_get``)."""
    figures = ProgramFigures(program=program, on=on)
    day = on.isoformat()
    counts = selectors.appraisal_figures(selectors.appraisal_rows(scope, program=program, on=on))
    for key in APPRAISAL_KEYS:
        query = {"program": program.pk, "on": day, **({"timing": key} if key != "total" else {})}
        figures.appraisal[key] = Fig(key, counts[key], _url("appraisals:board", **query))
    answers = consultation_counts(consultation_rows(scope, program=program, on=on))
    for key, value in answers.items():
        url = _url("appraisals:consulted_units", program=program.pk, on=day, state=key)
        figures.consultation[key] = Fig(key, value, url)
    figures.response_rate = response_rate(answers)
    figures.period = indicator_period(program, on)
    if figures.period is not None:
        for f in kpi_selectors.program_indicator_figures(
            scope, program, period_end=figures.period, on=on
        ):
            url = _url(
                "appraisals:indicator", [f.indicator.pk], period=figures.period.isoformat(), on=day
            )
            figures.indicators.append((f, url))
    return figures


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def report_section(scope: Scope, program: Program, *, on: dt.date) -> dict[str, Any] | None:
    """The same figures as plain JSON for a consolidated report (None when the program has no
    appraisal, consultation or indicator): numbers only, no addresses."""
    figures = program_figures(scope, program, on=on)
    if figures.empty:
        return None
    return {
        "appraisal": {k: f.value for k, f in figures.appraisal.items()},
        "consultation": {k: f.value for k, f in figures.consultation.items()},
        "response_rate": _number(figures.response_rate),
        "indicator_period": figures.period.isoformat() if figures.period else None,
        "indicators": [
            {
                "code": f.indicator.code,
                "name": f.indicator.name,
                "unit_of_measure": f.indicator.unit_of_measure,
                "target": _number(f.target),
                "actual": _number(f.actual),
                "achievement": _number(f.achievement),
            }
            for f, _ in figures.indicators
        ],
    }
