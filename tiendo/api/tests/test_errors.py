"""One error format everywhere, in the request's language, and never a 500 for bad input."""

from __future__ import annotations

import pytest

from tiendo.programs.models import Task

from .helpers import World, full_task_body

pytestmark = pytest.mark.django_db


def test_malformed_json_is_422_and_writes_nothing(world: World) -> None:
    before = Task.objects.count()
    response = world.api(world.standing).call("post", "/tasks", '{"title": ')
    assert response.status_code == 422
    assert response.json()["detail"] == "The request body is not valid JSON."
    assert Task.objects.count() == before


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "null", "42"])
def test_json_that_is_not_an_object_is_422(world: World, body: str) -> None:
    response = world.api(world.standing).call("post", "/tasks", body)
    assert response.status_code == 422
    assert set(response.json()) == {"detail", "errors"}


def test_field_errors_name_the_fields(world: World) -> None:
    body = full_task_body(world, program="abc", product_quantity="-1", deadline="31/02/2024")
    body.pop("title")
    response = world.api(world.standing).post("/tasks", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["program"] == ["Enter a whole number."]
    assert errors["product_quantity"] == ["Enter a value greater than or equal to 0."]
    assert errors["deadline"] == ["Enter a valid date (YYYY-MM-DD)."]


def test_query_parameter_errors_are_422(world: World) -> None:
    response = world.api(world.officer_a).get("/tasks", limit=0, program="x", status="late")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"limit", "program", "status"}


@pytest.mark.parametrize("path", ["/tasks/0", "/tasks/abc", "/tasks/99999999999999999999999"])
def test_absurd_ids_are_refused_cleanly(world: World, path: str) -> None:
    response = world.api(world.officer_a).get(path)
    assert response.status_code == 422


def test_nul_characters_are_refused_before_the_database(world: World) -> None:
    response = world.api(world.standing).post("/tasks", full_task_body(world, title="a\x00b"))
    assert response.status_code == 422
    assert response.json()["errors"]["title"] == ["Text cannot contain the NUL character."]
    response = world.api(world.officer_a).get("/tasks", q="a\x00b")
    assert response.status_code == 422


def test_huge_offset_is_refused_not_overflowed(world: World) -> None:
    response = world.api(world.officer_a).get("/tasks", offset=10**30)
    assert response.status_code == 422


def test_errors_come_in_vietnamese_when_asked(world: World) -> None:
    api = world.api(world.standing, language="vi")
    response = api.post("/tasks", {"program": world.program_a.pk, "product_quantity": "x"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Một số trường không hợp lệ."
    assert body["errors"]["product_quantity"] == ["Nhập một số."]


def test_service_validation_errors_become_field_errors(world: World) -> None:
    # Given a body whose deadline text is not a completion time
    response = world.api(world.standing).post("/tasks", full_task_body(world, deadline_text="soon"))
    # Then 422 names deadline_text with the parser's explanation
    assert response.status_code == 422
    assert "not a completion time" in response.json()["errors"]["deadline_text"][0]


def test_a_body_over_the_size_limit_is_422_not_500(world: World, settings: object) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # type: ignore[attr-defined]
    body = full_task_body(world, description="x" * 2000)
    response = world.api(world.standing).post("/tasks", body)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("The request is too large.")
