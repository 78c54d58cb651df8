"""The demo's ministry: its 17 projects' figures come from their appraisal steps."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client

from tiendo.accounts.models import User
from tiendo.demo.seed import seed
from tiendo.demo.situation_appraisal import P06_END
from tiendo.demo.situation_ministry import CODE
from tiendo.demo.situation_p06 import CODE as P06_CODE
from tiendo.orgs.scope import scope_for
from tiendo.programs.models import Program

from ..consultation import response_figures, round_recipients, visible_rounds
from ..kpi_selectors import program_indicator_figures
from ..selectors import appraisal_figures, appraisal_rows, returned_dossiers, rows_with_timing

pytestmark = pytest.mark.django_db


def test_17_projects_2_appraised_on_time_15_behind_schedule() -> None:
    # given the seeded demo (seeded once: it takes a while)
    seed()
    program = Program.objects.get(code=CODE)
    # when the ministry's leader or its appraiser reads the appraisal figures, on two days of 2025+
    readings = [
        (scope_for(User.objects.get(username=name)), on)
        for name in ("bqp.lanhdao", "thamdinh")
        for on in (dt.date(2025, 1, 1), dt.date(2026, 6, 30))
    ]
    for scope, on in readings:
        rows = appraisal_rows(scope, program=program, on=on)
        figures = appraisal_figures(rows)
        # then 2 were appraised on time and 15 are behind schedule, each list the figure's rows
        assert figures["total"] == 17
        assert figures["appraised_on_time"] == 2
        assert figures["behind_or_late"] == 15
        assert sorted(r.task.number for r in rows_with_timing(rows, "appraised_on_time")) == [
            "1.2",
            "1.7",
        ]
    # and the returned dossiers keep their reasons and resubmission counts
    returns = returned_dossiers(rows)
    assert len(returns) == 7
    assert all(step.note for _, step in returns)


def test_project_06_targets_with_actuals() -> None:
    # given the seeded demo
    seed()
    program = Program.objects.get(code=P06_CODE)
    scope = scope_for(User.objects.get(username="thuongtruc.da06"))
    # when the plan's indicators are read as of 30/9/2024 and as of 1/1/2025
    september = {
        f.indicator.code: f
        for f in program_indicator_figures(
            scope, program, period_end=P06_END, on=dt.date(2024, 9, 30)
        )
    }
    year = {
        f.indicator.code: f
        for f in program_indicator_figures(
            scope, program, period_end=P06_END, on=dt.date(2025, 1, 1)
        )
    }
    # then the 53 and 20 service targets carry the actuals of their day
    assert (september["DA06-DVC"].target, september["DA06-DVC"].actual) == (53, 48)
    assert (year["DA06-DVC"].actual, year["DA06-DVC"].achievement) == (53, 100)
    assert (year["DA06-KGT"].target, year["DA06-KGT"].actual) == (20, 22)
    assert year["DA06-KGT"].achievement == Decimal("110.0")
    # and the online rate is the districts' average against 50 %
    assert len(year["DA06-TT"].actuals) == 7
    assert year["DA06-TT"].target == 50


def test_the_46_tasks_draft_went_through_one_consultation_round() -> None:
    # given the seeded demo, read by the ministry's standing office
    seed()
    scope = scope_for(User.objects.get(username="btl86.vanphong"))
    (round_,) = visible_rounds(scope).filter(program__code=CODE)
    # when its answers are read as of the plan's decision (12/1/2024)
    figures = response_figures([s for _, s in round_recipients(round_, on=dt.date(2024, 1, 12))])
    # then 35 units were consulted: 28 on time, 5 late, 2 did not answer
    assert (figures["total"], figures["on_time"], figures["answered_late"]) == (35, 28, 5)
    assert figures["not_answered"] == 2


def test_the_ministry_dashboard_says_2_of_17_on_time_and_28_5_2() -> None:
    # given the seeded demo and the ministry's leader
    seed()
    program = Program.objects.get(code=CODE)
    client = Client(headers={"Accept-Language": "vi"})
    client.force_login(User.objects.get(username="bqp.lanhdao"))
    # when the leader opens the plan's dashboard as of 1 January 2025
    response = client.get(f"/dashboards/programs/{program.pk}/", {"as_of": "2025-01-01"})
    # then the appraisal and consultation figures come from the steps and the answers
    assert response.status_code == 200
    html = response.content.decode()
    shown = dict(re.findall(r'data-figure="(\w+)">(\d+)</a>', html))
    assert (shown["appraised_on_time"], shown["behind_or_late"]) == ("2", "15")
    assert (shown["on_time"], shown["answered_late"], shown["unanswered"]) == ("28", "5", "2")
    assert "trên 17 dự án thẩm định đúng hạn" in html
