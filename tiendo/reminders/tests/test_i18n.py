"""The reminders and calendars catalogues: complete, placeholders kept, compiled."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["reminders", "calendars"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalogue(app: str) -> polib.POFile:
    return polib.pofile(str(ROOT / app / "locale" / "vi" / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("app", APPS)
def test_vietnamese_catalogue_is_complete(app: str) -> None:
    catalogue = _catalogue(app)
    assert len(catalogue) > 10
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("app", APPS)
def test_translations_keep_their_placeholders(app: str) -> None:
    for entry in _catalogue(app).translated_entries():
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            assert set(PLACEHOLDER.findall(text)) == wanted, (app, entry.msgid)


@pytest.mark.parametrize("app", APPS)
def test_compiled_catalogue_matches_the_source(app: str) -> None:
    po = _catalogue(app)
    mo = polib.mofile(str(ROOT / app / "locale" / "vi" / "LC_MESSAGES" / "django.mo"))
    compiled = {e.msgid: e.msgstr or e.msgstr_plural for e in mo}
    for entry in po.translated_entries():
        assert entry.msgid in compiled, (app, entry.msgid)
