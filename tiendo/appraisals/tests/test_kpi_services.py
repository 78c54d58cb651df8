"""Indicators end to end: targets per unit, values reported over time, achievement as of a day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from tiendo.accounts.models import Role
from tiendo.audit.models import AuditEntry
from tiendo.core.errors import PermissionDeniedError
from tiendo.orgs.models import UnitKind
from tiendo.orgs.scope import scope_for
from tiendo.programs.tests.factories import make_program, make_task, make_unit, make_user

from ..kpi_selectors import indicator_figure, indicator_get, program_indicator_figures
from ..kpi_services import indicator_create, indicator_report, indicator_set_target

pytestmark = pytest.mark.django_db
END = dt.date(2024, 12, 31)


def _province():  # type: ignore[no-untyped-def]
    province = make_unit("Tỉnh", kind=UnitKind.PROVINCE)
    committee = make_unit("Tổ công tác Đề án 06", parent=province)
    d1, d2 = make_unit("Huyện A", parent=province), make_unit("Huyện B", parent=province)
    office = make_user(unit=committee, role=Role.STANDING_OFFICE)
    program = make_program(owner=committee, standing_office=committee, actor=office)
    services = indicator_create(
        actor=office, program=program, code="DVC", name="Dịch vụ công thiết yếu",
        unit_of_measure="dịch vụ", aggregation="sum",
    )  # fmt: skip
    for unit, target in ((d1, 30), (d2, 23)):
        indicator_set_target(
            actor=office, indicator=services, unit=unit, period_end=END, target=Decimal(target)
        )
    return province, d1, d2, office, program, services


def test_achievement_rolls_up_the_districts_as_of_a_day() -> None:
    # given targets 30 + 23 = 53 services, and values reported by the districts over time
    province, d1, d2, office, _, services = _province()
    officer = make_user(unit=d1)
    indicator_report(actor=officer, indicator=services, unit=d1, period_end=END,
                     measured_on=dt.date(2024, 6, 30), value=Decimal(20), source="Cổng DVC")  # fmt: skip
    indicator_report(actor=officer, indicator=services, unit=d1, period_end=END,
                     measured_on=dt.date(2024, 9, 30), value=Decimal(28))  # fmt: skip
    indicator_report(actor=office, indicator=services, unit=d2, period_end=END,
                     measured_on=dt.date(2024, 9, 30), value=Decimal(19))  # fmt: skip
    # when the province's figure is read as of 31/7 and as of 31/10
    july = indicator_figure(services, unit=province, period_end=END, on=dt.date(2024, 7, 31))
    october = indicator_figure(services, unit=province, period_end=END, on=dt.date(2024, 10, 31))
    # then July knows only district A's first value; October the latest of both
    assert (july.target, july.actual, july.achievement) == (53, 20, Decimal("37.7"))
    assert (october.actual, october.achievement) == (47, Decimal("88.7"))
    assert [a.value for a in october.actuals] == [28, 19]  # the rows behind the figure
    assert AuditEntry.objects.filter(action="indicator.report").count() == 3


def test_a_unit_reports_only_its_own_values() -> None:
    _, d1, d2, _, _, services = _province()
    officer = make_user(unit=d1)
    with pytest.raises(PermissionDeniedError):
        indicator_report(actor=officer, indicator=services, unit=d2, period_end=END,
                         measured_on=dt.date(2024, 6, 30), value=Decimal(5))  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        indicator_set_target(
            actor=officer, indicator=services, unit=d1, period_end=END, target=Decimal(1)
        )


def test_program_figures_and_visibility() -> None:
    _, _, _, office, program, services = _province()
    figures = program_indicator_figures(scope_for(office), program, period_end=END)
    assert [(f.indicator.code, f.target) for f in figures] == [("DVC", 53)]
    stranger = make_user(unit=make_unit("Tỉnh khác", kind=UnitKind.PROVINCE))
    with pytest.raises(Http404):
        indicator_get(scope_for(stranger), services.pk)


def test_a_pilot_model_has_kpis_of_its_own() -> None:
    _, d1, _, office, program, _ = _province()
    pilot = make_task(program=program, lead_unit=d1, actor=office, kind="pilot")
    own = indicator_create(
        actor=office, program=program, task=pilot, code="MH1", name="Tỷ lệ hồ sơ trực tuyến",
        unit_of_measure="%", aggregation="average", baseline=Decimal(30),
    )  # fmt: skip
    indicator_set_target(actor=office, indicator=own, unit=d1, period_end=END, target=Decimal(50))
    indicator_report(actor=office, indicator=own, unit=d1, period_end=END,
                     measured_on=dt.date(2024, 11, 1), value=Decimal(42))  # fmt: skip
    figure = indicator_figure(own, unit=d1, period_end=END, on=dt.date(2024, 12, 1))
    assert figure.achievement == Decimal("60.0")
    assert [
        f.indicator.code
        for f in program_indicator_figures(scope_for(office), program, period_end=END)
    ] == ["DVC"]
