from __future__ import annotations

import csv
import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tiendo.orgs.scope import scope_for

from .selectors import AuditFilters, audit_entries, can_read_audit

EXPORT_LIMIT = 100_000


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> AuditFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilters(**{k: v for k, v in data.items() if v})


def _entries(request: HttpRequest) -> tuple[AuditFilterForm, object]:
    scope = scope_for(request.user)
    if not can_read_audit(scope):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    return form, audit_entries(scope, form.filters() if form.is_bound else None)


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    form, entries = _entries(request)
    page = Paginator(entries.select_related("actor"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/list.html", {"form": form, "page_obj": page, "query": query.urlencode()}
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of the filtered entries, streamed, with the hashes so that a copy can be checked later."""
    _, entries = _entries(request)
    writer = csv.writer(_Echo())
    header = [
        "seq",
        "at",
        "actor",
        "ip",
        "action",
        "object_type",
        "object_id",
        "summary",
        "before",
        "after",
        "prev_hash",
        "hash",
    ]

    def rows():  # type: ignore[no-untyped-def]
        yield "\ufeff" + writer.writerow(header)
        for e in entries.order_by("seq")[:EXPORT_LIMIT].iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    e.seq,
                    e.at.isoformat(),
                    e.actor_name,
                    e.ip,
                    e.action,
                    e.object_type,
                    e.object_id,
                    e.summary,
                    e.before,
                    e.after,
                    e.prev_hash,
                    e.hash,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = dt.date.today().isoformat()
    response["Content-Disposition"] = f'attachment; filename="tiendo-audit-{stamp}.csv"'
    return response
