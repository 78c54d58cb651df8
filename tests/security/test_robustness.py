"""Out-of-range input found by the fuzz run answers 4xx, on the pages as in the API."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tiendo.reporting.models import ReportPeriod

from .world import World

pytestmark = pytest.mark.django_db

# The working-day calendar covers 1900-2199; these days used to crash period opening (500).
DAYS = ["0113-10-03", "2199-12-30", "9999-12-31"]


@pytest.mark.parametrize("day", DAYS)
def test_a_period_outside_the_calendar_is_refused_on_the_page(world: World, day: str) -> None:
    # Given the standing office on the schedule's page
    client = Client()
    client.force_login(world.user("standing_office"))
    before = ReportPeriod.objects.count()

    # When it opens a period on a day the calendar does not know
    response = client.post(
        f"/reports/schedules/{world.ids['schedule']}/periods/", {"day": day, "start": "", "end": ""}
    )

    # Then the answer is not a server error and no period was opened
    assert response.status_code < 500
    assert ReportPeriod.objects.count() == before


@pytest.mark.parametrize("day", DAYS)
def test_a_period_outside_the_calendar_is_refused_by_the_api(world: World, day: str) -> None:
    # When the same day comes through the API
    response = Client().post(
        f"/api/v1/report-schedules/{world.ids['schedule']}/periods",
        json.dumps({"day": day}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens['standing_office']}"},
    )

    # Then it is a 422 on the field "day"
    assert response.status_code == 422
    assert "day" in response.json()["errors"]
