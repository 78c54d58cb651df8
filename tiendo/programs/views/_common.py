"""Helpers shared by the program views."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tiendo.accounts.models import DISPLAY_NAME_FIELDS
from tiendo.core.errors import validation_messages

from ..models import Task
from ..status import TaskStatus

STATUS_LABELS = dict(TaskStatus.choices)
# The columns ``programs/_task_table.html`` shows (``templatetags.task_table``), read with
# ``QuerySet.only``: a list of 50 tasks with every column of five tables (descriptions,
# products, users' passwords...) took twice as long to read and build.
TABLE_COLUMNS = (
    "number",
    "title",
    "kind",
    "deadline",
    "deadline_kind",
    "original_deadline",
    "original_deadline_kind",
    "latest_percent",
    "program__code",
    "group__number",
    "group__name",
    "lead_unit__name",
    *(f"assignee__{name}" for name in DISPLAY_NAME_FIELDS),
)
T = TypeVar("T", bound=Task)


def forbidden(request: HttpRequest, message: str = "", back: str = "") -> HttpResponse:
    """The friendly 403 page, for a record the user can see but not act on."""
    return render(request, "403.html", {"message": message, "back": back}, status=403)


def add_service_errors(
    form: forms.Form, error: ValidationError, field_map: dict[str, str] | None = None
) -> None:
    """Show a service's ``ValidationError`` on the form, field by field where the field exists."""
    field_map = field_map or {}
    for name, messages in validation_messages(error).items():
        target: str | None = field_map.get(name, name)
        if target not in form.fields or form.fields[target].disabled:
            target = None
        for message in messages:
            form.add_error(target, message)


def with_status_labels(tasks: Iterable[T]) -> list[T]:
    """Attach the translated label of the annotated ``status`` to each task, for the badge."""
    rows = list(tasks)
    for task in rows:
        task.status_label = STATUS_LABELS.get(task.status, task.status)  # type: ignore[attr-defined]
    return rows


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def hx_or_full(
    request: HttpRequest, partial: str, full: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The partial for an HTMX swap, the whole page otherwise (same context, same data)."""
    template = partial if request.htmx and not request.htmx.boosted else full  # type: ignore[attr-defined]
    return render(request, template, context, status=status)
