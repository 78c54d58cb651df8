"""Reading annex tables from XLSX, CSV and DOCX files into plain rows, and reading their cells.

Start here: ``read_table(content, filename, sheet)`` returns a ``RawTable`` (rows of cell values
with their spreadsheet row numbers); ``guess_header`` finds the header row and guesses which
column holds which field; ``parse_deadline_cell`` and ``extract_quantity`` read single cells.

Merged cells are read as agencies write them: a range merged across one row (a group header such
as "I. Chính quyền số" spread over the whole table) keeps its value in its first cell only, while
a range merged down several rows (one lead agency for three tasks) gives its value to every row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiendo.core.deadlines import Deadline, DeadlineKind, parse_deadline
from tiendo.core.text import fold


class FileFormatError(ValueError):
    """The file cannot be read at all (wrong type, damaged, no table)."""


# Fields of an annex row, in the order of the annex layout.
FIELDS: dict[str, Any] = {
    "number": gettext_lazy("No."),
    "title": gettext_lazy("Task"),
    "lead": gettext_lazy("Lead agency"),
    "coordinating": gettext_lazy("Coordinating agencies"),
    "deadline": gettext_lazy("Completion time"),
    "product": gettext_lazy("Product"),
    "quantity": gettext_lazy("Quantity"),
    "unit_of_measure": gettext_lazy("Unit of measure"),
    "description": gettext_lazy("Notes"),
}
REQUIRED_FIELDS = ("number", "title")

# Folded column titles seen in real annexes. Exact titles win over titles that merely contain one.
_ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("tt", "stt", "so tt", "so thu tu", "no", "no.", "number", "#"),
    "title": (
        "nhiem vu",
        "noi dung nhiem vu",
        "ten nhiem vu",
        "noi dung",
        "ten nhiem vu, du an",
        "nhiem vu, giai phap",
        "task",
        "tasks",
        "title",
    ),
    "lead": (
        "co quan chu tri",
        "don vi chu tri",
        "chu tri",
        "co quan, don vi chu tri",
        "lead agency",
        "lead unit",
        "lead",
    ),
    "coordinating": (
        "co quan phoi hop",
        "don vi phoi hop",
        "phoi hop",
        "co quan, don vi phoi hop",
        "coordinating agencies",
        "coordinating units",
        "coordination",
    ),
    "deadline": (
        "thoi gian hoan thanh",
        "thoi han",
        "thoi han hoan thanh",
        "thoi gian thuc hien",
        "tien do",
        "tien do hoan thanh",
        "completion time",
        "deadline",
        "due",
    ),
    "product": (
        "san pham",
        "san pham du kien",
        "ket qua dau ra",
        "san pham dau ra",
        "ket qua",
        "product",
        "expected product",
        "output",
    ),
    "quantity": ("so luong", "quantity", "chi tieu"),
    "unit_of_measure": ("don vi tinh", "dvt", "unit of measure"),
    "description": ("ghi chu", "notes", "note", "mo ta", "description"),
}
# Words that identify a field when a title is longer than any alias ("Cơ quan chủ trì thực hiện").
_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("phoi hop", "coordinating"),
    ("chu tri", "lead"),
    ("don vi tinh", "unit_of_measure"),
    ("so luong", "quantity"),
    ("san pham", "product"),
    ("dau ra", "product"),
    ("thoi gian", "deadline"),
    ("thoi han", "deadline"),
    ("nhiem vu", "title"),
    ("noi dung", "title"),
    ("ghi chu", "description"),
)


def clean(value: Any) -> str:
    """A cell as text: NFC (CSV in cp1258 decomposes accents), trimmed, inner spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    return " ".join(text.replace("\xa0", " ").split())


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how spreadsheets name columns in error messages."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class RawTable:
    """The cells of one sheet or table; ``rows`` keep their 1-based row number in the file."""

    rows: list[tuple[int, list[Any]]]
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)


# Reading files ------------------------------------------------------------------------------


def detect_format(filename: str, content: bytes) -> str:
    name = filename.lower()
    if content[:2] == b"PK":
        if name.endswith(".docx"):
            return "docx"
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as exc:
            raise FileFormatError(_("The file is damaged: it cannot be opened.")) from exc
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise FileFormatError(
        _(
            "This file type is not supported. Upload an Excel workbook (.xlsx), a CSV file or a Word document (.docx)."
        )
    )


# The rows the upload and the column step need (header guess, column list, sample rows): a
# 100,000-row file is read whole only by the preview.
HEAD_ROWS = 200


def read_table(
    content: bytes, filename: str, sheet: str | None = None, *, limit: int | None = None
) -> RawTable:
    """The rows of a sheet or table; ``limit``: only rows numbered up to it (stops reading)."""
    kind = detect_format(filename, content)
    if kind == "xlsx":
        return _read_xlsx(content, sheet, limit)
    if kind == "docx":
        table = _read_docx(content, sheet)
        if limit is not None:
            table.rows = [(n, cells) for n, cells in table.rows if n <= limit]
        return table
    return _read_csv(content, limit)


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM) first; Vietnamese Windows (cp1258) for older exports."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise FileFormatError(
                _("The text encoding of this file is not recognised; save it as CSV UTF-8.")
            ) from exc
    return unicodedata.normalize("NFC", text)


def _read_csv(content: bytes, limit: int | None = None) -> RawTable:
    text = decode_text(content)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = enumerate(csv.reader(io.StringIO(text), dialect), start=1)
    rows = [(n, list(r)) for n, r in itertools.islice(reader, limit)]
    return RawTable(rows=rows, sheet="", sheets=[])


_MERGE_REF = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


def _read_xlsx(content: bytes, sheet: str | None, limit: int | None = None) -> RawTable:
    from openpyxl import load_workbook

    try:
        # Read-only mode streams rows (a 100,000-row plan fits in memory); it does not report
        # merged ranges, so those are read from the sheet's XML below.
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise FileFormatError(_("The file is damaged: it cannot be opened.")) from exc
    try:
        names = list(book.sheetnames)
        if sheet and sheet not in names:
            raise FileFormatError(
                _("The workbook has no sheet named “%(sheet)s”. Sheets: %(sheets)s.")
                % {"sheet": sheet, "sheets": ", ".join(names)}
            )
        ws = book[sheet or names[0]]
        rows: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if limit is not None and number > limit:
                break
            rows.append((number, list(values)))
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xml = archive.read(ws._worksheet_path.lstrip("/"))
    finally:
        book.close()
    _spread_merged(rows, _MERGE_REF.findall(xml))
    return RawTable(rows=rows, sheet=ws.title, sheets=names)


def _spread_merged(rows: list[tuple[int, list[Any]]], merges: list[tuple[bytes, ...]]) -> None:
    """Give a vertically merged value to each row it covers (see the module docstring)."""
    by_number = dict(rows)
    for c1, r1, _c2, r2 in merges:
        top, bottom = int(r1), int(r2)
        if bottom == top:
            continue
        col = _column_index(c1)
        first = by_number.get(top)
        if first is None or col >= len(first):
            continue
        for number in range(top + 1, bottom + 1):
            cells = by_number.get(number)
            if cells is None:
                continue
            while len(cells) <= col:
                cells.append(None)
            cells[col] = first[col]


def _read_docx(content: bytes, table: str | None) -> RawTable:
    import docx

    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as exc:
        raise FileFormatError(_("The file is damaged: it cannot be opened.")) from exc
    tables = document.tables
    if not tables:
        raise FileFormatError(_("The document has no table."))
    names = [_("Table %(number)s") % {"number": i} for i in range(1, len(tables) + 1)]
    if table:
        if table not in names:
            raise FileFormatError(
                _("The document has no table named “%(sheet)s”. Tables: %(sheets)s.")
                % {"sheet": table, "sheets": ", ".join(names)}
            )
        chosen = names.index(table)
    else:
        # The annex is the table whose header row names the most fields.
        scores = [len(guess_header(_docx_rows(t))[2]) for t in tables]
        chosen = max(range(len(tables)), key=lambda i: scores[i])
    return RawTable(rows=_docx_rows(tables[chosen]), sheet=names[chosen], sheets=names)


def _docx_rows(table: Any) -> list[tuple[int, list[Any]]]:
    rows: list[tuple[int, list[Any]]] = []
    for number, row in enumerate(table.rows, start=1):
        values: list[Any] = [None] * row.grid_cols_before
        previous = None
        for cell in row.cells:
            # A horizontal span repeats the same cell: keep its text in the first position only.
            values.append(None if previous is not None and cell._tc is previous else cell.text)
            previous = cell._tc
        rows.append((number, values))
    return rows


# Header and mapping -------------------------------------------------------------------------


_FIELD_OF_ALIAS: dict[str, str] = {}
for _name, _aliases in _ALIASES.items():
    for _alias in _aliases:
        _FIELD_OF_ALIAS.setdefault(_alias, _name)
_PARENTHESES = re.compile(r"\s*\(.*?\)\s*")


def _title_key(title: str) -> str:
    folded = fold(title).strip(" .:*")
    if "(" in folded:
        folded = _PARENTHESES.sub(" ", folded).strip()  # "Thời hạn (dự kiến)"
    return folded


def is_exact_title(title: str) -> bool:
    """Whether a cell is exactly a column title of some field (``field_for_title`` scores 2)."""
    return _title_key(title) in _FIELD_OF_ALIAS


def field_for_title(title: str) -> tuple[str | None, int]:
    """The field a column title names, with a score (2 exact, 1 keyword, 0 none)."""
    folded = _title_key(title)
    if folded in _FIELD_OF_ALIAS:
        return _FIELD_OF_ALIAS[folded], 2
    for keyword, name in _KEYWORDS:
        if keyword in folded:
            return name, 1
    return None, 0


def guess_header(
    rows: list[tuple[int, list[Any]]], scan: int = 30
) -> tuple[int | None, list[str], dict[str, int]]:
    """The header row (1-based number), its titles and a guessed mapping field -> column index."""
    best: tuple[int, int | None, list[str], dict[str, int]] = (0, None, [], {})
    for number, cells in rows[:scan]:
        titles = [clean(c) for c in cells]
        mapping: dict[str, int] = {}
        scores: dict[str, int] = {}
        total = 0
        for index, title in enumerate(titles):
            if not title or len(title) > 80:
                continue
            name, score = field_for_title(title)
            if name and score > scores.get(name, 0):
                mapping[name], scores[name] = index, score
        total = sum(scores.values())
        if total > best[0]:
            best = (total, number, titles, mapping)
    if best[0] < 3:  # a single recognised word is not a header
        return None, [], {}
    return best[1], best[2], best[3]


# Cells --------------------------------------------------------------------------------------

_LEADING_WORDS = re.compile(r"^(?:truoc|trong|den|chay nhat|cham nhat|hoan thanh|truoc ngay)\s+")
_MONTH_OF_YEAR = re.compile(r"^thang\s*(\d{1,2})\s*(?:nam|,)\s*(\d{4})$")
_QUARTER_OF_YEAR = re.compile(r"^(quy\s*(?:iv|iii|ii|i|[1-4]))\s*,\s*(?:nam\s*)?(\d{4})$")


def parse_deadline_cell(value: Any) -> Deadline | None:
    """A completion-time cell: None when blank; ``ValueError`` (readable) when not understood.

    Wraps ``tiendo.core.deadlines.parse_deadline`` with the wordings it does not accept yet
    ("Tháng 6 năm 2024", "Trước 30/6/2024", "Quý II, 2024", "Thường xuyên, hằng năm") and with
    the cell types spreadsheets use (dates, and years typed as numbers).
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return Deadline(DeadlineKind.DATE, value.date())
    if isinstance(value, dt.date):
        return Deadline(DeadlineKind.DATE, value)
    if isinstance(value, int | float) and not isinstance(value, bool) and 1900 < value < 2200:
        return Deadline(DeadlineKind.YEAR, dt.date(int(value), 12, 31))
    text = clean(value)
    if not text:
        return None
    try:
        return parse_deadline(text)
    except ValueError:
        folded = _LEADING_WORDS.sub("", fold(text))
        if folded.startswith("thuong xuyen"):
            return Deadline(DeadlineKind.ONGOING, None)
        if (m := _MONTH_OF_YEAR.match(folded)) or (m := _QUARTER_OF_YEAR.match(folded)):
            folded = f"{m[1]}/{m[2]}"
        try:
            return parse_deadline(folded)
        except ValueError:
            pass
        raise


# Measure words after a number in a product: the longest match wins ("dịch vụ công" -> "dịch vụ").
_MEASURES = sorted(
    (
        "dịch vụ",
        "thủ tục",
        "hệ thống",
        "cơ sở dữ liệu",
        "phần mềm",
        "ứng dụng",
        "văn bản",
        "báo cáo",
        "kế hoạch",
        "đề án",
        "mô hình",
        "hồ sơ",
        "lượt",
        "người",
        "cán bộ",
        "học viên",
        "lớp",
        "đơn vị",
        "cơ quan",
        "xã",
        "huyện",
        "điểm",
        "trường",
        "bệnh viện",
        "doanh nghiệp",
        "hộ",
        "camera",
        "km",
        "trạm",
        "tài khoản",
        "chứng thư số",
        "nền tảng",
        "bộ",
        "cuộc",
        "sản phẩm",
        "services",
        "service",
        "systems",
        "system",
        "reports",
        "people",
    ),
    key=len,
    reverse=True,
)
_QUANTITY = re.compile(
    r"^(?:(?:đạt|tối thiểu|ít nhất|trên|khoảng|có|cung cấp|xây dựng|triển khai|hoàn thành|"
    r"đào tạo|tập huấn|at least|about)\s+)?"
    r"(\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)\s*(%|\S.*)?$",
    re.IGNORECASE,
)


def extract_quantity(product: str) -> tuple[Decimal | None, str]:
    """The quantity and measure in a product text, when obvious: "53 dịch vụ công" -> 53, "dịch vụ".

    Only a number at the start of the text (or after a verb such as "Đạt") counts; numbers
    inside ("Nghị định 13/2023", "năm 2025") are never read as quantities.
    """
    text = clean(product)
    match = _QUANTITY.match(text)
    if not match or not match[2]:
        return None, ""
    raw, rest = match[1], match[2].strip()
    if rest.startswith(("/", "-", ".")):
        return None, ""
    if rest == "%" or rest.startswith("%"):
        unit = "%"
    else:
        lowered = rest.lower()
        unit = next((m for m in _MEASURES if lowered.startswith(m)), "")
        if unit and len(lowered) > len(unit) and lowered[len(unit)].isalnum():
            unit = ""  # "hộ" must not match "hội nghị"
        if not unit:
            unit = rest.split()[0].strip(",;:()").lower()
    number = raw.replace(".", "") if "." in raw else raw.replace(",", ".")
    try:
        quantity = Decimal(number)
    except InvalidOperation:
        return None, ""
    if quantity >= Decimal(10) ** 12:
        return None, ""
    return quantity, unit[:100]


def parse_quantity_cell(value: Any) -> Decimal | None:
    """A quantity column: a number; ``ValueError`` when it is text that is not a number."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    text = clean(value).replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        quantity = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(_("“%(text)s” is not a number.") % {"text": clean(value)}) from exc
    if quantity < 0:
        raise ValueError(_("A quantity cannot be negative."))
    return quantity
