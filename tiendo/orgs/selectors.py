"""Units a user may pick in a form, and the unit picker's search over them.

``units_for`` is the set a form offers and validates (through ``tiendo.orgs.scope``); the
picker (``/units/pick/``) searches the very same set, so it never offers a unit the form would
refuse nor shows one the user may not pick.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When

from tiendo.core.fields import in_subtree
from tiendo.core.text import fold, fold_pattern

from .models import Unit
from .scope import Scope

# How many units the picker lists at once; more means "type more".
PICK_LIMIT = 20
# A search is cut to this many words of this many characters (one regular expression per word).
MAX_TERMS = 6
MAX_TERM_LENGTH = 60


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
    return units.filter(reduce(or_, (in_subtree("path", r) for r in sorted(roots))))


@dataclass(frozen=True)
class UnitChoice:
    """A unit as the picker shows it: its name, code and where it sits ("Sở Y tế · Tỉnh X")."""

    pk: int
    name: str
    code: str
    within: str  # the names of the units above it, nearest first, "" for a top unit


@dataclass(frozen=True)
class UnitMatches:
    query: str
    units: list[UnitChoice]
    more: bool  # more units match than are listed


def search_terms(query: str) -> list[str]:
    """The folded words of a search, as many as are used (``MAX_TERMS``, ``MAX_TERM_LENGTH``)."""
    words = "".join(c if c.isprintable() else " " for c in fold(query)).split()
    return [w[:MAX_TERM_LENGTH] for w in words[:MAX_TERMS]]


def unit_search(
    units: QuerySet[Unit],
    query: str,
    *,
    limit: int = PICK_LIMIT,
    own: tuple[str, ...] = (),
) -> UnitMatches:
    """Units of ``units`` whose name or short name holds every word of ``query``, or whose code
    holds the whole of it.

    Accents and case do not matter ("so y te" finds "Sở Y tế"). Order: the unit whose code is
    the query, then the units under ``own`` (the user's own units' paths: their own units
    before the same name elsewhere in the province), then tree order. Two queries: the units,
    then the names of the units above them.
    """
    query = "".join(c for c in query if c.isprintable())[:200]
    terms = search_terms(query)
    found = units
    if code := query.strip():
        words = Q()
        for term in terms:
            pattern = fold_pattern(term)
            words &= Q(name__iregex=pattern) | Q(short_name__iregex=pattern)
        found = found.filter(words | Q(code__icontains=code))
    order: list[Any] = []
    if code:
        order.append(Case(When(code__iexact=code, then=Value(0)), default=Value(1)))
    if own:
        order.append(Case(When(reduce(or_, map(_under, own)), then=Value(0)), default=Value(1)))
    rows = list(
        found.order_by(*order, "path").values_list("pk", "name", "code", "path")[: limit + 1]
    )
    return UnitMatches(query=query, units=describe(rows[:limit]), more=len(rows) > limit)


def _under(path: str) -> Q:
    return in_subtree("path", path)


def unit_choice(units: QuerySet[Unit], pk: object) -> UnitChoice | None:
    """The unit ``pk`` as the picker shows it, if ``units`` holds it (else None)."""
    if pk in (None, ""):
        return None
    try:
        key = int(str(pk))
    except ValueError:
        return None
    rows = list(units.filter(pk=key).values_list("pk", "name", "code", "path")[:1])
    return describe(rows)[0] if rows else None


def describe(rows: list[tuple[int, str, str, str]]) -> list[UnitChoice]:
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
        UnitChoice(
            pk=pk,
            name=name,
            code=code,
            within=" · ".join(names[a] for a in reversed(above[pk]) if a in names),
        )
        for pk, name, code, _ in rows
    ]
