"""Test data for dashboards: tasks with given facts, written through the real services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tiendo.accounts.models import Role, User
from tiendo.orgs.models import Unit
from tiendo.programs.models import Program, Task, TaskGroup
from tiendo.programs.services import group_create
from tiendo.programs.tests.factories import (
    make_admin,
    make_program,
    make_task,
    make_unit,
    make_user,
)


@dataclass
class World:
    """A province with two departments and a district below one of them, and one program."""

    admin: User
    province: Unit
    dept_a: Unit
    dept_b: Unit
    district: Unit
    program: Program
    group_1: TaskGroup
    group_2: TaskGroup
    subgroup: TaskGroup
    person: User


def make_world() -> World:
    admin = make_admin()
    province = make_unit("Province", kind="province")
    dept_a = make_unit("Department A", parent=province)
    dept_b = make_unit("Department B", parent=province)
    district = make_unit("District", parent=dept_a, kind="district")
    program = make_program(owner=province, actor=admin, start_year=2023)
    group_1 = group_create(actor=admin, program=program, name="Digital government", number="I")
    group_2 = group_create(actor=admin, program=program, name="Digital economy", number="II")
    subgroup = group_create(actor=admin, program=program, name="Services", parent=group_1)
    person = make_user(unit=province, role=Role.UNIT_OFFICER)
    return World(
        admin, province, dept_a, dept_b, district, program, group_1, group_2, subgroup, person
    )


def add_task(w: World, *, unit: Unit | None = None, **fields: Any) -> Task:
    """An assigned task of the world's program; ``facts`` columns may be overwritten after."""
    facts = {
        k: fields.pop(k)
        for k in (
            "hold_state",
            "started_on",
            "completed_on",
            "latest_percent",
            "latest_progress_on",
        )
        if k in fields
    }
    task = make_task(
        program=w.program,
        lead_unit=unit or w.dept_a,
        actor=w.admin,
        assignee=w.person,
        **fields,
    )
    if facts:
        Task.objects.filter(pk=task.pk).update(**facts)
        task.refresh_from_db()
    return task


DAY = dt.timedelta(days=1)
