"""The import writes new tasks with task_bulk_create: rows the task rules refuse are named by
row and column, nothing is written, and the audit chain verifies after an import."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from bench import bench_import
from tiendo.audit.models import AuditEntry
from tiendo.audit.services import head_file
from tiendo.imports.services import import_file
from tiendo.programs.models import Task

from .annexes import HEADERS, xlsx_annex

QUANTITY_HEADERS = (*HEADERS, "Số lượng", "Đơn vị tính")


@pytest.fixture(autouse=True)
def _fresh_head_file():
    head_file().unlink(missing_ok=True)
    yield
    head_file().unlink(missing_ok=True)


def test_a_row_the_task_rules_refuse_is_named_by_row_and_column_and_nothing_is_written(hp):
    # given an annex whose fourth task has a quantity with three decimals (the planner reads
    # it; the task's own rules allow two)
    rows = [
        ("1", "Một", "Sở Nội vụ", "", "2024", "Báo cáo", 1, "báo cáo"),
        ("2", "Hai", "Sở Nội vụ", "", "2024", "Báo cáo", 2.5, "báo cáo"),
        ("3", "Ba", "Sở Nội vụ", "", "2024", "Báo cáo", 3, "báo cáo"),
        ("4", "Bốn", "Sở Nội vụ", "", "2024", "Hệ thống", 12.345, "hệ thống"),
    ]
    content = xlsx_annex(rows, headers=QUANTITY_HEADERS)
    entries = AuditEntry.objects.count()
    # when imported by a Vietnamese user
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        import_file(actor=hp.office_user, program=hp.program, filename="a.xlsx", content=content)
    # then the error names the row and the column of the file, in Vietnamese
    [message] = refused.value.messages
    assert message.startswith("Dòng 8, cột G (Số lượng): ")
    assert "2" in message
    # and nothing is written: no task, no group, no audit entry
    assert Task.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_the_audit_chain_verifies_after_an_import(hp):
    # given an annex imported in bulk
    rows = [
        ("I. Nhóm",),
        *[(str(i), f"Việc {i}", "Sở Nội vụ", "Sở TT&TT", "2025", "") for i in range(1, 31)],
    ]
    result = import_file(
        actor=hp.office_user,
        program=hp.program,
        filename="a.xlsx",
        content=xlsx_annex(rows),
    )
    # then one "task.create" entry per task, and the whole chain verifies
    assert result.created == 30
    created = AuditEntry.objects.filter(action="task.create", object_type="programs.task")
    assert created.count() == 30
    call_command("audit-verify")


def test_the_benchmark_runs_at_a_tiny_scale_and_writes_the_same_rows_three_ways(db):
    # given the benchmark's world, when run with 60 tasks, then the import, the bulk service
    # and the raw insert wrote the same numbers of tasks and coordinations (checked inside)
    figures = bench_import.run(60, bench_import._world())
    assert figures["rows"] == 60
    assert figures["audit_entries"] >= 60
    assert figures["coordinations"] > 0
    assert min(figures["previewed"], figures["confirmed"], figures["bulk"], figures["raw"]) > 0
    # and the confirm applied the plan kept by the preview: it did not plan again
    assert figures["replanned"] == 0
