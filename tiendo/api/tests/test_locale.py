"""The API app's Vietnamese catalogue: complete, not fuzzy, placeholders kept."""

from __future__ import annotations

import re
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/vi/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_every_message_is_translated_with_the_same_placeholders() -> None:
    po = polib.pofile(str(CATALOGUE))
    assert len(po) > 40
    assert not po.untranslated_entries()
    assert not po.fuzzy_entries()
    for entry in po:
        assert set(PLACEHOLDER.findall(entry.msgid)) == set(PLACEHOLDER.findall(entry.msgstr))


def test_compiled_catalogue_is_up_to_date() -> None:
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    source = polib.pofile(str(CATALOGUE))
    assert {(e.msgctxt, e.msgid) for e in compiled} >= {(e.msgctxt, e.msgid) for e in source}
