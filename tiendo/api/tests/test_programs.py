"""Programs and task groups over the API (``tiendo.programs.api``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tiendo.core.models import Classification
from tiendo.programs.models import Program, TaskGroup
from tiendo.programs.tests.factories import make_program

from .helpers import World

pytestmark = pytest.mark.django_db


def program_body(w: World, **overrides: object) -> dict[str, object]:
    body = {
        "code": "dx-2025",
        "name": "Digital transformation plan 2025",
        "owner_unit": w.committee_a.pk,
        "standing_office": w.dept_a.pk,
        "decision_number": "1982/QĐ-UBND",
        "decision_date": "2022-07-29",
        "start_year": 2022,
        "end_year": 2025,
        "vision_year": 2030,
    }
    return {**body, **overrides}


def test_program_list_shows_only_visible_programs(world: World) -> None:
    body = world.api(world.officer_a).get("/programs").json()
    assert [p["code"] for p in body["items"]] == ["pa"]
    assert body["count"] == 1


def test_program_detail_has_legal_basis_and_horizon(world: World) -> None:
    created = world.api(world.standing).post("/programs", program_body(world))
    assert created.status_code == 201, created.content
    body = world.api(world.standing).get(f"/programs/{created.json()['id']}").json()
    assert body["legal_basis"] == "1982/QĐ-UBND, 29/07/2022"
    assert (body["start_year"], body["end_year"], body["vision_year"]) == (2022, 2025, 2030)
    assert body["owner_unit"] == {"id": world.committee_a.pk, "name": "Committee A"}
    assert body["can_manage"] is True
    assert body["version"] == 1


def test_program_of_another_province_is_404(world: World) -> None:
    response = world.api(world.officer_a).get(f"/programs/{world.program_b.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_officer_cannot_create_a_program(world: World) -> None:
    response = world.api(world.officer_a).post(
        "/programs", program_body(world, owner_unit=world.commune_a.pk, standing_office=None)
    )
    assert response.status_code == 403
    assert not Program.objects.filter(code="dx-2025").exists()


def test_program_with_bad_years_is_422_with_field_errors_and_nothing_written(world: World) -> None:
    response = world.api(world.standing).post(
        "/programs", program_body(world, start_year=2025, end_year=2020, code="bad code")
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"code"}
    response = world.api(world.standing).post(
        "/programs", program_body(world, start_year=2025, end_year=2020)
    )
    assert response.status_code == 422
    assert "end year" in response.json()["detail"]
    assert not Program.objects.filter(code="dx-2025").exists()


def test_program_owner_outside_reach_is_a_field_error(world: World) -> None:
    response = world.api(world.standing).post(
        "/programs", program_body(world, owner_unit=world.province_b.pk)
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["owner_unit"]


def test_nobody_classifies_above_their_clearance(world: World) -> None:
    response = world.api(world.standing).post(
        "/programs", program_body(world, classification=Classification.SECRET)
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["classification"]


def test_patch_program_with_version_and_409_when_stale(world: World) -> None:
    api = world.api(world.standing)
    path = f"/programs/{world.program_a.pk}"
    # When the name is changed with the version read
    first = api.patch(path, {"version": 1, "name": "Renamed", "unknown": "ignored"})
    assert first.status_code == 200, first.content
    assert (first.json()["name"], first.json()["version"]) == ("Renamed", 2)
    # Then a second edit based on version 1 is refused, and the first edit stays
    stale = api.patch(path, {"version": 1, "name": "Overwritten"})
    assert stale.status_code == 409
    assert "Someone else changed" in stale.json()["detail"]
    assert Program.objects.get(pk=world.program_a.pk).name == "Renamed"


def test_patch_requires_version(world: World) -> None:
    response = world.api(world.standing).patch(f"/programs/{world.program_a.pk}", {"name": "x"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"version": ["This field is required."]}


def test_officer_cannot_patch_a_program_they_see(world: World) -> None:
    response = world.api(world.officer_a).patch(
        f"/programs/{world.program_a.pk}", {"version": 1, "name": "Mine"}
    )
    assert response.status_code == 403


def test_groups_tree_as_flat_list_with_parent_ids(world: World) -> None:
    api = world.api(world.standing)
    path = f"/programs/{world.program_a.pk}/groups"
    top = api.post(path, {"number": "II", "name": "Digital government"}).json()
    child = api.post(path, {"number": "1", "name": "Public services", "parent": top["id"]})
    assert child.status_code == 201
    groups = api.get(path).json()
    assert [(g["name"], g["parent_id"], g["depth"]) for g in groups] == [
        ("Digital government", None, 0),
        ("Public services", top["id"], 1),
    ]


def test_group_parent_from_another_program_is_refused(world: World) -> None:
    other = make_program(owner=world.committee_a, actor=world.admin)
    foreign = TaskGroup.objects.create(program=other, name="Elsewhere", path="/0/")
    response = world.api(world.standing).post(
        f"/programs/{world.program_a.pk}/groups", {"name": "G", "parent": foreign.pk}
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["parent"]


def test_groups_of_an_invisible_program_are_404(world: World) -> None:
    api = world.api(world.officer_a)
    assert api.get(f"/programs/{world.program_b.pk}/groups").status_code == 404
    assert api.post(f"/programs/{world.program_b.pk}/groups", {"name": "x"}).status_code == 404


def test_program_list_query_count_does_not_grow_with_rows(world: World) -> None:
    api = world.api(world.admin)
    api.get("/programs")  # the token's first use writes last_used_at
    with CaptureQueriesContext(connection) as few:
        api.get("/programs")
    for _ in range(5):
        make_program(owner=world.committee_a, actor=world.admin, standing_office=world.dept_a)
    with CaptureQueriesContext(connection) as many:
        assert api.get("/programs").json()["count"] == 7
    assert len(many) == len(few)
