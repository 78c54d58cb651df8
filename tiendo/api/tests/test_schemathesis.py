"""Property-based smoke test of the whole API contract with schemathesis, in process (WSGI).

For each operation of this app's routers, generated requests (valid and invalid) must never
get a 5xx, and every answer must be declared in the OpenAPI document and match its schema.
Three rounds per operation (random ids; real ids with valid, then invalid input), each of
``TIENDO_SCHEMATHESIS_EXAMPLES`` examples (default 15).
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

from tiendo.accounts.services import api_token_create

from .helpers import World

EXAMPLES = int(os.environ.get("TIENDO_SCHEMATHESIS_EXAMPLES", "15"))
# The operations of this engineer's routers; other apps' routers are tested by their owners.
OWN_PATHS = (
    r"^/api/v1/(me|units(/\{unit_id\}(/children)?)?|programs(/\{program_id\}(/groups)?)?"
    r"|tasks(/\{task_id\}(/(assign|extensions|hold|progress(/upload)?))?)?"
    r"|evidence/\{evidence_id\})$"
)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def own_operations() -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    # An operation schemathesis cannot read is an error here (``ok()`` raises it).
    results = schema.include(path_regex=OWN_PATHS).get_all_operations()
    return [result.ok() for result in results]  # type: ignore[union-attr]


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    # Django's WSGI handler closes the database connection after each request; that would end
    # the test's transaction (PostgreSQL). Django's test client disconnects it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
def test_api_contract(world: World) -> None:
    # Given the standing office's token: it reaches most write operations, past the 403s
    token = api_token_create(user=world.standing, name="schemathesis")[1]
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "vi"}
    operations = own_operations()
    assert len(operations) == 21
    real_ids = {
        "unit_id": world.commune_a.pk,
        "program_id": world.program_a.pk,
        "task_id": world.task_a.pk,
    }
    # Random ids (mostly 404), then the ids of real records, valid and invalid bodies.
    rounds = [
        (GenerationMode.POSITIVE, False),
        (GenerationMode.POSITIVE, True),
        (GenerationMode.NEGATIVE, True),
    ]
    sent = 0

    for operation in operations:
        for mode, use_real_ids in rounds:
            pinned = {
                p.name: real_ids[p.name]
                for p in operation.path_parameters
                if use_real_ids and p.name in real_ids
            }
            strategy = operation.as_strategy(mode, path_parameters=pinned or None)

            @given(case=strategy)
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
            def run(case: Any) -> None:
                nonlocal sent
                # When a generated request is sent; then no 5xx, and the answer is documented
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS)
                sent += 1

            run()
    print(f"schemathesis: {sent} requests over {len(operations)} operations")
