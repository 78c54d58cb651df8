"""Helpers of the API tests: a client with a token, the world the ``world`` fixture builds.

The world: two provinces, their units, people with tokens, tasks.

Province A: committee (owns program A), department (standing office of A), district > commune.
Province B: department > commune, with its own program and task.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.test import Client

from tiendo.accounts.models import User
from tiendo.accounts.services import api_token_create
from tiendo.orgs.models import Unit
from tiendo.programs.models import Program, Task


class Api:
    """An HTTP client speaking to /api/v1/ with one user's token."""

    def __init__(self, user: User | None, language: str = "en") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {"Accept-Language": language}
        if user is not None:
            _, secret = api_token_create(user=user, name="tests")
            self.headers["Authorization"] = f"Bearer {secret}"

    def call(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        url = f"/api/v1{path}"
        send = getattr(self.client, method)
        if method in ("get", "delete"):
            return send(url, query, headers=self.headers)
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return send(url, data, content_type="application/json", headers=self.headers)

    def get(self, path: str, **query: Any) -> Any:
        return self.call("get", path, **query)

    def post(self, path: str, body: Any = None) -> Any:
        return self.call("post", path, body if body is not None else {})

    def patch(self, path: str, body: Any = None) -> Any:
        return self.call("patch", path, body if body is not None else {})


@dataclass
class World:
    admin: User
    province_a: Unit
    committee_a: Unit
    dept_a: Unit
    district_a: Unit
    commune_a: Unit
    province_b: Unit
    commune_b: Unit
    standing: User  # standing office of program A
    officer_a: User  # commune A officer
    officer_b: User  # commune B officer
    program_a: Program
    program_b: Program
    task_a: Task  # led by commune A
    task_b: Task  # led by commune B

    def api(self, user: User | None, language: str = "en") -> Api:
        return Api(user, language)


def full_task_body(w: World, **overrides: Any) -> dict[str, Any]:
    """A POST /tasks body with the five clears complete."""
    body = {
        "program": w.program_a.pk,
        "title": "Digitise land records",
        "lead_unit": w.commune_a.pk,
        "assignee": w.officer_a.pk,
        "accountable_leader": w.officer_a.pk,
        "deadline_text": "Quý II/2031",
        "product": "Land records database",
        "product_quantity": "1200",
        "product_unit": "records",
    }
    return {**body, **overrides}
