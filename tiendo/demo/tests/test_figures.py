"""The three situations' figures, counted by the app's own selectors and status rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.accounts.models import User
from tiendo.demo.figures import EXPECTED, figures, lists
from tiendo.demo.seed import SeedResult
from tiendo.demo.situation_ministry import CODE as MINISTRY_CODE
from tiendo.demo.situation_p06 import CODE as P06_CODE
from tiendo.demo.situation_province import CODE as PROVINCE_CODE
from tiendo.orgs.scope import Scope, scope_for
from tiendo.programs.models import Program, TaskKind
from tiendo.programs.selectors import TaskFilters, group_list, program_list, task_list
from tiendo.programs.status import TaskStatus as S
from tiendo.programs.status import status_q

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
DEPLOYED = Q(started_on__isnull=False) | Q(completed_on__isnull=False)


def as_user(username: str) -> Scope:
    return scope_for(User.objects.get(username=username))


def program(scope: Scope, code: str) -> Program:
    return program_list(scope).get(code=code)


@pytest.mark.parametrize("username", ["chutich", "quantri"])
def test_province_plan_groups_and_deployed_tasks(demo: SeedResult, username: str) -> None:
    # Given the committee leader of the province, or the administrator
    scope = as_user(username)
    plan = program(scope, PROVINCE_CODE)

    # When each task group's tasks and deployed tasks are counted through task_list
    found = {}
    for group in group_list(scope, plan):
        tasks = task_list(scope, TaskFilters(program=plan.pk, group=group.pk))
        found[group.name] = (tasks.filter(DEPLOYED).count(), tasks.count())

    # Then they are the plan's published figures: 11/11, 11/21, 5/9, 1/6
    assert found == {
        "Nhiệm vụ chung": (11, 11),
        "Phát triển chính quyền số": (11, 21),
        "Phát triển kinh tế số": (5, 9),
        "Phát triển xã hội số": (1, 6),
    }
    assert plan.decision_number == "1982/QĐ-UBND"
    assert plan.decision_date == dt.date(2022, 7, 29)


@pytest.mark.parametrize("username", ["bqp.lanhdao", "quantri"])
def test_ministry_projects_and_tasks(demo: SeedResult, username: str) -> None:
    # Given the ministry's committee leader, or the administrator
    scope = as_user(username)
    plan = program(scope, MINISTRY_CODE)

    # When projects and tasks are listed by kind and counted by status
    projects = task_list(scope, TaskFilters(program=plan.pk, kind=TaskKind.PROJECT))
    tasks = task_list(scope, TaskFilters(program=plan.pk, kind=TaskKind.TASK))
    completed = status_q(S.COMPLETED_ON_TIME, TODAY) | status_q(S.COMPLETED_LATE, TODAY)

    # Then 17 projects led by 16 units: 2 appraised on time, 15 behind schedule (overdue)
    assert projects.count() == 17
    assert projects.order_by().values("lead_unit").distinct().count() == 16
    assert projects.filter(status_q(S.COMPLETED_ON_TIME, TODAY)).count() == 2
    assert projects.filter(status_q(S.OVERDUE, TODAY)).count() == 15
    # And 46 tasks over 35 units, 45 completed and one not
    assert tasks.count() == 46
    assert tasks.order_by().values("lead_unit").distinct().count() == 35
    assert tasks.filter(completed).count() == 45
    assert tasks.exclude(completed).count() == 1
    assert tasks.filter(status_q(S.OVERDUE, TODAY)).count() == 1


@pytest.mark.parametrize("username", ["chutich", "quantri"])
def test_project_06_plan(demo: SeedResult, username: str) -> None:
    # Given the province's committee leader, or the administrator
    scope = as_user(username)
    plan = program(scope, P06_CODE)

    # When its groups, tasks and pilot models are counted
    tasks = task_list(scope, TaskFilters(program=plan.pk, kind=TaskKind.TASK))
    q1_not_done = task_list(
        scope,
        TaskFilters(
            program=plan.pk,
            kind=TaskKind.TASK,
            status=S.OVERDUE,
            deadline_from=dt.date(2024, 1, 1),
            deadline_to=dt.date(2024, 3, 31),
        ),
    )
    pilots = task_list(scope, TaskFilters(program=plan.pk, kind=TaskKind.PILOT))
    open_ = (
        status_q(S.OVERDUE, TODAY) | status_q(S.IN_PROGRESS, TODAY) | status_q(S.NOT_STARTED, TODAY)
    )

    # Then 10 groups, 51 tasks of which 10 were due in Q1/2024 and are not done
    assert group_list(scope, plan).count() == 10
    assert tasks.count() == 51
    assert q1_not_done.count() == 10
    assert tasks.filter(status_q(S.OVERDUE, TODAY)).count() == 10  # no other task is late
    # And 38 pilots: 6 completed, 20 started and not completed, 12 not started
    assert pilots.count() == 38
    assert pilots.filter(status_q(S.COMPLETED_ON_TIME, TODAY)).count() == 6
    assert pilots.filter(open_, started_on__isnull=False).count() == 20
    assert pilots.filter(open_, started_on__isnull=True).count() == 12


def test_kpi_products_are_quantified(demo: SeedResult) -> None:
    # Given the Project 06 plan as the administrator
    scope = as_user("quantri")
    plan = program(scope, P06_CODE)

    # When its tasks about essential and paperless public services are read
    kpis = task_list(scope, TaskFilters(program=plan.pk, q="dịch vụ công"))

    # Then their products carry the quantities of the targets
    assert {(t.product_quantity, t.product_unit) for t in kpis} >= {
        (53, "dịch vụ"),
        (20, "dịch vụ"),
    }


def test_figures_module_gives_every_expected_figure(demo: SeedResult) -> None:
    # Given the administrator, who sees every program
    scope = as_user("quantri")

    # When the figures module counts them
    # Then each is as expected, and each count is the length of its own list
    assert figures(scope) == EXPECTED
    for name, tasks in lists(scope).items():
        assert len(list(tasks)) == EXPECTED[name], name


def test_committee_leaders_see_their_own_programs_figures(demo: SeedResult) -> None:
    # Given the two committee leaders
    province, ministry = figures(as_user("chutich")), figures(as_user("bqp.lanhdao"))

    # Then each sees exactly the figures of the programs of their body, equal to the admin's
    assert province == {k: v for k, v in EXPECTED.items() if not k.startswith("ministry.")}
    assert ministry == {k: v for k, v in EXPECTED.items() if k.startswith("ministry.")}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(on=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_figures_do_not_depend_on_the_day_they_are_read(demo: SeedResult, on: dt.date) -> None:
    # Given any reference date after the last counted deadline (31/12/2024)
    scope = as_user("quantri")

    # Then the figures are the same as today
    assert figures(scope, on) == EXPECTED
