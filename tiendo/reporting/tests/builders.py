"""A small world with history for reporting tests, written through the real services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from tiendo.accounts.models import Role, User
from tiendo.orgs.models import Unit
from tiendo.programs.models import Program, Task
from tiendo.programs.services import group_create, progress_submit
from tiendo.programs.tests.factories import (
    make_admin,
    make_program,
    make_task,
    make_unit,
    make_user,
)
from tiendo.reporting.models import DueRule, Frequency, ReportPeriod, ReportSchedule
from tiendo.reporting.services import period_open, schedule_create

Q1 = dt.date(2025, 2, 10)  # a day inside the first quarter of 2025


@dataclass
class World:
    admin: User
    province: Unit
    dept_a: Unit
    dept_b: Unit
    program: Program
    office: User  # standing office of the program
    officer_a: User
    officer_b: User
    viewer: User
    on_time: Task  # dept A, completed on time in Q1
    late: Task  # dept A, overdue at the end of Q1, completed late in May
    running: Task  # dept B, in progress within its deadline
    schedule: ReportSchedule


def backdate(task: Task, day: dt.date) -> None:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    Task.objects.filter(pk=task.pk).update(assigned_at=at)


def make_world() -> World:
    admin = make_admin()
    province = make_unit("Province", kind="province")
    dept_a = make_unit("Department A", parent=province)
    dept_b = make_unit("Department B", parent=province)
    program = make_program(owner=province, actor=admin, standing_office=province, start_year=2025)
    g1 = group_create(actor=admin, program=program, name="Digital government", number="I")
    g2 = group_create(actor=admin, program=program, name="Digital society", number="II")
    office = make_user("office", unit=province, role=Role.STANDING_OFFICE)
    officer_a = make_user("officer_a", unit=dept_a, role=Role.UNIT_OFFICER)
    officer_b = make_user("officer_b", unit=dept_b, role=Role.UNIT_OFFICER)
    viewer = make_user("viewer", unit=dept_b, role=Role.VIEWER)

    def task(
        unit: Unit, group: object, deadline: dt.date, reports: list[tuple[dt.date, int]]
    ) -> Task:
        t = make_task(
            program=program,
            lead_unit=unit,
            actor=admin,
            group=group,
            deadline=deadline,
            product_quantity=Decimal(10),
        )
        backdate(t, dt.date(2025, 1, 2))
        for day, percent in reports:
            progress_submit(
                actor=admin,
                task=t,
                as_of=day,
                percent=percent,
                achieved_quantity=Decimal(percent // 10),
            )
        t.refresh_from_db()
        return t

    on_time = task(dept_a, g1, dt.date(2025, 3, 15), [(dt.date(2025, 3, 10), 100)])
    late = task(
        dept_a, g1, dt.date(2025, 3, 1), [(dt.date(2025, 2, 1), 50), (dt.date(2025, 5, 5), 100)]
    )
    running = task(dept_b, g2, dt.date(2025, 12, 31), [(dt.date(2025, 3, 1), 30)])
    schedule = schedule_create(
        actor=office,
        program=program,
        name="Quarterly report",
        frequency=Frequency.QUARTERLY,
        due_rule=DueRule.WORKING_DAYS_AFTER_END,
        due_value=5,
        units=[dept_a, dept_b],
    )
    return World(
        admin,
        province,
        dept_a,
        dept_b,
        program,
        office,
        officer_a,
        officer_b,
        viewer,
        on_time,
        late,
        running,
        schedule,
    )


def open_q1(w: World) -> ReportPeriod:
    return period_open(actor=w.office, schedule=w.schedule, day=Q1)
