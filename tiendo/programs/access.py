"""What a user may do with a program or task they can see. Visibility is in ``selectors``."""

from __future__ import annotations

from tiendo.accounts.models import Role
from tiendo.orgs.scope import Scope

from .models import Program, Task


def can_create_program(scope: Scope) -> bool:
    return scope.is_admin or scope.has_role(Role.COMMITTEE_LEADER, Role.STANDING_OFFICE)


def can_manage_program(scope: Scope, program: Program) -> bool:
    """Committee leaders and the standing office of the program (or above it) plan and assign."""
    if scope.is_admin:
        return True
    if program.standing_office_id is not None and any(
        unit_id == program.standing_office_id
        and role in (Role.COMMITTEE_LEADER, Role.STANDING_OFFICE)
        for unit_id, _, role in scope.memberships
    ):
        return True
    return scope.has_role(
        Role.COMMITTEE_LEADER, Role.STANDING_OFFICE, unit_path=program.owner_unit.path
    )


def can_report_progress(scope: Scope, task: Task) -> bool:
    if task.is_draft or task.hold_state:
        return False
    if scope.user_id in (task.assignee_id, task.accountable_leader_id):
        return True
    if task.lead_unit_path and scope.has_role(
        Role.UNIT_LEADER, Role.UNIT_OFFICER, unit_path=task.lead_unit_path
    ):
        return True
    return can_manage_program(scope, task.program)


def can_edit_task(scope: Scope, task: Task) -> bool:
    return can_manage_program(scope, task.program)
