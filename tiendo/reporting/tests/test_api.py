"""The API with tokens: same rules and numbers as the pages; 404 outside the scope."""

from __future__ import annotations

import pytest

from tiendo.api.tests.helpers import Api
from tiendo.programs.tests.factories import make_unit, make_user
from tiendo.reporting.models import UnitReport

from .builders import make_world, open_q1

pytestmark = pytest.mark.django_db


def test_schedule_period_report_review_consolidate_over_the_api() -> None:
    w = make_world()
    office, officer = Api(w.office), Api(w.officer_a)
    # The office creates a monthly schedule and the API refuses a bad due value specifically
    bad = office.call(
        "post",
        f"/programs/{w.program.pk}/report-schedules",
        {
            "name": "M",
            "frequency": "monthly",
            "due_rule": "day_of_last_month",
            "due_value": 0,
            "units": [w.dept_a.pk],
        },
    )
    assert bad.status_code == 422
    assert "due_value" in bad.json()["errors"]
    r = office.call(
        "post",
        f"/programs/{w.program.pk}/report-schedules",
        {
            "name": "Monthly",
            "frequency": "monthly",
            "due_rule": "day_of_last_month",
            "due_value": 25,
            "units": [w.dept_a.pk],
        },
    )
    assert r.status_code == 201
    # Q1 2025 under the quarterly schedule
    period = open_q1(w)
    mine = officer.call("get", f"/report-periods/{period.pk}/reports").json()
    assert [x["unit"] for x in mine] == [w.dept_a.pk]  # never department B's draft
    rid = mine[0]["id"]
    r = officer.call(
        "patch",
        f"/unit-reports/{rid}",
        {"results": "Done", "edit_version": mine[0]["edit_version"]},
    )
    assert r.status_code == 200
    stale = officer.call(
        "patch", f"/unit-reports/{rid}", {"results": "x", "edit_version": mine[0]["edit_version"]}
    )
    assert stale.status_code == 409
    sent = officer.call("post", f"/unit-reports/{rid}/submit", {})
    assert sent.json()["state"] == "submitted"
    assert sent.json()["figures"]["counts"]["overdue"] == 1
    assert (
        officer.call("post", f"/unit-reports/{rid}/review", {"decision": "accept"}).status_code
        == 403
    )
    assert (
        office.call("post", f"/unit-reports/{rid}/review", {"decision": "accept"}).json()["state"]
        == "accepted"
    )
    disc = office.call("get", f"/report-periods/{period.pk}/discipline").json()
    assert disc["obliged"] == 2
    assert sum(disc["counts"].values()) == len(disc["rows"])
    c = office.call("post", f"/report-periods/{period.pk}/consolidate", {}).json()
    again = office.call("post", f"/report-periods/{period.pk}/consolidate", {}).json()
    assert c["id"] == again["id"]
    assert c["snapshot_hash"] == again["snapshot_hash"]
    assert c["snapshot"]["headline"]["ratio"] == "1/3"


def test_outsiders_get_404_everywhere() -> None:
    w = make_world()
    period = open_q1(w)
    outsider = Api(make_user(unit=make_unit("Elsewhere"), role="committee_leader"))
    rid = UnitReport.objects.filter(period=period).first().pk
    for method, path in (
        ("get", f"/programs/{w.program.pk}/report-schedules"),
        ("get", f"/report-periods/{period.pk}/discipline"),
        ("get", f"/unit-reports/{rid}"),
        ("post", f"/report-periods/{period.pk}/consolidate"),
    ):
        r = outsider.call(method, path, {} if method == "post" else None)
        assert r.status_code == 404, path
