"""A unit's self-assessment as a spreadsheet: download the sheet, fill it, upload it back.

The sheet lists every indicator the unit enters (code, name, unit of measure, current value,
evidence). Upload reads the ``value`` and ``evidence`` columns; any bad cell stops the whole
upload with its row and column, and nothing is saved (``services.values_enter_many`` is atomic).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from .models import FrameworkNode, IndicatorValue

COLUMNS = ["code", "indicator", "measure", "value", "evidence"]
VALUE_COLUMN, EVIDENCE_COLUMN = "D", "E"


def assessment_xlsx(nodes: Sequence[FrameworkNode], values: dict[int, IndicatorValue]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "assessment"
    sheet.append(COLUMNS)
    for node in nodes:
        current = values.get(node.pk)
        sheet.append(
            [
                node.code,
                node.display_name,
                node.measure,
                current.value if current else None,
                current.evidence_note if current else "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parse_assessment_xlsx(
    data: bytes, nodes: Sequence[FrameworkNode]
) -> dict[FrameworkNode, tuple[float | None, str]]:
    """Values by indicator; ``ValidationError`` with row and column for the first bad cell."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("The file is not a readable XLSX workbook.")) from None
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    if not rows or [str(c or "").strip() for c in rows[0][:5]] != COLUMNS:
        raise ValidationError(
            _("Row 1 must hold the columns %(columns)s, as in the downloaded sheet.")
            % {"columns": ", ".join(COLUMNS)}
        )
    by_code = {n.code: n for n in nodes}
    out: dict[FrameworkNode, tuple[float | None, str]] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells: list[Any] = [*row[:5], *[None] * (5 - len(row[:5]))]
        code = str(cells[0] or "").strip()
        if not code:
            continue
        node = by_code.get(code)
        if node is None:
            raise ValidationError(
                _("Row %(row)s, column A: “%(code)s” is not an indicator the unit enters.")
                % {"row": number, "code": code}
            )
        out[node] = (_number(cells[3], number), str(cells[4] or "").strip())
    if not out:
        raise ValidationError(_("The sheet has no indicator rows."))
    return out


def _number(raw: Any, row: int) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(str(raw).replace(",", ".")) if isinstance(raw, str) else float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValidationError(
            _("Row %(row)s, column %(column)s: “%(value)s” is not a number.")
            % {"row": row, "column": VALUE_COLUMN, "value": raw}
        )
    return value
