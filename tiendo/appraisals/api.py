"""Appraisal and indicator figures over HTTP, from the same selectors as the pages.

Schemas are prefixed ``Appraisal``/``Kpi``: django-ninja names components by class name.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tiendo.api.schemas import Id, responses, text
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for
from tiendo.programs.selectors import program_get

from . import consultation, figures, kpi_selectors, kpi_services, selectors, services
from .models import Appraisal

router = Router(tags=["appraisals"])
# Reading days: appraisal timing counts working days, which the calendar knows from 1900 to 2199.
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2198, 12, 31))]


class AppraisalStepOut(Schema):
    position: int
    name: str
    responsible_unit: str
    round: int
    started_on: dt.date
    due_on: dt.date
    finished_on: dt.date | None
    outcome: str
    note: str
    timing: str


class AppraisalProjectOut(Schema):
    task_id: int
    number: str
    title: str
    lead_unit: str
    timing: str
    waiting_at: str | None
    waited_working_days: int
    resubmissions: int
    version: int | None
    steps: list[AppraisalStepOut]


class AppraisalBoardOut(Schema):
    on: dt.date
    figures: dict[str, int]
    items: list[AppraisalProjectOut]


def _project(row: selectors.AppraisalRow) -> dict[str, Any]:
    # Facts dated after the reading day are hidden (as-of), like on the page.
    return {
        "task_id": row.task.pk,
        "number": row.task.number,
        "title": row.task.title,
        "lead_unit": row.task.lead_unit.name if row.task.lead_unit else "",
        "timing": row.timing,
        "waiting_at": f"{row.current.position}. {row.current.name}" if row.current else None,
        "waited_working_days": row.waited,
        "resubmissions": row.appraisal.resubmissions if row.appraisal else 0,
        "version": row.appraisal.version if row.appraisal else None,
        "steps": [
            {
                "position": s.position,
                "name": s.name,
                "responsible_unit": s.responsible_unit.name,
                "round": s.round,
                "started_on": s.started_on,
                "due_on": s.due_on,
                "finished_on": s.finished_on if timing in ("on_time", "late") else None,
                "outcome": s.outcome if timing in ("on_time", "late") else "",
                "note": s.note if timing in ("on_time", "late") else "",
                "timing": timing,
            }
            for s, timing in row.step_timings
        ],
    }


@router.get("/appraisals", response=responses(AppraisalBoardOut))
def appraisal_board(
    request: HttpRequest, program: Id | None = None, on: Day | None = None, timing: str = ""
) -> dict[str, Any]:
    """Investment projects with where they wait; ``timing`` narrows to one figure's list."""
    on = on or timezone.localdate()
    rows = selectors.appraisal_rows(scope_for(request.user), program=program, on=on)
    listed = selectors.rows_with_timing(rows, timing) if timing else rows
    return {
        "on": on,
        "figures": selectors.appraisal_figures(rows),
        "items": [_project(r) for r in listed],
    }


@router.get("/appraisals/{task_id}", response=responses(AppraisalProjectOut))
def appraisal_detail(request: HttpRequest, task_id: Id, on: Day | None = None) -> dict[str, Any]:
    return _project(selectors.appraisal_get(scope_for(request.user), task_id, on=on))


class AppraisalPassIn(Schema):
    on: dt.date
    note: text(5000) = ""  # type: ignore[valid-type]
    version: int | None = None


class AppraisalReturnIn(Schema):
    on: dt.date
    reason: text(5000)  # type: ignore[valid-type]
    version: int | None = None


def _appraisal(request: HttpRequest, task_id: int) -> Appraisal:
    row = selectors.appraisal_get(scope_for(request.user), task_id)
    if row.appraisal is None:
        raise Http404
    return row.appraisal


@router.post("/appraisals/{task_id}/pass", response=responses(AppraisalProjectOut))
def appraisal_pass(request: HttpRequest, task_id: Id, payload: AppraisalPassIn) -> dict[str, Any]:
    services.appraisal_pass_step(
        actor=request.user, appraisal=_appraisal(request, task_id), on=payload.on,
        note=payload.note, version=payload.version,
    )  # fmt: skip
    return _project(selectors.appraisal_get(scope_for(request.user), task_id))


@router.post("/appraisals/{task_id}/return", response=responses(AppraisalProjectOut))
def appraisal_return(
    request: HttpRequest, task_id: Id, payload: AppraisalReturnIn
) -> dict[str, Any]:
    services.appraisal_return(
        actor=request.user, appraisal=_appraisal(request, task_id), on=payload.on,
        reason=payload.reason, version=payload.version,
    )  # fmt: skip
    return _project(selectors.appraisal_get(scope_for(request.user), task_id))


class KpiFigureOut(Schema):
    indicator_id: int
    code: str
    name: str
    unit_of_measure: str
    direction: str
    aggregation: str
    unit: str
    period_end: dt.date
    target: Decimal | None
    actual: Decimal | None
    achievement: Decimal | None
    contributing_values: int


@router.get("/programs/{program_id}/indicators", response=responses(list[KpiFigureOut]))
def program_indicators(
    request: HttpRequest, program_id: Id, period_end: dt.date, on: Day | None = None
) -> list[dict[str, Any]]:
    """Each indicator of the program rolled up over the unit tree, as of ``on``."""
    scope = scope_for(request.user)
    program = program_get(scope, program_id)
    return [
        {
            "indicator_id": f.indicator.pk,
            "code": f.indicator.code,
            "name": f.indicator.name,
            "unit_of_measure": f.indicator.unit_of_measure,
            "direction": f.indicator.direction,
            "aggregation": f.indicator.aggregation,
            "unit": f.unit.name,
            "period_end": f.period_end,
            "target": f.target,
            "actual": f.actual,
            "achievement": f.achievement,
            "contributing_values": len(f.actuals),
        }
        for f in kpi_selectors.program_indicator_figures(
            scope, program, period_end=period_end, on=on
        )
    ]


class KpiValueIn(Schema):
    unit_id: Id
    period_end: dt.date
    measured_on: dt.date
    value: Decimal = Field(max_digits=16, decimal_places=4)
    source: text(500) = ""  # type: ignore[valid-type]
    # The id of the unit's latest value for the period the caller last read (0: none); when
    # given, a value reported meanwhile by somebody else makes this one a 409, not an overwrite.
    seen_value_id: int | None = Field(default=None, ge=0)


class KpiValueOut(Schema):
    id: int
    indicator_id: int
    unit_id: int
    period_end: dt.date
    measured_on: dt.date
    value: Decimal
    source: str


@router.post("/indicators/{indicator_id}/values", response=responses(KpiValueOut, 201))
def indicator_value_report(request: HttpRequest, indicator_id: Id, payload: KpiValueIn) -> Status:
    """Report a value measured for a unit of the program's tree (the unit's own people or the
    program's managers); earlier values stay, the latest measured by a day counts."""
    scope = scope_for(request.user)
    indicator = kpi_selectors.indicator_get(scope, indicator_id)
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None:
        raise ValidationError({"unit": _("Choose an open unit of the program's unit tree.")})
    row = kpi_services.indicator_report(
        actor=request.user, indicator=indicator, unit=unit, period_end=payload.period_end,
        measured_on=payload.measured_on, value=payload.value, source=payload.source,
        seen=payload.seen_value_id,
    )  # fmt: skip
    return Status(201, row)


class AppraisalFigureOut(Schema):
    value: int
    list_url: str  # the page listing exactly the rows counted


class AppraisalKpiFigureOut(Schema):
    indicator_id: int
    code: str
    target: Decimal | None
    actual: Decimal | None
    achievement: Decimal | None
    page_url: str


class AppraisalProgramFiguresOut(Schema):
    on: dt.date
    appraisal: dict[str, AppraisalFigureOut]
    consultation: dict[str, AppraisalFigureOut]
    response_rate: Decimal | None
    indicator_period: dt.date | None
    indicators: list[AppraisalKpiFigureOut]


@router.get(
    "/programs/{program_id}/appraisal-figures", response=responses(AppraisalProgramFiguresOut)
)
def program_appraisal_figures(
    request: HttpRequest, program_id: Id, on: Day | None = None
) -> dict[str, Any]:
    """The dashboard's appraisal timeliness, consultation answers and KPI achievement of a
    program as of ``on``, each with the address of the list it counts."""
    scope = scope_for(request.user)
    f = figures.program_figures(
        scope, program_get(scope, program_id), on=on or timezone.localdate()
    )

    def out(group: dict[str, figures.Fig]) -> dict[str, Any]:
        return {k: {"value": v.value, "list_url": v.url} for k, v in group.items()}

    return {
        "on": f.on,
        "appraisal": out(f.appraisal),
        "consultation": out(f.consultation),
        "response_rate": f.response_rate,
        "indicator_period": f.period,
        "indicators": [
            {
                "indicator_id": i.indicator.pk, "code": i.indicator.code, "target": i.target,
                "actual": i.actual, "achievement": i.achievement, "page_url": url,
            }
            for i, url in f.indicators
        ],
    }  # fmt: skip


class ConsultationUnitOut(Schema):
    unit: str
    state: str
    answer: str
    answered_on: dt.date | None
    comments: str
    response: str
    response_text: str


class ConsultationRoundOut(Schema):
    id: int
    program_id: int
    title: str
    sender_unit: str
    sent_on: dt.date
    deadline: dt.date
    figures: dict[str, Any]
    units: list[ConsultationUnitOut]


def _round(round_: Any, on: dt.date | None) -> dict[str, Any]:
    rows = consultation.round_recipients(round_, on=on)
    answered = ("on_time", "answered_late", "not_answered")
    return {
        "id": round_.pk, "program_id": round_.program_id, "title": round_.title,
        "sender_unit": round_.sender_unit.name, "sent_on": round_.sent_on, "deadline": round_.deadline,
        "figures": consultation.response_figures([s for _, s in rows]),
        "units": [
            {
                "unit": r.unit.name, "state": s, "answer": r.answer if s in answered else "",
                "answered_on": r.answered_on if s in answered else None,
                "comments": r.comments if s in answered else "",
                "response": r.response if s in answered else "",
                "response_text": r.response_text if s in answered else "",
            }
            for r, s in rows
        ],
    }  # fmt: skip


@router.get("/consultations", response=responses(list[ConsultationRoundOut]))
def consultation_list(
    request: HttpRequest, program: Id | None = None, on: Day | None = None
) -> list[dict[str, Any]]:
    """Consultation rounds the caller drafts, is consulted in or oversees, with response rates."""
    rounds = consultation.visible_rounds(scope_for(request.user)).select_related("sender_unit")
    if program is not None:
        rounds = rounds.filter(program_id=program)
    return [_round(r, on) for r in rounds]


@router.get("/consultations/{round_id}", response=responses(ConsultationRoundOut))
def consultation_detail(
    request: HttpRequest, round_id: Id, on: Day | None = None
) -> dict[str, Any]:
    """Who answered, who is late, and the synthesis table of comments and responses."""
    return _round(consultation.round_get(scope_for(request.user), round_id), on)
