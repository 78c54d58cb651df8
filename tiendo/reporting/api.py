"""The reporting regime over HTTP: the same selectors and services as the pages.

Schedules, periods, unit reports (write, submit, review), reporting discipline, consolidation,
file generation and download. Records outside the caller's scope answer 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from tiendo.api.schemas import Id, responses, text
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for
from tiendo.programs.selectors import program_get

from . import selectors, services
from .models import (
    ConsolidatedReport,
    ConsolidationRun,
    DueRule,
    FileState,
    Frequency,
    ReportPeriod,
    UnitReport,
)

router = Router(tags=["reporting"])


def _user(request: HttpRequest) -> Any:
    return request.auth_user  # type: ignore[attr-defined]


class ReportScheduleIn(Schema):
    name: text(300)  # type: ignore[valid-type]
    frequency: Literal[tuple(Frequency.values)]  # type: ignore[valid-type]
    due_rule: Literal[tuple(DueRule.values)]  # type: ignore[valid-type]
    due_value: int = Field(ge=0, le=60)
    units: list[Id] = Field(min_length=1, max_length=500)


class ReportScheduleOut(Schema):
    id: int
    program: int
    name: str
    frequency: str
    due_rule: str
    due_value: int
    units: list[int]


# Due dates are counted in working days, which the calendar knows from 1900 to 2199: a period
# must end early enough for its due date to stay inside (the year 113 answered 500).
CalendarDay = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2198, 12, 31))]


class ReportPeriodIn(Schema):
    day: CalendarDay | None = None
    start: CalendarDay | None = None
    end: CalendarDay | None = None


class ReportPeriodOut(Schema):
    id: int
    schedule: int
    label: str
    start: dt.date
    end: dt.date
    due_on: dt.date


class UnitReportIn(Schema):
    edit_version: int | None = None
    results: text(20_000) | None = None  # type: ignore[valid-type]
    difficulties: text(20_000) | None = None  # type: ignore[valid-type]
    difficulties_theme: text(20) | None = None  # type: ignore[valid-type]
    proposals: text(20_000) | None = None  # type: ignore[valid-type]
    proposals_theme: text(20) | None = None  # type: ignore[valid-type]


class UnitReportSubmitIn(Schema):
    edit_version: int | None = None


class UnitReportReviewIn(Schema):
    decision: Literal["accept", "return"]
    comment: text(5000) = ""  # type: ignore[valid-type]


class UnitReportOut(Schema):
    id: int
    period: int
    unit: int
    unit_name: str
    version: int
    state: str
    edit_version: int
    results: str
    difficulties: str
    difficulties_theme: str
    proposals: str
    proposals_theme: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    review_comment: str
    figures: dict[str, Any]


class DisciplineRowOut(Schema):
    unit: int
    unit_name: str
    status: str
    submitted_at: dt.datetime | None


class DisciplineOut(Schema):
    period: int
    obliged: int
    counts: dict[str, int]
    rows: list[DisciplineRowOut]


class ConsolidateReportIn(Schema):
    number: text(100) = ""  # type: ignore[valid-type]


class ConsolidatedOut(Schema):
    id: int
    period: int
    number: str
    snapshot_hash: str
    snapshot: dict[str, Any]
    file_state: str
    file_progress: int
    files: dict[str, str]


def _schedule(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "program": s.program_id,
        "name": s.name,
        "frequency": s.frequency,
        "due_rule": s.due_rule,
        "due_value": s.due_value,
        "units": sorted(u.pk for u in s.units.all()),
    }


def _period(p: ReportPeriod) -> dict[str, Any]:
    return {
        "id": p.pk,
        "schedule": p.schedule_id,
        "label": p.label,
        "start": p.start,
        "end": p.end,
        "due_on": p.due_on,
    }


def _report(r: UnitReport) -> dict[str, Any]:
    return {
        **{
            f: getattr(r, f)
            for f in (
                "id",
                "version",
                "state",
                "edit_version",
                "submitted_at",
                "reviewed_at",
                "review_comment",
            )
        },
        **{f: getattr(r, f) for f in services.REPORT_FIELDS},
        "period": r.period_id,
        "unit": r.unit_id,
        "unit_name": r.unit.name,
        "figures": r.figures,
    }


def _consolidated(c: ConsolidatedReport) -> dict[str, Any]:
    files = {}
    if c.file_state in (FileState.DONE, FileState.FAILED):
        files = {
            f: f"/api/v1/reports/consolidated/{c.pk}/{f}"
            for f in ("docx", "xlsx", "pdf")
            if getattr(c, f)
        }
    return {
        "id": c.pk,
        "period": c.period_id,
        "number": c.number,
        "snapshot_hash": c.snapshot_hash,
        "snapshot": c.snapshot,
        "file_state": c.file_state,
        "file_progress": c.file_progress,
        "files": files,
    }


@router.get("/programs/{program_id}/report-schedules", response=responses(list[ReportScheduleOut]))
def schedules(request: HttpRequest, program_id: Id) -> list[dict[str, Any]]:
    scope = scope_for(_user(request))
    program = program_get(scope, program_id)
    return [_schedule(s) for s in selectors.schedule_list(scope, program)]


@router.post("/programs/{program_id}/report-schedules", response=responses(ReportScheduleOut, 201))
def schedule_create(request: HttpRequest, program_id: Id, payload: ReportScheduleIn) -> Status:
    scope = scope_for(_user(request))
    program = program_get(scope, program_id)
    units = list(Unit.objects.filter(pk__in=payload.units))
    if len(units) != len(set(payload.units)):
        raise ValidationError({"units": _("Some of these units do not exist.")})
    data = payload.dict()
    data["units"] = units
    return Status(
        201, _schedule(services.schedule_create(actor=_user(request), program=program, **data))
    )


@router.post("/report-schedules/{schedule_id}/periods", response=responses(ReportPeriodOut, 201))
def period_open(request: HttpRequest, schedule_id: Id, payload: ReportPeriodIn) -> Status:
    schedule = selectors.schedule_get(scope_for(_user(request)), schedule_id)
    period = services.period_open(actor=_user(request), schedule=schedule, **payload.dict())
    return Status(201, _period(period))


@router.get("/programs/{program_id}/report-periods", response=responses(list[ReportPeriodOut]))
def periods(request: HttpRequest, program_id: Id) -> list[dict[str, Any]]:
    scope = scope_for(_user(request))
    return [_period(p) for p in selectors.period_list(scope, program_get(scope, program_id))]


@router.get("/report-periods/{period_id}/discipline", response=responses(DisciplineOut))
def discipline(request: HttpRequest, period_id: Id) -> dict[str, Any]:
    """On time / late / missing per obliged unit; each count's list is ``rows`` of that status."""
    scope = scope_for(_user(request))
    period = selectors.period_get(scope, period_id)
    d = selectors.discipline(scope, period.schedule.program, period)
    return {
        "period": period.pk,
        "obliged": d.obliged,
        "counts": d.counts,
        "rows": [
            {
                "unit": r.unit_id,
                "unit_name": r.unit_name,
                "status": r.status,
                "submitted_at": r.submitted_at,
            }
            for r in d.rows
        ],
    }


@router.get("/report-periods/{period_id}/reports", response=responses(list[UnitReportOut]))
def reports(request: HttpRequest, period_id: Id) -> list[dict[str, Any]]:
    scope = scope_for(_user(request))
    period = selectors.period_get(scope, period_id)
    return [_report(r) for r in selectors.report_list(scope, period)]


@router.get("/unit-reports/{report_id}", response=responses(UnitReportOut))
def report(request: HttpRequest, report_id: Id) -> dict[str, Any]:
    return _report(selectors.report_get(scope_for(_user(request)), report_id))


@router.patch("/unit-reports/{report_id}", response=responses(UnitReportOut))
def report_update(request: HttpRequest, report_id: Id, payload: UnitReportIn) -> dict[str, Any]:
    report = selectors.report_get(scope_for(_user(request)), report_id)
    fields = payload.dict(exclude_unset=True)
    edit_version = fields.pop("edit_version", None)
    return _report(
        services.report_update(
            actor=_user(request), report=report, edit_version=edit_version, **fields
        )
    )


@router.post("/unit-reports/{report_id}/submit", response=responses(UnitReportOut))
def report_submit(
    request: HttpRequest, report_id: Id, payload: UnitReportSubmitIn
) -> dict[str, Any]:
    report = selectors.report_get(scope_for(_user(request)), report_id)
    return _report(
        services.report_submit(
            actor=_user(request), report=report, edit_version=payload.edit_version
        )
    )


@router.post("/unit-reports/{report_id}/review", response=responses(UnitReportOut))
def report_review(
    request: HttpRequest, report_id: Id, payload: UnitReportReviewIn
) -> dict[str, Any]:
    """Accept, or return with comments (the answer is then the new draft version)."""
    report = selectors.report_get(scope_for(_user(request)), report_id)
    if payload.decision == "accept":
        return _report(
            services.report_accept(actor=_user(request), report=report, comment=payload.comment)
        )
    return _report(
        services.report_return(actor=_user(request), report=report, comment=payload.comment)
    )


@router.post("/report-periods/{period_id}/consolidate", response=responses(ConsolidatedOut))
def consolidate(
    request: HttpRequest, period_id: Id, payload: ConsolidateReportIn
) -> dict[str, Any]:
    period = selectors.period_get(scope_for(_user(request)), period_id)
    return _consolidated(
        services.report_consolidate(actor=_user(request), period=period, number=payload.number)
    )


class ConsolidationRunOut(Schema):
    period: int
    run: int | None
    state: str  # "" (never asked), queued, running, done, failed
    error: str
    error_code: str  # conflict (figures changed; the stored report stands), refused, error...
    consolidated: int | None
    created_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


def _run(period: ReportPeriod, run: ConsolidationRun | None) -> dict[str, Any]:
    stored = ConsolidatedReport.objects.filter(period=period).values_list("pk", flat=True).first()
    return {
        "period": period.pk,
        "run": run.pk if run else None,
        "state": run.state if run else "",
        "error": run.error if run else "",
        "error_code": run.error_code if run else "",
        "consolidated": stored,
        "created_at": run.created_at if run else None,
        "started_at": run.started_at if run else None,
        "finished_at": run.finished_at if run else None,
    }


@router.post(
    "/report-periods/{period_id}/consolidation", response=responses(ConsolidationRunOut, 202)
)
def consolidation_request(
    request: HttpRequest, period_id: Id, payload: ConsolidateReportIn
) -> Status:
    """Consolidate in the background (large programs take minutes); poll the GET for the state.
    Asking again while a run is queued or running returns that run."""
    period = selectors.period_get(scope_for(_user(request)), period_id)
    run = services.consolidation_request(actor=_user(request), period=period, number=payload.number)
    return Status(202, _run(period, run))


@router.get("/report-periods/{period_id}/consolidation", response=responses(ConsolidationRunOut))
def consolidation_status(request: HttpRequest, period_id: Id) -> dict[str, Any]:
    period = selectors.period_get(scope_for(_user(request)), period_id)
    return _run(period, ConsolidationRun.objects.filter(period=period).first())


class ReportRemindIn(Schema):
    units: list[Id] = Field(min_length=1, max_length=10_000)


class ReportRemindOut(Schema):
    units: list[int]


@router.post("/report-periods/{period_id}/remind", response=responses(ReportRemindOut))
def remind(request: HttpRequest, period_id: Id, payload: ReportRemindIn) -> dict[str, Any]:
    """Remind those of ``units`` that have not sent their report (in-app and email, in each
    person's language; once per unit and day). Returns the units reminded."""
    period = selectors.period_get(scope_for(_user(request)), period_id)
    units = services.remind_missing(actor=_user(request), period=period, unit_ids=payload.units)
    return {"units": units}


def _consolidated_get(request: HttpRequest, pk: int) -> ConsolidatedReport:
    c = ConsolidatedReport.objects.filter(pk=pk).first()
    if c is None:
        raise Http404
    selectors.period_get(scope_for(_user(request)), c.period_id)
    return c


@router.get("/reports/consolidated/{pk}", response=responses(ConsolidatedOut))
def consolidated(request: HttpRequest, pk: Id) -> dict[str, Any]:
    return _consolidated(_consolidated_get(request, pk))


@router.post("/reports/consolidated/{pk}/files", response=responses(ConsolidatedOut, 202))
def files(request: HttpRequest, pk: Id) -> Status:
    """Queue DOCX, XLSX and PDF generation; poll the report for ``file_state``/``file_progress``."""
    c = services.files_request(actor=_user(request), consolidated=_consolidated_get(request, pk))
    return Status(202, _consolidated(c))


@router.get(
    "/reports/consolidated/{pk}/{fmt}",
    response={200: None, **{k: v for k, v in responses(None).items() if k != 200}},
)
def download(request: HttpRequest, pk: Id, fmt: Literal["docx", "xlsx", "pdf"]) -> FileResponse:
    from .views import CONTENT_TYPES

    c = _consolidated_get(request, pk)
    file = getattr(c, fmt)
    if c.file_state not in (FileState.DONE, FileState.FAILED) or not file:
        raise Http404
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=f"report-{c.pk}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
