"""Builders for tests: real rows through the real services, with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from tiendo.accounts.models import Membership, Role, User
from tiendo.core.deadlines import DeadlineKind
from tiendo.orgs.models import Unit, UnitKind
from tiendo.orgs.services import unit_create

from ..models import Program, Task
from ..services import program_create, task_create

_seq = itertools.count(1)


def make_unit(
    name: str | None = None, *, parent: Unit | None = None, kind: str = UnitKind.DEPARTMENT
) -> Unit:
    n = next(_seq)
    return unit_create(code=f"U{n}", name=name or f"Unit {n}", kind=kind, parent=parent)


def make_user(
    username: str | None = None,
    *,
    unit: Unit | None = None,
    role: str = Role.UNIT_OFFICER,
    **fields: Any,
) -> User:
    username = username or f"user{next(_seq)}"
    user = User.objects.create_user(
        username=username, password="a-Long-passw0rd", full_name=username.title(), **fields
    )
    if unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def make_admin() -> User:
    return User.objects.create_superuser(username=f"admin{next(_seq)}", password="a-Long-passw0rd")


def make_program(*, owner: Unit, actor: User | None = None, **fields: Any) -> Program:
    n = next(_seq)
    defaults: dict[str, Any] = {"code": f"p{n}", "name": f"Program {n}", "owner_unit": owner}
    return program_create(actor=actor or make_admin(), **{**defaults, **fields})


def make_task(
    *,
    program: Program,
    lead_unit: Unit,
    actor: User | None = None,
    assign: bool = True,
    **fields: Any,
) -> Task:
    """An assigned task with all five clears unless told otherwise."""
    actor = actor or make_admin()
    person = fields.pop("assignee", None) or make_user(unit=lead_unit)
    defaults: dict[str, Any] = {
        "title": f"Task {next(_seq)}",
        "lead_unit": lead_unit,
        "assignee": person,
        "accountable_leader": person,
        "deadline_kind": DeadlineKind.DATE,
        "deadline": dt.date(2030, 12, 31),
        "product": "Paperless public services",
        "product_quantity": Decimal(20),
        "product_unit": "services",
    }
    return task_create(actor=actor, program=program, assign=assign, **{**defaults, **fields})
