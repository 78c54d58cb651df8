"""Writes of the dashboards app: a leader overrides (or withdraws) a delivery confidence rating."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.accounts.models import Role
from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope, scope_for
from tiendo.programs.access import can_manage_program
from tiendo.programs.models import Program, TaskGroup

from .confidence import Rating
from .models import ConfidenceOverride, Target


def can_override(scope: Scope, *, program: Program | None = None, unit: Unit | None = None) -> bool:
    """Program leaders for a program and its groups; unit or committee leaders for a unit."""
    if program is not None:
        return can_manage_program(scope, program)
    if unit is not None:
        return scope.is_admin or scope.has_role(
            Role.UNIT_LEADER, Role.COMMITTEE_LEADER, unit_path=unit.path
        )
    return False


def current_override(
    *, program: Program | None = None, group: TaskGroup | None = None, unit: Unit | None = None
) -> ConfidenceOverride | None:
    target = {"program": program, "group": group, "unit": unit}
    return ConfidenceOverride.objects.filter(**{k: v for k, v in target.items() if v}).first()


@transaction.atomic
def confidence_override_set(
    *,
    actor: Any,
    rating: str,
    reason: str,
    expected_current: int | None,
    program: Program | None = None,
    group: TaskGroup | None = None,
    unit: Unit | None = None,
) -> ConfidenceOverride:
    """Record a leader's rating (or its withdrawal with ``rating=""``) for one target.

    ``expected_current`` is the id of the override the leader saw (None: none): if another
    leader recorded one since, nothing is written and ``ConflictError`` says so.
    """
    targets = [t for t in (program, group, unit) if t is not None]
    if len(targets) != 1:
        raise ValueError("exactly one of program, group, unit")
    owner = program or (group.program if group else None)
    if not can_override(scope_for(actor), program=owner, unit=unit):
        raise PermissionDeniedError(_("Only a leader responsible for it can override this rating."))
    errors: dict[str, str] = {}
    if rating and rating not in Rating.values:
        errors["rating"] = _("Choose one of the five ratings.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the override; it is shown beside the rating.")
    if errors:
        raise ValidationError(errors)
    # Lock the target row so two leaders overriding at once are ordered, then compare.
    locked = type(targets[0]).objects.select_for_update().filter(pk=targets[0].pk)
    list(locked)
    current = current_override(program=program, group=group, unit=unit)
    if (current.pk if current else None) != expected_current:
        raise ConflictError(
            _(
                "Another leader changed this rating after you opened the page. Reload it and decide again."
            )
        )
    if current is None and not rating:
        raise ValidationError({"rating": _("There is no override to withdraw.")})
    target = Target.PROGRAM if program else Target.GROUP if group else Target.UNIT
    return ConfidenceOverride.objects.create(
        target=target,
        program=program,
        group=group,
        unit=unit,
        rating=rating,
        reason=reason.strip(),
        set_by=actor,
    )
