"""What a user may do with reminders of a task they can see (visibility: programs.selectors)."""

from __future__ import annotations

from tiendo.accounts.models import Role
from tiendo.orgs.scope import Scope
from tiendo.programs.access import can_manage_program
from tiendo.programs.models import Task


def can_urge(scope: Scope, task: Task) -> bool:
    """Leaders urge: the program's committee and standing office, and leaders above the lead unit."""
    if can_manage_program(scope, task.program):
        return True
    return bool(task.lead_unit_path) and scope.has_role(
        Role.UNIT_LEADER, Role.COMMITTEE_LEADER, unit_path=task.lead_unit_path
    )
