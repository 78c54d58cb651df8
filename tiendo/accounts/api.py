"""``GET /me``: who the caller is, with roles and units, as the access layer sees them."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from tiendo.accounts.models import Role
from tiendo.api.schemas import responses
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for

router = Router()


class MembershipOut(Schema):
    unit_id: int
    unit_name: str
    role: str
    role_label: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    position: str
    language: str
    clearance: int
    is_admin: bool
    roles: list[MembershipOut]
    unit_ids: list[int]


@router.get("/me", response=responses(MeOut), summary="The caller, with roles and units")
def me(request: HttpRequest) -> dict:
    user = request.auth_user  # type: ignore[attr-defined]
    scope = scope_for(user)
    names = dict(Unit.objects.filter(pk__in=scope.unit_ids).values_list("pk", "name"))
    roles = [
        {"unit_id": u, "unit_name": names[u], "role": r, "role_label": str(Role(r).label)}
        for u, _, r in scope.memberships
    ]
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": str(user),
        "position": user.position,
        "language": user.language,
        "clearance": user.clearance,
        "is_admin": scope.is_admin,
        "roles": roles,
        "unit_ids": sorted(scope.unit_ids),
    }
