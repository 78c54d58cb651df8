"""Summary tables: dashboards read from them equal the live ones, and writes keep them exact."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.accounts.models import Role, User
from tiendo.core.errors import PermissionDeniedError
from tiendo.core.models import Classification
from tiendo.core.reads import run_reads
from tiendo.dashboards.figures import FLAGS, sum_codes
from tiendo.dashboards.models import ConfidenceOverride, SummaryState, UnitTally, UnitTrend
from tiendo.dashboards.selectors import Dashboard, summary, unit_dashboard, unit_get
from tiendo.dashboards.services import confidence_override_set, current_override
from tiendo.dashboards.summary import decode_tally, summary_rebuild, tally_statement, usable
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope, scope_for
from tiendo.orgs.services import unit_move
from tiendo.programs.models import Task
from tiendo.programs.selectors import today
from tiendo.programs.services import (
    program_update,
    progress_submit,
    task_extend_deadline,
    task_set_hold,
    task_update,
    tasks_transfer_unit,
)
from tiendo.programs.status import TaskStatus
from tiendo.programs.tests.factories import make_program, make_task, make_unit, make_user

from .builders import DAY, World, add_task, make_world
from .test_figures import _all_figures_match_their_lists

pytestmark = pytest.mark.django_db
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def _varied_tasks(w: World) -> None:
    """Tasks in every state, kind and place, one classified and one in a classified program."""
    on = today()
    add_task(w, group=w.group_1, deadline=on - 40 * DAY, completed_on=on - 50 * DAY)
    add_task(w, group=w.group_1, deadline=on - 40 * DAY, completed_on=on - 30 * DAY)
    add_task(w, unit=w.district, deadline=on - 10 * DAY, started_on=on - 60 * DAY)
    add_task(w, unit=w.dept_b, deadline=on + 10 * DAY, kind="pilot", latest_percent=10)
    add_task(w, unit=w.dept_b, kind="project", hold_state="paused")
    add_task(w, unit=w.province, deadline_kind="ongoing", deadline=None, latest_percent=20)
    add_task(w, deadline=on + 3 * DAY, hold_state="cancelled")
    add_task(w, unit=w.district, deadline=on + 20 * DAY, latest_progress_on=on - 90 * DAY)
    add_task(w, unit=w.dept_b, deadline=on - 400 * DAY, classification=Classification.SECRET)
    secret = make_program(owner=w.province, actor=w.admin, classification=Classification.SECRET)
    make_task(program=secret, lead_unit=w.dept_a, actor=w.admin, deadline=on - 5 * DAY)


def _board_data(board: Dashboard) -> dict[str, Any]:
    """Everything a unit dashboard shows, figures and timeline, as plain data."""
    t = board.timeline
    assert t is not None
    return {
        **summary(board),
        "timeline": [
            [f.value for f in t.planned],
            [f.value for f in t.completed],
            [f.value for f in t.overdue],
            [{k: q[k].value for k in ("due", "completed", "overdue")} for q in t.quarters],
            [w["open"].value for w in t.calendar],
        ],
    }


def test_dashboards_from_the_tables_equal_the_live_ones() -> None:
    # Given tasks in every state, and viewers with and without clearance
    w = make_world()
    _varied_tasks(w)
    leader = make_user(unit=w.province, role=Role.COMMITTEE_LEADER)
    officer = make_user(unit=w.dept_a, role=Role.UNIT_OFFICER, clearance=Classification.SECRET)
    views = [
        (scope_for(w.admin), None),
        (scope_for(w.admin), w.province.pk),
        (scope_for(w.admin), w.district.pk),
        (scope_for(leader), w.province.pk),
        (scope_for(officer), w.dept_a.pk),
    ]
    # When the tables are built for today and the dashboards read them
    summary_rebuild()
    assert all(usable(s, "/x/" if u else None, None, today()) for s, u in views)
    from_tables = [unit_dashboard(s, u) for s, u in views]
    # Then every figure still equals the length of its list
    checked = sum(
        _all_figures_match_their_lists(b, s) for b, (s, _u) in zip(from_tables, views, strict=True)
    )
    assert checked > 300
    # And the figures equal the live query's
    live = [unit_dashboard(s, u, use_summary=False) for s, u in views]
    for table_board, live_board in zip(from_tables, live, strict=True):
        assert _board_data(table_board) == _board_data(live_board)
    # The administrator (public clearance) sees neither secret task, nor the cancelled one;
    # the officer cleared for secret sees Department A's task of the secret program.
    assert from_tables[0].overall.counts["total"] == 7
    assert from_tables[4].overall.counts["total"] == 5
    # And once the day has passed, the dashboards count live until the next rebuild
    SummaryState.objects.update(day=today() - DAY)
    assert not usable(views[0][0], None, None, today())


def test_the_tables_serve_only_whole_subtrees_today() -> None:
    # Given built tables and a non-administrator
    w = make_world()
    summary_rebuild()
    admin, officer = scope_for(w.admin), scope_for(w.person)
    # Then an as-of date, another day, or "everything I can see" of a non-admin run live
    assert usable(admin, None, None, today())
    assert usable(officer, w.province.path, None, today())
    assert not usable(officer, None, None, today())
    assert not usable(admin, w.province.path, today() - DAY, today())
    assert not usable(admin, w.province.path, None, today() + DAY)


def _tables() -> tuple[set[tuple], set[tuple]]:
    return (
        set(UnitTally.objects.values_list("anc", "child", "kind", "vis", "code", "n", "days")),
        set(UnitTrend.objects.values_list("anc", "own", "vis", "code", "n")),
    )


OPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["progress", "pause", "resume", "cancel", "extend", "move_task", "classify", "create"]
        ),
        st.integers(min_value=0, max_value=5),  # which task
        st.integers(min_value=0, max_value=100),  # percent, days, unit choice
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=8, deadline=None, suppress_health_check=HEALTH)
@given(ops=OPS, structural=st.sampled_from(["none", "transfer", "unit_move", "program"]))
def test_writes_keep_the_tables_equal_to_a_rebuild(ops: list[tuple], structural: str) -> None:
    # Given built tables
    w = make_world()
    _varied_tasks(w)
    summary_rebuild()
    on = today()
    units = [w.province, w.dept_a, w.dept_b, w.district]
    # When tasks change through the services, in any order
    for op, which, value in ops:
        tasks = list(Task.objects.filter(program=w.program).order_by("pk"))
        task = tasks[which % len(tasks)]
        try:
            if op == "progress":
                progress_submit(
                    actor=w.admin, task=task, as_of=on - (value % 60) * DAY, percent=value
                )
            elif op in ("pause", "resume", "cancel"):
                state = {"pause": "paused", "resume": "", "cancel": "cancelled"}[op]
                task_set_hold(actor=w.admin, task=task, version=None, state=state, reason="r")
            elif op == "extend":
                task_extend_deadline(
                    actor=w.admin,
                    task=task,
                    version=None,
                    deadline_kind="date",
                    deadline=(task.deadline or on) + (value + 1) * DAY,
                    reason="r",
                )
            elif op == "move_task":
                task_update(actor=w.admin, task=task, version=None, lead_unit=units[value % 4])
            elif op == "classify":
                task_update(actor=w.admin, task=task, version=None, classification=value % 4)
            else:
                add_task(w, unit=units[value % 4], deadline=on + (value - 50) * DAY)
        except (ValidationError, PermissionDeniedError):
            pass  # a write the rules refuse changes nothing
    if structural == "transfer":
        tasks_transfer_unit(source=w.dept_a, target=w.dept_b, effective_on=on, actor=w.admin)
    elif structural == "unit_move":
        unit_move(unit=w.district, new_parent=w.dept_b, effective_on=on, actor=w.admin)
    elif structural == "program":
        program_update(
            actor=w.admin, program=w.program, version=None, classification=Classification.SECRET
        )
    maintained = _tables()
    # Then the tables equal a rebuild from scratch
    summary_rebuild()
    assert maintained == _tables()


def test_a_dashboard_from_the_tables_issues_a_fixed_number_of_queries() -> None:
    # Given built tables
    w = make_world()
    _varied_tasks(w)
    summary_rebuild()
    scope = scope_for(w.admin)

    def queries(unit_id: int | None) -> int:
        with CaptureQueriesContext(connection) as captured:
            unit_dashboard(scope, unit_id)
        return len(captured)

    before = (queries(None), queries(w.province.pk))
    # When many more tasks and units are added (through the services: tables maintained)
    for i in range(6):
        unit = make_unit(f"District {i}", parent=w.dept_b, kind="district")
        for _ in range(3):
            add_task(w, unit=unit, deadline=today() + (i - 3) * DAY)
    # Then the same number of queries reads the tables
    assert (queries(None), queries(w.province.pk)) == before
    assert before[0] <= 6


def test_the_tables_bucket_sums_equal_the_sums_of_every_code() -> None:
    # Given stored rows of every status-and-flags code, for two children and two kinds, some
    # above the viewer's clearance
    every = range(len(sorted(TaskStatus.values)) << len(FLAGS))
    rows = []
    for code in every:
        for child, kind, vis, n in (
            ("7", "task", 0, code + 1),
            ("8", "pilot", 1, 2 * code + 3),
            ("", "task", 2, 5),  # above the clearance: not counted
        ):
            rows.append(
                UnitTally(anc="/1/", child=child, kind=kind, vis=vis, code=code, n=n, days=3)
            )
    UnitTally.objects.bulk_create(rows)
    scope = Scope(user_id=1, is_admin=True, clearance=1)
    # When the dashboard's read sums the buckets in the database
    by_child, by_kind = decode_tally(run_reads([tally_statement(scope, "/1/")])[0])
    # Then each bucket equals the sum over the codes that fall in it (``code_buckets``)
    seen = [r for r in rows if r.vis <= 1]
    per_child = {(r.child,): {} for r in seen}
    per_kind = {(r.kind,): {} for r in seen}
    for r in seen:
        per_child[(r.child,)][r.code] = per_child[(r.child,)].get(r.code, 0) + r.n
        per_kind[(r.kind,)][r.code] = per_kind[(r.kind,)].get(r.code, 0) + r.n
    days = {k: {"days_late": dt.timedelta(days=3 * len(v))} for k, v in per_child.items()}
    assert by_child == sum_codes(per_child, days)
    assert by_kind == sum_codes(per_kind)
    assert set(by_child) == {("7",), ("8",)}


def test_overrides_and_leaders_read_with_the_tables_equal_the_live_ones() -> None:
    # Given overrides on the province and on a department (one withdrawn, one recorded after
    # the dashboard's day), and department heads named in different ways
    w = make_world()
    _varied_tasks(w)
    head_a, head_b = make_user(), make_user()
    User.objects.filter(pk=head_a.pk).update(full_name="", first_name="Lan", last_name="Nguyễn")
    User.objects.filter(pk=head_b.pk).update(full_name="")
    Unit.objects.filter(pk=w.dept_a.pk).update(head=head_a)
    Unit.objects.filter(pk=w.dept_b.pk).update(head=head_b)
    leader = make_user(unit=w.province, role=Role.COMMITTEE_LEADER)

    def override(unit: Unit, rating: str) -> ConfidenceOverride:
        current = current_override(unit=unit)
        return confidence_override_set(
            actor=leader,
            rating=rating,
            reason=f"{rating or 'withdrawn'} for {unit.name}",
            expected_current=current.pk if current else None,
            unit=unit,
        )

    override(w.province, "amber")
    override(w.dept_a, "red")
    override(w.dept_b, "green")
    override(w.dept_b, "")  # withdrawn
    later = override(w.dept_a, "amber_green")
    ConfidenceOverride.objects.filter(pk=later.pk).update(created_at=timezone.now() + 2 * DAY)
    summary_rebuild()
    scope = scope_for(leader)
    # When the province's dashboard is read from the tables and counted live
    tables = unit_dashboard(scope, w.province.pk)
    live = unit_dashboard(scope, w.province.pk, use_summary=False)
    # Then both show the same overrides, by the same people, and the same leaders
    assert summary(tables) == summary(live)
    assert tables.fingerprint == live.fingerprint
    shown = summary(tables)
    assert (shown["overall"]["override"], shown["overall"]["override_by"]) == ("amber", str(leader))
    units = {u["label"]: u for u in shown["units"]}
    assert units["Department A"]["override"] == "red"
    assert units["Department B"]["override"] is None
    assert units["Department A"]["extra"]["leader"] == "Lan Nguyễn"
    assert units["Department B"]["extra"]["leader"] == head_b.username


def test_a_unit_outside_the_scope_is_not_found_and_one_inside_is() -> None:
    # Given an officer of Department B
    w = make_world()
    officer = scope_for(make_user(unit=w.dept_b, role=Role.UNIT_OFFICER))
    nobody = scope_for(make_user())
    # Then only units in their own subtree open, with their head read along
    with pytest.raises(Http404):
        unit_get(officer, w.dept_a.pk)
    with pytest.raises(Http404):
        unit_get(officer, w.province.pk)
    with pytest.raises(Http404):
        unit_get(nobody, w.dept_b.pk)
    with pytest.raises(Http404):
        unit_get(scope_for(w.admin), 999_999)
    unit = unit_get(officer, w.dept_b.pk)
    assert (unit.pk, unit.path, unit.name) == (w.dept_b.pk, w.dept_b.path, "Department B")
    assert unit_get(scope_for(w.admin), w.district.pk).path == w.district.path
