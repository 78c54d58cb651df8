"""Redirect targets taken from a request never leave the site (no open redirect)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from .world import World

pytestmark = pytest.mark.django_db

# Browsers read a raw backslash as a slash: "/\evil.example" would be "//evil.example".
OFFSITE = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "/\\/evil.example/"]


@pytest.mark.parametrize("target", OFFSITE)
def test_a_rating_override_does_not_redirect_off_site(world: World, target: str) -> None:
    # Given the committee leader, who may override the program's rating
    client = Client()
    client.force_login(world.user("committee_leader"))

    # When the override form comes back with an off-site "next"
    response = client.post(
        "/dashboards/override/",
        {
            "target": "program",
            "target_id": world.ids["program"],
            "rating": "amber",
            "reason": "Checked on site",
            "next": target,
        },
    )

    # Then the leader stays on this site (Django encodes a backslash as %5C: a path, not a host)
    location = response["Location"]
    assert response.status_code == 302
    assert urlsplit(location).netloc == ""
    assert location.startswith("/")
    assert not location.startswith(("//", "/\\"))
