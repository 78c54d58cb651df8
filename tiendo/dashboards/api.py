"""The dashboard figures over HTTP: the same selectors as the pages, so the same numbers.

Each figure comes with the query of its drill-down list (``/dashboards/list/?...``), so an API
client can fetch the exact tasks behind any number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from tiendo.api.schemas import Id, responses
from tiendo.orgs.scope import scope_for

from . import selectors
from .figures import parse_as_of

router = Router(tags=["dashboards"])


class RowOut(Schema):
    id: int | None
    label: str
    counts: dict[str, int]
    deployed_ratio: str
    completed_ratio: str
    on_time_rate: float | None
    confidence: str | None
    confidence_reason: str
    override: str | None
    override_reason: str | None
    override_by: str | None
    extra: dict[str, Any]
    lists: dict[str, str]


class SummaryOut(Schema):
    title: str
    as_of: dt.date | None
    on: dt.date
    overall: RowOut
    kinds: dict[str, RowOut]
    groups: list[RowOut]
    units: list[RowOut]


def _out(dashboard: selectors.Dashboard) -> dict[str, Any]:
    data = dict(selectors.summary(dashboard))
    rows = {
        "overall": [dashboard.overall],
        "groups": dashboard.groups,
        "units": dashboard.league,
    }
    # Attach each row's drill-down URLs next to its counts.
    data["overall"]["lists"] = _lists(dashboard.overall)
    for key in ("groups", "units"):
        for out, row in zip(data[key], rows[key], strict=True):
            out["lists"] = _lists(row)
    for kind, row in dashboard.kinds.items():
        data["kinds"][kind]["lists"] = _lists(row)
    return data


def _lists(row: selectors.Row) -> dict[str, str]:
    return {bucket: fig.url for bucket, fig in row.figs.items()}


@router.get("/programs/{program_id}/summary", response=responses(SummaryOut))
def program_summary(request: HttpRequest, program_id: Id, as_of: str = "") -> dict[str, Any]:
    """The program dashboard's figures (per task group and overall), today or as of a date."""
    scope = scope_for(request.auth_user)  # type: ignore[attr-defined]
    day = parse_as_of(as_of)
    return _out(selectors.program_dashboard(scope, program_id, as_of=day))


@router.get("/units/{unit_id}/summary", response=responses(SummaryOut))
def unit_summary(request: HttpRequest, unit_id: Id, as_of: str = "") -> dict[str, Any]:
    """The figures over a unit's subtree and the league of its sub-units, today or as of a date."""
    scope = scope_for(request.auth_user)  # type: ignore[attr-defined]
    day = parse_as_of(as_of)
    return _out(selectors.unit_dashboard(scope, unit_id, as_of=day))
