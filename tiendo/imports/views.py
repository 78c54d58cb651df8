"""Import pages: upload > mapping > preview (with the agency review) > confirm; export.

Each view parses, checks access through ``selectors``, calls one service and renders. HTMX
requests get the step's partial (forms post with ``hx-post`` and swap ``#import-step``); plain
requests get the whole page, so every step also works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tiendo.core.errors import ConflictError, PermissionDeniedError, validation_messages
from tiendo.orgs.scope import scope_for
from tiendo.programs import selectors as program_selectors

from . import selectors, services
from .export import XLSX_CONTENT_TYPE, program_export_xlsx, template_xlsx
from .parsing import FIELDS, HEAD_ROWS, column_letter
from .planning import Plan

ROWS_PER_PAGE = 200


def _program(request: HttpRequest, program_id: int) -> Any:
    try:
        return selectors.program_for_import(request.user, program_id)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc


def _step(
    request: HttpRequest, name: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    template = f"imports/_{name}.html" if request.htmx else f"imports/{name}.html"
    response = render(request, template, context, status=status)
    if request.htmx and status == 200 and "push" in context:
        response["HX-Push-Url"] = context["push"]
    return response


def _errors(exc: Exception) -> dict[str, list[str]]:
    if isinstance(exc, ValidationError):
        return validation_messages(exc)
    return {"__all__": [getattr(exc, "message", str(exc))]}


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _program(request, program_id)
    context: dict[str, Any] = {"program": program}
    if request.method == "POST":
        file = request.FILES.get("file")
        if file is None:
            context["errors"] = {"file": [_("Choose the annex file to import.")]}
            return _step(request, "upload", context, status=400)
        try:
            batch = services.batch_create(
                actor=request.user,
                program=program,
                filename=file.name or "annex",
                content=file.read(),
                sheet=request.POST.get("sheet", "").strip(),
            )
        except (ValidationError, ConflictError) as exc:
            context["errors"] = _errors(exc)
            return _step(request, "upload", context, status=400)
        url = reverse("imports:mapping", args=[batch.pk])
        if not request.htmx:
            return redirect(url)
        return _step(request, "mapping", {**_mapping_context(request, batch), "push": url})
    context["batches"] = selectors.batch_list(request.user, program)[:10]
    return _step(request, "upload", context)


def _mapping_context(request: HttpRequest, batch: Any) -> dict[str, Any]:
    table = services.read_batch_table(batch, limit=max(HEAD_ROWS, (batch.header_row or 0) + 6))
    width = max((len(cells) for _n, cells in table.rows[:HEAD_ROWS]), default=0)
    header = next((cells for n, cells in table.rows if n == batch.header_row), [])
    columns = [
        (i, f"{column_letter(i)} · {header[i] if i < len(header) and header[i] else ''}")
        for i in range(width)
    ]
    start = [i for i, (n, _c) in enumerate(table.rows) if n == batch.header_row]
    sample = table.rows[start[0] + 1 : start[0] + 6] if start else table.rows[:6]
    return {
        "batch": batch,
        "program": batch.program,
        "sheets": table.sheets,
        "columns": columns,
        "fields": [(name, label, batch.mapping.get(name)) for name, label in FIELDS.items()],
        "sample": [[("" if c is None else c) for c in cells] for _n, cells in sample],
        "letters": [column_letter(i) for i in range(width)],
    }


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get(request.user, batch_id)
    if request.method == "POST":
        chosen = {name: request.POST.get(f"field_{name}") or None for name in FIELDS}
        header_row = request.POST.get("header_row") or None
        sheet = request.POST.get("sheet")
        try:
            services.batch_set_mapping(
                actor=request.user,
                batch=batch,
                mapping={k: int(v) for k, v in chosen.items() if v is not None},
                header_row=int(header_row) if header_row else None,
                sheet=sheet if sheet and sheet != batch.sheet else None,
                version=int(request.POST.get("version", batch.version)),
            )
        except (ValidationError, ConflictError, ValueError) as exc:
            context = {**_mapping_context(request, batch), "errors": _errors(exc)}
            return _step(request, "mapping", context, status=400)
        if not batch.mapping_confirmed:
            return _step(request, "mapping", _mapping_context(request, batch))
        url = reverse("imports:preview", args=[batch.pk])
        if not request.htmx:
            return redirect(url)
        return _step(request, "preview", {**_preview_context(request, batch), "push": url})
    return _step(request, "mapping", _mapping_context(request, batch))


def _preview_context(request: HttpRequest, batch: Any) -> dict[str, Any]:
    try:
        plan: Plan | None = services.batch_preview(actor=request.user, batch=batch)
    except ValidationError as exc:
        return {"batch": batch, "program": batch.program, "errors": _errors(exc), "plan": None}
    assert plan is not None
    page = Paginator(plan.tasks, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    # A name that matched nothing may mean any unit of the program's organisation.
    everyone = list(_all_units(batch)) if any(not u for u in plan.unresolved.values()) else []
    candidates = {name: units or everyone for name, units in plan.unresolved.items()}
    return {
        "batch": batch,
        "program": batch.program,
        "plan": plan,
        "counts": plan.counts(),
        "page": page,
        "missing": plan.missing_breakdown(),
        "unresolved": candidates,
        "error_messages": [str(e) for e in plan.errors[:500]],
    }


def _all_units(batch: Any) -> Any:
    from .matching import UnitMatcher

    return UnitMatcher(batch.program).units_by_id.values()


@login_required
@require_GET
def preview(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get(request.user, batch_id)
    if batch.status != "uploaded":
        return _step(request, "done", {"batch": batch, "program": batch.program})
    return _step(request, "preview", _preview_context(request, batch))


@login_required
@require_POST
def resolve(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get(request.user, batch_id)
    answers: dict[str, list[int]] = {}
    names = request.POST.getlist("name")
    for index, name in enumerate(names):
        value = request.POST.get(f"unit_{index}", "")
        if value == "":
            continue  # not answered yet
        answers[name] = [] if value == "none" else [int(value)]
    try:
        services.batch_resolve(
            actor=request.user,
            batch=batch,
            resolutions=answers,
            version=int(request.POST.get("version", batch.version)),
        )
    except (ValidationError, ConflictError, ValueError) as exc:
        context = {**_preview_context(request, batch), "errors": _errors(exc)}
        return _step(request, "preview", context, status=400)
    if not request.htmx:
        return redirect("imports:preview", batch.pk)
    return _step(request, "preview", _preview_context(request, batch))


def _posted_version(request: HttpRequest) -> int | None:
    """The batch version the form was rendered with (None when absent or not a number)."""
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


@login_required
@require_POST
def confirm(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.batch_get(request.user, batch_id)
    try:
        result = services.batch_confirm(
            actor=request.user,
            batch=batch,
            leave_unresolved=request.POST.get("leave_unresolved") == "1",
            version=_posted_version(request),
        )
    except (ValidationError, ConflictError, PermissionDeniedError) as exc:
        context = {**_preview_context(request, batch), "errors": _errors(exc)}
        return _step(
            request, "preview", context, status=409 if isinstance(exc, ConflictError) else 400
        )
    batch.refresh_from_db()
    return _step(request, "done", {"batch": batch, "program": batch.program, "result": result})


@login_required
@require_GET
def export(request: HttpRequest, program_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    program = program_selectors.program_get(scope, program_id)
    response = HttpResponse(program_export_xlsx(scope, program), content_type=XLSX_CONTENT_TYPE)
    name = slugify(program.code) or "plan"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="tiendo-annex-template.xlsx"'
    return response
