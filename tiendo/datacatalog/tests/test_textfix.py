"""textfix: the TCVN3 and VNI tables round-trip the whole alphabet; detection flags legacy text
and never ordinary Vietnamese, English or Arabic; repair gives NFC; SQL and Python agree."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiendo.datacatalog import textfix
from tiendo.datacatalog.textfix import TextForm

ALPHABET = textfix.vietnamese_letters()
MOTTO = "Cộng hoà xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc"

# Real syllables, both tone placements (hoà/hòa), names and common words of official texts.
WORDS = [
    "Cộng",
    "hoà",
    "hòa",
    "hoá",
    "hóa",
    "xã",
    "hội",
    "chủ",
    "nghĩa",
    "Việt",
    "Nam",
    "Độc",
    "lập",
    "Tự",
    "do",
    "Hạnh",
    "phúc",
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Văn",
    "Thị",
    "Minh",
    "Tuấn",
    "Hương",
    "Thuý",
    "Thúy",
    "Quyết",
    "Khoẻ",
    "khỏe",
    "Xuân",
    "Tuân",
    "hoãn",
    "Ngọc",
    "Yến",
    "Ánh",
    "Ân",
    "Ơn",
    "Ưu",
    "người",
    "đường",
    "nước",
    "quốc",
    "gia",
    "tỉnh",
    "huyện",
    "xã",
    "phường",
    "thị",
    "trấn",
    "Sở",
    "Thông",
    "tin",
    "Truyền",
    "thông",
    "cơ",
    "sở",
    "dữ",
    "liệu",
    "chuyên",
    "ngành",
    "dân",
    "cư",
    "đất",
    "đai",
    "doanh",
    "nghiệp",
    "trường",
    "học",
    "bệnh",
    "viện",
    "chuyển",
    "đổi",
    "số",
    "khuyến",
    "khích",
    "thuê",
    "uỷ",
    "ủy",
    "ban",
    "nhân",
    "dân",
    "HOÀ",
    "HÒA",
    "NGUYỄN",
    "VIỆT",
    "NAM",
    "ĐƯỜNG",
    "ỨNG",
    "DỤNG",
    "Ỷ",
    "Ỵ",
    "ỹ",
    "ỳ",
    "ửa",
    "ữa",
    "ựa",
    "ướt",
    "ợi",
    "ởi",
    "ỡi",
    "ờ",
    "ớ",
]

vietnamese_text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
english_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80)
arabic_text = st.text(
    alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), max_size=40
)
punctuation = st.sampled_from(
    ["", ", ", ". ", " - ", " (", ") ", ": ", "; ", " «", "» ", " © ", "® ", " 5°C ", "¹ ", " £5 "]
)


def test_the_alphabet_has_134_letters() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 134
    assert all(unicodedata.is_normalized("NFC", c) and len(c) == 1 for c in ALPHABET)


@pytest.mark.parametrize("separator", ["", " "])
def test_tcvn3_round_trips_the_alphabet(separator: str) -> None:
    text = separator.join(ALPHABET)
    assert textfix.decode_tcvn3(textfix.encode_tcvn3(text)) == text
    assert textfix.from_tcvn3(textfix.to_tcvn3(text)) == text


@pytest.mark.parametrize("separator", ["", " "])
def test_vni_round_trips_the_alphabet(separator: str) -> None:
    text = separator.join(ALPHABET)
    assert textfix.decode_vni(textfix.encode_vni(text)) == text
    assert textfix.from_vni(textfix.to_vni(text)) == text


@pytest.mark.skipif(shutil.which("iconv") is None, reason="glibc iconv not installed")
def test_tcvn3_table_agrees_with_glibc_tcvn5712_1() -> None:
    # An independent copy of the published table: glibc's TCVN5712-1 charmap.
    text = "".join(ALPHABET)
    glibc = subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"],
        input=text.encode(),
        capture_output=True,
        check=True,
    )
    assert glibc.stdout == textfix.encode_tcvn3(text)
    for byte, letter in textfix.TCVN3_BYTES.items():
        back = subprocess.run(
            ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"],
            input=bytes([byte]),
            capture_output=True,
            check=True,
        )
        assert back.stdout.decode() == letter, hex(byte)


def test_known_legacy_strings_decode() -> None:
    # As these strings appear in old exports read as Windows-1252.
    assert (
        textfix.from_tcvn3("Céng hoµ x· héi chñ nghÜa ViÖt Nam")
        == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    )
    assert textfix.from_tcvn3("§éc lËp - Tù do - H¹nh phóc") == "Độc lập - Tự do - Hạnh phúc"
    assert (
        textfix.from_vni("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM")
        == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    assert textfix.from_vni("Nguyeãn Vaên Ñöôøng") == "Nguyễn Văn Đường"


@pytest.mark.parametrize(
    ("text", "form"),
    [
        (textfix.to_tcvn3(MOTTO), TextForm.TCVN3),
        (textfix.to_vni(MOTTO), TextForm.VNI),
        (unicodedata.normalize("NFD", MOTTO), TextForm.NFD),
        ("Nguyễn Văn " + unicodedata.normalize("NFD", "Đường"), TextForm.NFD),  # mixed forms
        ("Lª V¨n B×nh", TextForm.TCVN3),
        ("Leâ Vaên Bình", TextForm.VNI),
        ("Chuû tòch", TextForm.VNI),  # "uû" alone, no TCVN3 sign
        ("Uû ban nh©n d©n", TextForm.TCVN3),
        ("Chñ tÞch Uû ban", TextForm.TCVN3),
        (MOTTO, None),
    ],
)
def test_detect_and_repair(text: str, form: str | None) -> None:
    assert textfix.detect(text) == form
    repaired = textfix.repair(text)
    assert unicodedata.is_normalized("NFC", repaired)
    assert textfix.detect(repaired) is None


@given(
    st.lists(st.one_of(vietnamese_text, english_text, arabic_text, punctuation), max_size=6).map(
        lambda parts: unicodedata.normalize("NFC", "".join(parts))  # text as stored: composed
    )
)
@settings(max_examples=400)
def test_ordinary_text_is_never_flagged(text: str) -> None:
    assert textfix.detect(text) is None
    assert textfix.repair(text) == text


@given(vietnamese_text)
def test_legacy_forms_of_vietnamese_round_trip(text: str) -> None:
    assert textfix.from_tcvn3(textfix.to_tcvn3(text)) == text
    assert textfix.from_vni(textfix.to_vni(text)) == text
    assert textfix.repair(unicodedata.normalize("NFD", text)) == text


def _vn3(text: str) -> str:
    # TCVN3 data is VN3 (ABC fonts): no codes for toned capitals, typed as small letters.
    return "".join(
        c.lower() if ord(c) > 0x7F and c.lower() != c and c not in "ĂÂÊÔƠƯĐ" else c for c in text
    )


@given(vietnamese_text)
def test_tcvn3_text_never_looks_like_vni_and_both_repair_exactly(text: str) -> None:
    # VNI is tested first (its marks are TCVN3 characters), so this is what keeps TCVN3 safe.
    tcvn = textfix.to_tcvn3(_vn3(text))
    assert not re.search(textfix.VNI_PATTERN, tcvn)
    assert textfix.repair(tcvn, TextForm.TCVN3) == _vn3(text)
    assert textfix.repair(textfix.to_vni(text), TextForm.VNI) == text


@pytest.mark.parametrize(
    ("text", "form", "meant"),
    [
        # Known ambiguities, decided the documented way (module docstring):
        ("cö", TextForm.TCVN3, "VNI cư = TCVN3 cử: no VNI pair, TCVN3 wins"),
        ("Uû", TextForm.VNI, "VNI Ủ = TCVN3 Uỷ: left to VNI (chuû = chủ is commoner)"),
        ("Hoà", None, "o + à is Unicode hoà, never VNI hồ"),
    ],
)
def test_known_ambiguities(text: str, form: str | None, meant: str) -> None:
    assert textfix.detect(text) == form, meant


def test_sql_detection_and_normalisation_agree_with_python() -> None:
    samples = [
        MOTTO,
        textfix.to_tcvn3(MOTTO),
        textfix.to_vni(MOTTO),
        unicodedata.normalize("NFD", MOTTO),
        "  Nguyễn   Văn\tĐường ",
        "Tiendo® «Hà Nội» 25°C",
        "مرحبا بالعالم",
    ]
    con = duckdb.connect()
    textfix.register_duckdb(con)
    for text in samples:
        row = con.execute(
            f"SELECT {textfix.detect_sql('$t', 'nfd')}, {textfix.detect_sql('$t', 'tcvn3')}, "
            f"{textfix.detect_sql('$t', 'vni')}, {textfix.normalise_name_sql('$t')}, tiendo_repair($t)",
            {"t": text},
        ).fetchone()
        assert row is not None
        form = textfix.detect(text)
        assert row[0] == (not unicodedata.is_normalized("NFC", text))
        assert row[1] == (form == TextForm.TCVN3)
        assert row[2] == (form == TextForm.VNI)
        assert row[3] == textfix.normalise_name(text)
        assert row[4] == textfix.repair(text)


def test_normalise_name() -> None:
    assert textfix.normalise_name("  Nguyễn   Văn\tĐường ") == "nguyen van duong"
    assert textfix.normalise_name(unicodedata.normalize("NFD", "Trần Thị Thuý")) == "tran thi thuy"


_MIX = (
    "aeiouyAEIOUY cnghtđĐ"
    + "".join(textfix.TCVN3_BYTES.values())
    + "".join(chr(c) for c in range(0xA1, 0x100))
)
_CON = duckdb.connect()


@given(st.lists(st.text(alphabet=_MIX, max_size=12), min_size=1, max_size=20))
@settings(max_examples=150, deadline=None)
def test_duckdb_and_python_detect_alike_on_any_text(texts: list[str]) -> None:
    # RE2 (DuckDB) and Python's re must read the shared patterns the same way.
    forms = (TextForm.NFD, TextForm.TCVN3, TextForm.VNI)
    sql = ", ".join(textfix.detect_sql("t", form) for form in forms)
    rows = _CON.execute(f"SELECT {sql} FROM unnest($texts) AS u(t)", {"texts": texts}).fetchall()  # noqa: S608
    assert [tuple(textfix.detect(t) == form for form in forms) for t in texts] == rows
