"""``tiendo seed-index-demo`` loads the DTI 2022 example and publishes a full cycle, once."""

import io

import pytest
from django.core.management import call_command

from tiendo.indexing.models import IndicatorValue, Period, PeriodState, Result, ValueKind
from tiendo.indexing.selectors import league_table
from tiendo.orgs.scope import scope_for

pytestmark = pytest.mark.django_db


def test_seed_runs_a_full_cycle_and_is_idempotent():
    # given an empty database, when the command runs
    out = io.StringIO()
    call_command("seed-index-demo", stdout=out)
    # then the period is published with ranked results and some reviewer adjustments
    period = Period.objects.get(name="DTI 2022 (demo)")
    assert period.state == PeriodState.PUBLISHED
    totals = Result.objects.filter(period=period, node__code="DTI")
    assert totals.count() == 5
    assert min(r.rank or 0 for r in totals) == 1
    assert all(0 <= r.score <= 1000 for r in totals)
    assert IndicatorValue.objects.filter(kind=ValueKind.ADJUSTMENT).count() == 6  # 3 a year
    assert period.previous.name == "DTI 2021 (demo)"
    assert period.previous.state == PeriodState.PUBLISHED
    assert "Published DTI 2022 (demo) for 5 units" in out.getvalue()
    rows = league_table(scope_for(period.published_by), period)
    assert all(r.previous_total is not None and r.change is not None for r in rows)
    # and running it again changes nothing
    again = io.StringIO()
    call_command("seed_index_demo", stdout=again)
    assert "Already published" in again.getvalue()
    assert Result.objects.filter(period=period).count() == totals.count() * 110
