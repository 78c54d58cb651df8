"""The indicator page and its value form through the real HTTP path, and the write API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiendo.accounts.models import Role
from tiendo.audit.models import AuditEntry
from tiendo.orgs.models import UnitKind
from tiendo.programs.tests.factories import make_program, make_unit, make_user

from ..kpi_services import indicator_create, indicator_report, indicator_set_target
from ..models import IndicatorActual

pytestmark = pytest.mark.django_db
END = dt.date(2024, 12, 31)


def _client(user, language: str = "en") -> Client:  # type: ignore[no-untyped-def]
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


class Province:
    """A province, its Project 06 working group (the managers) and three districts with targets
    of online services 30 + 23 + 10 = 63 for 2024."""

    def __init__(self) -> None:
        self.province = make_unit("Tỉnh", kind=UnitKind.PROVINCE)
        self.group = make_unit("Tổ công tác Đề án 06", parent=self.province)
        self.d1 = make_unit("Huyện A", parent=self.province)
        self.d2 = make_unit("Huyện B", parent=self.province)
        self.d3 = make_unit("Huyện C", parent=self.province)
        self.office = make_user(unit=self.group, role=Role.STANDING_OFFICE)
        self.officer = make_user(unit=self.d1)
        self.viewer = make_user(unit=self.province, role=Role.VIEWER)
        self.program = make_program(owner=self.group, standing_office=self.group, actor=self.office)
        self.kpi = indicator_create(
            actor=self.office, program=self.program, code="DVC", name="Dịch vụ công thiết yếu",
            unit_of_measure="dịch vụ",
        )  # fmt: skip
        for unit, target in ((self.d1, 30), (self.d2, 23), (self.d3, 10)):
            indicator_set_target(
                actor=self.office, indicator=self.kpi, unit=unit, period_end=END,
                target=Decimal(target),
            )  # fmt: skip

    def url(self) -> str:
        return reverse("appraisals:indicator", args=[self.kpi.pk])

    def post_url(self) -> str:
        return reverse("appraisals:indicator_value", args=[self.kpi.pk])


def _form(unit_id: int, seen: int, value: str = "12", **extra: object) -> dict[str, object]:
    return {
        "unit": unit_id,
        "period_end": END.isoformat(),
        "seen": seen,
        "measured_on": "2024-06-30",
        "value": value,
        "source": "Cổng Dịch vụ công",
        **extra,
    }


def test_the_page_shows_targets_actuals_achievement_and_rollup() -> None:
    # given district A reported 20 then 27 services, district B 19, district C nothing
    p = Province()
    for unit, day, value in (
        (p.d1, "2024-06-30", 20),
        (p.d1, "2024-09-30", 27),
        (p.d2, "2024-09-30", 19),
    ):
        indicator_report(
            actor=p.office, indicator=p.kpi, unit=unit, period_end=END,
            measured_on=dt.date.fromisoformat(day), value=Decimal(value),
        )  # fmt: skip
    # when the viewer opens the page as of 31/10/2024
    response = _client(p.viewer).get(p.url(), {"on": "2024-10-31"})
    # then the province rolls up 27 + 19 = 46 of 63 (73.0 %), and each district has its line
    assert response.status_code == 200
    page = response.context["page"]
    assert (page.figure.target, page.figure.actual, page.figure.achievement) == (
        63,
        46,
        Decimal("73.0"),
    )
    lines = {line.unit.name: (line.target, line.actual, line.achievement) for line in page.lines}
    assert lines == {
        "Huyện A": (30, 27, Decimal("90.0")),
        "Huyện B": (23, 19, Decimal("82.6")),
        "Huyện C": (10, None, None),
    }
    assert [r.value for r in page.history] == [19, 27, 20]  # every value, latest first
    # and as of 31/7 only district A's first value counts
    july = _client(p.viewer).get(p.url(), {"on": "2024-07-31"}).context["page"]
    assert (july.figure.actual, july.figure.achievement) == (20, Decimal("31.7"))
    # a viewer reports nothing: no form
    assert response.context["units"] == []
    assert b"indicator-value-form" not in response.content


def test_the_page_query_count_does_not_grow_with_units() -> None:
    p = Province()
    client = _client(p.viewer)
    with CaptureQueriesContext(connection) as few:
        client.get(p.url())
    for i in range(6):
        unit = make_unit(f"Xã {i}", parent=p.d3)
        indicator_set_target(
            actor=p.office, indicator=p.kpi, unit=unit, period_end=END, target=Decimal(1)
        )
        indicator_report(
            actor=p.office, indicator=p.kpi, unit=unit, period_end=END,
            measured_on=dt.date(2024, 6, 1), value=Decimal(1),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = client.get(p.url())
    assert len(response.context["page"].lines) == 9
    assert len(many) == len(few)


def test_a_district_enters_its_value_with_evidence() -> None:
    # given district A's officer on the page: the form is for their own district only
    p = Province()
    client = _client(p.officer)
    page = client.get(p.url())
    assert [u.pk for u in page.context["units"]] == [p.d1.pk]
    assert page.context["form"].initial["seen"] == 0
    # when they enter 12 services with the portal's export as evidence
    evidence = SimpleUploadedFile("export.txt", b"12 services", "text/plain")
    response = client.post(p.post_url(), _form(p.d1.pk, 0, evidence=evidence))
    # then the value is recorded, audited, and the page shows it
    assert response.status_code == 302
    row = IndicatorActual.objects.get()
    assert (row.unit_id, row.value, row.source, row.reported_by_id) == (
        p.d1.pk,
        12,
        "Cổng Dịch vụ công",
        p.officer.pk,
    )
    assert row.evidence
    assert AuditEntry.objects.filter(action="indicator.report").count() == 1
    shown = client.get(response["Location"])
    assert shown.context["page"].figure.actual == 12
    download = client.get(reverse("appraisals:indicator_evidence", args=[row.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"12 services"
    # and someone of another province finds neither the value's evidence nor the page
    stranger = make_user(unit=make_unit("Tỉnh khác", kind=UnitKind.PROVINCE))
    assert (
        _client(stranger).get(reverse("appraisals:indicator_evidence", args=[row.pk])).status_code
        == 404
    )
    assert _client(stranger).get(p.url()).status_code == 404


def test_a_district_cannot_enter_another_districts_value() -> None:
    p = Province()
    response = _client(p.officer).post(p.post_url(), _form(p.d2.pk, 0))
    assert response.status_code == 400
    assert "You cannot report values of this unit." in response.content.decode()
    assert not IndicatorActual.objects.exists()


def test_a_value_entered_meanwhile_is_not_overwritten() -> None:
    # given the office and the district both opened the form when district A had no value
    p = Province()
    seen = _client(p.office).get(p.url(), {"unit": p.d1.pk}).context["form"].initial["seen"]
    assert seen == 0
    first = _client(p.officer).post(p.post_url(), _form(p.d1.pk, seen, value="25"))
    assert first.status_code == 302
    # when the office saves its own figure from the stale form
    second = _client(p.office).post(p.post_url(), _form(p.d1.pk, seen, value="30"))
    # then it is refused with a clear message, and the district's value stands alone
    assert second.status_code == 409
    assert "after you opened the page" in second.content.decode()
    assert list(IndicatorActual.objects.values_list("value", flat=True)) == [25]
    # and from a fresh page it goes through
    fresh = _client(p.office).get(p.url(), {"unit": p.d1.pk}).context["form"].initial["seen"]
    assert (
        _client(p.office).post(p.post_url(), _form(p.d1.pk, fresh, value="30")).status_code == 302
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"value": "abc"}, "value", "Nhập một số."),
        ({"measured_on": "2999-01-01"}, "measured_on", "Ngày không được ở tương lai."),
        ({"value": ""}, "value", "Trường này là bắt buộc."),
    ],
)
def test_bad_input_says_what_is_wrong_in_vietnamese_and_saves_nothing(
    change: dict[str, str], field: str, message: str
) -> None:
    p = Province()
    response = _client(p.officer, "vi").post(p.post_url(), {**_form(p.d1.pk, 0), **change})
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert not IndicatorActual.objects.exists()


def test_a_file_that_is_not_evidence_is_refused_on_its_field() -> None:
    p = Province()
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00binary", "application/octet-stream")
    response = _client(p.officer).post(p.post_url(), _form(p.d1.pk, 0, evidence=bad))
    assert response.status_code == 400
    assert "run.exe" in " ".join(response.context["form"].errors["evidence"])
    assert not IndicatorActual.objects.exists()


def _api(user, path: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return _client(user).post(path, body, content_type="application/json")


def test_the_api_records_a_value_and_refuses_what_it_must() -> None:
    p = Province()
    path = f"/api/v1/indicators/{p.kpi.pk}/values"
    body = {
        "unit_id": p.d1.pk,
        "period_end": "2024-12-31",
        "measured_on": "2024-06-01",
        "value": "12",
    }
    # the district's officer reports its own value
    ok = _api(p.officer, path, {**body, "seen_value_id": 0})
    assert ok.status_code == 201
    assert ok.json()["value"] == "12"
    # a stale read is a conflict, not an overwrite
    stale = _api(p.office, path, {**body, "value": "15", "seen_value_id": 0})
    assert stale.status_code == 409
    fresh = _api(p.office, path, {**body, "value": "15", "seen_value_id": ok.json()["id"]})
    assert fresh.status_code == 201
    # another district's value is not the officer's to report
    assert _api(p.officer, path, {**body, "unit_id": p.d2.pk}).status_code == 403
    # a unit of another province, even for the managers, is refused without naming it
    elsewhere = make_unit("Huyện ngoài tỉnh", parent=make_unit("Tỉnh khác", kind=UnitKind.PROVINCE))
    outside = _api(p.office, path, {**body, "unit_id": elsewhere.pk})
    assert outside.status_code == 422
    assert "Huyện ngoài tỉnh" not in outside.content.decode()
    assert _api(p.office, path, {**body, "unit_id": 987654}).json() == outside.json()
    # a stranger does not find the indicator
    stranger = make_user(unit=make_unit("Tỉnh lạ", kind=UnitKind.PROVINCE))
    assert _api(stranger, path, body).status_code == 404
    assert list(IndicatorActual.objects.values_list("value", flat=True).order_by("id")) == [12, 15]


def test_a_district_that_only_has_a_target_sees_its_own_lines_not_its_neighbours() -> None:
    # given district B reported 19; district A's officer leads no task of the program
    p = Province()
    indicator_report(
        actor=p.office, indicator=p.kpi, unit=p.d2, period_end=END,
        measured_on=dt.date(2024, 6, 30), value=Decimal(19), source="Sổ của huyện B",
    )  # fmt: skip
    # when district A's officer opens the indicator
    page = _client(p.officer).get(p.url()).context["page"]
    # then the lines and values are district A's own; the province's roll-up is shown
    assert [line.unit.name for line in page.lines] == ["Huyện A"]
    assert page.history == []
    assert page.figure.actual == 19
    assert page.narrowed
    # while the program's managers see every district
    assert len(_client(p.office).get(p.url()).context["page"].lines) == 3
