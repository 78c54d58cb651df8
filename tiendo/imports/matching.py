"""Agencies written in free text matched to units of the organisation tree.

"Sở Thông tin và Truyền thông; UBND các huyện, thị xã" becomes one department and every district
under the program's owner. Names are compared without accents or case, with and without the
usual prefixes ("Sở", "UBND", "Ban"), against both the unit's name and its short name. A name
that matches no unit, or several, is reported for the user to resolve; nothing is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from tiendo.core.fields import in_subtree
from tiendo.core.text import fold
from tiendo.orgs.models import Unit, UnitKind
from tiendo.programs.models import Program

# Plural collectives expanded to every open unit of these kinds under the program's owner.
# ``None`` marks vague phrases ("các cơ quan liên quan") that name no unit: they are noted, not
# matched and not asked about.
_COLLECTIVES: tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...] = (
    (
        re.compile(
            r"(?:ubnd|uy ban nhan dan)?\s*(?:cac|cap)\s+huyen(?:\s*,\s*(?:thi xa|thanh pho|quan|thi xa va thanh pho)"
            r"|\s+va\s+(?:thi xa|thanh pho))*(?:\s+thuoc tinh|\s+tren dia ban tinh)?"
        ),
        (UnitKind.DISTRICT,),
    ),
    (
        re.compile(
            r"(?:ubnd|uy ban nhan dan)?\s*(?:cac|cap)\s+xa(?:\s*,\s*(?:phuong|thi tran)|\s+va\s+(?:phuong|thi tran))*"
        ),
        (UnitKind.COMMUNE,),
    ),
    (
        re.compile(
            r"cac\s+so(?:\s*,\s*(?:ban|nganh|co quan)|\s+va\s+(?:ban|nganh))*"
            r"(?:\s+(?:tinh|lien quan|cua tinh|thuoc ubnd tinh))?"
        ),
        (UnitKind.DEPARTMENT, UnitKind.AGENCY),
    ),
    (re.compile(r"cac\s+(?:bo|bo\s*,\s*nganh)(?:\s+lien quan)?"), (UnitKind.MINISTRY,)),
    (
        re.compile(
            r"cac\s+(?:co quan|don vi|to chuc|doanh nghiep|dia phuong|ca nhan)"
            r"(?:\s*,\s*(?:don vi|to chuc|dia phuong|doanh nghiep|ca nhan))*"
            r"(?:\s+(?:lien quan|co lien quan|tren dia ban))?"
        ),
        None,
    ),
)
_SPLIT = re.compile(r"\s*[;\n+]\s*")
_PREFIXES = ("uy ban nhan dan ", "ubnd ", "so ", "ban ", "bo ", "cuc ", "chi cuc ")
_ABBREVIATIONS = (
    (re.compile(r"\buy ban nhan dan\b"), "ubnd"),
    (re.compile(r"\btt\s*&\s*tt\b|\btt-tt\b|\btttt\b"), "thong tin va truyen thong"),
    (re.compile(r"\bkh\s*&\s*cn\b|\bkhcn\b"), "khoa hoc va cong nghe"),
    (re.compile(r"\bkh\s*&\s*dt\b|\bkhdt\b"), "ke hoach va dau tu"),
    (re.compile(r"\bgd\s*&\s*dt\b|\bgddt\b"), "giao duc va dao tao"),
    (re.compile(r"\s*&\s*"), " va "),
)


def normalise(name: str) -> str:
    """Folded, with official abbreviations spelled out and punctuation removed."""
    text = fold(name)
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def strip_prefix(key: str) -> str:
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


@dataclass
class AgencyMatch:
    """What one agency cell names: units found, names to resolve, phrases that name nobody."""

    units: list[Unit] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[Unit]] = field(default_factory=dict)
    vague: list[str] = field(default_factory=list)
    collectives: list[str] = field(default_factory=list)


def matching_root(program: Program) -> Unit:
    """The unit under which names are looked up.

    A program owned by a steering committee names the departments and districts of the province
    the committee sits in, which are the committee's siblings: so look from its parent.
    """
    owner = program.owner_unit
    if owner.kind == UnitKind.COMMITTEE and owner.parent is not None:
        return owner.parent
    return owner


class UnitMatcher:
    """Matches agency texts for one program; loads the candidate units once, caches by text."""

    def __init__(self, program: Program, resolutions: dict[str, list[int]] | None = None) -> None:
        root = matching_root(program)
        units = list(
            Unit.objects.filter(in_subtree("path", root.path), closed_on__isnull=True)
            .select_related("parent")
            .order_by("path")
        )
        self.units_by_id = {u.pk: u for u in units}
        self._exact: dict[str, set[int]] = defaultdict(set)
        self._stripped: dict[str, set[int]] = defaultdict(set)
        for unit in units:
            for label in (unit.name, unit.short_name):
                if not label:
                    continue
                key = normalise(label)
                self._exact[key].add(unit.pk)
                self._stripped[strip_prefix(key)].add(unit.pk)
        self._by_kind: dict[str, list[Unit]] = defaultdict(list)
        for unit in units:
            if unit.pk != root.pk:
                self._by_kind[unit.kind].append(unit)
        # The user's answers from the review step: normalised name -> unit ids ([] = none).
        self.resolutions = {normalise(k): v for k, v in (resolutions or {}).items()}
        self._cache: dict[str, AgencyMatch] = {}

    def resolution_units(self, key: str) -> list[Unit] | None:
        ids = self.resolutions.get(key)
        if ids is None:
            return None
        return [self.units_by_id[i] for i in ids if i in self.units_by_id]

    def match_name(self, name: str) -> tuple[list[Unit], bool]:
        """Units named by one name, and whether the name is settled (False: ask the user)."""
        key = normalise(name)
        resolved = self.resolution_units(key)
        if resolved is not None:
            return resolved, True
        ids = self._exact.get(key) or self._stripped.get(strip_prefix(key)) or set()
        if not ids:
            # "Sở Nội vụ tỉnh" or "Sở Nội vụ (chủ trì)": try without a trailing qualifier.
            shorter = re.sub(r"\s+(?:tinh|thanh pho|chu tri|lien quan)$", "", strip_prefix(key))
            ids = self._stripped.get(shorter, set())
        units = [self.units_by_id[i] for i in sorted(ids)]
        return units, len(units) == 1

    def match(self, text: str) -> AgencyMatch:
        if text in self._cache:
            return self._cache[text]
        result = AgencyMatch()
        # Collectives are found in a folded copy of the same length, so the names left over and
        # the phrases noted keep the spelling of the file.
        original = unicodedata.normalize("NFC", text)
        folded = _fold_same_length(original)
        chars = list(original)
        for pattern, kinds in _COLLECTIVES:
            for found in pattern.finditer(folded):
                start, end = found.span()
                while start < end and folded[start] == " ":
                    start += 1
                if start >= end:
                    continue
                phrase = original[start:end].strip()
                if kinds is None:
                    result.vague.append(phrase)
                else:
                    result.collectives.append(phrase)
                    for kind in kinds:
                        result.units.extend(self._by_kind.get(kind, []))
                chars[start:end] = [";"] * (end - start)
            folded = "".join(
                ";" if r == ";" and o != ";" else f
                for f, r, o in zip(folded, chars, original, strict=True)
            )
        remaining = "".join(chars)
        for segment in _SPLIT.split(remaining):
            self._match_segment(segment, result)
        result.units = list({u.pk: u for u in result.units}.values())  # once each, in order
        self._cache[text] = result
        return result

    def _match_segment(self, segment: str, result: AgencyMatch) -> None:
        """Names are split on commas only when the whole does not name a unit.

        Unit names contain "và" and sometimes commas ("Sở Lao động, Thương binh và Xã hội"), so
        the longest run of parts that names a unit wins.
        """
        parts = [p.strip(" .:-()") for p in segment.split(",")]
        parts = [p for p in parts if len(p) >= 2]
        i = 0
        while i < len(parts):
            for j in range(len(parts), i, -1):
                name = " ".join(parts[i:j])
                units, settled = self.match_name(name)
                if (settled and units) or (j == i + 1):
                    break
            if not (settled and units) and j == i + 1:
                name = parts[i]
                pieces = [p.strip() for p in re.split(r"\bva\b", name) if p.strip()]
                found = [self.match_name(p) for p in pieces] if len(pieces) > 1 else []
                if found and all(ok and us for us, ok in found):
                    for us, _ok in found:
                        result.units.extend(us)
                    i = j
                    continue
            if settled:
                result.units.extend(units)
            elif units:
                result.ambiguous[name] = units
            else:
                result.unmatched.append(name)
            i = j


def _fold_same_length(text: str) -> str:
    """``fold`` character by character: position i of the result is position i of ``text``."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append(ch)
            continue
        if ch.isspace():
            out.append(" ")
            continue
        base = fold(ch)
        out.append(base if len(base) == 1 else ch)
    return "".join(out)
