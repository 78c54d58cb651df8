"""The appraisals catalogue: complete, placeholders kept, compiled, and used by the pages."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse

from .world import build_world

APP = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalogue() -> polib.POFile:
    return polib.pofile(str(APP / "locale" / "vi" / "LC_MESSAGES" / "django.po"))


def test_vietnamese_catalogue_is_complete_and_keeps_placeholders() -> None:
    catalogue = _catalogue()
    assert len(catalogue) > 100
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    for entry in catalogue.translated_entries():
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            assert set(PLACEHOLDER.findall(text)) == wanted, entry.msgid


def test_compiled_catalogue_matches_the_source() -> None:
    mo = polib.mofile(str(APP / "locale" / "vi" / "LC_MESSAGES" / "django.mo"))
    compiled = {e.msgid for e in mo}
    assert {e.msgid for e in _catalogue().translated_entries()} <= compiled


@pytest.mark.django_db
def test_the_board_speaks_vietnamese() -> None:
    w = build_world()
    client = Client(headers={"accept-language": "vi"})
    client.force_login(w.office)
    page = client.get(reverse("appraisals:board")).content.decode()
    assert "Thẩm định dự án" in page
    assert "Tiến độ theo cơ quan" in page
