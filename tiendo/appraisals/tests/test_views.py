"""Appraisal pages through the real HTTP path: board, detail, actions, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiendo.programs.tests.factories import make_task, make_unit, make_user

from ..consultation import consultation_send
from ..kpi_services import indicator_create, indicator_set_target
from ..models import AppraisalStep
from ..services import appraisal_submit
from .world import MONDAY, build_world

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_board_shows_where_the_project_waits() -> None:
    # given a submitted dossier
    w = build_world()
    appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    # when the standing office opens the board as of 20 March 2024
    response = _client(w.office).get(reverse("appraisals:board"), {"on": "2024-03-20"})
    # then the project waits at step 1, past its limit
    assert response.status_code == 200
    assert response.context["figures"]["behind"] == 1
    assert "Tiếp nhận hồ sơ" in response.content.decode()


def test_the_responsible_body_passes_a_step_through_the_page() -> None:
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    url = reverse("appraisals:pass", args=[w.project.pk])
    response = _client(w.reviewer).post(
        url, {"pass-on": "2024-03-05", "pass-version": appraisal.version}
    )
    assert response.status_code == 302
    assert AppraisalStep.objects.filter(appraisal=appraisal).count() == 2


def test_a_return_without_reason_changes_nothing_and_says_why() -> None:
    w = build_world()
    appraisal = appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    response = _client(w.reviewer).post(
        reverse("appraisals:return", args=[w.project.pk]), {"return-on": "2024-03-05"}
    )
    assert response.status_code == 400
    assert response.context["return_form"].errors["reason"]
    assert appraisal.steps.get().finished_on is None


def test_the_owner_cannot_decide_and_a_stranger_sees_nothing() -> None:
    w = build_world()
    appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    refused = _client(w.officer).post(
        reverse("appraisals:pass", args=[w.project.pk]), {"pass-on": "2024-03-05"}
    )
    assert refused.status_code == 403
    stranger = make_user(unit=make_unit("Sở khác"))
    assert (
        _client(stranger).get(reverse("appraisals:detail", args=[w.project.pk])).status_code == 404
    )


def test_the_board_of_a_program_shows_its_indicators_and_consultations() -> None:
    # given a program with an indicator and a consultation round
    w = build_world()
    kpi = indicator_create(
        actor=w.office, program=w.program, code="HS", name="Hồ sơ số hóa", unit_of_measure="hồ sơ"
    )
    end = dt.date(2024, 12, 31)
    indicator_set_target(
        actor=w.office, indicator=kpi, unit=w.owner, period_end=end, target=Decimal(40)
    )
    consultation_send(
        actor=w.office, program=w.program, title="Dự thảo kế hoạch", sender_unit=w.appraiser,
        units=[w.planning], sent_on=dt.date(2024, 3, 4), deadline=dt.date(2024, 3, 15),
    )  # fmt: skip
    # when the standing office opens the program's board
    response = _client(w.office).get(reverse("appraisals:board"), {"program": w.program.pk})
    # then both appear with their figures
    assert response.context["indicators"][0].target == 40
    assert response.context["rounds"][0][1]["late"] == 1
    assert "Dự thảo kế hoạch" in response.content.decode()


def test_a_consulted_unit_answers_on_the_round_page_and_strangers_get_404() -> None:
    # given a round sent to the planning department
    w = build_world()
    round_ = consultation_send(
        actor=w.office, program=w.program, title="Dự thảo kế hoạch", sender_unit=w.appraiser,
        units=[w.planning], sent_on=dt.date(2024, 3, 4), deadline=dt.date(2024, 3, 15),
    )  # fmt: skip
    recipient = round_.recipients.get()
    url = reverse("appraisals:round", args=[round_.pk])
    assert _client(w.planner).get(url).status_code == 200
    # when it disagrees without reasons, it is told why and nothing is saved
    answer_url = reverse("appraisals:round_answer", args=[round_.pk])
    bad = _client(w.planner).post(
        answer_url, {"recipient": recipient.pk, "answer": "disagree", "on": "2024-03-05"}
    )
    assert bad.status_code == 400
    # when it answers with comments, the drafter sees them in the synthesis
    ok = _client(w.planner).post(
        answer_url,
        {
            "recipient": recipient.pk,
            "answer": "agree_comments",
            "comments": "Bổ sung vốn.",
            "on": "2024-03-05",
        },
    )
    assert ok.status_code == 302
    assert "Bổ sung vốn." in _client(w.office).get(url).content.decode()
    stranger = make_user(unit=make_unit("Sở khác"))
    assert _client(stranger).get(url).status_code == 404


def test_the_board_query_count_does_not_grow_with_projects() -> None:
    # given a program with one submitted project, then three
    w = build_world()
    appraisal_submit(actor=w.officer, task=w.project, on=MONDAY)
    client = _client(w.office)
    url = reverse("appraisals:board")
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"program": w.program.pk})
    for _ in range(2):
        extra = make_task(program=w.program, lead_unit=w.owner, assignee=w.officer, kind="project")
        appraisal_submit(actor=w.officer, task=extra, on=MONDAY)
    with CaptureQueriesContext(connection) as three:
        client.get(url, {"program": w.program.pk})
    # then the page runs the same number of queries
    assert len(three) == len(one)
