"""Program pages: the list, the program page with its groups and counts, and the forms."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.core.picker import pick_answer_context
from tiendo.orgs.scope import scope_for

from .. import access, selectors, services
from ..forms import PROGRAM_WORDS, GroupForm, ProgramForm
from ..models import Program
from ..status import TaskStatus
from ._common import STATUS_LABELS, add_service_errors, forbidden, query_without_page

PAGE_SIZE = 50


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    q = request.GET.get("q", "").strip()
    programs = selectors.programs_matching(selectors.program_list(scope), q)
    page = Paginator(programs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "programs": page.object_list,
        "q": q,
        "query": query_without_page(request),
        "can_create": access.can_create_program(scope),
    }
    return render(request, "programs/program_list.html", context)


def _count_links(program: Program, counts: dict[str, int], group_id: int | None) -> list[Any]:
    """Each non-zero status count with the link to the exact list behind it."""
    base = {"program": program.pk, **({"group": group_id} if group_id else {})}
    url = reverse("programs:task_list")
    return [
        {
            "status": status,
            "label": STATUS_LABELS[status],
            "count": counts[status],
            "url": f"{url}?{urlencode({**base, 'status': status})}",
        }
        for status in TaskStatus.values
        if counts.get(status)
    ]


@login_required
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    program = selectors.program_get(scope, program_id)
    # The same selector as the task list the counts link to, so each figure opens its records.
    rows = (
        selectors.task_list(scope, selectors.TaskFilters(program=program.pk))
        .order_by()
        .values("group_id", "status")
        .annotate(n=Count("id"))
    )
    by_group: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        by_group[row["group_id"]][row["status"]] += row["n"]
        totals[row["status"]] += row["n"]
    groups = list(selectors.group_list(scope, program))
    paths = {g.pk: g.path for g in groups}
    tree = []
    for group in groups:
        # A group's figures include its sub-groups, as the group filter of the task list does.
        counts: dict[str, int] = defaultdict(int)
        for gid, status_counts in by_group.items():
            if gid is not None and paths.get(gid, "").startswith(group.path):
                for status, n in status_counts.items():
                    counts[status] += n
        tree.append(
            {
                "group": group,
                "depth": group.path.count("/") - 2,
                "total": sum(counts.values()),
                "counts": _count_links(program, counts, group.pk),
                "url": f"{reverse('programs:task_list')}?{urlencode({'program': program.pk, 'group': group.pk})}",
            }
        )
    context = {
        "program": program,
        "tree": tree,
        "total": sum(totals.values()),
        "total_counts": _count_links(program, totals, None),
        "total_url": f"{reverse('programs:task_list')}?{urlencode({'program': program.pk})}",
        "can_manage": access.can_manage_program(scope, program),
    }
    return render(request, "programs/program_detail.html", context)


def _program_fields(form: ProgramForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    for text in ("description", "decision_number", "issuer"):
        data[text] = data.get(text) or ""
    return data


@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not access.can_create_program(scope):
        return forbidden(
            request,
            _(
                "Only a committee leader, the standing office or an administrator can create programs."
            ),
        )
    form = ProgramForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(actor=request.user, **_program_fields(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDeniedError as exc:
            return forbidden(request, exc.message)
        else:
            messages.success(request, _("The program has been saved."))
            return redirect(program)
    status = 400 if form.errors else 200
    return render(request, "programs/program_form.html", {"form": form}, status=status)


def _program_initial(program: Program) -> dict[str, Any]:
    names = [f for f in services.PROGRAM_FIELDS if f not in ("owner_unit", "standing_office")]
    initial = {name: getattr(program, name) for name in names}
    initial.update(
        owner_unit=program.owner_unit_id,
        standing_office=program.standing_office_id,
        version=program.version,
    )
    return initial


@login_required
def program_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    program = selectors.program_get(scope, program_id)
    if not access.can_manage_program(scope, program):
        return forbidden(request, _("You cannot change this program."), program.get_absolute_url())
    form = ProgramForm(request.POST or None, scope=scope, initial=_program_initial(program))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(
                actor=request.user,
                program=program,
                version=form.cleaned_data["version"],
                **_program_fields(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            status = 409
        except PermissionDeniedError as exc:
            return forbidden(request, exc.message, program.get_absolute_url())
        else:
            messages.success(request, _("The program has been saved."))
            return redirect(program)
    if form.errors and status == 200:
        status = 400
    context = {"form": form, "program": program}
    return render(request, "programs/program_form.html", context, status=status)


def _group_page(
    request: HttpRequest, form: GroupForm, program: Program, group: Any = None
) -> HttpResponse:
    status = 400 if form.errors else 200
    context = {"form": form, "program": program, "group": group}
    return render(request, "programs/group_form.html", context, status=status)


@login_required
def group_create(request: HttpRequest, program_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    program = selectors.program_get(scope, program_id)
    if not access.can_manage_program(scope, program):
        return forbidden(request, _("You cannot change this program."), program.get_absolute_url())
    form = GroupForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_create(
                actor=request.user,
                program=program,
                name=data["name"],
                number=data["number"],
                parent=data["parent"],
                position=data["position"] or 0,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The task group has been saved."))
            return redirect(program)
    return _group_page(request, form, program)


@login_required
def group_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    group = selectors.group_get(scope, group_id)
    program = group.program
    if not access.can_manage_program(scope, program):
        return forbidden(request, _("You cannot change this program."), program.get_absolute_url())
    initial = {"name": group.name, "number": group.number, "position": group.position}
    form = GroupForm(request.POST or None, program=program, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_update(
                actor=request.user,
                group=group,
                name=data["name"],
                number=data["number"],
                position=data["position"] or 0,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The task group has been saved."))
            return redirect(program)
    return _group_page(request, form, program, group)


@login_required
def program_pick(request: HttpRequest) -> HttpResponse:
    """The first matches of ``?q=`` among the programs the user sees (``program_list``), as the
    options of the program picker's listbox. The same set validates the task list's filter."""
    programs = selectors.program_list(scope_for(request.user)).select_related(None)
    matches = selectors.program_search(programs, request.GET.get("q", ""))
    return render(request, "core/_pick.html", pick_answer_context(PROGRAM_WORDS, matches))
