"""The assessment cycle: self-assess with evidence, verify/adjust/return, approve, publish."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.indexing import io, services
from tiendo.indexing.models import AssessmentState, IndicatorValue, PeriodState, Result, ValueKind
from tiendo.indexing.tests.builders import SMALL_YAML, make_cycle, run_full_cycle, self_assess
from tiendo.orgs.services import unit_merge
from tiendo.programs.services import progress_submit
from tiendo.programs.tests.factories import make_program, make_task

pytestmark = pytest.mark.django_db


def test_full_cycle_publishes_scores_and_ranks_with_ties():
    # given three provinces, two of which self-assess the same values
    cycle = make_cycle(3)
    # when they self-assess, are verified, and the committee approves and publishes
    run_full_cycle(cycle, [(1, 50), (1, 50), (0, 100)])
    # then the period is published and ranks follow standard competition ranking
    cycle.period.refresh_from_db()
    assert cycle.period.state == PeriodState.PUBLISHED
    totals = {
        r.unit.name: (r.score, r.rank)
        for r in Result.objects.filter(period=cycle.period, node__code="T").select_related("unit")
    }
    assert totals == {"Province A": (35.0, 1), "Province B": (35.0, 1), "Province C": (30.0, 3)}


def test_self_assessment_needs_evidence_and_valid_values():
    cycle = make_cycle(1)
    a = cycle.assessment(0)
    with pytest.raises(ValidationError, match="evidence"):
        services.value_enter(
            assessment=a, node=cycle.node("P1"), value=1, actor=cycle.leaders[0], version=a.version
        )
    with pytest.raises(ValidationError, match="1 \\(yes\\) or 0"):
        services.value_enter(assessment=a, node=cycle.node("P1"), value=2, actor=cycle.leaders[0],
                             version=a.version, evidence_note="x")  # fmt: skip
    with pytest.raises(ValidationError, match="percentage"):
        services.value_enter(assessment=a, node=cycle.node("P2"), value=120, actor=cycle.leaders[0],
                             version=a.version, evidence_note="x")  # fmt: skip
    with pytest.raises(ValidationError, match="automatically"):
        services.value_enter(assessment=a, node=cycle.node("Q1"), value=5, actor=cycle.leaders[0],
                             version=a.version, evidence_note="x")  # fmt: skip
    with pytest.raises(ValidationError, match="missing: P1, P2"):
        services.assessment_submit(assessment=a, actor=cycle.leaders[0], version=a.version)
    assert IndicatorValue.objects.count() == 0


def test_only_the_right_people_act_at_each_step():
    cycle = make_cycle(2)
    a = cycle.assessment(0)
    # another province's leader cannot self-assess province A
    with pytest.raises(PermissionDeniedError):
        services.value_enter(assessment=a, node=cycle.node("P1"), value=1, actor=cycle.leaders[1],
                             version=a.version, evidence_note="x")  # fmt: skip
    self_assess(cycle, 0, 1, 80)
    # a unit leader cannot verify, a reviewer cannot approve
    with pytest.raises(PermissionDeniedError):
        services.assessment_verify(assessment=a, actor=cycle.leaders[0], version=a.version)
    a.refresh_from_db()
    services.assessment_verify(assessment=a, actor=cycle.reviewer, version=a.version)
    with pytest.raises(PermissionDeniedError):
        services.period_approve(
            period=cycle.period, actor=cycle.reviewer, version=cycle.period.version
        )
    # and the committee cannot approve while an assessment is unverified
    with pytest.raises(ValidationError, match="not verified"):
        services.period_approve(
            period=cycle.period, actor=cycle.chair, version=cycle.period.version
        )


def test_adjustment_needs_a_reason_and_keeps_the_history():
    cycle = make_cycle(1)
    a = self_assess(cycle, 0, 1, 90)
    with pytest.raises(ValidationError, match="reason"):
        services.value_adjust(assessment=a, node=cycle.node("P2"), value=60, reason=" ",
                              actor=cycle.reviewer, version=a.version)  # fmt: skip
    services.value_adjust(assessment=a, node=cycle.node("P2"), value=60, reason="Portal shows 60 %",
                          actor=cycle.reviewer, version=a.version)  # fmt: skip
    history = list(IndicatorValue.objects.filter(assessment=a, node__code="P2").order_by("id"))
    assert [(v.value, v.kind, v.entered_by) for v in history] == [
        (90, ValueKind.SELF, cycle.leaders[0]),
        (60, ValueKind.ADJUSTMENT, cycle.reviewer),
    ]
    # values are append-only
    with pytest.raises(ValueError, match="append-only"):
        history[0].save()
    with pytest.raises(ValueError, match="append-only"):
        history[0].delete()


def test_return_sends_the_assessment_back_with_its_reason():
    cycle = make_cycle(1)
    a = self_assess(cycle, 0, 1, 90)
    services.assessment_return(
        assessment=a, reason="Evidence for P2 missing", actor=cycle.reviewer, version=a.version
    )
    assert a.state == AssessmentState.RETURNED
    assert a.state_reason == "Evidence for P2 missing"
    services.value_enter(assessment=a, node=cycle.node("P2"), value=85, actor=cycle.leaders[0],
                         version=a.version, evidence_note="Report 12/BC")  # fmt: skip
    services.assessment_submit(assessment=a, actor=cycle.leaders[0], version=a.version)
    assert a.state == AssessmentState.SUBMITTED


def test_a_stale_version_is_refused_instead_of_overwriting():
    cycle = make_cycle(1)
    a = cycle.assessment(0)
    stale = a.version
    services.value_enter(assessment=a, node=cycle.node("P1"), value=1, actor=cycle.leaders[0],
                         version=stale, evidence_note="x")  # fmt: skip
    with pytest.raises(ConflictError):
        services.value_enter(assessment=a, node=cycle.node("P1"), value=0, actor=cycle.leaders[0],
                             version=stale, evidence_note="x")  # fmt: skip
    assert IndicatorValue.objects.filter(assessment=a).count() == 1


def test_automatic_indicator_counts_the_units_tasks_and_lists_them():
    # given province A with two tasks due in 2025: one completed on time, one not
    cycle = make_cycle(1)
    province = cycle.provinces[0]
    program = make_program(owner=cycle.committee_unit, actor=cycle.admin)
    done = make_task(
        program=program, lead_unit=province, actor=cycle.admin, deadline=dt.date(2025, 6, 30)
    )
    late = make_task(
        program=program, lead_unit=province, actor=cycle.admin, deadline=dt.date(2025, 3, 31)
    )
    make_task(program=program, lead_unit=province, actor=cycle.admin, deadline=dt.date(2026, 3, 31))
    progress_submit(task=done, actor=cycle.admin, as_of=dt.date(2025, 6, 1), percent=100,
                    achieved_quantity=Decimal(20), narrative="Done")  # fmt: skip
    # when the automatic indicators are computed
    a = cycle.assessment(0)
    added = services.assessment_refresh_automatic(assessment=a, actor=cycle.leaders[0])
    # then the share is 50 % and the records behind it are exactly the two tasks
    (value,) = added
    assert value.value == 50
    assert sorted(value.records) == sorted([done.pk, late.pk])
    # and recomputing without change adds nothing
    assert services.assessment_refresh_automatic(assessment=a, actor=cycle.leaders[0]) == []


def test_a_framework_version_cannot_be_imported_twice():
    cycle = make_cycle(1)
    with pytest.raises(ConflictError):
        services.framework_import(spec=io.from_yaml(SMALL_YAML), actor=cycle.admin)
    with pytest.raises(PermissionDeniedError):
        services.framework_import(spec=io.from_yaml(SMALL_YAML.replace("version: 1", "version: 2")),
                                  actor=cycle.leaders[0])  # fmt: skip


def test_merged_province_takes_the_average_of_its_predecessors_main_indicators():
    # given provinces A and B self-assessed, then A merged into B during the period
    cycle = make_cycle(2)
    assessments = [self_assess(cycle, 0, 1, 100), self_assess(cycle, 1, 0, 0)]
    unit_merge(
        source=cycle.provinces[0], target=cycle.provinces[1], effective_on=dt.date(2025, 7, 1)
    )
    # when both are verified and the results published
    for a in assessments:
        services.assessment_verify(assessment=a, actor=cycle.reviewer, version=a.version)
    services.period_approve(period=cycle.period, actor=cycle.chair, version=cycle.period.version)
    services.period_publish(period=cycle.period, actor=cycle.chair, version=cycle.period.version)
    # then B's main indicators are the averages, and A is not ranked on its own
    results = {
        (r.unit_id, r.node.code): r
        for r in Result.objects.filter(period=cycle.period).select_related("node")
    }
    b = cycle.provinces[1].pk
    assert results[(b, "P")].score == pytest.approx((50 + 0) / 2)
    assert results[(b, "T")].score == pytest.approx(25)
    assert results[(b, "T")].rank == 1
    assert results[(cycle.provinces[0].pk, "T")].rank is None


def test_published_results_equal_a_fresh_recomputation():
    # given a published period, when its scores are computed again from the stored values
    from tiendo.indexing.selectors import period_compute

    cycle = make_cycle(3)
    run_full_cycle(cycle, [(1, 33.3), (0, 66.6), (1, 99.9)])
    fresh = period_compute(cycle.period).result.scores
    # then every frozen result is exactly the recomputed one (recomputation is deterministic)
    for r in Result.objects.filter(period=cycle.period).select_related("node"):
        assert r.score == fresh[r.unit_id][r.node.code]


def test_a_verified_assessment_no_longer_changes_by_recomputation():
    cycle = make_cycle(1)
    a = self_assess(cycle, 0, 1, 50)
    services.assessment_verify(assessment=a, actor=cycle.reviewer, version=a.version)
    with pytest.raises(ValidationError, match="verified"):
        services.assessment_refresh_automatic(assessment=a, actor=cycle.reviewer)
