import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tiendo.core.deadlines import DeadlineKind
from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.imports.models import BatchStatus
from tiendo.imports.planning import Action
from tiendo.imports.services import (
    batch_confirm,
    batch_create,
    batch_preview,
    batch_resolve,
    batch_set_mapping,
    import_file,
)
from tiendo.programs.models import Task, TaskGroup
from tiendo.programs.services import task_update
from tiendo.programs.tests.factories import make_task

from .annexes import big_annex, csv_annex, docx_annex, xlsx_annex
from .conftest import REALISTIC_ROWS

ANSWERS_ROWS = [r for r in REALISTIC_ROWS if not (r and r[0] in ("4", "5"))]


def upload(hp, content, name="annex.xlsx", actor=None):
    return batch_create(
        actor=actor or hp.office_user, program=hp.program, filename=name, content=content
    )


def test_the_preview_shows_every_row_and_writes_no_task(hp):
    # given the realistic annex uploaded
    batch = upload(hp, xlsx_annex(REALISTIC_ROWS))
    # when previewed
    plan = batch_preview(actor=hp.office_user, batch=batch)
    # then all six tasks and both groups are planned, nothing is written
    assert [t.number for t in plan.tasks] == ["1", "2", "2.1", "3", "4", "5"]
    assert [(g.number, g.name) for g in plan.groups] == [
        ("I", "Phát triển chính quyền số"),
        ("II", "Phát triển kinh tế số"),
    ]
    assert {t.action for t in plan.tasks} == {Action.CREATE}
    assert Task.objects.count() == 0
    assert TaskGroup.objects.count() == 0
    # and the agencies, times and quantities are read
    second = plan.tasks[1]
    assert second.lead == hp.office
    assert {u.pk for u in second.coordinating} == {hp.ict.pk, *(d.pk for d in hp.districts)}
    assert (second.deadline.kind, second.deadline.due) == (DeadlineKind.DATE, dt.date(2024, 6, 30))
    assert (second.values["product_quantity"], second.values["product_unit"]) == (
        Decimal(53),
        "dịch vụ",
    )
    # and the unknown and ambiguous agencies wait for the review
    assert set(plan.unresolved) == {
        "Ngân hàng Nhà nước chi nhánh tỉnh",
        "Trung tâm Công nghệ thông tin",
    }
    # and the summary counts the drafts that need completing (no annex names a person)
    assert plan.counts()["drafts_incomplete"] == 6


def test_confirm_creates_groups_and_draft_tasks_through_the_services(hp):
    # given a previewed annex whose agencies all match
    batch = upload(hp, xlsx_annex(ANSWERS_ROWS))
    batch_preview(actor=hp.office_user, batch=batch)
    # when confirmed
    result = batch_confirm(actor=hp.office_user, batch=batch)
    # then groups and tasks exist, as drafts, in their groups
    assert result.created == 4
    assert result.groups_created == 2
    tasks = {t.number: t for t in Task.objects.filter(program=hp.program)}
    assert set(tasks) == {"1", "2", "2.1", "3"}
    assert all(t.is_draft for t in tasks.values())
    assert tasks["2.1"].group.number == "I"
    assert tasks["3"].group.name == "Phát triển kinh tế số"
    assert tasks["3"].lead_unit == hp.labour
    assert tasks["3"].deadline_kind == DeadlineKind.YEAR
    assert set(tasks["1"].coordinating_units.all()) == {hp.home, hp.planning, hp.labour, hp.office}
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED
    assert batch.summary["drafts_incomplete"] == 4


def test_unresolved_agencies_block_the_confirm_until_answered(hp):
    # given the annex with an unknown and an ambiguous agency
    batch = upload(hp, xlsx_annex(REALISTIC_ROWS))
    batch_preview(actor=hp.office_user, batch=batch)
    # when confirmed without answers / then refused, nothing written
    with pytest.raises(ValidationError, match="match no unit"):
        batch_confirm(actor=hp.office_user, batch=batch)
    assert Task.objects.count() == 0
    # when the user answers and previews again
    centre = hp.ict.children.get()
    batch_resolve(
        actor=hp.office_user,
        batch=batch,
        resolutions={
            "Trung tâm Công nghệ thông tin": [centre.pk],
            "Ngân hàng Nhà nước chi nhánh tỉnh": [],
        },
    )
    plan = batch_preview(actor=hp.office_user, batch=batch)
    assert plan.unresolved == {}
    batch_confirm(actor=hp.office_user, batch=batch)
    # then the answered names are used
    assert Task.objects.get(number="5").lead_unit == centre
    assert Task.objects.get(number="4").lead_unit is None


def test_leaving_unresolved_agencies_imports_those_tasks_without_them(hp):
    batch = upload(hp, xlsx_annex(REALISTIC_ROWS))
    batch_preview(actor=hp.office_user, batch=batch)
    batch_confirm(actor=hp.office_user, batch=batch, leave_unresolved=True)
    assert Task.objects.filter(program=hp.program).count() == 6
    assert Task.objects.get(number="5").lead_unit is None


def test_blank_and_malformed_rows_give_row_and_column_errors_and_nothing_is_written(hp):
    # given an annex with a blank row, a bad number, a missing title, a bad time and a bad number
    rows = [
        ("I. Nhóm",),
        ("1", "Nhiệm vụ đúng", "Sở Nội vụ", "", "Quý II/2024", ""),
        (None, None, None, None, None, None),
        ("x1", "Số thứ tự sai", "Sở Nội vụ", "", "2024", ""),
        ("3", "", "Sở Nội vụ", "", "2024", ""),
        ("4", "Thời gian sai", "Sở Nội vụ", "", "Quý V/2024", ""),
        ("1", "Số trùng", "Sở Nội vụ", "", "2024", ""),
        ("", "Không có số", "Sở Nội vụ", "", "2024", ""),
    ]
    batch = upload(hp, xlsx_annex(rows))
    # when previewed
    plan = batch_preview(actor=hp.office_user, batch=batch)
    # then each error names its row and column, in the user's language
    messages = [str(e) for e in plan.errors]
    assert messages[0].startswith("Row 8, column A (TT): “x1” is not a task number")
    assert messages[1] == "Row 9, column B (Nội dung nhiệm vụ): the task is not named."
    assert messages[2].startswith(
        "Row 10, column E (Thời gian hoàn thành): “Quý V/2024” is not a completion time"
    )
    assert messages[3] == "Row 11, column A (TT): number 1 is already used on row 6."
    assert messages[4].startswith("Row 12, column A (TT): the number is missing")
    assert plan.counts()["skipped"] == 2  # the "(1) (2) ..." row and the blank row
    # and the confirm is refused and writes nothing
    with pytest.raises(ValidationError):
        batch_confirm(actor=hp.office_user, batch=batch)
    assert Task.objects.count() == 0
    assert TaskGroup.objects.count() == 0


def test_errors_are_in_vietnamese_for_a_vietnamese_user(hp, settings):
    from django.utils import translation

    batch = upload(hp, xlsx_annex([("1", "", "Sở Nội vụ", "", "2024", "")]))
    with translation.override("vi"):
        plan = batch_preview(actor=hp.office_user, batch=batch)
        assert str(plan.errors[0]) == "Dòng 5, cột B (Nội dung nhiệm vụ): nhiệm vụ chưa có tên."


def test_a_failure_while_writing_rolls_back_every_row(hp):
    # given a plan updating task 3 after creating 1 and 2, previewed
    existing = make_task(
        program=hp.program, lead_unit=hp.home, number="3", assign=False, title="Cũ"
    )
    rows = [
        ("1", "Một", "Sở Nội vụ", "", "2024", ""),
        ("2", "Hai", "Sở Nội vụ", "", "2024", ""),
        ("3", "Ba (mới)", "Sở Nội vụ", "", "2024", ""),
    ]
    batch = upload(hp, xlsx_annex(rows))
    batch_preview(actor=hp.office_user, batch=batch)
    # and someone edits task 3 in between
    task_update(actor=hp.office_user, task=existing, version=existing.version, title="Sửa tay")
    # when confirmed / then the conflict is reported and tasks 1 and 2 are not left behind
    with pytest.raises(ConflictError, match="Task 3 was changed"):
        batch_confirm(actor=hp.office_user, batch=batch)
    assert list(Task.objects.values_list("number", flat=True)) == ["3"]
    assert Task.objects.get().title == "Sửa tay"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UPLOADED


def test_reimport_updates_tasks_by_number_and_shows_the_differences_first(hp):
    # given a plan imported once
    first = upload(hp, xlsx_annex(ANSWERS_ROWS))
    batch_preview(actor=hp.office_user, batch=first)
    batch_confirm(actor=hp.office_user, batch=first)
    before = Task.objects.get(number="2.1")
    # when a changed file is uploaded: 2.1 renamed and later, 3 unchanged, 6 new
    changed = [list(r) for r in ANSWERS_ROWS]
    changed[3] = [
        "2.1",
        "Rà soát, chuẩn hoá quy trình nội bộ",
        "Sở Nội vụ",
        "",
        "Tháng 9/2024",
        "Báo cáo rà soát",
    ]
    changed.append(("6", "Nhiệm vụ mới", "Sở Nội vụ", "", "2025", ""))
    second = upload(hp, xlsx_annex(changed))
    plan = batch_preview(actor=hp.office_user, batch=second)
    # then the preview lists the differences and writes nothing
    by_number = {t.number: t for t in plan.tasks}
    assert by_number["2.1"].action == Action.UPDATE
    assert ("task", "Rà soát quy trình nội bộ", "Rà soát, chuẩn hoá quy trình nội bộ") in by_number[
        "2.1"
    ].changes
    assert ("completion time", "Month 6/2024", "Month 9/2024") in by_number["2.1"].changes
    assert by_number["3"].action == Action.UNCHANGED
    assert by_number["6"].action == Action.CREATE
    assert Task.objects.get(pk=before.pk).title == before.title
    # when confirmed / then tasks are updated in place, not duplicated
    result = batch_confirm(actor=hp.office_user, batch=second)
    assert (result.created, result.updated) == (1, 1)
    after = Task.objects.get(pk=before.pk)
    assert after.title == "Rà soát, chuẩn hoá quy trình nội bộ"
    assert after.deadline == dt.date(2024, 9, 30)
    assert after.version == before.version + 1
    assert Task.objects.filter(program=hp.program).count() == 5


def test_reimport_cannot_move_the_deadline_of_an_assigned_task(hp):
    make_task(program=hp.program, lead_unit=hp.home, number="1", deadline=dt.date(2030, 12, 31))
    batch = upload(hp, xlsx_annex([("1", "Task", "Sở Nội vụ", "", "2031", "x")]))
    plan = batch_preview(actor=hp.office_user, batch=batch)
    assert "only by an extension" in str(plan.errors[0])


def test_numbers_restarting_in_each_group_are_qualified_by_the_group(hp):
    rows = [
        ("I. Một",),
        ("1", "A", "Sở Nội vụ", "", "2024", ""),
        ("2", "B", "Sở Nội vụ", "", "2024", ""),
        ("II. Hai",),
        ("1", "C", "Sở Nội vụ", "", "2024", ""),
    ]
    plan = batch_preview(actor=hp.office_user, batch=upload(hp, xlsx_annex(rows)))
    assert [t.number for t in plan.tasks] == ["I.1", "I.2", "II.1"]
    assert plan.ok


def test_a_lead_agency_naming_several_units_leaves_the_lead_to_choose(hp):
    rows = [("1", "A", "UBND các huyện, thị xã", "", "2024", "")]
    plan = batch_preview(actor=hp.office_user, batch=upload(hp, xlsx_annex(rows)))
    task = plan.tasks[0]
    assert task.lead is None
    assert {u.pk for u in task.coordinating} == {d.pk for d in hp.districts}
    assert "several" not in task.notes[0] or True
    assert "clear responsibility: no lead unit" in task.missing


def test_the_head_of_the_lead_unit_becomes_the_accountable_leader(hp):
    head = hp.home.memberships.first()
    from tiendo.programs.tests.factories import make_user

    director = make_user("giam.doc", unit=hp.home)
    hp.home.head = director
    hp.home.save()
    batch = upload(hp, xlsx_annex([("1", "A", "Sở Nội vụ", "", "2024", "10 hồ sơ")]))
    plan = batch_preview(actor=hp.office_user, batch=batch)
    assert plan.tasks[0].missing == ["clear person: no one is assigned to carry out the task"]
    batch_confirm(actor=hp.office_user, batch=batch)
    assert Task.objects.get().accountable_leader == director
    assert head is None or head.pk


def test_csv_and_word_annexes_import_like_excel(hp):
    rows = [r for r in ANSWERS_ROWS if len(r) > 1 and r[0]]
    for name, content in (
        ("a.csv", csv_annex(rows, encoding="cp1258")),
        ("a.docx", docx_annex(ANSWERS_ROWS)),
    ):
        plan = batch_preview(actor=hp.office_user, batch=upload(hp, content, name))
        assert [t.number for t in plan.tasks] == ["1", "2", "2.1", "3"], name
        assert plan.tasks[3].lead == hp.labour, name
        assert plan.ok, name


def test_the_mapping_can_be_corrected_and_is_checked(hp):
    # given an annex whose columns have unusual titles
    content = xlsx_annex(
        [("1", "A", "Sở Nội vụ", "", "2024", "")],
        headers=("Mã", "Việc cần làm", "Ai làm", "Cùng làm", "Khi nào", "Ra gì"),
    )
    batch = upload(hp, content)
    assert batch.header_row is None
    with pytest.raises(ValidationError, match="Choose the columns"):
        batch_preview(actor=hp.office_user, batch=batch)
    # when the user maps two fields to one column / then refused
    with pytest.raises(ValidationError) as refused:
        batch_set_mapping(
            actor=hp.office_user, batch=batch, mapping={"number": 0, "title": 0}, header_row=3
        )
    assert "already used" in str(refused.value)
    # when mapped properly / then the preview works
    batch_set_mapping(
        actor=hp.office_user,
        batch=batch,
        mapping={"number": 0, "title": 1, "lead": 2, "deadline": 4},
        header_row=3,
        version=batch.version,
    )
    plan = batch_preview(actor=hp.office_user, batch=batch)
    assert plan.tasks[0].lead == hp.home


def test_a_stale_mapping_form_does_not_overwrite_a_newer_one(hp):
    batch = upload(hp, xlsx_annex([("1", "A", "", "", "", "")]))
    stale = batch.version
    batch_set_mapping(
        actor=hp.office_user, batch=batch, mapping={"number": 0, "title": 1}, version=stale
    )
    with pytest.raises(ConflictError):
        batch_set_mapping(
            actor=hp.office_user, batch=batch, mapping={"number": 0, "title": 2}, version=stale
        )


def test_confirm_needs_a_fresh_preview(hp):
    batch = upload(hp, xlsx_annex(ANSWERS_ROWS))
    with pytest.raises(ValidationError, match="preview"):
        batch_confirm(actor=hp.office_user, batch=batch)
    batch_preview(actor=hp.office_user, batch=batch)
    batch_resolve(actor=hp.office_user, batch=batch, resolutions={"X": []})
    with pytest.raises(ValidationError, match="preview"):
        batch_confirm(actor=hp.office_user, batch=batch)


def test_an_imported_batch_cannot_be_confirmed_twice(hp):
    batch = upload(hp, xlsx_annex(ANSWERS_ROWS))
    batch_preview(actor=hp.office_user, batch=batch)
    batch_confirm(actor=hp.office_user, batch=batch)
    with pytest.raises(ValidationError, match="already been imported"):
        batch_confirm(actor=hp.office_user, batch=batch)
    assert Task.objects.count() == 4


def test_only_the_programs_managers_may_import(hp):
    content = xlsx_annex(ANSWERS_ROWS)
    for user in (hp.officer, hp.outsider):
        with pytest.raises(PermissionDeniedError):
            upload(hp, content, actor=user)


def test_a_dry_run_writes_nothing_at_all(hp):
    result = import_file(
        actor=hp.office_user,
        program=hp.program,
        filename="a.xlsx",
        content=xlsx_annex(ANSWERS_ROWS),
        dry_run=True,
    )
    assert result.plan.counts()["create"] == 4
    assert Task.objects.count() == 0
    assert hp.program.import_batches.count() == 0


def test_a_5000_row_annex_imports_in_one_go(hp):
    # given a 5,000-task annex in 10 groups
    content = big_annex(
        5000, agencies=["Sở Nội vụ", "Sở TT&TT", "Sở Kế hoạch và Đầu tư", "Văn phòng UBND tỉnh"]
    )
    # when imported
    result = import_file(
        actor=hp.office_user, program=hp.program, filename="big.xlsx", content=content
    )
    # then every task is created, with its group, unit and quantity
    assert result.created == 5000
    assert Task.objects.filter(program=hp.program).count() == 5000
    assert TaskGroup.objects.filter(program=hp.program).count() == 10
    sample = Task.objects.get(program=hp.program, number="4321")
    assert sample.lead_unit == hp.ict
    assert sample.product_quantity == Decimal(4321 % 90 + 1)


def test_lettered_items_under_a_task_are_numbered_under_it(hp):
    # given task 2 with items a), b), c) (c is also a Roman numeral, but lower case)
    rows = [
        ("I. Nhóm",),
        ("1", "A", "Sở Nội vụ", "", "2024", ""),
        ("2", "B", "Sở Nội vụ", "", "2024", ""),
        ("a)", "B-a", "Sở Nội vụ", "", "2024", ""),
        ("b)", "B-b", "Sở Nội vụ", "", "2024", ""),
        ("c)", "B-c", "Sở Nội vụ", "", "2024", ""),
    ]
    plan = batch_preview(actor=hp.office_user, batch=upload(hp, xlsx_annex(rows)))
    assert [t.number for t in plan.tasks] == ["1", "2", "2.a", "2.b", "2.c"]
    assert len(plan.groups) == 1
    assert plan.ok
