"""The preview keeps its plan; the confirm applies it only while nothing it was built on changed.

The confirm used to read the file and plan again; now it loads the plan the preview stored with
the batch. These tests pin down when the kept plan may be used (same batch version, same
program, units and groups) and that it writes exactly what planning again would write.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F

from tiendo.core.errors import ConflictError
from tiendo.imports.models import BatchStatus, ImportBatch
from tiendo.imports.services import (
    batch_confirm,
    batch_create,
    batch_preview,
    batch_set_mapping,
    kept_plan,
)
from tiendo.programs.models import Task
from tiendo.programs.services import task_update
from tiendo.programs.tests.factories import make_program, make_task

from .annexes import xlsx_annex
from .conftest import REALISTIC_ROWS

ANSWERS_ROWS = [r for r in REALISTIC_ROWS if not (r and r[0] in ("4", "5"))]


def upload(hp, rows, program=None):
    return batch_create(
        actor=hp.office_user,
        program=program or hp.program,
        filename="annex.xlsx",
        content=xlsx_annex(rows),
    )


def written(program):
    """What an import wrote into ``program``, comparable across programs."""
    return sorted(
        (
            t.number,
            t.title,
            t.lead_unit_id,
            t.accountable_leader_id,
            t.deadline_kind,
            t.deadline,
            t.product,
            t.product_quantity,
            t.product_unit,
            t.group.number if t.group else None,
            t.group.name if t.group else None,
            t.is_draft,
            tuple(sorted(u.pk for u in t.coordinating_units.all())),
        )
        for t in Task.objects.filter(program=program).select_related("group")
    )


def replace_file(batch, rows, *, bump: bool) -> None:
    """Change the stored file behind the services' back; ``bump``: as a change of the batch."""
    changes = {"content": xlsx_annex(rows)}
    if bump:
        changes["version"] = F("version") + 1
    ImportBatch.objects.filter(pk=batch.pk).update(**changes)


def test_the_kept_plan_writes_what_planning_again_writes(hp):
    # given the same annex previewed in two programs of the province
    other = make_program(owner=hp.committee, standing_office=hp.ict, code="khcds-2024-b")
    kept = upload(hp, ANSWERS_ROWS)
    again = upload(hp, ANSWERS_ROWS, program=other)
    batch_preview(actor=hp.office_user, batch=kept)
    batch_preview(actor=hp.office_user, batch=again)
    assert kept_plan(kept, actor=hp.office_user) is not None
    # when one confirm applies the kept plan and the other must plan again (no kept plan)
    ImportBatch.objects.filter(pk=again.pk).update(plan_data=b"")
    first = batch_confirm(actor=hp.office_user, batch=kept)
    second = batch_confirm(actor=hp.office_user, batch=again)
    # then both wrote the same tasks, groups, units, times, products and coordinations
    assert first.summary() == second.summary()
    assert written(hp.program) == written(other)
    assert len(written(hp.program)) == 4


def test_the_confirm_does_not_read_the_file_again_when_nothing_changed(hp):
    # given a previewed annex whose stored file is then replaced without a change of version
    batch = upload(hp, ANSWERS_ROWS)
    batch_preview(actor=hp.office_user, batch=batch)
    renamed = [list(r) for r in ANSWERS_ROWS]
    renamed[1][1] = "Tên khác trong tệp"
    replace_file(batch, renamed, bump=False)
    # when confirmed
    batch_confirm(actor=hp.office_user, batch=ImportBatch.objects.get(pk=batch.pk))
    # then what was previewed is written (the kept plan), not what the file now says
    assert Task.objects.get(program=hp.program, number="1").title == (
        "Xây dựng Kế hoạch chuyển đổi số năm 2024"
    )


def test_a_change_of_the_batch_after_the_preview_makes_the_confirm_plan_again(hp):
    # given a previewed annex, then the batch changes (its version goes up) with a new file
    batch = upload(hp, ANSWERS_ROWS)
    batch_preview(actor=hp.office_user, batch=batch)
    renamed = [list(r) for r in ANSWERS_ROWS]
    renamed[1][1] = "Tên mới"
    replace_file(batch, renamed, bump=True)
    batch = ImportBatch.objects.get(pk=batch.pk)
    # then the kept plan no longer applies, and the confirm reads and plans the file again
    assert kept_plan(batch, actor=hp.office_user) is None
    batch_confirm(actor=hp.office_user, batch=batch)
    assert Task.objects.get(program=hp.program, number="1").title == "Tên mới"


def test_a_mapping_change_after_the_preview_drops_the_kept_plan_and_needs_a_new_preview(hp):
    # given a previewed annex with the lead agency column mapped
    batch = upload(hp, ANSWERS_ROWS)
    batch_preview(actor=hp.office_user, batch=batch)
    assert batch.plan_data
    # when the mapping changes: the lead agency column is no longer used
    batch_set_mapping(
        actor=hp.office_user,
        batch=batch,
        mapping={"number": 0, "title": 1, "deadline": 4, "product": 5},
        version=batch.version,
    )
    # then the kept plan is gone and the confirm is refused until a new preview
    batch.refresh_from_db()
    assert not batch.plan_data
    with pytest.raises(ValidationError, match="preview"):
        batch_confirm(actor=hp.office_user, batch=batch)
    # when previewed again and confirmed / then the new mapping is what is written
    plan = batch_preview(actor=hp.office_user, batch=batch)
    assert all("lead_unit" not in t.values for t in plan.tasks)
    batch_confirm(actor=hp.office_user, batch=batch)
    assert not Task.objects.filter(program=hp.program, lead_unit__isnull=False).exists()
    assert Task.objects.filter(program=hp.program).count() == 4


def test_a_mapping_change_without_a_version_still_invalidates_the_kept_plan(hp):
    # the command line changes batches without a version: the version must still go up
    batch = upload(hp, ANSWERS_ROWS)
    batch_preview(actor=hp.office_user, batch=batch)
    kept_version = batch.version
    batch_set_mapping(actor=hp.office_user, batch=batch, mapping={"number": 0, "title": 1})
    assert batch.version == kept_version + 1
    assert ImportBatch.objects.get(pk=batch.pk).version == kept_version + 1


def test_a_task_created_after_the_preview_makes_the_confirm_plan_again(hp):
    # given a preview that creates task 3, then someone creates a task 3 by hand
    batch = upload(hp, ANSWERS_ROWS)
    batch_preview(actor=hp.office_user, batch=batch)
    make_task(program=hp.program, lead_unit=hp.home, number="3", assign=False)
    # when confirmed / then the plan is made again: task 3 now exists and was not previewed
    assert kept_plan(batch, actor=hp.office_user) is None
    with pytest.raises(ConflictError):
        batch_confirm(actor=hp.office_user, batch=batch)
    assert Task.objects.filter(program=hp.program).count() == 1
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.UPLOADED


def test_a_task_changed_after_the_preview_is_a_conflict(hp):
    # given a first import, then a re-import previewed, then one of its tasks edited
    first = upload(hp, ANSWERS_ROWS)
    batch_preview(actor=hp.office_user, batch=first)
    batch_confirm(actor=hp.office_user, batch=first)
    changed = [list(r) for r in ANSWERS_ROWS]
    changed[1][1] = "Đổi tên"
    second = upload(hp, changed)
    batch_preview(actor=hp.office_user, batch=second)
    task = Task.objects.get(program=hp.program, number="1")
    task_update(actor=hp.office_user, task=task, version=task.version, title="Sửa tay")
    # when confirmed / then refused and nothing changed
    with pytest.raises(ConflictError):
        batch_confirm(actor=hp.office_user, batch=second)
    assert Task.objects.get(pk=task.pk).title == "Sửa tay"


def test_two_confirms_of_one_batch_cannot_both_write(hp):
    # given one previewed batch opened in two windows
    batch = upload(hp, ANSWERS_ROWS)
    batch_preview(actor=hp.office_user, batch=batch)
    window_a = ImportBatch.objects.get(pk=batch.pk)
    window_b = ImportBatch.objects.get(pk=batch.pk)
    # when both confirm / then the second is refused and the tasks exist once
    batch_confirm(actor=hp.office_user, batch=window_a)
    with pytest.raises(ValidationError, match="already been imported"):
        batch_confirm(actor=hp.office_user, batch=window_b)
    assert Task.objects.filter(program=hp.program).count() == 4


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirms_write_once(hp):
    """Two requests at the same moment, each on its own connection (PostgreSQL: row lock)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; threads share no real server here")
    batch = upload(hp, ANSWERS_ROWS)
    batch_preview(actor=hp.office_user, batch=batch)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm() -> None:
        try:
            start.wait()
            batch_confirm(actor=hp.office_user, batch=ImportBatch.objects.get(pk=batch.pk))
            outcomes.append("written")
        except (ValidationError, ConflictError):
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "written"]
    assert Task.objects.filter(program=hp.program).count() == 4


def test_the_upload_reads_the_first_rows_and_the_preview_the_whole_file(hp):
    # given an annex longer than the rows the upload reads
    rows = [(str(i), f"Nhiệm vụ {i}", "Sở Nội vụ", "", "2025", "") for i in range(1, 301)]
    batch = upload(hp, rows)
    # then the columns were guessed from the first rows, and the preview has every task
    assert batch.mapping["title"] == 1
    plan = batch_preview(actor=hp.office_user, batch=batch)
    assert len(plan.tasks) == 300
    assert plan.ok


def shown(plan):
    """Everything the preview page and the API show of a plan."""
    return (
        plan.counts(),
        plan.missing_breakdown(),
        plan.notes,
        [str(e) for e in plan.errors],
        {name: [u.pk for u in units] for name, units in plan.unresolved.items()},
        [(g.row, g.number, g.name, g.action, g.existing and g.existing.pk) for g in plan.groups],
        [
            (
                t.row,
                t.action,
                t.number,
                t.title,
                t.group and (t.group.number, t.group.name),
                t.lead and t.lead.pk,
                t.coordinating and [u.pk for u in t.coordinating],
                t.deadline and t.deadline.label(),
                {k: getattr(v, "pk", v) for k, v in t.values.items()},
                t.missing,
                [str(e) for e in t.errors],
                t.notes,
                t.changes,
                t.existing and t.existing.pk,
            )
            for t in plan.tasks
        ],
    )


def test_another_page_of_the_preview_shows_the_kept_plan_exactly(hp):
    # given a first import, then a changed annex with differences, unknown agencies, notes
    first = upload(hp, ANSWERS_ROWS)
    batch_preview(actor=hp.office_user, batch=first)
    batch_confirm(actor=hp.office_user, batch=first)
    changed = [list(r) for r in REALISTIC_ROWS]
    changed[3][1] = "Rà soát, chuẩn hoá quy trình nội bộ"
    changed.append(["x9", "", "Sở Nội vụ", "", "sai", ""])
    batch = upload(hp, changed)
    fresh = batch_preview(actor=hp.office_user, batch=batch)
    assert fresh.unresolved
    assert fresh.errors
    assert any(t.changes for t in fresh.tasks)
    # when previewed again (another page) / then the kept plan is served, equal in every word
    again = batch_preview(actor=hp.office_user, batch=ImportBatch.objects.get(pk=batch.pk))
    assert again is not fresh
    assert shown(again) == shown(fresh)


def test_the_preview_in_another_language_plans_again(hp):
    from django.utils import translation

    batch = upload(hp, [("1", "Nhiệm vụ", "Sở Nội vụ", "", "sai", "")])
    with translation.override("en"):
        english = batch_preview(actor=hp.office_user, batch=batch)
    with translation.override("vi"):
        vietnamese = batch_preview(actor=hp.office_user, batch=batch)
        assert kept_plan(batch, actor=hp.office_user, language="vi") is not None
    # then the words were made again in Vietnamese, not taken from the English plan
    assert "is not a completion time" in english.errors[0].message
    assert "không phải là thời gian hoàn thành" in vietnamese.errors[0].message
