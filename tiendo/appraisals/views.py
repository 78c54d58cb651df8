"""Appraisal pages: the board (where each project waits, figures with drill-down, as of a day)
and one project's appraisal with the actions its viewer may take. Each view finds records
through the user's scope first (404 otherwise), then calls one service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiendo.core.errors import ConflictError, PermissionDeniedError, validation_messages
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for
from tiendo.programs.selectors import visible_programs

from . import access, consultation, kpi_selectors, selectors, services
from .forms import DayForm, OpinionForm, PassForm, ReturnForm
from .models import AppraisalState, DocumentKind, IndicatorTarget
from .timing import ProjectTiming


def _day(request: HttpRequest) -> dt.date:
    """The reading day (``?on=``), today if absent, malformed or outside the working-day
    calendar (1900-2198) that appraisal timing counts in."""
    try:
        day = parse_date(request.GET.get("on") or "")
    except ValueError:
        day = None
    if day is None or not dt.date(1900, 1, 1) <= day <= dt.date(2198, 12, 31):
        return timezone.localdate()
    return day


@login_required
def board(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    on = _day(request)
    programs = list(visible_programs(scope).filter(appraisal_rules__isnull=False).distinct())
    program = next((p for p in programs if str(p.pk) == request.GET.get("program")), None)
    rows = selectors.appraisal_rows(scope, program=program, on=on)
    figures = selectors.appraisal_figures(rows)
    timing = request.GET.get("timing", "")
    listed = selectors.rows_with_timing(rows, timing) if timing else rows
    by_step, by_body = selectors.step_timeliness(rows)
    context = {
        "programs": programs,
        "program": program,
        "on": on,
        "figures": figures,
        "timings": [(t.value, t.label, figures[t.value]) for t in ProjectTiming],
        "timing": timing,
        "rows": listed,
        "by_step": by_step,
        "by_body": by_body,
        "returns": selectors.returned_dossiers(rows),
        **_program_extras(scope, program, on),
    }
    return render(request, "appraisals/board.html", context)


def _program_extras(scope: Any, program: Any, on: dt.date) -> dict[str, Any]:
    """The selected program's indicators (latest period) and consultation response rates."""
    if program is None:
        return {}
    periods = sorted(
        set(
            IndicatorTarget.objects.filter(indicator__program=program).values_list(
                "period_end", flat=True
            )
        )
    )
    period = periods[-1] if periods else None
    rounds = (
        consultation.visible_rounds(scope).filter(program=program).select_related("sender_unit")
    )
    return {
        "period": period,
        "indicators": kpi_selectors.program_indicator_figures(
            scope, program, period_end=period, on=on
        )
        if period
        else [],
        "rounds": [
            (
                r,
                consultation.response_figures(
                    [s for _, s in consultation.round_recipients(r, on=on)]
                ),
            )
            for r in rounds
        ],
    }


def _render_detail(
    request: HttpRequest, task_id: int, status: int = 200, **forms: Any
) -> HttpResponse:
    scope = scope_for(request.user)
    row = selectors.appraisal_get(scope, task_id, on=_day(request))
    task = row.task
    current = services.open_step(row.appraisal) if row.appraisal else None
    can_decide = current is not None and access.can_decide_step(scope, current.responsible_unit)
    opinion_form = forms.get("opinion_form") or OpinionForm(prefix="doc")
    opinion_form.fields["unit"].queryset = Unit.objects.filter(closed_on__isnull=True).order_by(
        "path"
    )
    context = {
        "row": row,
        "task": task,
        "current": current,
        "rules": selectors.rules_for(task.program),
        "can_submit": row.appraisal is None and access.can_submit_dossier(scope, task),
        "can_resubmit": bool(row.appraisal)
        and row.appraisal.state == AppraisalState.RETURNED  # type: ignore[union-attr]
        and access.can_submit_dossier(scope, task),
        "can_decide": can_decide,
        # Approval completes the task when the approver may (services._complete_project).
        "task_left_open": bool(row.appraisal)
        and row.appraisal.state == AppraisalState.APPROVED  # type: ignore[union-attr]
        and task.latest_percent != 100,
        "can_attach": current is not None,
        "submit_form": forms.get("submit_form") or DayForm(prefix="submit"),
        "pass_form": forms.get("pass_form")
        or PassForm(prefix="pass", initial={"version": row.appraisal and row.appraisal.version}),
        "return_form": forms.get("return_form")
        or ReturnForm(
            prefix="return", initial={"version": row.appraisal and row.appraisal.version}
        ),
        "opinion_form": opinion_form,
    }
    return render(request, "appraisals/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, task_id: int) -> HttpResponse:
    return _render_detail(request, task_id)


def _act(request: HttpRequest, task_id: int, form_name: str, form: Any, act: Any) -> HttpResponse:
    """Validate ``form``, run ``act(data, row)``; a refusal or bad input shows the page again."""
    row = selectors.appraisal_get(scope_for(request.user), task_id)
    if form.is_valid():
        try:
            act(form.cleaned_data, row)
        except PermissionDeniedError as exc:
            return render(request, "403.html", {"message": exc.message}, status=403)
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            for field, msgs in validation_messages(exc).items():
                for message in msgs:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Saved."))
            return redirect("appraisals:detail", task_id=task_id)
    return _render_detail(request, task_id, status=400, **{form_name: form})


@login_required
@require_POST
def submit(request: HttpRequest, task_id: int) -> HttpResponse:
    return _act(
        request, task_id, "submit_form", DayForm(request.POST, prefix="submit"),
        lambda d, row: services.appraisal_submit(actor=request.user, task=row.task, on=d["on"]),
    )  # fmt: skip


@login_required
@require_POST
def pass_step(request: HttpRequest, task_id: int) -> HttpResponse:
    return _act(
        request, task_id, "pass_form", PassForm(request.POST, prefix="pass"),
        lambda d, row: services.appraisal_pass_step(
            actor=request.user, appraisal=row.appraisal, on=d["on"], note=d["note"], version=d["version"]
        ),
    )  # fmt: skip


@login_required
@require_POST
def return_dossier(request: HttpRequest, task_id: int) -> HttpResponse:
    return _act(
        request, task_id, "return_form", ReturnForm(request.POST, prefix="return"),
        lambda d, row: services.appraisal_return(
            actor=request.user, appraisal=row.appraisal, on=d["on"], reason=d["reason"], version=d["version"]
        ),
    )  # fmt: skip


@login_required
@require_POST
def resubmit(request: HttpRequest, task_id: int) -> HttpResponse:
    return _act(
        request, task_id, "submit_form", DayForm(request.POST, prefix="submit"),
        lambda d, row: services.appraisal_resubmit(
            actor=request.user, appraisal=row.appraisal, on=d["on"], version=d["version"]
        ),
    )  # fmt: skip


@login_required
@require_POST
def attach(request: HttpRequest, task_id: int) -> HttpResponse:
    form = OpinionForm(request.POST, request.FILES, prefix="doc")
    form.fields["unit"].queryset = Unit.objects.filter(closed_on__isnull=True)

    def act(d: dict[str, Any], row: selectors.AppraisalRow) -> None:
        step = services.open_step(row.appraisal) if row.appraisal else None
        if step is None:
            raise ValidationError(_("No step of this appraisal is waiting for a decision."))
        services.appraisal_attach(
            actor=request.user, step=step, on=d["on"], title=d["title"], text=d["text"],
            kind=DocumentKind.OPINION if d["unit"] else DocumentKind.DOCUMENT,
            unit=d["unit"], file=d["file"],
        )  # fmt: skip

    return _act(request, task_id, "opinion_form", form, act)
