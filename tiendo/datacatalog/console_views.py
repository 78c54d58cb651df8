"""Pages of the warehouse: the SQL console, the list behind a dashboard figure, a dataset by id.

Thin: parse, call one selector (or ``console.run_query`` over the tables a selector allows),
render. The console runs on POST (a query is not a bookmarkable address and stays out of
access logs); its pages are POSTs of the same form with another page number.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from tiendo.dashboards.selectors import unit_get
from tiendo.orgs.scope import scope_for

from . import selectors_warehouse
from .console import DEFAULT_PAGE_SIZE, ConsoleError, run_query
from .selectors import usable_datasets


@login_required
@require_http_methods(["GET", "POST"])
def console(request: HttpRequest) -> HttpResponse:
    publications = selectors_warehouse.console_publications(request.user)
    sql = request.POST.get("sql", "") if request.method == "POST" else ""
    context: dict[str, Any] = {
        "publications": publications,
        "sql": sql,
        "result": None,
        "error": "",
        "page_size": DEFAULT_PAGE_SIZE,
    }
    status = 200
    if request.method == "POST":
        try:
            page = int(request.POST.get("page") or 1)
        except ValueError:
            page = 1
        try:
            context["result"] = run_query(
                sql,
                tables=selectors_warehouse.console_tables(publications),
                page=page,
                page_size=DEFAULT_PAGE_SIZE,
            )
        except ConsoleError as error:
            context["error"] = error.message
            status = 400
    elif publications:
        first = publications[0].table_name
        context["sql"] = f"SELECT *\nFROM {first}\nLIMIT 20"
    return render(request, "datacatalog/console.html", context, status=status)


@login_required
def figure_list(request: HttpRequest) -> HttpResponse:
    """The datasets behind one figure of the dashboard's data tile (same rule, same scope)."""
    figure = request.GET.get("figure", "total")
    if figure not in selectors_warehouse.FIGURES:
        raise Http404
    unit = None
    if request.GET.get("unit"):
        try:
            unit_id = int(request.GET["unit"])
        except ValueError as error:
            raise Http404 from error
        # The unit dashboard's own rule: a unit inside the caller's subtrees, else 404.
        unit = unit_get(scope_for(request.user), unit_id)
    rows = selectors_warehouse.catalogue_figure_list(request.user, unit, figure)
    context = {
        "rows": rows,
        "unit": unit,
        "figure": figure,
        "label": selectors_warehouse.FIGURES[figure],
        "threshold": selectors_warehouse.QUALITY_THRESHOLD,
    }
    return render(request, "datacatalog/figure_list.html", context)


@login_required
def dataset_by_id(request: HttpRequest, pk: int) -> HttpResponse:
    """The index engine links its records by id: send them to the dataset's page (404 when the
    user may not use it)."""
    dataset = usable_datasets(request.user).filter(pk=pk).first()
    if dataset is None:
        raise Http404
    return redirect(dataset.get_absolute_url())


# Included by ``urls.py`` under ``warehouse/`` (two path segments: no clash with dataset codes).
urlpatterns = [
    path("console/", console, name="console"),
    path("figures/", figure_list, name="figures"),
    path("datasets/<int:pk>/", dataset_by_id, name="dataset_by_id"),
]
