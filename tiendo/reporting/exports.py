"""Files of a consolidated report, rendered from its frozen snapshot (never from live data).

- ``docx_bytes``: a Vietnamese administrative report laid out after Decree 30/2020/NĐ-CP:
  issuing body top left, national title and motto top right, number and symbol, place and date,
  title, numbered sections with tables, "Nơi nhận:" and the signature block (python-docx);
- ``xlsx_bytes``: the same tables, one sheet each (openpyxl);
- ``pdf_from_docx``: LibreOffice headless converts the DOCX (Debian's libreoffice-writer-nogui).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from tiendo.appraisals.report import report_lines

from .models import Theme
from .periods import period_label

STATUS_LABELS = {
    "completed_on_time": "Completed on time",
    "completed_late": "Completed late",
    "in_progress": "In progress within deadline",
    "not_started": "Not started",
    "overdue": "Overdue",
    "paused": "Paused",
}
PLACE = "Thái An"  # the demo province; settings.TIENDO_REPORT_PLACE overrides it
FONT = "Times New Roman"  # the font of Decree 30; LibreOffice falls back to a metric-compatible one


def place() -> str:
    return getattr(settings, "TIENDO_REPORT_PLACE", PLACE)


def discipline_label(status: str) -> str:
    return {
        "on_time": _("On time"),
        "late": _("Late"),
        "missing": _("Missing"),
        "not_due": _("Not yet due"),
    }.get(status, status)


def status_label(status: str) -> str:
    return {
        "completed_on_time": _("Completed on time"),
        "completed_late": _("Completed late"),
        "in_progress": _("In progress within deadline"),
        "not_started": _("Not started"),
        "overdue": _("Overdue"),
        "paused": _("Paused"),
        "cancelled": _("Cancelled"),
    }.get(status, status)


def theme_label(code: str) -> str:
    return str(dict(Theme.choices).get(code, code)) if code else ""


def label(s: dict[str, Any]) -> str:
    """The period's name in the active language, from the snapshot's frequency and dates."""
    p = s["period"]
    start, end = dt.date.fromisoformat(p["start"]), dt.date.fromisoformat(p["end"])
    return period_label(p["frequency"], start, end)


def _date(value: str | None) -> str:
    return dt.date.fromisoformat(value[:10]).strftime("%d/%m/%Y") if value else ""


def _rate(value: str | None) -> str:
    return f"{value} %" if value is not None else "–"


# Tables shared by the DOCX and the XLSX ------------------------------------------------------


DOCX_ROWS = 100  # rows per table in the document; the XLSX annex has every row


def _ranked(rows: list[dict[str, Any]], limit: int | None) -> tuple[list[dict[str, Any]], int]:
    """All rows, or the ``limit - 1`` with the most overdue tasks (ties: most tasks, then the
    snapshot's order) in the snapshot's order, and how many were left out."""
    if limit is None or len(rows) <= limit:
        return rows, 0
    keep = limit - 1
    order = sorted(range(len(rows)), key=lambda i: (-rows[i]["overdue"], -rows[i]["total"], i))
    chosen = sorted(order[:keep])
    return [rows[i] for i in chosen], len(rows) - keep


def _others(rows: list[dict[str, Any]], shown: list[dict[str, Any]]) -> dict[str, Any]:
    """The totals of the rows left out of a capped table (same arithmetic as the snapshot)."""
    from .selectors import on_time_rate

    ids = {id(r) for r in shown}
    rest = [r for r in rows if id(r) not in ids]
    keys = ("completed", "total", "overdue", "completed_on_time", "completed_in_period", "due")
    total = {k: sum(int(r.get(k) or 0) for r in rest) for k in keys}
    return {
        **total,
        "ratio": f"{total['completed']}/{total['total']}",
        "on_time_rate": on_time_rate(total),
    }


def tables(
    s: dict[str, Any], *, limit: int | None = None
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(title, header, rows) of every table of the report, in the active language.

    ``limit`` caps the group and unit tables of the document (a national report has thousands
    of task groups): the rows with the most overdue tasks, then one row totalling the others,
    which the XLSX annex lists one by one (``limit=None``).
    """
    head = [
        _("Group"),
        _("Completed / assigned"),
        _("Completed on time"),
        _("Overdue"),
        _("On-time rate"),
    ]
    shown_groups, left_groups = _ranked(s["groups"], limit)
    groups = [
        [
            f"{g['number']} {g['name']}".strip(),
            g["ratio"],
            g["completed_on_time"],
            g["overdue"],
            _rate(g["on_time_rate"]),
        ]
        for g in shown_groups
    ]
    if left_groups:
        o = _others(s["groups"], shown_groups)
        groups.append(
            [
                _("Other groups (%(n)s, listed in the XLSX annex)") % {"n": left_groups},
                o["ratio"],
                o["completed_on_time"],
                o["overdue"],
                _rate(o["on_time_rate"]),
            ]
        )
    shown_units, left_units = _ranked(s["units"], limit)
    units = [
        [
            u["name"],
            u["ratio"],
            u["completed_in_period"],
            u["overdue"],
            _rate(u["on_time_rate"]),
            discipline_label(u["discipline"]),
        ]
        for u in shown_units
    ]
    if left_units:
        o = _others(s["units"], shown_units)
        units.append(
            [
                _("Other units (%(n)s, listed in the XLSX annex)") % {"n": left_units},
                o["ratio"],
                o["completed_in_period"],
                o["overdue"],
                _rate(o["on_time_rate"]),
                "",
            ]
        )
    overdue = [
        [t["number"], t["title"], t["unit"], _date(t["deadline"]), f"{t['percent']} %"]
        for t in s["overdue"]["tasks"][:limit]
    ]
    disc_rows = s["discipline"]["rows"]
    if limit is not None and len(disc_rows) > limit:
        # The units that did not report on time first: those are the ones the committee acts on.
        disc_rows = sorted(disc_rows, key=lambda r: r["status"] == "on_time")[:limit]
    disc = [[r["unit"], discipline_label(r["status"]), _date(r["submitted_at"])] for r in disc_rows]
    return [
        (_("Results by task group"), head, groups),
        (
            _("Results by unit"),
            [
                _("Unit"),
                _("Completed / assigned"),
                _("Completed in the period"),
                _("Overdue"),
                _("On-time rate"),
                _("Report"),
            ],
            units,
        ),
        (
            _("Overdue tasks"),
            [_("No."), _("Task"), _("Lead unit"), _("Deadline"), _("Progress")],
            overdue,
        ),
        (_("Reporting discipline"), [_("Unit"), _("Report"), _("Sent on")], disc),
    ]


def headline_lines(s: dict[str, Any]) -> list[str]:
    h = s["headline"]
    return [
        _("Tasks completed: %(ratio)s (%(on_time)s on time, %(late)s late).")
        % {"ratio": h["ratio"], "on_time": h["completed_on_time"], "late": h["completed_late"]},
        _("Completed during the period: %(n)s.") % {"n": h["completed_in_period"]},
        _("In progress within the deadline: %(n)s; not started: %(ns)s; overdue: %(od)s.")
        % {"n": h["open_within"], "ns": h["not_started"], "od": h["overdue"]},
        _("On-time rate: %(rate)s.") % {"rate": _rate(h["on_time_rate"])},
        _(
            "Reports received: %(sent)s/%(obliged)s units (%(on_time)s on time, %(late)s late, %(missing)s missing)."
        )
        % {
            "sent": s["discipline"]["counts"]["on_time"] + s["discipline"]["counts"]["late"],
            "obliged": s["discipline"]["obliged"],
            "on_time": s["discipline"]["counts"]["on_time"],
            "late": s["discipline"]["counts"]["late"],
            "missing": s["discipline"]["counts"]["missing"],
        },
        *report_lines(s),  # appraisal, consultation and indicator figures, if any
    ]


# DOCX --------------------------------------------------------------------------------------


def docx_bytes(
    s: dict[str, Any],
    *,
    number: str,
    issued_on: dt.date,
    language: str = "vi",
    rows: int | None = DOCX_ROWS,
) -> bytes:
    """The official document. Tables longer than ``rows`` keep the rows with the most overdue
    tasks plus a total of the others (the XLSX annex has every row); None: every row."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    with translation.override(language):
        doc = Document()
        section = doc.sections[0]
        # A4, margins of Decree 30 (top/bottom 2 cm, left 3 cm, right 2 cm).
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin = section.bottom_margin = Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        style = doc.styles["Normal"]
        style.font.name, style.font.size = FONT, Pt(13)

        def para(
            text: str = "",
            *,
            bold: bool = False,
            italic: bool = False,
            align: Any = None,
            size: int | None = None,
            cell: Any = None,
        ) -> Any:
            p = cell.add_paragraph() if cell is not None else doc.add_paragraph()
            if align is not None:
                p.alignment = align
            run = p.add_run(text)
            run.bold, run.italic = bold, italic
            if size:
                run.font.size = Pt(size)
            return p

        center = WD_ALIGN_PARAGRAPH.CENTER
        header = doc.add_table(rows=1, cols=2)
        left, right = header.rows[0].cells
        left.paragraphs[0].text = ""
        para(s["program"]["owner"].upper(), align=center, size=12, cell=left)
        para(
            (s["program"]["standing_office"] or s["program"]["owner"]).upper(),
            bold=True,
            align=center,
            size=12,
            cell=left,
        )
        para(_("No.: %(number)s") % {"number": number}, align=center, size=13, cell=left)
        right.paragraphs[0].text = ""
        para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align=center, size=12, cell=right)
        para("Độc lập - Tự do - Hạnh phúc", bold=True, align=center, size=13, cell=right)
        para(
            _("%(place)s, day %(day)s month %(month)s year %(year)s")
            % {
                "place": place(),
                "day": f"{issued_on.day:02d}",
                "month": f"{issued_on.month:02d}",
                "year": issued_on.year,
            },
            italic=True,
            align=center,
            cell=right,
        )

        para()
        para(_("REPORT"), bold=True, align=center, size=14)
        para(
            _("Results of implementing %(program)s, %(period)s")
            % {"program": s["program"]["name"], "period": label(s)},
            bold=True,
            align=center,
        )
        para(
            _("(Figures as of %(date)s)") % {"date": _date(s["as_of"])},
            italic=True,
            align=center,
        )

        def table(header_row: list[str], rows: list[list[Any]]) -> None:
            t = doc.add_table(rows=1, cols=len(header_row))
            t.style = "Table Grid"
            t.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, text in zip(t.rows[0].cells, header_row, strict=True):
                cell.paragraphs[0].add_run(str(text)).bold = True
            for row in rows:
                cells = t.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.paragraphs[0].add_run(str(value))
            if not rows:
                cells = t.add_row().cells
                cells[0].paragraphs[0].add_run(_("None"))

        parts = tables(s, limit=rows)
        para(_("I. OVERALL RESULTS"), bold=True)
        for line in headline_lines(s):
            para(line)
        for n, (title, head, body) in enumerate(parts, start=1):
            if n == 1:
                para(_("II. RESULTS BY TASK GROUP AND UNIT"), bold=True)
            if n == 3:
                para(_("III. OVERDUE TASKS"), bold=True)
                extra = s["overdue"]["count"] - len(body)
                if extra > 0:
                    para(
                        _(
                            "%(shown)s of %(count)s overdue tasks are listed; the figures above count all of them."
                        )
                        % {"shown": len(body), "count": s["overdue"]["count"]},
                        italic=True,
                    )
            if n == 4:
                para(_("IV. REPORTING DISCIPLINE"), bold=True)
            para(f"{n}. {title}", bold=True, italic=True)
            table(head, body)

        para(_("V. DIFFICULTIES AND OBSTACLES"), bold=True)
        _grouped(para, s["notes"]["difficulties"])
        para(_("VI. PROPOSALS AND RECOMMENDATIONS"), bold=True)
        _grouped(para, s["notes"]["proposals"])

        para()
        footer = doc.add_table(rows=1, cols=2)
        left, right = footer.rows[0].cells
        left.paragraphs[0].text = ""
        p = para(_("Recipients:"), bold=True, italic=True, size=12, cell=left)
        for line in (
            _("- Steering committee (for report);"),
            _("- Units of the program;"),
            _("- Filed: records office."),
        ):
            para(line, size=11, cell=left)
        right.paragraphs[0].text = ""
        para(_("ON BEHALF OF THE STANDING OFFICE"), bold=True, align=center, cell=right)
        para(_("(Signature, full name and seal)"), italic=True, align=center, size=12, cell=right)
        del p
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def _grouped(para: Any, notes: list[dict[str, str]]) -> None:
    if not notes:
        para(_("No unit reported any."))
        return
    theme = None
    for i, note in enumerate(notes, start=1):
        if note["theme"] != theme:
            theme = note["theme"]
            para(theme_label(theme), italic=True)
        para(f"{i}. {note['unit']}: {note['text']}")


# XLSX --------------------------------------------------------------------------------------


def xlsx_bytes(s: dict[str, Any], *, language: str = "vi") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override(language):
        wb = Workbook()
        ws = wb.active
        ws.title = _("Summary")[:31]
        ws.append([s["program"]["name"]])
        ws.append([label(s), _("Figures as of"), s["as_of"]])
        ws["A1"].font = Font(bold=True)
        for line in headline_lines(s):
            ws.append([line])
        for title, head, rows in tables(s):
            sheet = wb.create_sheet(title[:31])
            sheet.append(head)
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in rows:
                sheet.append(list(row))
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


# PDF ----------------------------------------------------------------------------------------


class ConversionError(RuntimeError):
    pass


def libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def pdf_from_docx(docx: bytes, *, timeout: int = 600) -> bytes:
    """Convert with LibreOffice headless in a private profile (concurrent runs do not clash)."""
    binary = libreoffice()
    if binary is None:
        raise ConversionError(
            _("LibreOffice is not installed: apt-get install libreoffice-writer-nogui")
        )
    with tempfile.TemporaryDirectory(prefix="tiendo-pdf-") as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(docx)
        try:
            result = subprocess.run(  # noqa: S603 - fixed program and arguments, no shell
                [
                    binary,
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ConversionError(
                _("LibreOffice did not finish within %(n)s seconds.") % {"n": timeout}
            ) from None
        pdf = Path(tmp) / "report.pdf"
        if result.returncode != 0 or not pdf.exists():
            raise ConversionError(result.stderr.decode(errors="replace")[-500:] or "no output")
        return pdf.read_bytes()
