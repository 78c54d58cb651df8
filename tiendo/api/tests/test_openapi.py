"""The OpenAPI document: it generates, lists every operation, declares every error answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from ninja.openapi.schema import OpenAPISchema

from tiendo.api.api import api

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/units"),
    ("get", "/api/v1/units/{unit_id}"),
    ("get", "/api/v1/units/{unit_id}/children"),
    ("get", "/api/v1/programs"),
    ("post", "/api/v1/programs"),
    ("get", "/api/v1/programs/{program_id}"),
    ("patch", "/api/v1/programs/{program_id}"),
    ("get", "/api/v1/programs/{program_id}/groups"),
    ("post", "/api/v1/programs/{program_id}/groups"),
    ("get", "/api/v1/tasks"),
    ("post", "/api/v1/tasks"),
    ("get", "/api/v1/tasks/{task_id}"),
    ("patch", "/api/v1/tasks/{task_id}"),
    ("post", "/api/v1/tasks/{task_id}/assign"),
    ("post", "/api/v1/tasks/{task_id}/extensions"),
    ("post", "/api/v1/tasks/{task_id}/hold"),
    ("get", "/api/v1/tasks/{task_id}/progress"),
    ("post", "/api/v1/tasks/{task_id}/progress"),
    ("post", "/api/v1/tasks/{task_id}/progress/upload"),
    ("get", "/api/v1/evidence/{evidence_id}"),
}


def test_openapi_lists_every_operation_with_its_errors() -> None:
    # When the document is fetched, without authentication
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    found = {(m, p) for p, ops in paths.items() for m in ops}
    # Then every operation of the task list is there (other apps may add more)
    assert found >= OPERATIONS
    for method, path in OPERATIONS:
        declared = set(paths[path][method]["responses"])
        assert {"401", "403", "404", "409", "422"} <= declared, (method, path)
        assert paths[path][method]["security"], (method, path)


def test_input_schemas_leave_out_fields_callers_may_not_set() -> None:
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("TaskIn", "TaskPatch"):
        fields = set(schemas[name]["properties"])
        assert not fields & {"assigned_at", "completed_on", "hold_state", "latest_percent"}
    assert "version" not in schemas["TaskIn"]["properties"]


def test_docs_page_is_served_without_internet() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn." not in response.content


def test_no_two_schemas_share_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    # django-ninja names components by class name and silently keeps the last one, so two
    # routers' different ``UnitOut`` classes would make the document lie about one of them.
    seen: dict[str, Any] = {}
    clashes: set[str] = set()
    original = OpenAPISchema.add_schema_definitions

    def record(self: OpenAPISchema, definitions: dict) -> None:
        for name, definition in definitions.items():
            if name in seen and seen[name] != definition:
                clashes.add(name)
            seen.setdefault(name, definition)
        original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", record)
    api.get_openapi_schema()
    assert not clashes, f"schemas with one name and different shapes: {sorted(clashes)}"
