"""Fixtures of the API tests (see ``helpers.World``)."""

from __future__ import annotations

from typing import Any

import pytest

from tiendo.accounts.models import Role
from tiendo.orgs.models import UnitKind
from tiendo.programs.tests.factories import (
    make_admin,
    make_program,
    make_task,
    make_unit,
    make_user,
)

from .helpers import World


@pytest.fixture
def world(db: Any) -> World:
    admin = make_admin()
    province_a = make_unit("Province A", kind=UnitKind.PROVINCE)
    committee_a = make_unit("Committee A", parent=province_a, kind=UnitKind.COMMITTEE)
    dept_a = make_unit("Department A", parent=province_a)
    district_a = make_unit("District A", parent=province_a, kind=UnitKind.DISTRICT)
    commune_a = make_unit("Commune A", parent=district_a, kind=UnitKind.COMMUNE)
    province_b = make_unit("Province B", kind=UnitKind.PROVINCE)
    dept_b = make_unit("Department B", parent=province_b)
    commune_b = make_unit("Commune B", parent=dept_b, kind=UnitKind.COMMUNE)
    standing = make_user("standing", unit=dept_a, role=Role.STANDING_OFFICE)
    officer_a = make_user("officer_a", unit=commune_a, role=Role.UNIT_OFFICER)
    officer_b = make_user("officer_b", unit=commune_b, role=Role.UNIT_OFFICER)
    program_a = make_program(owner=committee_a, actor=admin, standing_office=dept_a, code="pa")
    program_b = make_program(owner=province_b, actor=admin, code="pb")
    task_a = make_task(program=program_a, lead_unit=commune_a, actor=admin, assignee=officer_a)
    task_b = make_task(program=program_b, lead_unit=commune_b, actor=admin, assignee=officer_b)
    return World(
        admin=admin,
        province_a=province_a,
        committee_a=committee_a,
        dept_a=dept_a,
        district_a=district_a,
        commune_a=commune_a,
        province_b=province_b,
        commune_b=commune_b,
        standing=standing,
        officer_a=officer_a,
        officer_b=officer_b,
        program_a=program_a,
        program_b=program_b,
        task_a=task_a,
        task_b=task_b,
    )
