"""Who may do what in an assessment cycle; every service and view asks here, nowhere else.

- the unit's officers and leaders (membership at the unit or above it) self-assess;
  only a unit leader submits;
- reviewers (at the unit, above it, or at the period's committee) adjust, return and verify;
- the committee (committee leaders and the standing office of the period's committee unit, or
  above it) opens periods, approves and publishes; administrators may do everything.
"""

from __future__ import annotations

from typing import Any

from tiendo.accounts.models import Role
from tiendo.orgs.scope import Scope

COMMITTEE_ROLES = (Role.COMMITTEE_LEADER, Role.STANDING_OFFICE)


def can_manage_frameworks(scope: Scope) -> bool:
    return scope.is_admin or scope.has_role(*COMMITTEE_ROLES)


def is_committee(scope: Scope, period: Any) -> bool:
    if scope.is_admin:
        return True
    committee = period.committee
    if committee is None:
        return scope.has_role(*COMMITTEE_ROLES)
    return scope.has_role(*COMMITTEE_ROLES, unit_path=committee.path)


def is_reviewer(scope: Scope, period: Any, unit: Any | None = None) -> bool:
    if scope.is_admin:
        return True
    if unit is not None and scope.has_role(Role.REVIEWER, unit_path=unit.path):
        return True
    committee = period.committee
    if committee is None:
        return scope.has_role(Role.REVIEWER)
    return scope.has_role(Role.REVIEWER, unit_path=committee.path)


def sees_whole_cycle(scope: Scope, period: Any) -> bool:
    return is_committee(scope, period) or is_reviewer(scope, period)


def can_self_assess(scope: Scope, unit: Any) -> bool:
    return scope.is_admin or scope.has_role(
        Role.UNIT_LEADER, Role.UNIT_OFFICER, unit_path=unit.path
    )


def can_submit(scope: Scope, unit: Any) -> bool:
    return scope.is_admin or scope.has_role(Role.UNIT_LEADER, unit_path=unit.path)
