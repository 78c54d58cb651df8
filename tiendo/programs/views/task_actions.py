"""Actions on one task: report progress, assign, extend the deadline, pause/cancel/resume,
and download evidence. Each finds the task through the user's scope first (404 otherwise)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.orgs.scope import scope_for

from .. import selectors, services
from ..forms import ExtendForm, HoldForm, ProgressForm
from ..models import Evidence
from ._common import add_service_errors, forbidden
from .tasks import DEADLINE_ERRORS, render_task


@login_required
@require_POST
def progress_submit(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get(scope_for(request.user), task_id)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_submit(
                actor=request.user,
                task=task,
                as_of=data["as_of"],
                percent=data["percent"],
                achieved_quantity=data["achieved_quantity"],
                narrative=data["narrative"],
                difficulties=data["difficulties"],
                proposals=data["proposals"],
                files=data["files"],
            )
        except PermissionDeniedError as exc:
            return forbidden(request, exc.message, task.get_absolute_url())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your progress report has been recorded."))
            if not request.htmx:  # type: ignore[attr-defined]
                return redirect(task)
            # Re-read: the status and the latest facts changed with this report.
            task = selectors.task_get(scope_for(request.user), task_id)
            return render_task(request, task)
    return render_task(request, task, progress_form=form, status=400)


@login_required
@require_POST
def task_assign(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get(scope_for(request.user), task_id)
    version = request.POST.get("version", "")
    try:
        services.task_assign(
            actor=request.user, task=task, version=int(version) if version.isdigit() else None
        )
    except PermissionDeniedError as exc:
        return forbidden(request, exc.message, task.get_absolute_url())
    except (ValidationError, ConflictError) as exc:
        text = exc.message if isinstance(exc, ConflictError) else " ".join(exc.messages)
        messages.error(request, text)
    else:
        messages.success(request, _("The task has been assigned."))
    return redirect(task)


@login_required
@require_POST
def task_extend(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get(scope_for(request.user), task_id)
    form = ExtendForm(request.POST)
    if form.is_valid():
        deadline = form.cleaned_data["deadline_text"]
        try:
            services.task_extend_deadline(
                actor=request.user,
                task=task,
                version=form.cleaned_data["version"],
                deadline_kind=deadline.kind,
                deadline=deadline.due,
                reason=form.cleaned_data["reason"],
            )
        except PermissionDeniedError as exc:
            return forbidden(request, exc.message, task.get_absolute_url())
        except ValidationError as exc:
            add_service_errors(form, exc, DEADLINE_ERRORS)
        except ConflictError as exc:
            form.add_error(None, ValidationError(exc.message, code="conflict"))
        else:
            messages.success(request, _("The deadline has been extended."))
            return redirect(task)
    task = selectors.task_get(scope_for(request.user), task_id)
    return render_task(request, task, extend_form=form, status=400)


@login_required
@require_POST
def task_hold(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get(scope_for(request.user), task_id)
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            services.task_set_hold(
                actor=request.user,
                task=task,
                version=form.cleaned_data["version"],
                state=form.hold_state(),
                reason=form.cleaned_data["reason"],
            )
        except PermissionDeniedError as exc:
            return forbidden(request, exc.message, task.get_absolute_url())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, ValidationError(exc.message, code="conflict"))
        else:
            messages.success(request, _("The change has been recorded."))
            return redirect(task)
    task = selectors.task_get(scope_for(request.user), task_id)
    return render_task(request, task, hold_form=form, status=400)


def _attachment(filename: str) -> str:
    """``Content-Disposition`` with an ASCII fallback and the exact name per RFC 5987/6266."""
    fallback = filename.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "")
    fallback = "".join(c for c in fallback if c.isprintable()).strip() or "evidence"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponseBase:
    """Evidence is reachable only through a task the user can see: 404 otherwise."""
    scope = scope_for(request.user)
    evidence = Evidence.objects.filter(
        pk=evidence_id, update__task__in=selectors.visible_tasks(scope)
    ).first()
    if evidence is None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=evidence.content_type)
    response["Content-Disposition"] = _attachment(evidence.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
