"""What a user may do in an appraisal they can see (visibility is in ``selectors``)."""

from __future__ import annotations

from tiendo.accounts.models import Role
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope
from tiendo.programs.access import can_manage_program, can_report_progress
from tiendo.programs.models import Program, Task

# Roles that act for a body; viewers and auditors only read.
ACTING_ROLES = (
    Role.COMMITTEE_LEADER,
    Role.STANDING_OFFICE,
    Role.UNIT_LEADER,
    Role.UNIT_OFFICER,
    Role.REVIEWER,
)


def can_configure_steps(scope: Scope, program: Program) -> bool:
    return can_manage_program(scope, program)


def can_submit_dossier(scope: Scope, task: Task) -> bool:
    """The project owner (the lead unit's people) or the program's managers."""
    return can_report_progress(scope, task)


def can_act_for(scope: Scope, unit: Unit) -> bool:
    """Whether the user acts for ``unit`` (a member of it or of a unit above it)."""
    return scope.is_admin or scope.has_role(*ACTING_ROLES, unit_path=unit.path)


def can_decide_step(scope: Scope, responsible_unit: Unit) -> bool:
    """Only the body responsible for a step passes it or returns the dossier."""
    return can_act_for(scope, responsible_unit)
