"""The appraisal and indicator API: same figures as the pages, scope, errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from tiendo.programs.tests.factories import make_unit, make_user

from ..consultation import consultation_answer, consultation_send
from ..kpi_services import indicator_create, indicator_report, indicator_set_target
from ..services import appraisal_submit
from .world import MONDAY, build_world

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_board_figures_and_a_pass_through_the_api() -> None:
    # given a submitted dossier
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    client = _client(w.reviewer)
    # when the board is read as of 20 March 2024, then the project is behind schedule
    board = client.get("/api/v1/appraisals", {"program": w.program.pk, "on": "2024-03-20"}).json()
    assert board["figures"]["behind"] == 1
    assert board["items"][0]["waiting_at"] == "1. Tiếp nhận hồ sơ"
    # when the reviewer passes step 1 with the version read, then step 2 waits
    response = client.post(
        f"/api/v1/appraisals/{w.project.pk}/pass",
        {"on": "2024-03-05", "version": appraisal.version},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["waiting_at"] == "2. Kiểm tra tính đầy đủ của hồ sơ"
    # and a second pass with the stale version is a conflict
    stale = client.post(
        f"/api/v1/appraisals/{w.project.pk}/pass",
        {"on": "2024-03-06", "version": appraisal.version},
        content_type="application/json",
    )
    assert stale.status_code == 409


def test_outsiders_get_404_and_the_owner_403() -> None:
    w = build_world()
    appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    stranger = make_user(unit=make_unit("Sở khác"))
    assert _client(stranger).get(f"/api/v1/appraisals/{w.project.pk}").status_code == 404
    refused = _client(w.officer).post(
        f"/api/v1/appraisals/{w.project.pk}/return",
        {"on": "2024-03-05", "reason": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_program_indicators() -> None:
    w = build_world()
    kpi = indicator_create(
        actor=w.office, program=w.program, code="HS", name="Hồ sơ", unit_of_measure="hồ sơ"
    )
    end = dt.date(2024, 12, 31)
    indicator_set_target(
        actor=w.office, indicator=kpi, unit=w.owner, period_end=end, target=Decimal(40)
    )
    indicator_report(actor=w.officer, indicator=kpi, unit=w.owner, period_end=end,
                     measured_on=dt.date(2024, 6, 1), value=Decimal(10))  # fmt: skip
    response = _client(w.office).get(
        f"/api/v1/programs/{w.program.pk}/indicators", {"period_end": "2024-12-31"}
    )
    assert response.status_code == 200
    assert response.json()[0]["achievement"] == "25.0"


def test_consultation_rounds_through_the_api() -> None:
    # given a round sent to two units, one of which answered on time
    w = build_world()
    round_ = consultation_send(
        actor=w.office, program=w.program, title="Dự thảo", sender_unit=w.appraiser,
        units=[w.planning, w.owner], sent_on=dt.date(2024, 3, 4), deadline=dt.date(2024, 3, 15),
    )  # fmt: skip
    consultation_answer(actor=w.planner, recipient=round_.recipients.get(unit=w.planning),
                        answer="agree", on=dt.date(2024, 3, 5))  # fmt: skip
    # when the drafter reads it as of 20 March, then one answered and one is late
    body = _client(w.office).get(f"/api/v1/consultations/{round_.pk}", {"on": "2024-03-20"}).json()
    assert (
        body["figures"]["on_time"],
        body["figures"]["late"],
        body["figures"]["response_rate"],
    ) == (1, 1, 50.0)
    # and a stranger does not find it
    stranger = make_user(unit=make_unit("Sở khác"))
    assert _client(stranger).get(f"/api/v1/consultations/{round_.pk}").status_code == 404
    assert _client(stranger).get("/api/v1/consultations").json() == []
