"""A small ministry for appraisal tests: a program with a five-step procedure and one project."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tiendo.accounts.models import Role, User
from tiendo.orgs.models import Unit, UnitKind
from tiendo.programs.models import Program, Task, TaskKind
from tiendo.programs.tests.factories import make_program, make_task, make_unit, make_user

from ..models import AppraisalStepRule
from ..services import StepSpec, appraisal_steps_configure

MONDAY = dt.date(2024, 3, 4)  # a plain working week: 4-8 March 2024


@dataclass
class World:
    ministry: Unit
    appraiser: Unit
    planning: Unit
    owner: Unit
    committee: Unit
    leader: User  # committee leader: decides step 5 (approval)
    office: User  # standing office: configures the procedure
    reviewer: User  # the appraiser's reviewer: decides steps 1-3
    planner: User  # decides step 4
    officer: User  # the project owner's officer
    viewer: User
    program: Program
    project: Task
    rules: list[AppraisalStepRule]


def build_world() -> World:
    ministry = make_unit("Bộ", kind=UnitKind.MINISTRY)
    committee = make_unit("Ban Chỉ đạo", parent=ministry)
    appraiser = make_unit("Bộ Tư lệnh 86", parent=ministry)
    planning = make_unit("Cục Kế hoạch và Đầu tư", parent=ministry)
    owner = make_unit("Cục Quân lực", parent=ministry)
    leader = make_user(unit=committee, role=Role.COMMITTEE_LEADER)
    office = make_user(unit=appraiser, role=Role.STANDING_OFFICE)
    reviewer = make_user(unit=appraiser, role=Role.REVIEWER)
    planner = make_user(unit=planning, role=Role.UNIT_LEADER)
    officer = make_user(unit=owner)
    viewer = make_user(unit=ministry, role=Role.VIEWER)
    program = make_program(owner=committee, standing_office=appraiser, actor=office)
    project = make_task(
        program=program, lead_unit=owner, assignee=officer, actor=office, kind=TaskKind.PROJECT
    )
    rules = appraisal_steps_configure(
        actor=office,
        program=program,
        steps=[
            StepSpec("Tiếp nhận hồ sơ", 1, appraiser),
            StepSpec("Kiểm tra tính đầy đủ của hồ sơ", 5, appraiser),
            StepSpec("Thẩm định, lấy ý kiến các cơ quan", 20, appraiser),
            StepSpec("Thẩm định nội bộ", 10, planning),
            StepSpec("Phê duyệt", 5, committee),
        ],
    )
    return World(
        ministry, appraiser, planning, owner, committee, leader, office, reviewer, planner, officer, viewer,
        program, project, rules,
    )  # fmt: skip
