"""A small organisation for reminder tests: committee, standing office, lead unit, people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tiendo.accounts.models import Role, User
from tiendo.orgs.models import Unit, UnitKind
from tiendo.programs.models import Program, Task
from tiendo.programs.tests.factories import (
    make_admin,
    make_program,
    make_task,
    make_unit,
    make_user,
)


@dataclass
class World:
    admin: User
    committee: Unit
    office: Unit
    unit: Unit
    chair: User  # committee leader
    secretary: User  # standing office
    leader: User  # unit leader
    officer: User  # assignee
    program: Program
    due_task: Task | None = None  # set by fixtures that need one task with reminders

    def task(self, deadline: dt.date, **fields: Any) -> Task:
        defaults: dict[str, Any] = {
            "assignee": self.officer,
            "accountable_leader": self.leader,
            "deadline": deadline,
        }
        return make_task(
            program=self.program, lead_unit=self.unit, actor=self.admin, **{**defaults, **fields}
        )


def make_world(**user_fields: Any) -> World:
    admin = make_admin()
    province = make_unit("Province", kind=UnitKind.PROVINCE)
    committee = make_unit("DX Committee", parent=province, kind=UnitKind.COMMITTEE)
    office = make_unit("Department of Information", parent=province)
    unit = make_unit("Department of Health", parent=province)
    chair = make_user("chair", unit=committee, role=Role.COMMITTEE_LEADER, email="chair@x.vn")
    secretary = make_user(
        "secretary", unit=office, role=Role.STANDING_OFFICE, email="secretary@x.vn"
    )
    leader = make_user("leader", unit=unit, role=Role.UNIT_LEADER, email="leader@x.vn")
    officer = make_user("officer", unit=unit, email="officer@x.vn", **user_fields)
    program = make_program(owner=committee, actor=admin, standing_office=office)
    return World(admin, committee, office, unit, chair, secretary, leader, officer, program)
