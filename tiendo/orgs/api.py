"""Units of the organisation tree, as far as the caller's scope reaches (``tiendo.api.selectors``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from tiendo.api import selectors
from tiendo.api.schemas import Id, Page, PageIn, Text, page, responses
from tiendo.orgs.scope import scope_for

from .models import Unit

router = Router()


class OrgUnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    depth: int
    path: str
    closed_on: dt.date | None
    merged_into_id: int | None


class UnitFilters(Schema):
    parent: Id | None = None
    q: Text = ""
    include_closed: bool = False


def _unit_out(unit: Unit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "kind_label": str(unit.get_kind_display()),
        "parent_id": unit.parent_id,
        "depth": unit.depth,
        "path": unit.path,
        "closed_on": unit.closed_on,
        "merged_into_id": unit.merged_into_id,
    }


@router.get("/units", response=responses(Page[OrgUnitOut]), summary="Units in the caller's reach")
def unit_list(
    request: HttpRequest, filters: Query[UnitFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    units = selectors.unit_list(
        scope_for(request.auth_user),  # type: ignore[attr-defined]
        parent=filters.parent,
        q=filters.q,
        include_closed=filters.include_closed,
    )
    return page(units, paging, _unit_out)


@router.get("/units/{unit_id}", response=responses(OrgUnitOut), summary="One unit")
def unit_detail(request: HttpRequest, unit_id: Id) -> dict[str, Any]:
    return _unit_out(selectors.unit_get(scope_for(request.auth_user), unit_id))  # type: ignore[attr-defined]


@router.get(
    "/units/{unit_id}/children", response=responses(Page[OrgUnitOut]), summary="Sub-units of a unit"
)
def unit_children(
    request: HttpRequest, unit_id: Id, paging: Query[PageIn], include_closed: bool = False
) -> dict[str, Any]:
    scope = scope_for(request.auth_user)  # type: ignore[attr-defined]
    unit = selectors.unit_get(scope, unit_id)
    children = selectors.unit_list(scope, parent=unit.pk, include_closed=include_closed)
    return page(children, paging, _unit_out)
