"""A district officer enters an indicator value with its source and evidence in a real browser,
and sees the province's roll-up and achievement change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tiendo.accounts.models import Role
from tiendo.appraisals.kpi_services import indicator_create, indicator_report, indicator_set_target
from tiendo.appraisals.models import IndicatorActual
from tiendo.orgs.models import UnitKind
from tiendo.programs.tests.factories import make_program, make_unit, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
END = dt.date(2024, 12, 31)


def test_a_district_enters_its_value_and_the_rollup_follows(  # type: ignore[no-untyped-def]
    live_server, page: Page, sign_in, screenshot_dir: Path, tmp_path: Path
) -> None:
    # given a province's indicator of 30 + 23 services, district B having reported 19
    province = make_unit("Tỉnh Đông Nam", kind=UnitKind.PROVINCE)
    group = make_unit("Tổ công tác Đề án 06", parent=province)
    d1, d2 = make_unit("Huyện A", parent=province), make_unit("Huyện B", parent=province)
    office = make_user(unit=group, role=Role.STANDING_OFFICE)
    officer = make_user(unit=d1)
    program = make_program(owner=group, standing_office=group, actor=office)
    kpi = indicator_create(
        actor=office, program=program, code="DVC", name="Dịch vụ công thiết yếu",
        unit_of_measure="dịch vụ",
    )  # fmt: skip
    for unit, target in ((d1, 30), (d2, 23)):
        indicator_set_target(
            actor=office, indicator=kpi, unit=unit, period_end=END, target=Decimal(target)
        )
    indicator_report(
        actor=office, indicator=kpi, unit=d2, period_end=END, measured_on=dt.date(2024, 6, 30),
        value=Decimal(19),
    )  # fmt: skip
    evidence = tmp_path / "export.txt"
    evidence.write_text("27 dịch vụ công trực tuyến toàn trình", encoding="utf-8")
    # when district A's officer opens the indicator and enters 27 services with evidence
    sign_in(page, live_server.url, officer.username)
    page.goto(f"{live_server.url}/appraisals/indicators/{kpi.pk}/")
    expect(page.locator("[data-figure=actual]")).to_have_text("19")
    form = page.locator("#indicator-value-form")
    form.get_by_label("Measured on").fill("2024-09-30")
    form.get_by_label("Value").fill("27")
    form.get_by_label("Source").fill("Cổng Dịch vụ công quốc gia")
    form.get_by_label("Evidence").set_input_files(str(evidence))
    form.get_by_role("button", name="Save").click()
    # then the province's actual is 27 + 19 = 46 of 53 (86.8 %), and the value is listed
    expect(page.locator("[data-figure=actual]")).to_have_text("46")
    expect(page.locator("[data-figure=achievement]")).to_have_text("86.8 %")
    expect(page.locator("#indicator-history")).to_contain_text("Cổng Dịch vụ công quốc gia")
    expect(page.locator(f"#indicator-units tr[data-unit='{d1.pk}']")).to_contain_text("90.0")
    page.screenshot(path=str(screenshot_dir / "kpi-entry.png"), full_page=True)
    row = IndicatorActual.objects.get(unit=d1)
    assert (row.value, row.measured_on, row.reported_by_id) == (
        27,
        dt.date(2024, 9, 30),
        officer.pk,
    )
    assert row.evidence
