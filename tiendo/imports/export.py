"""A program's plan written back as the annex agencies know, and a blank template to fill in.

The columns are those the importer recognises, so an exported plan imports again unchanged
(completion times are written in the forms ``parse_deadline`` reads, dates as dd/mm/yyyy).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from tiendo.core.deadlines import DeadlineKind
from tiendo.orgs.scope import Scope
from tiendo.programs import selectors
from tiendo.programs.models import Program, Task

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_WIDTHS = (8, 60, 30, 40, 18, 40, 10, 14)


def _headers() -> list[str]:
    return [
        _("No."),
        _("Task"),
        _("Lead agency"),
        _("Coordinating agencies"),
        _("Completion time"),
        _("Expected product"),
        _("Quantity"),
        _("Unit of measure"),
    ]


def deadline_text(kind: str, due: dt.date | None) -> str:
    """A completion time as officials write it, readable again by the importer."""
    if not kind:
        return ""
    if kind == DeadlineKind.ONGOING or due is None:
        return _("Ongoing")
    if kind == DeadlineKind.MONTH:
        return _("Month %(month)s/%(year)s") % {"month": due.month, "year": due.year}
    if kind == DeadlineKind.QUARTER:
        quarter = ("I", "II", "III", "IV")[(due.month - 1) // 3]
        return _("Quarter %(quarter)s/%(year)s") % {"quarter": quarter, "year": due.year}
    if kind == DeadlineKind.YEAR:
        return _("Year %(year)s") % {"year": due.year}
    return due.strftime("%d/%m/%Y")


def _sheet(title: str, subtitle: str) -> tuple[Any, Any]:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    ws = book.active
    ws.title = _("Annex")[:31]
    width = len(_WIDTHS)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=13)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([subtitle])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.append(_headers())
    ws.append([f"({i})" for i in range(1, width + 1)])
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=3, max_row=4):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for i, w in enumerate(_WIDTHS):
        ws.column_dimensions[chr(65 + i)].width = w
    ws.freeze_panes = "A5"
    return book, ws


def _save(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_rows(tasks: Iterable[Task]) -> list[tuple[str, list[object]]]:
    """("group" | "task", cells) in annex order: each group heading, then its tasks."""
    rows: list[tuple[str, list[object]]] = []
    current: object = object()
    for task in tasks:
        if task.group_id != current:
            current = task.group_id
            if task.group is not None:
                rows.append(("group", [task.group.number, task.group.name]))
        coordinating = "; ".join(u.name for u in task.coordinating_units.all())
        rows.append(
            (
                "task",
                [
                    task.number,
                    task.title,
                    task.lead_unit.name if task.lead_unit else "",
                    coordinating,
                    deadline_text(task.deadline_kind, task.deadline),
                    task.product,
                    task.product_quantity if task.product_quantity is not None else None,
                    task.product_unit,
                ],
            )
        )
    return rows


def program_export_xlsx(scope: Scope, program: Program) -> bytes:
    """The tasks of ``program`` the caller can see, grouped as in the annex."""
    from openpyxl.styles import Alignment, Font

    tasks = (
        selectors.visible_tasks(scope)
        .filter(program=program)
        .select_related("group", "lead_unit")
        .prefetch_related("coordinating_units")
        .order_by("group__path", "group_id", "id")
    )
    subtitle = program.legal_basis
    book, ws = _sheet(_("PLAN OF TASKS: %(name)s") % {"name": program.name.upper()}, subtitle)
    width = len(_WIDTHS)
    for kind, cells in export_rows(tasks):
        if kind == "group":
            number, name = cells
            ws.append([f"{number}. {name}" if number else name])
            row = ws.max_row
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            ws.cell(row=row, column=1).font = Font(bold=True)
        else:
            ws.append(cells)
            for cell in ws[ws.max_row]:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    return _save(book)


def template_xlsx() -> bytes:
    """A blank annex: header, column numbers, one example group and task, and a guide sheet."""
    from openpyxl.styles import Font

    book, ws = _sheet(_("PLAN OF TASKS"), _("(Annex to Decision No. …)"))
    ws.append(["I. " + _("Name of the task group")])
    ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=len(_WIDTHS))
    ws["A5"].font = Font(bold=True)
    guide = book.create_sheet(_("Guide")[:31])
    for line in (
        _("Fill in the sheet “%(sheet)s”, one task per row, below the example.")
        % {"sheet": ws.title},
        _("Group rows: a Roman numeral and the group name (I. Digital government)."),
        _(
            "Numbers: 1, 2, 2.1 … unique in the plan; a re-import updates the task with the same number."
        ),
        _(
            "Agencies: the unit names as in tiendo, separated by “;”. Collectives such as “các sở, ban, ngành” are expanded."
        ),
        _(
            "Completion time: 30/6/2024, Tháng 6/2024, Quý II/2024, Năm 2024, 2024-2025 or Thường xuyên."
        ),
        _(
            "Product: when it starts with a number (53 dịch vụ công), the quantity and unit are read from it."
        ),
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    return _save(book)
