from typing import Any

from django.conf import settings
from django.http import HttpRequest


def tiendo(request: HttpRequest) -> dict[str, Any]:
    return {"TIENDO_DEMO": settings.TIENDO_DEMO}
