import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiendo.core.deadlines import DeadlineKind
from tiendo.core.text import _fold_slow, fold
from tiendo.imports.parsing import (
    FileFormatError,
    column_letter,
    decode_text,
    extract_quantity,
    field_for_title,
    guess_header,
    parse_deadline_cell,
    read_table,
)

from .annexes import HEADERS, _windows_vietnamese, csv_annex, docx_annex, xlsx_annex


@pytest.mark.parametrize(
    ("title", "field"),
    [
        ("TT", "number"),
        ("STT", "number"),
        ("Số TT", "number"),
        ("Nhiệm vụ", "title"),
        ("Nội dung nhiệm vụ", "title"),
        ("TÊN NHIỆM VỤ", "title"),
        ("Cơ quan chủ trì", "lead"),
        ("Đơn vị chủ trì", "lead"),
        ("Cơ quan chủ trì thực hiện", "lead"),
        ("Co quan phoi hop", "coordinating"),
        ("Đơn vị phối hợp", "coordinating"),
        ("Thời gian hoàn thành", "deadline"),
        ("Thời hạn", "deadline"),
        ("Thời hạn (dự kiến)", "deadline"),
        ("Sản phẩm", "product"),
        ("Sản phẩm dự kiến", "product"),
        ("Kết quả đầu ra", "product"),
        ("Lead agency", "lead"),
        ("Completion time", "deadline"),
        ("Đơn vị tính", "unit_of_measure"),
    ],
)
def test_column_titles_in_their_various_wordings_name_fields(title, field):
    # given a column title as agencies write it / when read / then the field is recognised
    assert field_for_title(title)[0] == field


def test_the_header_row_is_found_below_the_title_and_mapped():
    # given an annex with a merged title row, a blank row, the header and "(1) (2) ..."
    table = read_table(xlsx_annex([("1", "Task", "Sở Nội vụ", "", "2024", "")]), "a.xlsx")
    # when the header is guessed
    row, titles, mapping = guess_header(table.rows)
    # then it is row 3 and every column is mapped
    assert row == 3
    assert titles[0] == "TT"
    assert mapping == {
        "number": 0,
        "title": 1,
        "lead": 2,
        "coordinating": 3,
        "deadline": 4,
        "product": 5,
    }


def test_a_vertically_merged_agency_reaches_every_row_it_covers_and_group_rows_stay_single():
    # given a lead agency merged down three task rows and a group merged across
    rows = [
        ("I. Nhóm một",),
        ("1", "A", "Sở Nội vụ", "", "2024", ""),
        ("2", "B", None, "", "2024", ""),
        ("3", "C", None, "", "2024", ""),
    ]
    content = xlsx_annex(rows, vertical_merges=[(3, 2, 4)])
    # when read
    table = read_table(content, "a.xlsx")
    data = [cells for n, cells in table.rows if n > 4]
    # then the agency is on each task row and the group row keeps one value
    assert [cells[2] for cells in data[1:]] == ["Sở Nội vụ"] * 3
    assert [c for c in data[0] if c] == ["I. Nhóm một"]


def test_sheets_are_listed_and_a_named_sheet_is_read():
    # given a workbook with a guide sheet after the annex
    content = xlsx_annex([("1", "A", "", "", "", "")], extra_sheets=["Hướng dẫn"])
    # when read by name / then that sheet is returned and both are listed
    table = read_table(content, "a.xlsx", "Hướng dẫn")
    assert table.sheet == "Hướng dẫn"
    assert table.sheets == ["Phụ lục", "Hướng dẫn"]
    with pytest.raises(FileFormatError, match="no sheet named"):
        read_table(content, "a.xlsx", "Sheet9")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_cp1258(encoding):
    # given the same CSV saved in three encodings
    content = csv_annex(
        [("1", "Số hoá hồ sơ", "Sở Nội vụ", "", "Quý II/2024", "")], encoding=encoding
    )
    # when read
    table = read_table(content, "annex.csv")
    # then the Vietnamese text is intact (NFC) and the header is the first row
    assert table.rows[0][1][:2] == ["TT", "Nội dung nhiệm vụ"]
    assert table.rows[1][1][1] == "Số hoá hồ sơ"
    assert table.rows[1][1][4] == "Quý II/2024"


def test_csv_with_semicolons_is_read():
    content = csv_annex([("1", "A; B", "Sở Nội vụ", "", "2024", "")], delimiter=";")
    table = read_table(content, "annex.csv")
    assert table.rows[1][1][2] == "Sở Nội vụ"


def test_cp1258_text_comes_back_composed():
    # given text as Windows writes it in cp1258 (tones as combining marks)
    raw = _windows_vietnamese("Thường xuyên, Quý II").encode("cp1258")
    # when decoded / then it equals the composed (NFC) text
    assert decode_text(raw) == "Thường xuyên, Quý II"


def test_word_annex_table_is_found_and_its_merged_group_row_kept_once():
    # given a decision with a small signature table and the annex table
    content = docx_annex(
        [("I. Chính quyền số", "", "", "", "", ""), ("1", "A", "Sở Nội vụ", "", "2024", "")]
    )
    # when read
    table = read_table(content, "qd.docx")
    # then the annex table is chosen and the merged heading appears once
    assert table.sheet == "Table 2"
    assert [c for c in table.rows[1][1] if c] == ["I. Chính quyền số"]
    assert table.rows[2][1][:3] == ["1", "A", "Sở Nội vụ"]


def test_other_files_are_refused_with_a_clear_message():
    with pytest.raises(FileFormatError, match="not supported"):
        read_table(b"%PDF-1.7", "plan.pdf")
    with pytest.raises(FileFormatError, match="damaged"):
        read_table(b"PK\x03\x04broken", "plan.xlsx")


@pytest.mark.parametrize(
    ("value", "kind", "due"),
    [
        ("30/6/2024", DeadlineKind.DATE, dt.date(2024, 6, 30)),
        ("Tháng 6/2024", DeadlineKind.MONTH, dt.date(2024, 6, 30)),
        ("Quý II/2024", DeadlineKind.QUARTER, dt.date(2024, 6, 30)),
        ("Năm 2024", DeadlineKind.YEAR, dt.date(2024, 12, 31)),
        ("2024-2025", DeadlineKind.YEAR, dt.date(2025, 12, 31)),
        ("Quý II năm 2024", DeadlineKind.QUARTER, dt.date(2024, 6, 30)),
        # forms the core parser does not read yet, read by the import's wrapper
        ("Tháng 6 năm 2024", DeadlineKind.MONTH, dt.date(2024, 6, 30)),
        ("Trước 30/6/2024", DeadlineKind.DATE, dt.date(2024, 6, 30)),
        ("Trong năm 2024", DeadlineKind.YEAR, dt.date(2024, 12, 31)),
        ("Quý II, 2024", DeadlineKind.QUARTER, dt.date(2024, 6, 30)),
        (dt.datetime(2024, 9, 15), DeadlineKind.DATE, dt.date(2024, 9, 15)),
        (2025, DeadlineKind.YEAR, dt.date(2025, 12, 31)),
    ],
)
def test_completion_times_in_mixed_forms(value, kind, due):
    deadline = parse_deadline_cell(value)
    assert (deadline.kind, deadline.due) == (kind, due)


@pytest.mark.parametrize("value", ["Thường xuyên", "Thường xuyên, hằng năm", "Hàng năm"])
def test_ongoing_forms(value):
    assert parse_deadline_cell(value).kind == DeadlineKind.ONGOING


def test_blank_completion_time_is_none_and_nonsense_is_a_readable_error():
    assert parse_deadline_cell(None) is None
    assert parse_deadline_cell("  ") is None
    with pytest.raises(ValueError, match="not a completion time"):
        parse_deadline_cell("sớm nhất có thể")


@pytest.mark.parametrize(
    ("product", "quantity", "unit"),
    [
        ("53 dịch vụ công", Decimal(53), "dịch vụ"),
        ("53 dịch vụ công trực tuyến toàn trình", Decimal(53), "dịch vụ"),
        ("01 hệ thống thông tin", Decimal(1), "hệ thống"),
        ("100% hồ sơ được số hoá", Decimal(100), "%"),
        ("Đào tạo 2.000 người", Decimal(2000), "người"),
        ("Tối thiểu 2,5 km cáp quang", Decimal("2.5"), "km"),
        ("12 hội nghị", Decimal(12), "hội"),
        ("Kế hoạch được ban hành", None, ""),
        ("Nghị định 13/2023", None, ""),
        ("2024/QĐ-UBND", None, ""),
        ("", None, ""),
    ],
)
def test_quantities_are_read_from_product_text_only_when_obvious(product, quantity, unit):
    assert extract_quantity(product) == (quantity, unit)


@given(
    st.integers(min_value=0, max_value=999), st.sampled_from(["dịch vụ", "hệ thống", "người", "%"])
)
def test_any_leading_count_with_a_measure_word_is_extracted(n, measure):
    # property: "<n> <measure> ..." always gives n and the measure word
    text = f"{n}{measure} được cung cấp" if measure == "%" else f"{n} {measure} được cung cấp"
    assert extract_quantity(text) == (Decimal(n), measure)


@given(st.integers(min_value=0, max_value=10_000))
def test_column_letters_are_spreadsheet_names(index):
    letters = column_letter(index)
    value = 0
    for ch in letters:
        value = value * 26 + ord(ch) - 64
    assert value - 1 == index


def test_headers_constant_is_the_annex_layout():
    assert HEADERS[0] == "TT"


def test_word_cells_merged_down_give_their_text_to_each_row():
    import io

    import docx

    # given a Word annex where one lead agency is merged down two task rows
    document = docx.Document()
    table = document.add_table(rows=3, cols=len(HEADERS))
    for i, title in enumerate(HEADERS):
        table.cell(0, i).text = title
    for r, (number, task) in enumerate((("1", "A"), ("2", "B")), start=1):
        table.cell(r, 0).text, table.cell(r, 1).text = number, task
    table.cell(1, 2).merge(table.cell(2, 2)).text = "Sở Nội vụ"
    buffer = io.BytesIO()
    document.save(buffer)
    # when read / then both rows carry the agency
    rows = read_table(buffer.getvalue(), "qd.docx").rows
    assert [cells[2] for _n, cells in rows[1:]] == ["Sở Nội vụ", "Sở Nội vụ"]


# fold reads each character through a cached table; it must equal the whole-text fold.
_VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"


@given(st.text())
def test_fold_equals_the_whole_text_fold_for_any_text(text):
    assert fold(text) == _fold_slow(text)


@given(
    st.text(
        alphabet=st.sampled_from(
            _VIETNAMESE + _VIETNAMESE.upper() + " ,.()\u0301\u0303\u0323\U0001d165\u302e\u0000"
        )
    )
)
def test_fold_equals_the_whole_text_fold_for_vietnamese_and_combining_marks(text):
    assert fold(text) == _fold_slow(text)


@pytest.mark.parametrize("make", [xlsx_annex, csv_annex, docx_annex])
def test_a_limited_read_stops_at_the_row_asked_for(make):
    # given an annex of 40 tasks (title, header, column numbers, then the tasks)
    rows = [(str(i), f"Nhiệm vụ {i}", "Sở Nội vụ", "", "2025", "") for i in range(1, 41)]
    content = make(rows)
    name = {xlsx_annex: "a.xlsx", csv_annex: "a.csv", docx_annex: "a.docx"}[make]
    whole = read_table(content, name)
    # when read up to row 10 / then the same first 10 rows, nothing after
    head = read_table(content, name, limit=10)
    assert head.rows == [(n, cells) for n, cells in whole.rows if n <= 10]
    assert len(head.rows) == 10 < len(whole.rows)
