"""Annex files as agencies write them, made in memory for tests and the benchmark."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

HEADERS = (
    "TT",
    "Nội dung nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian hoàn thành",
    "Sản phẩm dự kiến",
)


def xlsx_annex(
    rows: Iterable[Sequence[Any]],
    *,
    headers: Sequence[str] = HEADERS,
    title: str = "PHỤ LỤC: DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2024",
    column_numbers: bool = True,
    merge_groups: bool = True,
    vertical_merges: Sequence[tuple[int, int, int]] = (),
    sheet: str = "Phụ lục",
    extra_sheets: Sequence[str] = (),
) -> bytes:
    """A workbook with a title, the header, "(1) (2) ..." and the rows.

    A row whose first cell is a Roman numeral is a group heading: merged across the table when
    ``merge_groups``. ``vertical_merges`` are (column, first row, last row) with 1-based numbers
    counted in data rows (1 = the first data row).
    """
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    width = len(headers)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append([])
    ws.append(list(headers))
    if column_numbers:
        ws.append([f"({i})" for i in range(1, width + 1)])
    first = ws.max_row + 1
    for row in rows:
        ws.append(list(row))
        values = [v for v in row if v not in (None, "")]
        if merge_groups and len(values) == 1 and str(row[0]).split(".")[0] in _ROMANS:
            ws.merge_cells(
                start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width
            )
    for column, top, bottom in vertical_merges:
        ws.merge_cells(
            start_row=first + top - 1,
            start_column=column,
            end_row=first + bottom - 1,
            end_column=column,
        )
    for name in extra_sheets:
        book.create_sheet(name).append(["Hướng dẫn"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_ROMANS = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}


def csv_annex(
    rows: Iterable[Sequence[Any]], *, encoding: str = "utf-8", delimiter: str = ","
) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    text = buffer.getvalue()
    if encoding == "cp1258":
        text = _windows_vietnamese(text)
    return text.encode(encoding)


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _windows_vietnamese(text: str) -> str:
    """cp1258 has "ô", "ơ", "ă"... but writes tones as combining marks after the letter."""
    import unicodedata

    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in parts[1:] if m in _TONES)
        others = "".join(m for m in parts[1:] if m not in _TONES)
        out.append(unicodedata.normalize("NFC", parts[0] + others) + tones)
    return "".join(out)


def docx_annex(rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS) -> bytes:
    """A Word decision with a paragraph, an unrelated small table, then the annex table."""
    import docx

    document = docx.Document()
    document.add_paragraph("QUYẾT ĐỊNH Ban hành Kế hoạch chuyển đổi số năm 2024")
    signature = document.add_table(rows=1, cols=2)
    signature.cell(0, 0).text = "Nơi nhận"
    signature.cell(0, 1).text = "CHỦ TỊCH"
    table = document.add_table(rows=1, cols=len(headers))
    for i, title in enumerate(headers):
        table.cell(0, i).text = title
    for row in rows:
        cells = table.add_row().cells
        values = [v for v in row if v not in (None, "")]
        if len(values) == 1 and str(row[0]).split(".")[0] in _ROMANS:
            merged = cells[0].merge(cells[len(headers) - 1])
            merged.text = str(row[0])
            continue
        for i, value in enumerate(row):
            cells[i].text = "" if value is None else str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def big_annex(count: int, *, agencies: Sequence[str], groups: int = 10) -> bytes:
    """``count`` tasks in ``groups`` groups, written in streaming mode (for 100,000 rows)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet("Phụ lục")
    ws.append(list(HEADERS))
    per_group = max(1, count // groups)
    forms = (
        "30/6/2025",
        "Tháng 9/2025",
        "Quý IV/2025",
        "Năm 2026",
        "Thường xuyên",
        dt.date(2025, 12, 31),
    )
    romans = [_roman(i) for i in range(1, groups + 2)]
    written = 0
    group = 0
    while written < count:
        if written % per_group == 0 and group < len(romans):
            ws.append([f"{romans[group]}. Nhóm nhiệm vụ {group + 1}"])
            group += 1
        written += 1
        ws.append(
            [
                str(written),
                f"Nhiệm vụ số {written}: số hoá hồ sơ thủ tục hành chính",
                agencies[written % len(agencies)],
                agencies[(written + 1) % len(agencies)],
                forms[written % len(forms)],
                f"{written % 90 + 1} dịch vụ công trực tuyến",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _roman(n: int) -> str:
    numerals = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out
