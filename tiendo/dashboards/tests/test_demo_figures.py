"""The demo's figures appear on the dashboards and in the API exactly (issue 3, "done when")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tiendo.accounts.models import User
from tiendo.dashboards.selectors import program_dashboard
from tiendo.demo.seed import seed
from tiendo.orgs.scope import scope_for
from tiendo.programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """One seed for the module, rolled back at the end so other tests see an empty database."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            seed()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _board(code: str):
    admin = User.objects.get(username="quantri")
    program = Program.objects.get(code=code)
    return program, program_dashboard(scope_for(admin), program.pk)


def test_province_plan_deployed_per_group(demo: None) -> None:
    _, d = _board("thaian-cds-2022-2025")
    assert [g.ratio("deployed") for g in d.groups] == ["11/11", "11/21", "5/9", "1/6"]


def test_ministry_projects_and_tasks(demo: None) -> None:
    _, d = _board("bqp-cds-2024")
    projects, tasks = d.kinds["project"].counts, d.kinds["task"].counts
    assert (projects["total"], projects["completed_on_time"], projects["behind"]) == (17, 2, 15)
    assert (tasks["total"], tasks["completed"]) == (46, 45)


def test_project_06_tasks_and_pilots(demo: None) -> None:
    _, d = _board("thaian-da06-2024")
    tasks, pilots = d.kinds["task"].counts, d.kinds["pilot"].counts
    assert tasks["total"] == 51
    assert tasks["overdue"] == 10
    q1 = next(q for q in d.timeline.quarters if q["label"] == "Quarter I/2024")
    assert q1["overdue"].value == 10
    assert (pilots["total"], pilots["completed"], pilots["under_way"], pilots["not_begun"]) == (
        38,
        6,
        20,
        12,
    )


def test_the_same_figures_on_the_page_and_in_the_api(demo: None) -> None:
    # Given the committee leader signed in
    client = Client()
    client.force_login(User.objects.get(username="chutich"))
    program = Program.objects.get(code="thaian-cds-2022-2025")
    # When the dashboard page and the summary API are asked
    page = client.get(f"/dashboards/programs/{program.pk}/").content.decode()
    api = client.get(f"/api/v1/programs/{program.pk}/summary").json()
    # Then both show the demo's figures
    assert [g["deployed_ratio"] for g in api["groups"]] == ["11/11", "11/21", "5/9", "1/6"]
    for deployed, total in ((11, 11), (11, 21), (5, 9), (1, 6)):
        assert f">{deployed}</a>/{total}</td>" in page
    p06 = Program.objects.get(code="thaian-da06-2024")
    pilots = client.get(f"/api/v1/programs/{p06.pk}/summary").json()["kinds"]["pilot"]["counts"]
    assert (pilots["completed"], pilots["under_way"], pilots["not_begun"]) == (6, 20, 12)
