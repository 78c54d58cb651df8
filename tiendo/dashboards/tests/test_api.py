"""The summary API returns the dashboard's own figures, today or as of a date."""

from __future__ import annotations

import pytest
from django.test import Client

from tiendo.accounts.models import Role
from tiendo.dashboards.selectors import program_dashboard, unit_dashboard
from tiendo.orgs.scope import scope_for
from tiendo.programs.selectors import today
from tiendo.programs.services import progress_submit
from tiendo.programs.tests.factories import make_user

from .builders import DAY, add_task, make_world

pytestmark = pytest.mark.django_db


def test_program_summary_equals_the_dashboard(client: Client) -> None:
    # Given a program with tasks in two groups
    w = make_world()
    add_task(w, group=w.group_1, deadline=today() - 2 * DAY)
    add_task(w, group=w.group_2, kind="project")
    client.force_login(w.admin)
    # When the summary is fetched
    response = client.get(f"/api/v1/programs/{w.program.pk}/summary")
    # Then it carries the dashboard's figures and the links of their lists
    assert response.status_code == 200
    body = response.json()
    board = program_dashboard(scope_for(w.admin), w.program.pk)
    assert body["overall"]["counts"] == board.overall.counts
    assert [g["counts"] for g in body["groups"]] == [g.counts for g in board.groups]
    assert body["kinds"]["project"]["counts"]["total"] == 1
    assert body["overall"]["deployed_ratio"] == "0/2"
    assert body["overall"]["lists"]["overdue"].startswith("/dashboards/list/?")
    assert body["overall"]["confidence"] in {"amber_red", "red"}


def test_unit_summary_as_of_a_date_uses_the_history(client: Client) -> None:
    # Given a task completed ten days ago
    w = make_world()
    task = add_task(w, unit=w.dept_b, deadline=today() + 30 * DAY)
    progress_submit(actor=w.admin, task=task, as_of=today() - 10 * DAY, percent=100)
    client.force_login(w.admin)
    # When the province summary is asked today and as of twenty days ago
    now = client.get(f"/api/v1/units/{w.province.pk}/summary").json()
    before = client.get(
        f"/api/v1/units/{w.province.pk}/summary?as_of={(today() - 20 * DAY).isoformat()}"
    ).json()
    # Then today it is completed; back then it was not counted as completed
    assert now["overall"]["counts"]["completed"] == 1
    assert before["overall"]["counts"]["completed"] == 0
    assert before["as_of"] == (today() - 20 * DAY).isoformat()
    assert now["units"][0]["label"] == "Department B"
    board = unit_dashboard(scope_for(w.admin), w.province.pk)
    assert now["units"][0]["counts"] == board.league[0].counts


def test_summary_errors(client: Client) -> None:
    w = make_world()
    outsider = make_user(unit=w.dept_b, role=Role.UNIT_LEADER)
    client.force_login(outsider)
    assert client.get(f"/api/v1/units/{w.dept_a.pk}/summary").status_code == 404
    bad = client.get(f"/api/v1/units/{w.dept_b.pk}/summary?as_of=yesterday")
    assert bad.status_code == 422
    assert "as_of" in bad.json()["errors"]
    client.logout()
    assert client.get(f"/api/v1/units/{w.dept_b.pk}/summary").status_code == 401
