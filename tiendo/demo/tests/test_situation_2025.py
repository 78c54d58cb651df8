"""Outside the figures: the paused task, the drafts and the 2025 merger with its history."""

from __future__ import annotations

import datetime as dt

import pytest

from tiendo.demo.seed import SeedResult
from tiendo.demo.situation_2025 import CODE, MERGER_DATE
from tiendo.orgs.models import Unit, UnitChange, UnitChangeKind
from tiendo.programs.models import HoldState, Task, UnitTransfer
from tiendo.programs.services import missing_clears

pytestmark = pytest.mark.django_db


def test_the_paused_task_is_outside_the_counted_programs(demo: SeedResult) -> None:
    paused = Task.objects.get(hold_state=HoldState.PAUSED)
    change = paused.hold_changes.get()
    assert paused.program.code == CODE
    assert change.reason
    assert change.approved_by.username == "chutich"
    assert change.effective_on == dt.date(2025, 3, 20)


def test_drafts_each_lack_a_clear_and_stay_outside_the_counted_programs(
    demo: SeedResult,
) -> None:
    drafts = Task.objects.filter(assigned_at__isnull=True)
    assert drafts.count() == 3
    assert {t.program.code for t in drafts} == {CODE}
    missing = [missing_clears(t) for t in drafts]
    assert all(missing)
    assert len({tuple(m) for m in missing}) == 3  # each lacks something different


def test_merged_district_keeps_its_history(demo: SeedResult) -> None:
    # Given Vĩnh Lộc, merged into Phú Hòa on 1/7/2025
    source, target = Unit.objects.get(code="vinhloc"), Unit.objects.get(code="phuhoa")
    assert source.closed_on == MERGER_DATE
    assert source.merged_into == target
    assert UnitChange.objects.filter(unit=source, kind=UnitChangeKind.MERGED).exists()
    # Then its communes and open tasks moved to Phú Hòa, its completed tasks stayed
    assert set(Unit.objects.filter(parent=target).values_list("code", flat=True)) >= {
        "vinhloc.locan",
        "vinhloc.vinhthanh",
    }
    moved = UnitTransfer.objects.filter(from_unit=source, to_unit=target)
    assert moved.count() >= 2
    assert not Task.objects.open().filter(lead_unit=source).exists()
    # And reports made before the merger stay attributed to Vĩnh Lộc, later ones to Phú Hòa
    platform = Task.objects.get(title__startswith="Triển khai nền tảng số cấp xã")
    units = {u.as_of: u.unit_id for u in platform.updates.all()}
    assert {unit for day, unit in units.items() if day < MERGER_DATE} == {source.pk}
    assert {unit for day, unit in units.items() if day >= MERGER_DATE} == {target.pk}
