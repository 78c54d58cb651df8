"""Task pages: my tasks, the filtered list, the task page, and the task form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from tiendo.core.deadlines import deadline_label, parse_deadline
from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.orgs.scope import scope_for

from .. import access, selectors, services
from ..forms import ExtendForm, HoldForm, ProgressForm, TaskFilterForm, TaskForm, task_initial
from ..models import Task
from ..status import TaskStatus
from ._common import (
    TABLE_COLUMNS,
    add_service_errors,
    forbidden,
    hx_or_full,
    query_without_page,
    with_status_labels,
)

PAGE_SIZE = 50
# A unit's open task "needs a report" when nothing was reported for this many days.
REPORT_DUE_AFTER_DAYS = 30
DEADLINE_ERRORS = {"deadline": "deadline_text", "deadline_kind": "deadline_text"}

# Dated deadlines first, soonest first; "ongoing" tasks (no date, never overdue) last.
_by_deadline = F("deadline").asc(nulls_last=True)
_overdue_first = Case(
    When(status=TaskStatus.OVERDUE, then=Value(0)), default=Value(1), output_field=IntegerField()
)


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    # A draft is not anyone's task yet, even if a person is already named on it.
    mine = (
        selectors.my_tasks(scope, request.user.pk)
        .filter(assigned_at__isnull=False)
        .order_by(_overdue_first, _by_deadline, "id")
    )
    stale_before = selectors.today() - dt.timedelta(days=REPORT_DUE_AFTER_DAYS)
    to_report = (
        selectors.task_list(scope)
        .filter(scope.subtree_q("lead_unit_path"))
        .filter(assigned_at__isnull=False, completed_on__isnull=True, hold_state="")
        .filter(Q(latest_progress_on__isnull=True) | Q(latest_progress_on__lt=stale_before))
        .exclude(Q(assignee_id=request.user.pk) | Q(accountable_leader_id=request.user.pk))
        .order_by(_overdue_first, _by_deadline, "id")
    )
    mine, to_report = mine.only(*TABLE_COLUMNS), to_report.only(*TABLE_COLUMNS)
    context = {
        "mine": with_status_labels(mine[:100]),
        "mine_count": mine.count(),
        "to_report": with_status_labels(to_report[:100]),
        "to_report_count": to_report.count(),
        "report_days": REPORT_DUE_AFTER_DAYS,
    }
    return render(request, "programs/my_tasks.html", context)


class CountedPaginator(Paginator):
    """A paginator given the total (counted by the selector, exactly) instead of counting."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


def _page_number(value: str | None) -> int:
    """The page asked for, for the plan's choice only (``get_page`` validates it)."""
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    form = TaskFilterForm(request.GET, scope=scope)
    tasks: Any = Task.objects.none()
    total = 0
    if form.is_valid():
        filters = selectors.TaskFilters(**form.filter_values())
        number = _page_number(request.GET.get("page"))
        tasks, total = selectors.task_list_counted(scope, filters, upto=number * PAGE_SIZE)
        tasks = tasks.only(*TABLE_COLUMNS).order_by(_by_deadline, "program_id", "id")
    page = CountedPaginator(tasks, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "tasks": with_status_labels(page.object_list),
        "query": query_without_page(request),
    }
    return hx_or_full(request, "programs/_task_results.html", "programs/task_list.html", context)


def render_task(
    request: HttpRequest,
    task: Task,
    *,
    progress_form: ProgressForm | None = None,
    extend_form: ExtendForm | None = None,
    hold_form: HoldForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The task page (or, for an HTMX progress post, only its progress region)."""
    scope = scope_for(request.user)
    with_status_labels([task])
    can_edit = access.can_edit_task(scope, task)
    extensions = list(task.extensions.select_related("approved_by"))
    for ext in extensions:
        ext.previous_label = deadline_label(ext.previous_kind, ext.previous_deadline)  # type: ignore[attr-defined]
        ext.new_label = deadline_label(ext.new_kind, ext.new_deadline)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "task": task,
        "can_edit": can_edit,
        "can_report": access.can_report_progress(scope, task),
        "missing": services.missing_clears(task) if task.is_draft else [],
        "coordinating_units": task.coordinating_units.order_by("path"),
        "extensions": extensions,
        "holds": task.hold_changes.select_related("approved_by"),
        "updates": selectors.progress_history(task),
        "progress_form": progress_form or ProgressForm(),
        "extend_form": extend_form or ExtendForm(initial={"version": task.version}),
        "hold_form": hold_form or HoldForm(initial={"version": task.version}),
    }
    return hx_or_full(
        request, "programs/_task_progress.html", "programs/task_detail.html", context, status
    )


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get(scope_for(request.user), task_id)
    return render_task(request, task)


@login_required
def deadline_preview(request: HttpRequest) -> HttpResponse:
    """What a typed completion time means, shown beside the field as the user types."""
    text = request.GET.get("deadline_text", "").strip()
    context: dict[str, Any] = {"text": text}
    if text:
        try:
            deadline = parse_deadline(text)
        except ValueError as exc:
            context["error"] = str(exc)
        else:
            context["label"] = deadline.label()
            context["due"] = deadline.due
    return render(request, "programs/_deadline_preview.html", context)


def _save_task(
    request: HttpRequest, form: TaskForm, program: Any, task: Task | None
) -> Task | None:
    """Create or update (and maybe assign) in one transaction; errors go onto ``form``."""
    assign = request.POST.get("action") == "assign"
    fields = form.service_fields()
    units = list(form.cleaned_data["coordinating_units"])
    try:
        with transaction.atomic():
            if task is None:
                return services.task_create(
                    actor=request.user,
                    program=program,
                    coordinating_units=units,
                    assign=assign,
                    **fields,
                )
            task = services.task_update(
                actor=request.user,
                task=task,
                version=form.cleaned_data.get("version"),
                coordinating_units=units,
                **fields,
            )
            if assign and task.is_draft:
                task = services.task_assign(actor=request.user, task=task, version=task.version)
            return task
    except ValidationError as exc:
        add_service_errors(form, exc, DEADLINE_ERRORS)
    except ConflictError as exc:
        form.add_error(None, ValidationError(exc.message, code="conflict"))
    return None


def _task_form_page(
    request: HttpRequest, form: TaskForm, program: Any, task: Task | None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "program": program, "task": task}
    return render(request, "programs/task_form.html", context, status=status)


@login_required
def task_create(request: HttpRequest, program_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    program = selectors.program_get(scope, program_id)
    if not access.can_manage_program(scope, program):
        return forbidden(request, _("Only the standing office of this program can add tasks."))
    initial = {"group": request.GET.get("group")}
    form = TaskForm(request.POST or None, scope=scope, program=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            task = _save_task(request, form, program, None)
        except PermissionDeniedError as exc:
            return forbidden(request, exc.message, program.get_absolute_url())
        if task is not None:
            messages.success(request, _("The task has been saved."))
            return redirect(task)
    status = 400 if form.errors else 200
    return _task_form_page(request, form, program, None, status)


@login_required
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    task = selectors.task_get(scope, task_id)
    if not access.can_edit_task(scope, task):
        return forbidden(request, _("You cannot change this task."), task.get_absolute_url())
    kwargs: dict[str, Any] = {"scope": scope, "program": task.program, "task": task}
    form = TaskForm(request.POST or None, initial=task_initial(task), **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_task(request, form, task.program, task)
        except PermissionDeniedError as exc:
            return forbidden(request, exc.message, task.get_absolute_url())
        if saved is not None:
            messages.success(request, _("The task has been saved."))
            return redirect(saved)
    status = 409 if any(e.code == "conflict" for e in form.non_field_errors().as_data()) else 200
    if form.errors and status == 200:
        status = 400
    return _task_form_page(request, form, task.program, task, status)
