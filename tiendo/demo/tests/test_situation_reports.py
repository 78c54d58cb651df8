"""The demo's periodic reports: two past quarters with late and missing units, consolidated."""

from __future__ import annotations

import pytest

from tiendo.accounts.models import User
from tiendo.demo.seed import SeedResult
from tiendo.demo.situation_province import CODE
from tiendo.orgs.scope import scope_for
from tiendo.reporting.consolidation import build_snapshot, snapshot_hash
from tiendo.reporting.models import ConsolidatedReport, ReportPeriod, ReportState, UnitReport
from tiendo.reporting.selectors import DisciplineStatus as S
from tiendo.reporting.selectors import discipline

pytestmark = pytest.mark.django_db


def test_two_quarters_with_late_and_missing_units_each_consolidated(demo: SeedResult) -> None:
    periods = list(ReportPeriod.objects.filter(schedule__program__code=CODE).order_by("start"))
    assert [p.label for p in periods] == ["Quarter III/2025", "Quarter IV/2025"]
    office = scope_for(User.objects.get(username="vanphong"))
    for period in periods:
        d = discipline(office, period.schedule.program, period)
        assert d.counts[S.LATE] >= 1
        assert d.counts[S.MISSING] >= 1
        assert d.counts[S.ON_TIME] >= 5
        c = ConsolidatedReport.objects.get(period=period)
        assert c.snapshot["discipline"]["counts"] == d.counts
        # reproducible: recomputing at the consolidation time gives the frozen hash
        assert snapshot_hash(build_snapshot(period.schedule.program, period, c.created_at)) == (
            c.snapshot_hash
        )
    returned = UnitReport.objects.filter(state=ReportState.RETURNED)
    assert returned.count() == 2  # one per quarter, each followed by an accepted version 2
    assert UnitReport.objects.filter(state=ReportState.ACCEPTED, version=2).count() == 2
