"""Vietnamese text repair: Unicode forms (NFC/NFD) and the legacy encodings TCVN3 and VNI.

Old provincial systems typed Vietnamese with 8-bit fonts. When their files are read as
Windows-1252 (what a CSV export or a database copy usually does), the text arrives as
mojibake: TCVN3 ``Céng hoµ x· héi chñ nghÜa ViÖt Nam``, VNI ``Coäng hoøa xaõ hoäi chuû
nghóa Vieät Nam``. This module detects and repairs both, and text in decomposed form (NFD).

Tables (built here from the published layouts, no third-party code):

- **TCVN3**: TCVN 5712:1993 "VN1", the full 8-bit table (all 134 letters). Its subset VN3,
  what the ABC fonts (.VnTime) use, has the 67 small letters and the 7 capital base letters;
  capital toned letters were typed as small-letter codes in a capital font (.VnTimeH), so in
  such data they decode to small letters: the font, not the byte, carried the capital.
  The table is checked byte for byte against glibc's ``TCVN5712-1`` charmap in the tests.
- **VNI (Windows)**: a base letter followed by a mark character (``a`` + ``ù`` = ``á``,
  ``a`` + ``ê`` = ``ă``, ``o`` + ``ä`` = ``ộ``), plus single characters for ơ (ô), ư (ö),
  đ (ñ), ỵ (î) and the toned i's (í ì æ ó ò).

Detection is two regular expressions (``TCVN3_PATTERN``, ``VNI_PATTERN``) that work the same
in Python's ``re`` and in DuckDB's RE2 (``regexp_matches``), so the quality engine runs them
over millions of rows in SQL. They look only at characters and pairs that never occur in
Vietnamese written in Unicode (nor in English or Arabic), so ordinary text is never flagged;
the price is that a very short legacy string made only of ambiguous letters (TCVN3 ``cã``)
is not detected, and that a VNI string whose only sign is ``ö`` at a word's end (``cö`` = cư)
reads as TCVN3 (``cö`` = cử): with no pair, the bytes do not say which it is. Known false positives outside Vietnamese/English/Arabic: French ``où``,
``naïf`` (VNI pairs) and a micro sign after a letter (``5µm``, TCVN3 ``à``).
"""

from __future__ import annotations

import re
import unicodedata

# --- the Vietnamese alphabet --------------------------------------------------------------

_TONES = {
    "acute": "\u0301",
    "grave": "\u0300",
    "hook": "\u0309",
    "tilde": "\u0303",
    "dot": "\u0323",
}
_BASES = {  # small base letter -> (plain letter, combining marks)
    "a": "a",
    "ă": "a\u0306",
    "â": "a\u0302",
    "e": "e",
    "ê": "e\u0302",
    "i": "i",
    "o": "o",
    "ô": "o\u0302",
    "ơ": "o\u031b",
    "u": "u",
    "ư": "u\u031b",
    "y": "y",
}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def vietnamese_letters() -> list[str]:
    """The 134 precomposed Vietnamese letters (67 small, 67 capital): toned vowels, ă â ê ô ơ ư, đ."""
    small = ["đ"] + [b for b in _BASES if b not in "aeiouy"]
    for decomposed in _BASES.values():
        small += [_nfc(decomposed + mark) for mark in _TONES.values()]
    assert len(small) == 67
    return small + [c.upper() for c in small]


VIETNAMESE_LETTERS = frozenset(vietnamese_letters())

# --- TCVN3 (TCVN 5712:1993, VN1 layout) ----------------------------------------------------

# Bytes 0x80-0xFF in order; "-" marks a byte that is not a letter (0xA0 space, 0xB0-0xB4 are
# combining marks in VN1, not used by VN3 fonts and not produced here).
_TCVN_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x80-0x9f: capital toned letters (VN1 only)
    "-ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xa0-0xaf
    "-----àảãáạẲằẳẵắẴ"  # 0xb0-0xbf
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xc0-0xcf
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xd0-0xdf
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xe0-0xef
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xf0-0xff
)
# Capital toned letters that VN1 places on control codes.
_TCVN_LOW = {
    0x01: "Ú",
    0x02: "Ụ",
    0x04: "Ừ",
    0x05: "Ử",
    0x06: "Ữ",
    0x11: "Ứ",
    0x12: "Ự",
    0x13: "Ỳ",
    0x14: "Ỷ",
    0x15: "Ỹ",
    0x16: "Ý",
    0x17: "Ỵ",
}
TCVN3_BYTES: dict[int, str] = dict(_TCVN_LOW)
TCVN3_BYTES.update({0x80 + i: c for i, c in enumerate(_TCVN_HIGH) if c != "-"})
_LETTER_TO_TCVN = {c: b for b, c in TCVN3_BYTES.items()}
assert len(_LETTER_TO_TCVN) == 134 == len(TCVN3_BYTES)


def _cp1252(byte: int) -> str:
    """How a byte shows when the file is read as Windows-1252 (undefined bytes: as Latin-1)."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


# Mojibake character -> letter. Both readings of 0x80-0x9f are accepted (cp1252 and Latin-1).
_TCVN_CHAR_TO_LETTER: dict[str, str] = {}
for _b, _c in TCVN3_BYTES.items():
    _TCVN_CHAR_TO_LETTER[_cp1252(_b)] = _c
    _TCVN_CHAR_TO_LETTER[chr(_b)] = _c
_TCVN_DECODE = str.maketrans(_TCVN_CHAR_TO_LETTER)
_TCVN_ENCODE = str.maketrans({c: _cp1252(b) for c, b in _LETTER_TO_TCVN.items()})


def encode_tcvn3(text: str) -> bytes:
    """Vietnamese text -> TCVN3 bytes (other characters must be ASCII)."""
    out = bytearray()
    for ch in _nfc(text):
        if ch in _LETTER_TO_TCVN:
            out.append(_LETTER_TO_TCVN[ch])
        elif ord(ch) < 0x80 and ord(ch) not in _TCVN_LOW:
            out.append(ord(ch))
        else:
            raise ValueError(f"{ch!r} has no TCVN3 code")
    return bytes(out)


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 bytes -> Unicode (NFC)."""
    return "".join(TCVN3_BYTES.get(b, chr(b)) for b in data)


def to_tcvn3(text: str) -> str:
    """Vietnamese text -> the mojibake a TCVN3 file shows when read as Windows-1252."""
    return _nfc(text).translate(_TCVN_ENCODE)


def from_tcvn3(text: str) -> str:
    """Repair TCVN3 mojibake (read as Windows-1252 or Latin-1) into Unicode NFC."""
    return text.translate(_TCVN_DECODE)


# --- VNI (Windows) -------------------------------------------------------------------------

_VNI_TONE = {"acute": "ù", "grave": "ø", "hook": "û", "tilde": "õ", "dot": "ï"}
_VNI_CIRCUMFLEX = {None: "â", "acute": "á", "grave": "à", "hook": "å", "tilde": "ã", "dot": "ä"}
_VNI_BREVE = {None: "ê", "acute": "é", "grave": "è", "hook": "ú", "tilde": "ü", "dot": "ë"}
_VNI_I = {"acute": "í", "grave": "ì", "hook": "æ", "tilde": "ó", "dot": "ò"}


def _vni_small() -> dict[str, str]:
    table: dict[str, str] = {
        "đ": "ñ",
        "ơ": "ô",
        "ư": "ö",
        "ă": "aê",
        "â": "aâ",
        "ê": "eâ",
        "ô": "oâ",
    }
    for tone, mark in _TONES.items():
        for base in "aeouy":
            table[_nfc(base + mark)] = base + _VNI_TONE[tone]
        for base in "aeo":  # â ê ô with a tone
            table[_nfc(base + "\u0302" + mark)] = base + _VNI_CIRCUMFLEX[tone]
        table[_nfc("a\u0306" + mark)] = "a" + _VNI_BREVE[tone]
        table[_nfc("o\u031b" + mark)] = "ô" + _VNI_TONE[tone]
        table[_nfc("u\u031b" + mark)] = "ö" + _VNI_TONE[tone]
        table[_nfc("i" + mark)] = _VNI_I[tone]
    table["ỵ"] = "î"  # ỵ is a single character in VNI, not y + ï
    return table


_LETTER_TO_VNI_SMALL = _vni_small()
LETTER_TO_VNI: dict[str, str] = dict(_LETTER_TO_VNI_SMALL)
LETTER_TO_VNI.update({k.upper(): v.upper() for k, v in _LETTER_TO_VNI_SMALL.items()})
assert len(LETTER_TO_VNI) == 134
assert set(LETTER_TO_VNI) == VIETNAMESE_LETTERS
_VNI_TO_LETTER = {v: k for k, v in LETTER_TO_VNI.items()}
_VNI_PAIRS = {k: v for k, v in _VNI_TO_LETTER.items() if len(k) == 2}
_VNI_SINGLES = {k: v for k, v in _VNI_TO_LETTER.items() if len(k) == 1}


def to_vni(text: str) -> str:
    """Vietnamese text -> the mojibake a VNI-Windows file shows when read as Windows-1252."""
    return "".join(LETTER_TO_VNI.get(ch, ch) for ch in _nfc(text))


def encode_vni(text: str) -> bytes:
    """Vietnamese text -> VNI-Windows bytes."""
    return to_vni(text).encode("cp1252")


def from_vni(text: str) -> str:
    """Repair VNI mojibake into Unicode NFC (base letter + mark pairs first, then singles)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _VNI_PAIRS:
            out.append(_VNI_PAIRS[pair])
            i += 2
            continue
        out.append(_VNI_SINGLES.get(text[i], text[i]))
        i += 1
    return "".join(out)


def decode_vni(data: bytes) -> str:
    return from_vni(data.decode("cp1252"))


# --- detection -----------------------------------------------------------------------------


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


# TCVN3 mojibake characters (VN3 bytes 0xa1-0xfe as Windows-1252) that are not Vietnamese
# letters: their presence inside or at the end of a Latin word is the sign of TCVN3.
_VN3_CHARS = {_cp1252(b) for b in range(0xA1, 0xFF) if b in TCVN3_BYTES}
_TCVN_MARKS = {c for c in _VN3_CHARS if c not in VIETNAMESE_LETTERS}
# Symbols that also follow a word in ordinary text (Tiendo®, «Hà», x¹ as a footnote) count
# only inside a word (TCVN3 c«ng = công); a word may start with Đ/đ and the letters ă â ê ô ơ ư.
_TCVN_END = _TCVN_MARKS - set("®©«»¹²³°±¼½¾º")
_TCVN_START = {
    _cp1252(b) for b in (0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAC, 0xAD, 0xAE)
}
_TCVN_START -= {"©"}
# "uû" is left to VNI (chuû = chủ, cuûa = của, far more common than TCVN3 uỷ; see below).
TCVN3_PATTERN = (
    f"[A-Za-z]{_char_class(_TCVN_MARKS - {'û'})}[A-Za-z]"
    f"|[A-Za-z]{_char_class(_TCVN_END - {'û'})}(?:[^A-Za-z]|$)"
    "|[A-TV-Za-tv-z]û"
    f"|(?:^|[^A-Za-z]){_char_class(_TCVN_START)}[a-z]"
)
# VNI: a vowel followed by a VNI mark character of the same case (VNI writes a capital with a
# capital mark; TCVN3 puts small letters on capital Latin-1 codes, e.g. ế = Õ, so mixed-case
# pairs would catch TCVN3). Pairs that Unicode Vietnamese can contain (o + à/á/ã as in "hoà",
# "hoá", "hoãn") are left out, and so is Y + Õ (VNI Ỹ, rare; TCVN3 "YÕn" is Yến). "öô" is the
# VNI ươ (Döông = Dương), which has no tone pair of its own.
# "uû" (VNI ủ, as in chuû) is also TCVN3 "uỷ" (uỷ ban): it counts only when nothing else in the
# string is TCVN3, so a lone TCVN3 "uû ban" is repaired as VNI ("ủ ban"): a known ambiguity.
VNI_PATTERN = (
    "[aeo][âåä]|[ae][áàã]|a[êéèúüë]|[aeoyôö][ùøûõï]|u[ùøõï]|öô"
    "|[AEO][ÂÅÄ]|[AE][ÁÀÃ]|A[ÊÉÈÚÜË]|[AEOUÔÖ][ÙØÛÕÏ]|Y[ÙØÛÏ]|ÖÔ"
)
VNI_WEAK_PATTERN = "[uU]û"
_TCVN_RE = re.compile(TCVN3_PATTERN)
_VNI_RE = re.compile(VNI_PATTERN)
_VNI_WEAK_RE = re.compile(VNI_WEAK_PATTERN)


class TextForm:
    NFD = "nfd"  # Unicode, but not in composed form (NFD or a mix of forms)
    TCVN3 = "tcvn3"
    VNI = "vni"


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def detect(text: str) -> str | None:
    """The problem with ``text``: ``TextForm.VNI``/``TCVN3``/``NFD``, or None if it is fine.

    VNI is tested first: its mark characters (ä ø ö ñ ...) are also TCVN3 characters, while
    TCVN3 text practically never forms a VNI vowel + mark pair. ``detect_sql`` is the same rule.
    """
    if _VNI_RE.search(text):
        return TextForm.VNI
    if _TCVN_RE.search(text):
        return TextForm.TCVN3
    if _VNI_WEAK_RE.search(text):
        return TextForm.VNI
    if not is_nfc(text):
        return TextForm.NFD
    return None


def repair(text: str, form: str | None = None) -> str:
    """Repaired text in Unicode NFC. ``form``: the detected problem (detected here if None)."""
    form = form or detect(text)
    if form == TextForm.TCVN3:
        return _nfc(from_tcvn3(text))
    if form == TextForm.VNI:
        return _nfc(from_vni(_nfc(text)))
    return _nfc(text)


# --- names, for near-duplicate checks --------------------------------------------------------

_SPACES = re.compile(r"[ \t\n\r\f]+")


def normalise_name(text: str) -> str:
    """NFC, lower case, diacritics stripped (đ -> d), spaces collapsed: "Nguyễn  Văn" -> "nguyen van".

    ``normalise_name_sql`` computes the same thing in DuckDB.
    """
    lowered = _nfc(text).lower()
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", lowered) if not unicodedata.combining(c)
    )
    return _SPACES.sub(" ", stripped.replace("đ", "d")).strip(" ")


def sql_literal(text: str) -> str:
    """A SQL string literal of a constant of this module (never of user input)."""
    return "'" + text.replace("'", "''") + "'"


def normalise_name_sql(expression: str) -> str:
    """DuckDB expression equal to ``normalise_name`` of the VARCHAR ``expression``.

    ``strip_accents`` decomposes by itself, so no NFC step is needed; the costly global
    ``regexp_replace`` only runs on the few values that have a run of white space.
    """
    inner = f"replace(strip_accents(lower({expression})), 'đ', 'd')"
    spaces = sql_literal(_SPACES.pattern)
    runs = sql_literal("[\t\n\r\f]|  ")
    return (
        f"trim(CASE WHEN regexp_matches({inner}, {runs}) "
        f"THEN regexp_replace({inner}, {spaces}, ' ', 'g') ELSE {inner} END)"
    )


def flag_sql(expression: str) -> dict[str, str]:
    """The four per-row facts ``detect`` combines, as DuckDB expressions over ``expression``:
    ``vni``, ``tcvn3``, ``weak`` (the ambiguous VNI "uû"), ``not_nfc``. Computing them once per
    row and combining them with ``combine_sql`` saves evaluating each regex several times."""
    return {
        "vni": f"regexp_matches({expression}, {sql_literal(VNI_PATTERN)})",
        "tcvn3": f"regexp_matches({expression}, {sql_literal(TCVN3_PATTERN)})",
        "weak": f"regexp_matches({expression}, {sql_literal(VNI_WEAK_PATTERN)})",
        "not_nfc": f"({expression} <> nfc_normalize({expression}))",
    }


def combine_sql(form: str, flags: dict[str, str]) -> str:
    """DuckDB boolean: ``detect`` gives ``form``, from the facts named in ``flags``."""
    vni, tcvn, weak, not_nfc = flags["vni"], flags["tcvn3"], flags["weak"], flags["not_nfc"]
    if form == TextForm.VNI:
        return f"({vni} OR ({weak} AND NOT {tcvn}))"
    if form == TextForm.TCVN3:
        return f"({tcvn} AND NOT {vni})"
    return f"({not_nfc} AND NOT {tcvn} AND NOT {vni} AND NOT {weak})"


def detect_sql(expression: str, form: str) -> str:
    """DuckDB boolean expression: ``detect`` of the VARCHAR ``expression`` is ``form``."""
    return combine_sql(form, flag_sql(expression))


def register_duckdb(connection: object) -> None:
    """Register ``tiendo_repair(text)`` (this module's ``repair``) as a DuckDB scalar function."""
    import duckdb

    assert isinstance(connection, duckdb.DuckDBPyConnection)

    def _repair(text: str) -> str:
        return repair(text)

    connection.create_function("tiendo_repair", _repair, ["VARCHAR"], "VARCHAR")
