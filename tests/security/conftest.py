"""The authorization world, built once per test module inside a transaction rolled back at its end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation

from .world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    # One world for the hundreds of requests of a module: building it takes seconds. Each test
    # still runs in its own savepoint (``django_db``), so writes of one test never reach the next.
    with django_db_blocker.unblock(), translation.override("en"), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
