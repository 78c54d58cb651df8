"""The unit picker's search (``UnitPickField``): units the user may pick, by name or code."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tiendo.core.picker import pick_answer_context

from .forms import UNIT_WORDS
from .scope import scope_for
from .selectors import unit_search, units_for


@login_required
def unit_pick(request: HttpRequest) -> HttpResponse:
    """The first matches of ``?q=`` among the units the user may pick (``units_for``), as the
    options of the picker's listbox. The same set validates the form's field."""
    scope = scope_for(request.user)
    matches = unit_search(units_for(scope), request.GET.get("q", ""), own=scope.unit_paths)
    return render(request, "core/_pick.html", pick_answer_context(UNIT_WORDS, matches))
