"""Figures: counts agree with an independent count, with their lists, and with history."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.dashboards.figures import (
    Cell,
    bucket_q,
    cell_count,
    cell_tasks,
    count_cells,
    facts_as_of,
    scoped_tasks,
    with_status,
)
from tiendo.dashboards.selectors import BLOCK_BUCKETS, program_dashboard, unit_dashboard
from tiendo.orgs.scope import scope_for
from tiendo.programs.models import DeadlineExtension, HoldChange, ProgressUpdate, Task
from tiendo.programs.selectors import today, visible_tasks
from tiendo.programs.services import (
    progress_facts,
    progress_submit,
    task_extend_deadline,
    task_set_hold,
)
from tiendo.programs.status import StatusFacts, TaskStatus, derive_status

from .builders import DAY, add_task, make_world

pytestmark = pytest.mark.django_db
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
dates = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2025, 12, 31))
task_facts = st.fixed_dictionaries(
    {
        "hold_state": st.sampled_from(["", "", "", "paused", "cancelled"]),
        "deadline": st.none() | dates,
        "started_on": st.none() | dates,
        "completed_on": st.none() | dates,
        "kind": st.sampled_from(["task", "project", "pilot"]),
    }
)

FOUR_WAY = {
    TaskStatus.COMPLETED_ON_TIME: "completed_on_time",
    TaskStatus.COMPLETED_LATE: "completed_late",
    TaskStatus.IN_PROGRESS: "open_within",
    TaskStatus.NOT_STARTED: "open_within",
    TaskStatus.OVERDUE: "overdue",
    TaskStatus.PAUSED: "paused",
}


@settings(max_examples=25, deadline=None, suppress_health_check=HEALTH)
@given(rows=st.lists(task_facts, min_size=1, max_size=10))
def test_four_way_counts_match_an_independent_count(rows: list[dict]) -> None:
    # Given tasks with random facts
    w = make_world()
    facts = []
    for row in rows:
        deadline = row["deadline"]
        add_task(
            w,
            kind=row["kind"],
            deadline_kind="date" if deadline else "ongoing",
            deadline=deadline,
            hold_state=row["hold_state"],
            started_on=row["started_on"],
            completed_on=row["completed_on"],
        )
        facts.append(
            StatusFacts(True, row["hold_state"], deadline, row["started_on"], row["completed_on"])
        )
    # When the dashboard counts them (one grouped query)
    scope = scope_for(w.admin)
    base = Cell(program=w.program.pk)
    counts = count_cells(
        scoped_tasks(scope, base), {b: base.with_(bucket=b) for b in BLOCK_BUCKETS}
    )
    # Then the four-way counts equal a count by the reference rule in Python
    expected = Counter(FOUR_WAY.get(derive_status(f, today())) for f in facts)
    for bucket in ("completed_on_time", "completed_late", "open_within", "overdue", "paused"):
        assert counts[bucket] == expected[bucket]
    assert counts["total"] == sum(1 for f in facts if f.hold_state != "cancelled")
    assert counts["active"] == counts["completed"] + counts["open_within"] + counts["overdue"]
    assert counts["total"] == counts["active"] + counts["paused"]


@settings(max_examples=25, deadline=None, suppress_health_check=HEALTH)
@given(rows=st.lists(task_facts, min_size=1, max_size=8), on=dates)
def test_four_way_counts_on_any_date(rows: list[dict], on: dt.date) -> None:
    # Given tasks with random facts
    w = make_world()
    expected: Counter[str] = Counter()
    for row in rows:
        deadline = row["deadline"]
        add_task(
            w,
            deadline_kind="date" if deadline else "ongoing",
            deadline=deadline,
            hold_state=row["hold_state"],
            started_on=row["started_on"],
            completed_on=row["completed_on"],
        )
        f = StatusFacts(True, row["hold_state"], deadline, row["started_on"], row["completed_on"])
        expected[FOUR_WAY.get(derive_status(f, on)) or "other"] += 1
    # When each bucket is counted with ``on`` as the reference date of the live facts
    scope = scope_for(w.admin)
    qs = with_status(visible_tasks(scope).filter(program=w.program), on, "")
    got = {
        b: qs.filter(bucket_q(b)).count()
        for b in ("completed_on_time", "completed_late", "open_within", "overdue", "paused")
    }
    # Then they agree with the reference rule on that date
    assert got == {b: expected[b] for b in got}


def _all_figures_match_their_lists(dashboard, scope) -> int:
    checked = 0
    for figure in dashboard.all_figures():
        assert figure.value == cell_count(scope, figure.cell), figure.cell
        checked += 1
    return checked


def test_every_figure_equals_the_length_of_its_list() -> None:
    # Given tasks in every state, in groups and sub-units, with a report history
    w = make_world()
    on = today()
    add_task(w, group=w.group_1, deadline=on - 40 * DAY, completed_on=on - 50 * DAY)
    add_task(w, group=w.group_1, deadline=on - 40 * DAY, completed_on=on - 30 * DAY)
    add_task(w, group=w.subgroup, unit=w.district, deadline=on - 10 * DAY, started_on=on - 60 * DAY)
    add_task(w, group=w.group_2, unit=w.dept_b, deadline=on + 10 * DAY, kind="pilot")
    add_task(w, group=w.group_2, unit=w.dept_b, kind="project", hold_state="paused")
    add_task(w, unit=w.province, deadline_kind="ongoing", deadline=None, latest_percent=20)
    add_task(w, group=w.group_2, deadline=on + 3 * DAY, hold_state="cancelled")
    scope = scope_for(w.admin)
    # When the dashboards are built, today and as of a past date
    boards = [
        program_dashboard(scope, w.program.pk),
        unit_dashboard(scope, w.province.pk),
        unit_dashboard(scope, None),
        program_dashboard(scope, w.program.pk, as_of=on - 35 * DAY),
        unit_dashboard(scope, w.province.pk, as_of=on - 35 * DAY),
    ]
    # Then every figure equals the count of its own drill-down list
    checked = sum(_all_figures_match_their_lists(d, scope) for d in boards)
    assert checked > 300
    # And the figures are the ones expected
    d = boards[0]
    assert d.overall.counts["total"] == 6  # the cancelled task is not counted
    assert d.overall.ratio("deployed") == "3/6"
    groups = {r.label: r for r in d.groups}
    assert groups["I. Digital government"].counts["total"] == 3  # includes the sub-group
    assert groups["I. Digital government"].counts["overdue"] == 1
    assert d.kinds["pilot"].counts["total"] == 1
    league = {r.label: r for r in boards[1].league}
    assert league["Department A"].counts["total"] == 3  # with the district below it
    assert league["Department A"].extra["days_late"] == 10 + 10  # late 10 + overdue 10


def test_as_of_today_equals_the_live_figures() -> None:
    # Given tasks with histories, an extension and a pause, written through the services
    w = make_world()
    on = today()
    a = add_task(w, deadline=on - 40 * DAY)
    b = add_task(w, deadline=on + 20 * DAY)
    c = add_task(w, deadline=on + 200 * DAY)
    add_task(w, deadline_kind="ongoing", deadline=None)
    for task, history in ((a, [(60, 30), (30, 100)]), (b, [(50, 40), (20, 100), (10, 90)])):
        for days_ago, percent in history:
            progress_submit(actor=w.admin, task=task, as_of=on - days_ago * DAY, percent=percent)
    task_extend_deadline(
        actor=w.admin,
        task=Task.objects.get(pk=c.pk),
        version=None,
        deadline_kind="date",
        deadline=on + 300 * DAY,
        reason="More time",
    )
    task_set_hold(
        actor=w.admin, task=Task.objects.get(pk=c.pk), version=None, state="paused", reason="Funds"
    )
    scope = scope_for(w.admin)
    # When the figures are counted from the task rows and rebuilt from history as of today
    live_base, past_base = Cell(program=w.program.pk), Cell(program=w.program.pk, as_of=on)
    live = count_cells(
        scoped_tasks(scope, live_base), {x: live_base.with_(bucket=x) for x in BLOCK_BUCKETS}
    )
    past = count_cells(
        scoped_tasks(scope, past_base), {x: past_base.with_(bucket=x) for x in BLOCK_BUCKETS}
    )
    # Then they are the same
    assert live == past
    assert (live["completed_on_time"], live["completed_late"]) == (0, 1)
    assert (live["paused"], live["extended"]) == (1, 0)  # the extended task is paused


histories = st.lists(
    st.tuples(dates, st.sampled_from([0, 10, 50, 90, 100, 100])), min_size=0, max_size=6
)


@settings(max_examples=30, deadline=None, suppress_health_check=HEALTH)
@given(
    history=histories,
    extensions=st.lists(st.tuples(dates, st.none() | dates), max_size=3),
    holds=st.lists(st.tuples(dates, st.sampled_from(["", "paused", "cancelled"])), max_size=3),
    day=dates,
)
def test_facts_as_of_a_date_are_rebuilt_from_history(history, extensions, holds, day) -> None:
    # Given a task with a history of reports, extensions and holds (written as recorded rows)
    w = make_world()
    task = add_task(w, deadline=dt.date(2024, 6, 30))
    for as_of, percent in history:
        ProgressUpdate.objects.create(task=task, as_of=as_of, percent=percent, reported_by=w.admin)
    for recorded, new in extensions:
        DeadlineExtension.objects.create(
            task=task,
            previous_kind="date",
            previous_deadline=dt.date(2024, 6, 30),
            new_kind="date" if new else "ongoing",
            new_deadline=new,
            reason="r",
            approved_by=w.admin,
            effective_on=recorded,
        )
    for effective, state in holds:
        HoldChange.objects.create(
            task=task, state=state, reason="r", approved_by=w.admin, effective_on=effective
        )
    # When its facts are rebuilt as of ``day``
    row = (
        facts_as_of(Task.objects.filter(pk=task.pk), day)
        .values(
            "asof_latest_percent",
            "asof_started_on",
            "asof_completed_on",
            "asof_deadline",
            "asof_hold_state",
        )
        .first()
    )
    # Then they follow the service's rule restricted to what was known on that day
    rows = list(
        ProgressUpdate.objects.filter(task=task, as_of__lte=day).values_list(
            "as_of", "id", "percent"
        )
    )
    expected = progress_facts(rows)
    exts = sorted(
        DeadlineExtension.objects.filter(task=task).values_list(
            "effective_on", "id", "new_deadline"
        )
    )
    known = [e for e in exts if e[0] <= day]
    hold = sorted(
        (e, pk, s)
        for e, s, pk in HoldChange.objects.filter(task=task).values_list(
            "effective_on", "state", "id"
        )
        if e <= day
    )
    if expected["started_on"] is None and task.assigned_at.date() > day:
        assert row is None  # neither assigned nor started by then: not counted
        return
    assert row is not None
    assert row["asof_latest_percent"] == expected["latest_percent"]
    assert row["asof_started_on"] == expected["started_on"]
    assert row["asof_completed_on"] == expected["completed_on"]
    assert row["asof_deadline"] == (known[-1][2] if known else dt.date(2024, 6, 30))
    assert row["asof_hold_state"] == (hold[-1][2] if hold else "")


def test_drill_down_of_a_group_lists_its_sub_groups_tasks() -> None:
    # Given a task in a sub-group
    w = make_world()
    task = add_task(w, group=w.subgroup)
    scope = scope_for(w.admin)
    # When the parent group's cell is listed
    listed = list(cell_tasks(scope, Cell(program=w.program.pk, group=w.group_1.pk)))
    # Then the task is in it
    assert listed == [task]


past = st.integers(min_value=0, max_value=900).map(lambda days: today() - days * DAY)
task_history = st.fixed_dictionaries(
    {
        "reports": st.lists(st.tuples(past, st.sampled_from([0, 20, 60, 100, 100])), max_size=4),
        "extensions": st.lists(st.tuples(past, st.none() | past), max_size=2),
        "holds": st.lists(
            st.tuples(past, st.sampled_from(["", "paused", "cancelled"])), max_size=2
        ),
        "deadline": st.none() | past | st.just(today() + 40 * DAY),
    }
)


@settings(max_examples=15, deadline=None, suppress_health_check=HEALTH)
@given(tasks=st.lists(task_history, min_size=1, max_size=4))
def test_as_of_today_equals_live_on_any_history(tasks: list[dict]) -> None:
    # Given tasks whose fact columns were kept from their recorded history, as the services do
    w = make_world()
    for spec in tasks:
        task = add_task(
            w, deadline_kind="date" if spec["deadline"] else "ongoing", deadline=spec["deadline"]
        )
        for as_of, percent in spec["reports"]:
            ProgressUpdate.objects.create(
                task=task, as_of=as_of, percent=percent, reported_by=w.admin
            )
        deadline = spec["deadline"]
        for recorded, new in sorted(spec["extensions"], key=lambda e: e[0]):
            DeadlineExtension.objects.create(
                task=task,
                previous_kind="date",
                previous_deadline=deadline,
                new_kind="date" if new else "ongoing",
                new_deadline=new,
                reason="r",
                approved_by=w.admin,
                effective_on=recorded,
            )
            deadline = new
        hold = ""
        for effective, state in sorted(spec["holds"], key=lambda h: h[0]):
            HoldChange.objects.create(
                task=task, state=state, reason="r", approved_by=w.admin, effective_on=effective
            )
            hold = state
        rows = ProgressUpdate.objects.filter(task=task).values_list("as_of", "id", "percent")
        facts = progress_facts(list(rows))
        Task.objects.filter(pk=task.pk).update(
            **facts,
            deadline=deadline,
            deadline_kind="date" if deadline else "ongoing",
            hold_state=hold,
        )
    scope = scope_for(w.admin)
    # When the figures are counted live and rebuilt from history as of today
    live_base, past_base = Cell(program=w.program.pk), Cell(program=w.program.pk, as_of=today())
    live = count_cells(
        scoped_tasks(scope, live_base), {x: live_base.with_(bucket=x) for x in BLOCK_BUCKETS}
    )
    rebuilt = count_cells(
        scoped_tasks(scope, past_base), {x: past_base.with_(bucket=x) for x in BLOCK_BUCKETS}
    )
    # Then they are the same
    assert live == rebuilt
