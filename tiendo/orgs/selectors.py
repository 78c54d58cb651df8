"""Units a user may pick in a form, and the unit picker's search over them.

``units_for`` is the set a form offers and validates (through ``tiendo.orgs.scope``); the
picker (``/units/pick/``) searches the very same set, so it never offers a unit the form would
refuse nor shows one the user may not pick.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, QuerySet, Value, When

from tiendo.core.fields import in_any_subtree, in_subtree
from tiendo.core.picker import PICK_LIMIT, Choice, Matches, text_search

from .models import Unit
from .scope import Scope


def root_path(path: str) -> str:
    """The top of the tree a unit belongs to (its ministry or province): ``/1/7/42/`` -> ``/1/``."""
    return "/" + path.strip("/").split("/")[0] + "/"


def units_for(scope: Scope, *, within: str | None = None) -> QuerySet[Unit]:
    """Open units a user may pick: those of their own ministries/provinces (all for admins)."""
    units = Unit.objects.filter(closed_on__isnull=True).order_by("path")
    if within:
        return units.filter(in_subtree("path", root_path(within)))
    if scope.is_admin:
        return units
    roots = {root_path(p) for p in scope.unit_paths}
    if not roots:
        return units.none()
    return units.filter(in_any_subtree("path", sorted(roots)))


def unit_search(
    units: QuerySet[Unit],
    query: str,
    *,
    limit: int = PICK_LIMIT,
    own: tuple[str, ...] = (),
) -> Matches:
    """Units of ``units`` whose name or short name holds every word of ``query``, or whose code
    holds the whole of it.

    Accents and case do not matter ("so y te" finds "Sở Y tế"). Order: the unit whose code is
    the query, then the units under ``own`` (the user's own units' paths: their own units
    before the same name elsewhere in the province), then tree order. Two queries: the units,
    then the names of the units above them.
    """
    search = text_search(query, ("name", "short_name"))
    found = units.filter(search.where)
    order: list[Any] = list(search.order)
    if own:
        order.append(Case(When(in_any_subtree("path", own), then=Value(0)), default=Value(1)))
    rows = list(
        found.order_by(*order, "path").values_list("pk", "name", "code", "path")[: limit + 1]
    )
    return Matches(query=search.query, items=describe(rows[:limit]), more=len(rows) > limit)


def unit_choice(units: QuerySet[Unit], pk: int) -> Choice | None:
    """The unit ``pk`` as the picker shows it, if ``units`` holds it (else None)."""
    rows = list(units.filter(pk=pk).values_list("pk", "name", "code", "path")[:1])
    return describe(rows)[0] if rows else None


def describe(rows: list[tuple[int, str, str, str]]) -> list[Choice]:
    """``(pk, name, code, path)`` rows with the names of the units above each (one query).

    Those names are shown whatever the reader's scope: a unit's place in the tree (its
    ministry or province) is part of its name, as on its letterhead.
    """
    above: dict[int, list[int]] = {
        pk: [int(p) for p in path.strip("/").split("/")[:-1]] for pk, _, _, path in rows
    }
    wanted = sorted({a for ids in above.values() for a in ids})
    names = dict(Unit.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    return [
        Choice(
            pk=pk,
            name=name,
            code=code,
            within=" · ".join(names[a] for a in reversed(above[pk]) if a in names),
        )
        for pk, name, code, _ in rows
    ]
