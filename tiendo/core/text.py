"""Folding text for search: lower case, no diacritics ("Sở Y tế" and "so y te" are the same).

``fold`` folds text in Python (annex headers and agency names in imports, search terms);
``fold_pattern`` turns a search term into a regular expression that finds it in stored,
unfolded text, on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

import unicodedata


def _fold_slow(text: str) -> str:
    text = unicodedata.normalize("NFD", str(text).lower()).replace("đ", "d")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(text.split())


class _FoldTable(dict[int, str]):
    """Each character's fold, computed on first use (``str.translate`` looks it up).

    Folding character by character equals folding the whole text unless canonical reordering
    moves marks that are kept: the few characters whose decomposition has a combining mark
    other than a non-spacing one map to NUL, which sends the text to the whole-text fold.
    """

    def __missing__(self, code: int) -> str:
        parts = unicodedata.normalize("NFD", chr(code))
        if code == 0 or any(
            unicodedata.combining(c) and unicodedata.category(c) != "Mn" for c in parts
        ):
            value = "\0"
        else:
            value = "".join(c for c in parts if unicodedata.category(c) != "Mn").replace("đ", "d")
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: "Cơ quan  Chủ trì" -> "co quan chu tri"."""
    lowered = str(text).lower()
    if not lowered.isascii():
        folded = lowered.translate(_FOLD_TABLE)
        if "\0" in folded:
            return _fold_slow(text)
        lowered = folded
    return " ".join(lowered.split())


def _letter_variants() -> dict[str, str]:
    """Each plain letter and every Latin letter, either case, that folds to it ("d": "DdĎďĐđ")."""
    variants: dict[str, list[str]] = {}
    for block in (range(0x41, 0x7B), range(0xC0, 0x250), range(0x1E00, 0x1F00)):
        for code in block:
            char = chr(code)
            folded = fold(char)
            if len(folded) == 1 and folded.isascii() and folded.isalpha():
                variants.setdefault(folded, []).append(char)
    return {letter: "".join(chars) for letter, chars in variants.items()}


_VARIANTS = _letter_variants()


def fold_pattern(term: str) -> str:
    """A regular expression matching ``term`` in stored text whatever its accents and case.

    ``fold_pattern("y te")`` matches "Sở Y tế": each letter of the folded term becomes the class
    of the letters that fold to it; anything else is matched literally (escaped, so the pattern
    reads the same in PostgreSQL's regular expressions and Python's, SQLite's ``REGEXP``).
    Searching the raw column this way costs one regular expression per row, about as much as
    ``ILIKE``; folding the column in SQL (``translate`` over the accented letters) cost 50 times
    more on PostgreSQL.
    """
    parts = []
    for char in fold(term):
        if char in _VARIANTS:
            parts.append(f"[{_VARIANTS[char]}]")
        elif char.isalnum():
            parts.append(char)
        else:
            parts.append("\\" + char)
    return "".join(parts)
