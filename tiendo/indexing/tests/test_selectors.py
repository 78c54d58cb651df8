"""Scoped reads: who sees which assessments and scores, league tables, explanations."""

import datetime as dt

import pytest
from django.http import Http404

from tiendo.indexing import selectors, services
from tiendo.indexing.tests.builders import make_cycle, run_full_cycle, self_assess
from tiendo.orgs.scope import scope_for

pytestmark = pytest.mark.django_db


def test_unit_members_see_their_own_assessment_only_until_publication():
    # given a cycle in progress
    cycle = make_cycle(2)
    self_assess(cycle, 0, 1, 80, submit=False)
    self_assess(cycle, 1, 0, 20, submit=False)
    leader_a = scope_for(cycle.leaders[0])
    # then province A's leader sees only A's assessment and A's provisional score
    assert [a.unit for a in selectors.visible_assessments(leader_a, cycle.period)] == [
        cycle.provinces[0]
    ]
    with pytest.raises(Http404):
        selectors.assessment_get(leader_a, cycle.assessment(1).pk)
    assert [r.unit for r in selectors.league_table(leader_a, cycle.period)] == [cycle.provinces[0]]
    with pytest.raises(Http404):
        selectors.explain(leader_a, cycle.period, cycle.provinces[1].pk, "T")
    # and the reviewer sees the whole cycle
    assert selectors.visible_assessments(scope_for(cycle.reviewer), cycle.period).count() == 2


def test_published_league_table_is_public_and_shows_change_against_the_previous_period():
    # given a published previous period and a published current one
    first = make_cycle(2)
    run_full_cycle(first, [(1, 50), (0, 50)])
    second_period = services.period_open(
        framework=first.framework, name="Index 2026", starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 10, 31), committee=first.committee_unit, actor=first.chair,
        units=first.provinces, previous=first.period,
    )  # fmt: skip
    first.period = second_period
    run_full_cycle(first, [(1, 100), (1, 100)])
    # when province B's leader reads the current league table
    rows = selectors.league_table(scope_for(first.leaders[1]), second_period)
    # then both provinces appear, tied at rank 1, each with its change
    assert [(r.unit.name, r.rank, r.total, r.previous_rank, r.change) for r in rows] == [
        ("Province A", 1, 50.0, 1, 15.0),
        ("Province B", 1, 50.0, 2, 35.0),
    ]


def test_explain_lists_method_inputs_and_adjustments():
    cycle = make_cycle(1)
    a = self_assess(cycle, 0, 1, 90)
    services.value_adjust(assessment=a, node=cycle.node("P2"), value=60, reason="Portal shows 60 %",
                          actor=cycle.reviewer, version=a.version)  # fmt: skip
    data = selectors.explain(scope_for(cycle.reviewer), cycle.period, cycle.provinces[0].pk, "P2")
    assert data["trace"]["method"] == "ratio"
    assert data["trace"]["input"] == 60
    assert data["trace"]["score"] == pytest.approx(18)
    assert [(v.value, v.reason) for v in data["history"]] == [(60, "Portal shows 60 %"), (90, "")]
    group = selectors.explain(scope_for(cycle.reviewer), cycle.period, cycle.provinces[0].pk, "P")
    assert [(c["code"], label) for _node, label, c in group["children"]] == [
        ("P1", "Plan issued"),
        ("P2", "Online services"),
    ]


def test_emulation_combines_index_and_tasks_with_the_stated_weights():
    cycle = make_cycle(2, emulation_index_weight=0.5)
    run_full_cycle(cycle, [(1, 100), (0, 0)])
    rows = selectors.emulation_ranking(scope_for(cycle.chair), cycle.period)
    # no task was due, so each unit is scored on the index alone
    assert [(r.unit.name, r.rank, r.index_share, r.tasks_share) for r in rows] == [
        ("Province A", 1, 0.5, None),
        ("Province B", 2, 0.0, None),
    ]
    assert rows[0].score == pytest.approx(0.5)


def test_emulation_adds_task_performance_and_lists_the_tasks_behind_it():
    from decimal import Decimal

    from tiendo.programs.services import progress_submit
    from tiendo.programs.tests.factories import make_program, make_task

    # given province A with two tasks due in the period, one completed on time
    cycle = make_cycle(2)
    program = make_program(owner=cycle.committee_unit, actor=cycle.admin)
    tasks = [
        make_task(
            program=program,
            lead_unit=cycle.provinces[0],
            actor=cycle.admin,
            deadline=dt.date(2025, 9, 30),
        )
        for _ in range(2)
    ]
    progress_submit(task=tasks[0], actor=cycle.admin, as_of=dt.date(2025, 9, 1), percent=100,
                    achieved_quantity=Decimal(20), narrative="Done")  # fmt: skip
    run_full_cycle(cycle, [(1, 100), (1, 100)])
    # when the emulation ranking is read
    rows = {
        r.unit.name: r for r in selectors.emulation_ranking(scope_for(cycle.chair), cycle.period)
    }
    # then A's score mixes its index share and its 50 % on-time share, with the tasks listed
    a = rows["Province A"]
    assert a.tasks_share == 0.5
    assert a.score == pytest.approx(0.7 * a.index_share + 0.3 * 0.5)
    assert sorted(a.records) == sorted(t.pk for t in tasks)
    assert rows["Province B"].tasks_share is None
