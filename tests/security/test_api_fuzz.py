"""Schemathesis over EVERY operation of the API, authenticated, in process (WSGI).

The API engineer's ``tiendo/api/tests/test_schemathesis.py`` covers the first 21 operations;
this run covers all of them (dashboards, imports, indexing, reminders, reporting too), on the
authorization world: no 5xx, and every answer declared in the OpenAPI document and valid
against it. Three rounds per operation (random ids; real ids with valid, then invalid input),
``TIENDO_FUZZ_EXAMPLES`` examples each (default 6); the count of requests is printed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tiendo.api.api import api

from .cases import API_PARAMS, fill
from .world import World

EXAMPLES = int(os.environ.get("TIENDO_FUZZ_EXAMPLES", "6"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    # Django's WSGI handler closes the connection after each request, which would end the
    # transaction that holds the world (as in the API engineer's schemathesis test).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def real_id(path: str, name: str, ids: dict[str, Any]) -> Any:
    if name == "period_id":
        return ids["ix_period" if "/index/" in path else "period"]
    if name == "unit_id" and "/explain/" in path:
        return ids["province"]
    return fill(API_PARAMS[name], ids)


def fuzz(strategy: Any, headers: dict[str, str]) -> int:
    """Send ``EXAMPLES`` generated requests; each must pass every check. Returns how many."""
    sent = 0

    @given(case=strategy)
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        nonlocal sent
        # When a generated request is sent; then no 5xx, and the answer is documented
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)
        sent += 1

    run()
    return sent


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
def test_every_operation_survives_generated_requests(world: World) -> None:
    # Given the standing office (the program's writer) and, for the index, the committee chair
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    documented = sum(len(methods) for methods in api.get_openapi_schema()["paths"].values())
    assert len(operations) == documented
    rounds = [
        (GenerationMode.POSITIVE, False),
        (GenerationMode.POSITIVE, True),
        (GenerationMode.NEGATIVE, True),
    ]
    sent = 0

    for operation in operations:
        who = "index_chair" if "/index/" in operation.path else "standing_office"
        headers = {"Authorization": f"Bearer {world.tokens[who]}", "Accept-Language": "vi"}
        for mode, use_real_ids in rounds:
            pinned = {
                p.name: real_id(operation.path, p.name, world.ids)
                for p in operation.path_parameters
                if use_real_ids
            }
            strategy = operation.as_strategy(mode, path_parameters=pinned or None)
            sent += fuzz(strategy, headers)
    print(f"schemathesis: {sent} requests over {len(operations)} operations")
