from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # A request in Vietnamese leaves Vietnamese active in the thread; tests assert English messages.
    with translation.override("en"):
        yield
