"""Indicator page: targets, actual values, achievement and roll-up of one indicator for a period,
as of a day, and the form where a unit (or the program's managers) enters a measured value with
its source and evidence. The indicator comes from the user's scope first (404 otherwise)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiendo.core.errors import ConflictError, PermissionDeniedError, validation_messages
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for

from . import kpi_selectors, kpi_services
from .forms import IndicatorValueForm
from .models import Indicator

# Errors of the services keyed by a name the form does not use.
_FIELD_OF = {"files": "evidence"}


def _period(indicator: Indicator, raw: str | None) -> dt.date | None:
    periods = kpi_selectors.indicator_periods(indicator)
    chosen = parse_date(raw or "")
    if chosen in periods:
        return chosen
    return periods[-1] if periods else None


def _render(
    request: HttpRequest,
    indicator: Indicator,
    *,
    period: dt.date | None,
    form: IndicatorValueForm | None = None,
    status: int = 200,
) -> HttpResponse:
    scope = scope_for(request.user)
    on = parse_date(request.GET.get("on") or "") or timezone.localdate()
    page = kpi_selectors.indicator_page(indicator, period_end=period, on=on) if period else None
    if page is not None:
        page = kpi_selectors.narrow_to_own_units(scope, indicator, page)
    units = kpi_selectors.reportable_units(scope, indicator)
    chosen: Unit | None = getattr(form, "cleaned_data", {}).get("unit")
    if chosen is None:
        wanted = request.GET.get("unit")
        chosen = next((u for u in units if str(u.pk) == wanted), None)
        if chosen is None and len(units) == 1:
            chosen = units[0]
    if form is None and chosen is not None and period is not None:
        form = IndicatorValueForm(
            units=units,
            initial={
                "unit": chosen.pk,
                "period_end": period,
                "seen": kpi_services.latest_value_id(indicator, chosen, period),
            },
        )
    context = {
        "indicator": indicator,
        "period": period,
        "on": on,
        "page": page,
        "units": units,
        "reportable": {u.pk for u in units},
        "chosen": chosen,
        "form": form,
    }
    return render(request, "appraisals/indicator.html", context, status=status)


@login_required
def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = kpi_selectors.indicator_get(scope_for(request.user), indicator_id)
    return _render(request, indicator, period=_period(indicator, request.GET.get("period")))


@login_required
@require_POST
def indicator_value_report(request: HttpRequest, indicator_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    indicator = kpi_selectors.indicator_get(scope, indicator_id)
    units = kpi_selectors.reportable_units(scope, indicator)
    form = IndicatorValueForm(request.POST, request.FILES, units=units)
    period = _period(indicator, request.POST.get("period_end"))
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            kpi_services.indicator_report(
                actor=request.user, indicator=indicator, unit=data["unit"],
                period_end=data["period_end"], measured_on=data["measured_on"],
                value=data["value"], source=data["source"], evidence=data["evidence"],
                seen=data["seen"],
            )  # fmt: skip
        except PermissionDeniedError as exc:
            return render(request, "403.html", {"message": exc.message}, status=403)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            for field, msgs in validation_messages(exc).items():
                name = _FIELD_OF.get(field, field)
                for message in msgs:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("Saved."))
            query = urlencode({"period": data["period_end"].isoformat(), "unit": data["unit"].pk})
            return redirect(reverse("appraisals:indicator", args=[indicator.pk]) + "?" + query)
    return _render(request, indicator, period=period, form=form, status=status)


@login_required
def indicator_evidence(request: HttpRequest, value_id: int) -> FileResponse:
    """The evidence of a value, only to those who see its indicator (404 otherwise)."""
    row = kpi_selectors.indicator_value_get(scope_for(request.user), value_id)
    if not row.evidence:
        raise Http404
    try:
        handle = row.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=row.evidence.name.rsplit("/")[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
