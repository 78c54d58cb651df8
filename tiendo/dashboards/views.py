"""Dashboard pages: parse, check access (through the selectors), one selector call, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiendo.core.errors import ConflictError, PermissionDeniedError, validation_messages
from tiendo.orgs.scope import scope_for
from tiendo.programs.selectors import group_get, program_get, program_list, programs_matching
from tiendo.programs.status import TaskStatus, status_expression

from . import export, selectors, services
from .confidence import Rating
from .figures import Cell, cell_tasks, parse_as_of
from .render import DashboardHtml

LIST_PAGE_SIZE = 100
PROGRAMS_PER_PAGE = 50


def _as_of_or_error(request: HttpRequest) -> tuple[Any, str]:
    try:
        return parse_as_of(request.GET.get("as_of")), ""
    except ValidationError as error:
        return None, " ".join(validation_messages(error).get("as_of", []))


def _render_dashboard(request: HttpRequest, dashboard: Any, error: str, **extra: Any) -> Any:
    context = {
        "d": dashboard,
        "as_of_error": error,
        # Rows and chart data rendered in Python, only for the sections rendered rather than
        # taken from the kept copy (``render.py``).
        "html": DashboardHtml(dashboard),
        "ratings": Rating.choices,
        **extra,
    }
    return render(request, "dashboards/dashboard.html", context, status=400 if error else 200)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    units = request.user.memberships.filter(unit__closed_on__isnull=True).select_related("unit")
    # A national user follows a thousand programs: searched and paged, never all listed.
    q = request.GET.get("q", "").strip()
    programs = programs_matching(program_list(scope).select_related(None), q)
    page = Paginator(programs, PROGRAMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "programs": page.object_list,
        "page_obj": page,
        "q": q,
        "query": urlencode({"q": q}) if q else "",
        "units": sorted({m.unit for m in units}, key=str),
    }
    return render(request, "dashboards/index.html", context)


@login_required
def program_dashboard(request: HttpRequest, program_id: int) -> HttpResponse:
    as_of, error = _as_of_or_error(request)
    scope = scope_for(request.user)
    dashboard = selectors.program_dashboard(scope, program_id, as_of=as_of)
    can_override = services.can_override(scope, program=dashboard.program)
    return _render_dashboard(request, dashboard, error, can_override=can_override)


@login_required
def unit_dashboard(request: HttpRequest, unit_id: int | None = None) -> HttpResponse:
    as_of, error = _as_of_or_error(request)
    scope = scope_for(request.user)
    sort = request.GET.get("sort", "overdue")
    dashboard = selectors.unit_dashboard(scope, unit_id, as_of=as_of, sort=sort)
    can_override = dashboard.unit is not None and services.can_override(scope, unit=dashboard.unit)
    return _render_dashboard(request, dashboard, error, can_override=can_override, sort=sort)


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """The exact tasks behind a figure: the same ``cell_tasks`` the figure counted."""
    scope = scope_for(request.user)
    try:
        cell = Cell.from_query(request.GET)
    except ValidationError as error:
        context = {"errors": validation_messages(error)}
        return render(request, "dashboards/task_list.html", context, status=400)
    place = []
    # Places outside the caller's reach answer 404, like any record they cannot see.
    if cell.program:
        place.append(str(program_get(scope, cell.program)))
    if cell.group:
        place.append(str(group_get(scope, cell.group)))
    if cell.unit:
        place.append(str(selectors.unit_get(scope, cell.unit)))
    tasks = (
        cell_tasks(scope, cell)
        .annotate(status=status_expression(cell.on, prefix=cell.prefix))
        .select_related("program", "group", "lead_unit", "assignee")
        .order_by("deadline", "program_id", "id")
    )
    page = Paginator(tasks, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    for task in page:
        task.status_label = TaskStatus(task.status).label
    query = request.GET.copy()
    query.pop("page", None)
    context = {"cell": cell, "place": place, "page_obj": page, "query": query.urlencode()}
    return render(request, "dashboards/task_list.html", context)


@login_required
def program_export(request: HttpRequest, program_id: int) -> HttpResponse:
    as_of, _error = _as_of_or_error(request)
    dashboard = selectors.program_dashboard(scope_for(request.user), program_id, as_of=as_of)
    return export.xlsx_response(dashboard, f"program-{program_id}")


@login_required
def unit_export(request: HttpRequest, unit_id: int | None = None) -> HttpResponse:
    as_of, _error = _as_of_or_error(request)
    dashboard = selectors.unit_dashboard(scope_for(request.user), unit_id, as_of=as_of)
    return export.xlsx_response(dashboard, f"unit-{unit_id or 'all'}")


@login_required
@require_POST
def override(request: HttpRequest) -> HttpResponse:
    """Record a leader's rating; errors come back on the dashboard the leader came from."""
    scope = scope_for(request.user)
    target, target_id = request.POST.get("target", ""), request.POST.get("target_id", "")
    back = request.POST.get("next") or "/"
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    try:
        key = {
            "program": lambda i: {"program": program_get(scope, i)},
            "group": lambda i: {"group": group_get(scope, i)},
            "unit": lambda i: {"unit": selectors.unit_get(scope, i)},
        }[target](int(target_id))
        expected = request.POST.get("expected_current") or None
        services.confidence_override_set(
            actor=request.user,
            rating=request.POST.get("rating", ""),
            reason=request.POST.get("reason", ""),
            expected_current=int(expected) if expected else None,
            **key,
        )
    except (KeyError, ValueError):
        return _override_error(request, _("Bad request."), back, 400)
    except ValidationError as error:
        messages = [m for ms in validation_messages(error).values() for m in ms]
        return _override_error(request, " ".join(messages), back, 400)
    except ConflictError as error:
        return _override_error(request, error.message, back, 409)
    except PermissionDeniedError as error:
        return _override_error(request, error.message, back, 403)
    return HttpResponseRedirect(back)


def _override_error(request: HttpRequest, message: str, back: str, status: int) -> HttpResponse:
    context = {"message": message, "back": back}
    return render(request, "dashboards/override_error.html", context, status=status)
