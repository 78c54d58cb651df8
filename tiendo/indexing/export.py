"""XLSX exports of results and emulation rankings: the same rows as the pages."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .selectors import EmulationRow, LeagueRow


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def league_xlsx(rows: Sequence[LeagueRow], pillar_names: Sequence[str], tie_rule: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Ranking")[:31]
    sheet.append(
        [
            _("Rank"),
            _("Unit"),
            _("Kind"),
            _("Total"),
            _("Maximum"),
            *pillar_names,
            _("Previous total"),
            _("Change"),
            _("Previous rank"),
        ]
    )
    for r in rows:
        sheet.append(
            [
                r.rank,
                r.unit.name,
                r.unit.get_kind_display(),
                round(r.total, 2),
                r.scale,
                *[round(score, 2) for _code, score, _scale in r.pillars],
                None if r.previous_total is None else round(r.previous_total, 2),
                None if r.change is None else round(r.change, 2),
                r.previous_rank,
            ]
        )
    sheet.append([])
    sheet.append([tie_rule])
    return _save(book)


def emulation_xlsx(rows: Sequence[EmulationRow], rule: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Emulation")[:31]
    sheet.append(
        [
            _("Rank"),
            _("Unit"),
            _("Leader"),
            _("Index (share of maximum)"),
            _("Tasks completed on time"),
            _("Emulation score"),
        ]
    )
    for r in rows:
        sheet.append(
            [
                r.rank,
                r.unit.name,
                str(r.unit.head or ""),
                round(r.index_share, 4),
                None if r.tasks_share is None else round(r.tasks_share, 4),
                round(r.score, 4),
            ]
        )
    sheet.append([])
    sheet.append([rule])
    return _save(book)
