from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """Placeholder until the catalogue page lands (replaced by the catalogue engineer)."""
    return render(request, "datacatalog/catalogue.html", {})
