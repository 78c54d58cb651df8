"""Appraisal, consultation and indicator figures on the program dashboard and in the
consolidated report: every figure equals the length of the list it opens."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from tiendo.orgs.scope import scope_for
from tiendo.programs.models import TaskKind
from tiendo.programs.tests.factories import make_task, make_unit, make_user
from tiendo.reporting import exports
from tiendo.reporting.models import DueRule, Frequency
from tiendo.reporting.services import period_open, report_consolidate, schedule_create

from ..consultation import consultation_answer, consultation_send
from ..figures import consultation_rows, program_figures
from ..kpi_services import indicator_create, indicator_report, indicator_set_target
from ..services import appraisal_pass_step, appraisal_submit
from .world import MONDAY, World, build_world

pytestmark = pytest.mark.django_db
ON = dt.date(2024, 4, 30)


def _program_with_everything() -> World:
    """Three projects (one appraised on time, one behind, one not submitted), a consultation
    of three units (one on time, one late, one silent) and an indicator at 40 of 50."""
    w = build_world()
    deciders = [w.reviewer, w.reviewer, w.reviewer, w.planner, w.leader]
    fast = w.project
    appraisal = appraisal_submit(actor=w.officer, task=fast, on=MONDAY)
    for who in deciders:
        appraisal = appraisal_pass_step(actor=who, appraisal=appraisal, on=MONDAY)
    slow = make_task(
        program=w.program, lead_unit=w.owner, assignee=w.officer, actor=w.office,
        kind=TaskKind.PROJECT, title="Dự án chậm",
    )  # fmt: skip
    appraisal_submit(actor=w.officer, task=slow, on=MONDAY)  # step 1 (1 day) left open
    make_task(
        program=w.program, lead_unit=w.owner, assignee=w.officer, actor=w.office,
        kind=TaskKind.PROJECT, title="Dự án chưa nộp",
    )  # fmt: skip
    round_ = consultation_send(
        actor=w.office, program=w.program, title="Dự thảo quy chế", sender_unit=w.appraiser,
        units=[w.owner, w.planning, w.committee], sent_on=MONDAY, deadline=dt.date(2024, 3, 15),
    )  # fmt: skip
    answers = {
        w.owner: (w.officer, dt.date(2024, 3, 14)),
        w.planning: (w.planner, dt.date(2024, 3, 20)),
    }
    for r in round_.recipients.select_related("unit"):
        if r.unit in answers:
            who, day = answers[r.unit]
            consultation_answer(actor=who, recipient=r, answer="agree", on=day)
    kpi = indicator_create(
        actor=w.office, program=w.program, code="HS", name="Hồ sơ số hóa", unit_of_measure="hồ sơ"
    )
    indicator_set_target(
        actor=w.office, indicator=kpi, unit=w.owner, period_end=dt.date(2024, 12, 31),
        target=Decimal(50),
    )  # fmt: skip
    indicator_report(
        actor=w.officer, indicator=kpi, unit=w.owner, period_end=dt.date(2024, 12, 31),
        measured_on=dt.date(2024, 4, 1), value=Decimal(40),
    )  # fmt: skip
    return w


def _listed(client: Client, url: str) -> int:
    """How many rows the list behind a figure shows."""
    response = client.get(url)
    assert response.status_code == 200
    context = response.context
    if "page" in context:  # an indicator page: the values behind the roll-up
        return len(context["page"].figure.actuals)
    return len(context["rows"])


def test_the_program_dashboard_shows_the_figures_and_each_opens_its_list() -> None:
    # given a program with projects, a consultation and an indicator
    w = _program_with_everything()
    client = Client()
    client.force_login(w.leader)
    # when its leader opens the program dashboard as of 30 April 2024
    response = client.get(f"/dashboards/programs/{w.program.pk}/", {"as_of": ON.isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="appraisal-figures"' in page
    figures = program_figures(scope_for(w.leader), w.program, on=ON)
    # then the figures are those of the steps, answers and values
    appraisal = {k: f.value for k, f in figures.appraisal.items()}
    assert (appraisal["total"], appraisal["appraised_on_time"], appraisal["behind_or_late"]) == (
        3,
        1,
        1,
    )
    assert appraisal["not_submitted"] == 1
    answers = {k: f.value for k, f in figures.consultation.items()}
    assert answers == {"total": 3, "on_time": 1, "answered_late": 1, "unanswered": 1, "waiting": 0}
    assert figures.response_rate == Decimal("66.7")
    ((kpi, _url),) = figures.indicators
    assert (kpi.target, kpi.actual, kpi.achievement) == (50, 40, Decimal("80.0"))
    # and every figure shown links to a list of exactly that many rows
    shown = [*figures.appraisal.values(), *figures.consultation.values()]
    for fig in shown:
        assert fig.url.replace("&", "&amp;") in page
        assert _listed(client, fig.url) == fig.value, fig.key
    assert _url.replace("&", "&amp;") in page
    assert client.get(_url).context["page"].figure.achievement == kpi.achievement


def test_as_of_an_earlier_day_the_figures_go_back_in_time() -> None:
    w = _program_with_everything()
    # as of 5 March 2024 the round was still open, and the indicator had no value yet
    figures = program_figures(scope_for(w.leader), w.program, on=dt.date(2024, 3, 5))
    assert figures.consultation["waiting"].value == 3
    assert figures.indicators[0][0].actual is None


def test_a_consulted_unit_sees_only_its_own_rounds() -> None:
    w = _program_with_everything()
    stranger = make_user(unit=make_unit("Bộ khác"))
    assert consultation_rows(scope_for(stranger), on=ON) == []
    client = Client()
    client.force_login(stranger)
    assert client.get("/appraisals/consultations/", {"program": w.program.pk}).status_code == 404
    assert client.get("/appraisals/consultations/").context["rows"] == []


def test_the_consolidated_report_carries_the_figures() -> None:
    # given the program's quarterly report of the first quarter of 2024, consolidated
    w = _program_with_everything()
    schedule = schedule_create(
        actor=w.office, program=w.program, name="Báo cáo quý", frequency=Frequency.QUARTERLY,
        due_rule=DueRule.WORKING_DAYS_AFTER_END, due_value=5, units=[w.owner],
    )  # fmt: skip
    period = period_open(actor=w.office, schedule=schedule, day=dt.date(2024, 4, 2))
    report = report_consolidate(actor=w.office, period=period)
    # then its frozen snapshot holds the figures as of the period end (31 March 2024)
    section = report.snapshot["appraisals"]
    assert section["appraisal"]["appraised_on_time"] == 1
    assert section["consultation"]["answered_late"] == 1
    assert section["indicators"][0]["achievement"] == "80"
    # and the document's overall results say them, in Vietnamese
    with translation.override("vi"):
        lines = exports.headline_lines(report.snapshot)
    assert lines[-3:] == [
        "Dự án đầu tư: 1/3 dự án thẩm định đúng hạn, 1 dự án chậm tiến độ, "
        "0 dự án đang thẩm định trong hạn.",
        "Xin ý kiến: 3 đơn vị được xin ý kiến; 1 trả lời đúng hạn, 1 trả lời muộn, "
        "1 không trả lời, 0 chưa đến hạn.",
        "Chỉ số HS (Hồ sơ số hóa): đạt 40 trên chỉ tiêu 50 hồ sơ, mức đạt 80 %.",
    ]


def test_the_api_gives_the_same_figures_with_their_lists() -> None:
    w = _program_with_everything()
    client = Client()
    client.force_login(w.leader)
    path = f"/api/v1/programs/{w.program.pk}/appraisal-figures"
    body = client.get(path, {"on": ON.isoformat()}).json()
    figures = program_figures(scope_for(w.leader), w.program, on=ON)
    assert body["appraisal"]["appraised_on_time"] == {
        "value": 1,
        "list_url": figures.appraisal["appraised_on_time"].url,
    }
    assert {k: v["value"] for k, v in body["consultation"].items()} == {
        "total": 3, "on_time": 1, "answered_late": 1, "unanswered": 1, "waiting": 0,
    }  # fmt: skip
    assert body["indicators"][0]["achievement"] == "80.0"
    # days outside the working-day calendar are refused as bad input, not a server error
    for day in ("1899-12-31", "9999-12-31"):
        assert client.get(path, {"on": day}).status_code == 422
        assert client.get("/api/v1/appraisals", {"on": day}).status_code == 422
        assert client.get("/appraisals/", {"on": day}).status_code == 200  # read as of today
    assert client.get("/appraisals/", {"on": "2024-99-99"}).status_code == 200
    stranger = make_user(unit=make_unit("Bộ khác"))
    client.force_login(stranger)
    assert client.get(path).status_code == 404
