"""XLSX export of a dashboard: the same figures as the page, one sheet per block."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .figures import BUCKET_LABELS
from .selectors import Dashboard, Row

COLUMNS = (
    "total",
    "deployed",
    "completed_on_time",
    "completed_late",
    "open_within",
    "overdue",
    "not_started",
    "paused",
    "extended",
    "at_risk",
    "stale",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(wb: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    ws = wb.create_sheet(title[:31])
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    ws.freeze_panes = "B2"


def _row(r: Row) -> list[Any]:
    conf = r.confidence
    rate = r.on_time_rate
    return [
        "  " * r.depth + r.label,
        *(r.counts[c] for c in COLUMNS),
        None if rate is None else round(100 * rate, 1),
        str(conf.label),
        conf.reason,
        r.override.rating_label if r.override else "",
        r.override.reason if r.override else "",
    ]


def workbook(dashboard: Dashboard) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    header = [
        _("Name"),
        *(str(BUCKET_LABELS[c]) for c in COLUMNS),
        _("On-time rate (%)"),
        _("Delivery confidence"),
        _("Reason"),
        _("Leader's rating"),
        _("Leader's reason"),
    ]
    as_of = dashboard.on.isoformat()
    _sheet(wb, _("Overview"), [_("As of"), *header], [[as_of, *_row(dashboard.overall)]])
    _sheet(wb, _("By kind"), header, [_row(r) for r in dashboard.kinds.values()])
    if dashboard.groups:
        _sheet(wb, _("Task groups"), header, [_row(r) for r in dashboard.groups])
    if dashboard.league:
        _sheet(
            wb,
            _("Units"),
            [*header, _("Days late"), _("Leader")],
            [[*_row(r), r.extra["days_late"], r.extra["leader"]] for r in dashboard.league],
        )
    if dashboard.products:
        _sheet(
            wb,
            _("Products"),
            [_("Unit of measure"), _("Tasks"), _("Completed"), _("Expected"), _("Delivered")],
            [
                [p["unit"], p["tasks"].value, p["completed"].value, p["expected"], p["delivered"]]
                for p in dashboard.products
            ],
        )
    if dashboard.timeline:
        t = dashboard.timeline
        _sheet(
            wb,
            _("Trend"),
            [_("Date"), _("Due (cumulative)"), _("Completed (cumulative)"), _("Overdue")],
            [
                [d, a.value, b.value, c.value]
                for d, a, b, c in zip(t.points, t.planned, t.completed, t.overdue, strict=True)
            ],
        )
        _sheet(
            wb,
            _("Quarters"),
            [_("Quarter"), _("Due"), _("Completed"), _("Overdue")],
            [
                [q["label"], q["due"].value, q["completed"].value, q["overdue"].value]
                for q in t.quarters
            ],
        )
    return wb


def xlsx_response(dashboard: Dashboard, name: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook(dashboard).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="tiendo-{name}-{dashboard.on}.xlsx"'
    return response
