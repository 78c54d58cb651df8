"""``GET /me`` and the units a caller can reach (``tiendo.accounts.api``, ``tiendo.orgs.api``)."""

from __future__ import annotations

import datetime as dt

import pytest

from tiendo.orgs.services import unit_close
from tiendo.programs.tests.factories import make_unit

from .helpers import World

pytestmark = pytest.mark.django_db


def test_me_lists_roles_and_units(world: World) -> None:
    body = world.api(world.standing).get("/me").json()
    assert body["username"] == "standing"
    assert body["is_admin"] is False
    assert body["unit_ids"] == [world.dept_a.pk]
    assert body["roles"] == [
        {
            "unit_id": world.dept_a.pk,
            "unit_name": "Department A",
            "role": "standing_office",
            "role_label": "Standing office",
        }
    ]


def test_commune_officer_sees_own_unit_and_ancestors_not_another_province(world: World) -> None:
    body = world.api(world.officer_a).get("/units").json()
    names = [u["name"] for u in body["items"]]
    assert names == ["Province A", "District A", "Commune A"]
    assert body["count"] == 3


def test_standing_office_sees_its_whole_province(world: World) -> None:
    names = {u["name"] for u in world.api(world.standing).get("/units").json()["items"]}
    assert names == {"Province A", "Committee A", "Department A", "District A", "Commune A"}


def test_unit_filters_parent_and_q(world: World) -> None:
    api = world.api(world.admin)
    by_parent = api.get("/units", parent=world.province_a.pk).json()
    assert {u["name"] for u in by_parent["items"]} == {"Committee A", "Department A", "District A"}
    by_q = api.get("/units", q="commune").json()
    assert {u["name"] for u in by_q["items"]} == {"Commune A", "Commune B"}


def test_closed_units_only_on_request(world: World) -> None:
    closed = make_unit("Old office", parent=world.province_a)
    unit_close(unit=closed, effective_on=dt.date(2024, 1, 1))
    api = world.api(world.admin)
    assert "Old office" not in {u["name"] for u in api.get("/units").json()["items"]}
    listed = api.get("/units", include_closed="true").json()["items"]
    assert any(u["name"] == "Old office" and u["closed_on"] == "2024-01-01" for u in listed)


def test_units_are_paginated_with_a_total(world: World) -> None:
    body = world.api(world.admin).get("/units", limit=2, offset=2).json()
    assert body["count"] == 8
    assert len(body["items"]) == 2
    assert (body["limit"], body["offset"]) == (2, 2)


def test_unit_detail_and_children(world: World) -> None:
    api = world.api(world.officer_a)
    detail = api.get(f"/units/{world.district_a.pk}").json()
    assert detail["name"] == "District A"
    assert detail["parent_id"] == world.province_a.pk
    children = api.get(f"/units/{world.district_a.pk}/children").json()
    assert [u["name"] for u in children["items"]] == ["Commune A"]


def test_a_unit_of_another_province_is_404(world: World) -> None:
    api = world.api(world.officer_a)
    assert api.get(f"/units/{world.commune_b.pk}").status_code == 404
    assert api.get(f"/units/{world.province_b.pk}/children").status_code == 404
    assert api.get(f"/units/{world.province_b.pk + 10_000}").status_code == 404
