from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tiendo.calendars.models import CalendarOverride
from tiendo.programs.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_year_page_lists_holidays_and_overrides(client) -> None:
    CalendarOverride.objects.create(
        date=dt.date(2025, 2, 8), is_working_day=True, reason="Make-up working Saturday"
    )
    client.force_login(make_user())
    body = client.get(reverse("calendars:year", args=[2025])).content.decode()
    assert "Lunar New Year (Tết)" in body
    assert "Hùng Kings&#x27; Commemoration Day" in body
    assert "Make-up working Saturday" in body


def test_year_out_of_range_is_404(client) -> None:
    client.force_login(make_user())
    assert client.get(reverse("calendars:year", args=[1700])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client) -> None:
    assert client.get(reverse("calendars:current_year")).status_code == 302
