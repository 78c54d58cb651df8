from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .selectors import special_days
from .workdays import MAX_YEAR, MIN_YEAR


@login_required
def year(request: HttpRequest, year: int | None = None) -> HttpResponse:
    year = year or timezone.localdate().year
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    context = {"year": year, "days": special_days(year), "previous": year - 1, "next": year + 1}
    return render(request, "calendars/year.html", context)
