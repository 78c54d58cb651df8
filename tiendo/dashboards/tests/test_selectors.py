"""Dashboard selectors: fixed number of queries, access through the scope, the league table."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from tiendo.accounts.models import Role
from tiendo.dashboards.selectors import program_dashboard, unit_dashboard
from tiendo.orgs.scope import scope_for
from tiendo.programs.selectors import today
from tiendo.programs.tests.factories import make_unit, make_user

from .builders import DAY, add_task, make_world

pytestmark = pytest.mark.django_db


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("as_of_days", [None, 30])
def test_dashboards_issue_a_fixed_number_of_queries(as_of_days) -> None:
    # Given a program with a few tasks
    w = make_world()
    on = today()
    as_of = on - as_of_days * DAY if as_of_days else None
    add_task(w, group=w.group_1, deadline=on - 5 * DAY)
    scope = scope_for(w.admin)
    small = (
        _queries(lambda: program_dashboard(scope, w.program.pk, as_of=as_of)),
        _queries(lambda: unit_dashboard(scope, w.province.pk, as_of=as_of)),
    )
    # When many more tasks, groups and units are added
    for i in range(12):
        unit = make_unit(parent=w.dept_b if i % 2 else w.district)
        add_task(w, unit=unit, group=(w.group_2, w.subgroup, None)[i % 3], kind="pilot")
    scope = scope_for(w.admin)
    large = (
        _queries(lambda: program_dashboard(scope, w.program.pk, as_of=as_of)),
        _queries(lambda: unit_dashboard(scope, w.province.pk, as_of=as_of)),
    )
    # Then the dashboards issue the same number of queries, and few
    assert small == large
    assert max(large) <= 9


def test_a_unit_leader_sees_only_their_subtree() -> None:
    # Given tasks in two departments and a leader of department B
    w = make_world()
    add_task(w, unit=w.dept_a)
    add_task(w, unit=w.district)
    mine = add_task(w, unit=w.dept_b, deadline=today() - 3 * DAY)
    leader = make_user(unit=w.dept_b, role=Role.UNIT_LEADER)
    scope = scope_for(leader)
    # When the leader opens their unit, the whole view and the program
    own = unit_dashboard(scope, w.dept_b.pk)
    everything = unit_dashboard(scope, None)
    program = program_dashboard(scope, w.program.pk)
    # Then only their task is counted anywhere
    assert own.overall.counts["total"] == 1
    assert own.overall.counts["overdue"] == 1
    assert everything.overall.counts["total"] == 1
    assert program.overall.counts["total"] == 1
    assert list(own.overall.figs["overdue"].cell.url)  # the list link exists
    assert mine.lead_unit_id == w.dept_b.pk
    # And another department or the province are not found
    for unit in (w.dept_a, w.province, w.district):
        with pytest.raises(Http404):
            unit_dashboard(scope, unit.pk)


def test_a_program_outside_the_scope_is_not_found() -> None:
    w = make_world()
    add_task(w, unit=w.dept_a)
    stranger = make_user(unit=make_unit("Other province", kind="province"), role=Role.UNIT_LEADER)
    with pytest.raises(Http404):
        program_dashboard(scope_for(stranger), w.program.pk)


def test_league_rolls_units_up_with_leader_and_days_late() -> None:
    # Given department A (head named) with a district, and department B
    w = make_world()
    head = make_user("head.a")
    head.full_name = "Nguyễn Văn An"
    head.save()
    w.dept_a.head = head
    w.dept_a.save()
    on = today()
    add_task(w, unit=w.district, deadline=on - 7 * DAY)
    add_task(w, unit=w.dept_a, deadline=on - 20 * DAY, completed_on=on - 15 * DAY)
    add_task(w, unit=w.dept_b)
    add_task(w, unit=w.province)  # led by the province itself: in the total, not in the league
    # When the province's dashboard is built, sorted by days late
    d = unit_dashboard(scope_for(w.admin), w.province.pk, sort="days_late")
    # Then each department is one row, over its subtree
    assert [r.label for r in d.league] == ["Department A", "Department B"]
    a = d.league[0]
    assert a.extra == {"days_late": 12, "leader": "Nguyễn Văn An"}
    assert (a.counts["total"], a.counts["overdue"], a.counts["completed_late"]) == (2, 1, 1)
    assert d.overall.counts["total"] == 4
