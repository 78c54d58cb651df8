"""One demo seed for the whole package, rolled back at the end so other apps' tests see an
empty database. Each test runs in a savepoint inside that transaction (pytest-django)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from tiendo.demo.seed import SeedResult, seed


@pytest.fixture(scope="package")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[SeedResult]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield seed()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
