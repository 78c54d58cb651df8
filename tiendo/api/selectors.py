"""Reads the API needs that the foundation's selectors do not offer, built on the same scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from tiendo.accounts.models import User
from tiendo.core.fields import in_subtree
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope
from tiendo.programs.models import Evidence
from tiendo.programs.selectors import visible_tasks


def visible_units(scope: Scope) -> QuerySet[Unit]:
    """Units a user may look up and name in a task: the reach of their memberships.

    - their own units and everything below them;
    - the units above them, so that a commune officer can name their district and province;
    - for committee leaders and the standing office, the whole tree their unit belongs to
      (from its topmost unit down), because they assign tasks to any agency of it;
    - administrators see every unit. Another province stays invisible to everyone else.
    """
    if not scope.is_authenticated:
        return Unit.objects.none()
    if scope.is_admin:
        return Unit.objects.all()
    ancestors = {int(part) for path in scope.unit_paths for part in path.strip("/").split("/")}
    reach = scope.subtree_q("path") | Q(pk__in=sorted(ancestors))
    for path in scope.program_wide_paths:
        reach |= in_subtree("path", "/" + path.strip("/").split("/")[0] + "/")
    return Unit.objects.filter(reach)


def unit_list(
    scope: Scope, *, parent: int | None = None, q: str = "", include_closed: bool = False
) -> QuerySet[Unit]:
    units = visible_units(scope).select_related("parent")
    if parent is not None:
        units = units.filter(parent_id=parent)
    if not include_closed:
        units = units.filter(closed_on__isnull=True)
    if term := q.strip():
        units = units.filter(
            Q(name__icontains=term) | Q(short_name__icontains=term) | Q(code__iexact=term)
        )
    return units.order_by("path")


def unit_get(scope: Scope, unit_id: int) -> Unit:
    unit = visible_units(scope).select_related("parent").filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def visible_people(scope: Scope) -> QuerySet[User]:
    """Active users the caller may name as assignee or accountable leader of a task.

    People who belong to a unit the caller can see (see ``visible_units``), and the caller.
    """
    if not scope.is_authenticated:
        return User.objects.none()
    people = User.objects.filter(is_active=True)
    if scope.is_admin:
        return people
    in_reach = Q(memberships__unit__in=visible_units(scope)) | Q(pk=scope.user_id)
    return people.filter(pk__in=User.objects.filter(in_reach).values("pk"))


def evidence_get(scope: Scope, evidence_id: int) -> Evidence:
    """An evidence file, only if the caller can see the task it was reported on."""
    evidence = Evidence.objects.filter(
        pk=evidence_id, update__task__in=visible_tasks(scope)
    ).first()
    if evidence is None:
        raise Http404
    return evidence
