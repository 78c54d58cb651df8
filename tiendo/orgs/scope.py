"""Who may see what: a user's scope, computed once per request from their memberships.

This module and ``tiendo.programs.selectors`` are the access layer. Pages, the API and exports
filter every query through them; nothing else decides visibility.

Rules (issue 2):
- a member of a unit, in any role, sees the tasks led by that unit or any unit below it, and the
  tasks that those units coordinate;
- a committee leader or standing-office member sees whole programs: those owned by their unit or
  a unit below it, and those whose standing office is their unit;
- an administrator sees every program;
- classified records need a clearance at least as high, whoever the user is.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q

from tiendo.accounts.models import PROGRAM_WIDE_ROLES, Membership, Role
from tiendo.core.fields import in_any_subtree, subtree_bounds
from tiendo.core.models import Classification
from tiendo.orgs.models import Unit


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    is_admin: bool = False
    clearance: int = Classification.PUBLIC
    # (unit id, unit path, role) for every open membership.
    memberships: tuple[tuple[int, str, str], ...] = ()
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def unit_ids(self) -> frozenset[int]:
        return frozenset(unit_id for unit_id, _, _ in self.memberships)

    @property
    def unit_paths(self) -> tuple[str, ...]:
        """Subtree roots, without paths already inside another one."""
        paths = sorted({path for _, path, _ in self.memberships})
        kept: list[str] = []
        for path in paths:
            if not any(path.startswith(p) for p in kept):
                kept.append(path)
        return tuple(kept)

    @property
    def program_wide_paths(self) -> tuple[str, ...]:
        return tuple(sorted({p for _, p, role in self.memberships if role in PROGRAM_WIDE_ROLES}))

    @property
    def program_wide_unit_ids(self) -> frozenset[int]:
        return frozenset(u for u, _, role in self.memberships if role in PROGRAM_WIDE_ROLES)

    def has_role(self, *roles: str, unit_path: str | None = None) -> bool:
        """Whether the user holds one of ``roles``, at ``unit_path`` or above it if given."""
        return any(
            role in roles and (unit_path is None or unit_path.startswith(path))
            for _, path, role in self.memberships
        )

    def covers_path(self, path: str) -> bool:
        """Whether the tree path ``path`` lies under one of the user's units (``subtree_q``
        tested in Python); an administrator's scope covers every path."""
        if self.is_admin:
            return True
        for root in self.unit_paths:
            low, high = subtree_bounds(root)
            if low <= path < high:
                return True
        return False

    def subtree_q(self, field_name: str) -> Q:
        """Rows whose tree path ``field_name`` lies under one of the user's units."""
        return in_any_subtree(field_name, self.unit_paths)

    def program_wide_q(self, owner_path_field: str, standing_office_field: str) -> Q:
        """Programs that the user's committee or standing-office role covers entirely."""
        if not self.program_wide_unit_ids:
            return Q(pk__in=[])
        owned = in_any_subtree(owner_path_field, self.program_wide_paths)
        return owned | Q(**{f"{standing_office_field}__in": sorted(self.program_wide_unit_ids)})


ANONYMOUS = Scope(user_id=None)


@functools.lru_cache(maxsize=4)
def _membership_sql(vendor: str) -> str:
    """The user's open memberships: ``Membership.objects.filter(user=user,
    unit__closed_on__isnull=True).values_list("unit_id", "unit__path", "role")
    .order_by("unit__path", "role")`` written out once (every request of every page reads it;
    the ORM spent longer compiling it than the database answering)."""
    q = connection.ops.quote_name
    m, u = q(Membership._meta.db_table), q(Unit._meta.db_table)
    return (
        f"SELECT {m}.{q('unit_id')}, {u}.{q('path')}, {m}.{q('role')} FROM {m} "  # noqa: S608
        f"INNER JOIN {u} ON {m}.{q('unit_id')} = {u}.{q('id')} "
        f"WHERE {m}.{q('user_id')} = %s AND {u}.{q('closed_on')} IS NULL "
        f"ORDER BY {u}.{q('path')} ASC, {m}.{q('role')} ASC"
    )


def scope_for(user: Any) -> Scope:
    """The scope of ``user``, memoised on the user object for the length of a request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_tiendo_scope", None)
    if cached is not None:
        return cached
    with connection.cursor() as cursor:
        cursor.execute(_membership_sql(connection.vendor), [user.pk])
        rows = tuple(cursor.fetchall())
    scope = Scope(
        user_id=user.pk,
        is_admin=user.is_superuser or any(role == Role.ADMINISTRATOR for _, _, role in rows),
        clearance=user.clearance,
        memberships=rows,
    )
    user._tiendo_scope = scope
    return scope
