"""Reporting pages: parse, check access (through the selectors), one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiendo.core.errors import ConflictError, PermissionDeniedError, validation_messages
from tiendo.orgs.scope import scope_for
from tiendo.programs.access import can_manage_program
from tiendo.programs.selectors import program_get
from tiendo.programs.status import TaskStatus

from . import selectors, services
from .forms import PeriodForm, ReportForm, ReviewForm, ScheduleForm
from .models import ConsolidatedReport, ConsolidationRun, FileState, ReportState, Theme
from .selectors import DISCIPLINE_STATUSES


def _errors(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for field, msgs in validation_messages(error).items():
            for m in msgs:
                messages.error(request, m if field == "__all__" else f"{field}: {m}")
    else:
        messages.error(request, getattr(error, "message", str(error)))


FAILURES = (ValidationError, ConflictError, PermissionDeniedError)


@login_required
def program_reports(request: HttpRequest, program_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    program = program_get(scope, program_id)
    manager = can_manage_program(scope, program)
    context = {
        "program": program,
        "schedules": selectors.schedule_list(scope, program),
        "periods": selectors.period_list(scope, program),
        "can_manage": manager,
        "form": ScheduleForm(program=program) if manager else None,
        "period_form": PeriodForm(),
    }
    return render(request, "reporting/program.html", context)


@login_required
@require_POST
def schedule_create(request: HttpRequest, program_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    program = program_get(scope, program_id)
    form = ScheduleForm(request.POST, program=program)
    if form.is_valid():
        try:
            services.schedule_create(actor=request.user, program=program, **form.cleaned_data)
            messages.success(request, _("The reporting schedule was created."))
        except FAILURES as error:
            _errors(request, error)
    else:
        for field, errs in form.errors.items():
            for e in errs:
                messages.error(request, f"{form.fields[field].label}: {e}")
    return HttpResponseRedirect(reverse("reporting:program", args=[program.pk]))


@login_required
@require_POST
def period_open(request: HttpRequest, schedule_id: int) -> HttpResponse:
    schedule = selectors.schedule_get(scope_for(request.user), schedule_id)
    form = PeriodForm(request.POST)
    if form.is_valid():
        try:
            period = services.period_open(
                actor=request.user, schedule=schedule, **form.cleaned_data
            )
            return HttpResponseRedirect(reverse("reporting:period", args=[period.pk]))
        except FAILURES as error:
            _errors(request, error)
    else:
        messages.error(request, _("Enter dates as 2025-03-31."))
    return HttpResponseRedirect(reverse("reporting:program", args=[schedule.program_id]))


@login_required
def period_detail(request: HttpRequest, period_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    period = selectors.period_get(scope, period_id)
    program = period.schedule.program
    disc = selectors.discipline(scope, program, period)
    status = request.GET.get("status", "")
    if status and status not in DISCIPLINE_STATUSES:
        raise Http404
    consolidated = ConsolidatedReport.objects.filter(period=period).first()
    context = {
        "period": period,
        "program": program,
        "d": disc,
        "status": status,
        "rows": disc.units(status) if status else disc.rows,
        "reports": selectors.report_list(scope, period),
        "can_manage": can_manage_program(scope, program),
        "consolidated": consolidated,
        "run": ConsolidationRun.objects.filter(period=period).first(),
    }
    return render(request, "reporting/period.html", context)


@login_required
@require_POST
def remind(request: HttpRequest, period_id: int) -> HttpResponse:
    period = selectors.period_get(scope_for(request.user), period_id)
    ids = [int(v) for v in request.POST.getlist("unit") if v.isdigit()]
    try:
        done = services.remind_missing(actor=request.user, period=period, unit_ids=ids)
        messages.success(request, _("Reminder sent to %(n)s units.") % {"n": len(done)})
    except FAILURES as error:
        _errors(request, error)
    return HttpResponseRedirect(reverse("reporting:period", args=[period.pk]))


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    report = selectors.report_get(scope, report_id)
    program = report.period.schedule.program
    editable = report.is_editable and selectors.can_edit_report(scope, report.unit)
    figures = report.figures or selectors.unit_figures(program, report.unit, report.period)
    initial = {f: getattr(report, f) for f in services.REPORT_FIELDS}
    labels = dict(TaskStatus.choices)
    context = {
        "report": report,
        "program": program,
        "figures": figures,
        "frozen": bool(report.figures),
        "tasks": [{**t, "label": labels.get(t["status"], t["status"])} for t in figures["tasks"]],
        "form": ReportForm(initial={**initial, "edit_version": report.edit_version})
        if editable
        else None,
        "review": ReviewForm()
        if report.state == ReportState.SUBMITTED and can_manage_program(scope, program)
        else None,
        "versions": selectors.report_list(scope, report.period).filter(unit=report.unit),
        "themes": dict(Theme.choices),
    }
    return render(request, "reporting/report.html", context)


@login_required
@require_POST
def report_save(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_get(scope_for(request.user), report_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; reload the page."))
        return HttpResponseRedirect(reverse("reporting:report", args=[report.pk]))
    data = dict(form.cleaned_data)
    edit_version = data.pop("edit_version")
    try:
        report = services.report_update(
            actor=request.user, report=report, edit_version=edit_version, **data
        )
        if "submit" in request.POST:
            services.report_submit(actor=request.user, report=report)
            messages.success(request, _("The report was sent."))
        else:
            messages.success(request, _("The draft was saved."))
    except FAILURES as error:
        _errors(request, error)
    return HttpResponseRedirect(reverse("reporting:report", args=[report.pk]))


@login_required
@require_POST
def report_review(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_get(scope_for(request.user), report_id)
    form = ReviewForm(request.POST)
    target = report.pk
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if form.cleaned_data["decision"] == "accept":
                services.report_accept(actor=request.user, report=report, comment=comment)
                messages.success(request, _("The report was accepted."))
            else:
                services.report_return(actor=request.user, report=report, comment=comment)
                messages.success(request, _("The report was returned to the unit."))
        except FAILURES as error:
            _errors(request, error)
    return HttpResponseRedirect(reverse("reporting:report", args=[target]))


def _consolidation_context(request: HttpRequest, period: Any) -> dict[str, Any]:
    scope = scope_for(request.user)
    program = period.schedule.program
    return {
        "period": period,
        "program": program,
        "can_manage": can_manage_program(scope, program),
        "consolidated": ConsolidatedReport.objects.filter(period=period).first(),
        "run": ConsolidationRun.objects.filter(period=period).first(),
    }


@login_required
@require_POST
def consolidate(request: HttpRequest, period_id: int) -> HttpResponse:
    """Queue the consolidation (a background job); the page then polls its progress."""
    period = selectors.period_get(scope_for(request.user), period_id)
    htmx = bool(request.headers.get("HX-Request"))
    errors: list[str] = []
    try:
        services.consolidation_request(
            actor=request.user, period=period, number=request.POST.get("number", "")
        )
    except FAILURES as error:
        if htmx:  # shown in the block itself, where the button was
            if isinstance(error, ValidationError):
                errors = [m for msgs in validation_messages(error).values() for m in msgs]
            else:
                errors = [getattr(error, "message", str(error))]
        else:
            _errors(request, error)
    if htmx:
        context = {**_consolidation_context(request, period), "errors": errors}
        return render(request, "reporting/_consolidation.html", context)
    return HttpResponseRedirect(reverse("reporting:period", args=[period.pk]))


@login_required
def consolidation_status(request: HttpRequest, period_id: int) -> HttpResponse:
    """The consolidation block, polled by HTMX while the job is queued or running."""
    period = selectors.period_get(scope_for(request.user), period_id)
    return render(request, "reporting/_consolidation.html", _consolidation_context(request, period))


def _consolidated(request: HttpRequest, pk: int) -> ConsolidatedReport:
    """A consolidated report of a period the caller may see (404 otherwise)."""
    report = ConsolidatedReport.objects.select_related("period").filter(pk=pk).first()
    if report is None:
        raise Http404
    report.period = selectors.period_get(scope_for(request.user), report.period_id)
    return report


@login_required
@require_POST
def files_request(request: HttpRequest, pk: int) -> HttpResponse:
    report = _consolidated(request, pk)
    try:
        report = services.files_request(actor=request.user, consolidated=report)
    except FAILURES as error:
        _errors(request, error)
    if request.headers.get("HX-Request"):
        return render(request, "reporting/_files.html", {"c": report, "can_manage": True})
    return HttpResponseRedirect(reverse("reporting:period", args=[report.period_id]))


@login_required
def files_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block, polled by HTMX while the files are being generated."""
    report = _consolidated(request, pk)
    scope = scope_for(request.user)
    context = {"c": report, "can_manage": can_manage_program(scope, report.period.schedule.program)}
    return render(request, "reporting/_files.html", context)


CONTENT_TYPES: dict[str, Any] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """Files are served only here, after the access check (never from MEDIA_URL)."""
    report = _consolidated(request, pk)
    if fmt not in CONTENT_TYPES or report.file_state not in (FileState.DONE, FileState.FAILED):
        raise Http404
    file = getattr(report, fmt)
    if not file:
        raise Http404
    name = f"{report.period.schedule.program.code}-{report.period.start:%Y-%m}.{fmt}"
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt]
    )
