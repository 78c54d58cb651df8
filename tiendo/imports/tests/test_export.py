import datetime as dt
import io
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tiendo.core.deadlines import DeadlineKind, period_end
from tiendo.imports.export import deadline_text, program_export_xlsx, template_xlsx
from tiendo.imports.parsing import parse_deadline_cell, read_table
from tiendo.imports.planning import Action
from tiendo.imports.services import batch_confirm, batch_create, batch_preview
from tiendo.orgs.scope import scope_for
from tiendo.programs.models import Task

from .annexes import xlsx_annex
from .conftest import REALISTIC_ROWS

ROWS = [r for r in REALISTIC_ROWS if not (r and r[0] in ("4", "5"))]


def imported(hp, content, name="kh.xlsx"):
    batch = batch_create(actor=hp.office_user, program=hp.program, filename=name, content=content)
    plan = batch_preview(actor=hp.office_user, batch=batch)
    return batch, plan


def test_an_exported_plan_reimports_unchanged(hp):
    # given a plan imported from an annex
    batch, _plan = imported(hp, xlsx_annex(ROWS))
    batch_confirm(actor=hp.office_user, batch=batch)
    # when exported in the annex layout
    content = program_export_xlsx(scope_for(hp.office_user), hp.program)
    rows = [r for _n, r in read_table(content, "export.xlsx").rows]
    # then groups are merged headings and tasks keep their agencies and times
    assert [c for c in rows[4] if c] == ["I. Phát triển chính quyền số"]
    assert rows[5][:3] == [
        "1",
        "Xây dựng Kế hoạch chuyển đổi số năm 2024",
        "Sở Thông tin và Truyền thông",
    ]
    # and importing the export changes nothing
    _batch, plan = imported(hp, content, "export.xlsx")
    assert plan.ok
    assert {t.action for t in plan.tasks} == {Action.UNCHANGED}, [t.changes for t in plan.tasks]
    assert plan.counts()["groups_new"] == 0


def test_the_template_has_the_annex_header_and_a_guide(hp):
    book = load_workbook(io.BytesIO(template_xlsx()))
    annex, guide = book.worksheets
    assert [c.value for c in annex[3]][:6] == [
        "No.",
        "Task",
        "Lead agency",
        "Coordinating agencies",
        "Completion time",
        "Expected product",
    ]
    assert "Quý II/2024" in " ".join(str(c.value) for c in guide["A"])
    # and uploading the blank template gives no task and a clear refusal
    _batch, plan = imported(hp, template_xlsx(), "template.xlsx")
    assert plan.tasks == []


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(
        [DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.YEAR]
    ),
    st.integers(min_value=2000, max_value=2100),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=28),
)
def test_exported_completion_times_read_back_to_the_same_deadline(kind, year, month, day):
    # property: whatever the kind, the written form parses back to the same kind and date
    if kind == DeadlineKind.DATE:
        due = dt.date(year, month, day)
    elif kind == DeadlineKind.QUARTER:
        due = period_end(kind, year, (month - 1) // 3 + 1)
    else:
        due = period_end(kind, year, month)
    parsed = parse_deadline_cell(deadline_text(kind, due))
    assert (parsed.kind, parsed.due) == (kind, due)


def test_ongoing_and_empty_deadlines_are_written_as_read():
    assert (
        parse_deadline_cell(deadline_text(DeadlineKind.ONGOING, None)).kind == DeadlineKind.ONGOING
    )
    assert deadline_text("", None) == ""


def test_quantities_round_trip(hp):
    batch, _plan = imported(hp, xlsx_annex(ROWS))
    batch_confirm(actor=hp.office_user, batch=batch)
    content = program_export_xlsx(scope_for(hp.office_user), hp.program)
    row = next(r for _n, r in read_table(content, "e.xlsx").rows if r[0] == "2")
    assert (Decimal(str(row[6])), row[7]) == (Decimal(53), "dịch vụ")
    assert Task.objects.get(number="2").product_quantity == Decimal(53)


def test_numbers_qualified_by_their_group_survive_export_and_reimport(hp):
    rows = [
        ("I. Một",),
        ("1", "A", "Sở Nội vụ", "", "2024", ""),
        ("II. Hai",),
        ("1", "C", "Sở Nội vụ", "", "Quý II/2024", ""),
    ]
    batch, _plan = imported(hp, xlsx_annex(rows))
    batch_confirm(actor=hp.office_user, batch=batch)
    content = program_export_xlsx(scope_for(hp.office_user), hp.program)
    _batch, again = imported(hp, content, "export.xlsx")
    assert [t.number for t in again.tasks] == ["I.1", "II.1"]
    assert {t.action for t in again.tasks} == {Action.UNCHANGED}
