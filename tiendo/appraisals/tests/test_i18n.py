"""The appraisal pages speak Vietnamese (catalogue completeness: tiendo/core/tests/test_i18n.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from .world import build_world

APP = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.mark.django_db
def test_the_board_speaks_vietnamese() -> None:
    w = build_world()
    client = Client(headers={"accept-language": "vi"})
    client.force_login(w.office)
    page = client.get(reverse("appraisals:board")).content.decode()
    assert "Thẩm định dự án" in page
    assert "Tiến độ theo cơ quan" in page
