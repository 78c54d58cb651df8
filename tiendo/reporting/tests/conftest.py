from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Pages requested in Vietnamese leave the thread's language set; start each test in English."""
    with translation.override("en"):
        yield
