"""The benchmark dataset at a tiny scale: loaded through the bulk path, it is what the app writes.

The benchmarks are only meaningful if the generated rows are rows the app could have written:
task facts agree with the progress history, copied paths agree with the unit tree, assigned
tasks have their five clears, and the benchmark's raw SQL counts what the app counts.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F

from bench.cases import (
    app_counts,
    app_task_page,
    raw_counts,
    raw_task_page,
    viewers,
)
from bench.dataset import HISTORY_END, Dataset
from bench.loader import first_ids, load
from tiendo.core.fields import common_depth
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for
from tiendo.programs.models import ProgressUpdate, Task, TaskCoordination, TaskGroup
from tiendo.programs.selectors import TaskFilters
from tiendo.programs.services import _refresh_progress_facts, missing_clears
from tiendo.programs.status import TaskStatus

pytestmark = pytest.mark.django_db

SCALE = 0.0005  # 500 tasks, ~5,000 progress updates, a narrow tree of two provinces
FACTS = ("latest_percent", "latest_quantity", "latest_progress_on", "started_on", "completed_on")


@pytest.fixture
def dataset() -> dict[str, int]:
    data = Dataset(
        scale=SCALE, first_ids=first_ids(), aware=connection.vendor == "postgresql", seed=7
    )
    return load(data)


def test_rows_are_loaded_in_the_expected_amounts(dataset):
    # given the tiny dataset (fixture)
    # then every table got rows, tasks exactly as many as the scale asks
    assert dataset["programs_task"] == Task.objects.count() == 500
    assert dataset["programs_progressupdate"] == ProgressUpdate.objects.count() > 2_000
    assert Unit.objects.count() == dataset["orgs_unit"] > 50
    assert dataset["programs_deadlineextension"] > 0
    assert dataset["programs_holdchange"] > 0
    assert dataset["programs_taskcoordination"] > 0


def test_task_facts_agree_with_the_history(dataset):
    # given the loaded tasks and their facts as generated
    tasks = list(Task.objects.order_by("pk"))
    generated = {t.pk: tuple(getattr(t, f) for f in FACTS) for t in tasks}
    # when the app recomputes the facts from each task's history
    for task in tasks:
        _refresh_progress_facts(task)
    # then nothing changes, and the histories include completions, corrections and gaps
    recomputed = {t.pk: tuple(getattr(t, f) for f in FACTS) for t in Task.objects.order_by("pk")}
    assert recomputed == generated
    assert sum(1 for f in generated.values() if f[4] is not None) > 50
    assert sum(1 for f in generated.values() if f[0] is None) > 10
    assert ProgressUpdate.objects.filter(as_of__gt=HISTORY_END).count() == 0


def test_copied_paths_and_tree_agree(dataset):
    # given the loaded tree, tasks, coordinations and groups
    # then every copied path is the unit's path, and paths and depths follow the parents
    for unit in Unit.objects.select_related("parent"):
        parent_path = unit.parent.path if unit.parent else "/"
        assert unit.path == f"{parent_path}{unit.pk}/"
        assert unit.depth == (unit.parent.depth + 1 if unit.parent else 0)
    assert not Task.objects.exclude(lead_unit_path=F("lead_unit__path")).exists()
    assert not TaskCoordination.objects.exclude(unit_path=F("unit__path")).exists()
    assert not TaskCoordination.objects.exclude(lead_unit_path=F("task__lead_unit_path")).exists()
    assert all(
        c.common_depth == common_depth(c.unit_path, c.lead_unit_path)
        for c in TaskCoordination.objects.all()
    )
    for group in TaskGroup.objects.select_related("parent"):
        assert group.path == f"{group.parent.path if group.parent else '/'}{group.pk}/"


def test_assigned_tasks_have_their_five_clears_and_original_deadline(dataset):
    # given the assigned tasks
    assigned = Task.objects.filter(assigned_at__isnull=False)
    # then each keeps its five clears and an original deadline no later than the current one
    assert all(missing_clears(t) == [] for t in assigned)
    for task in assigned:
        assert task.original_deadline_kind
        if task.deadline is not None and task.original_deadline is not None:
            assert task.original_deadline <= task.deadline
    assert Task.objects.filter(assigned_at__isnull=True).exists()
    kinds = set(Task.objects.values_list("deadline_kind", flat=True))
    assert {"date", "month", "quarter", "year", "ongoing"} <= kinds


@pytest.mark.parametrize("who", ["nation", "province", "district"])
def test_app_figures_equal_the_raw_sql(dataset, who):
    # given a benchmark viewer and a reference date inside the generated period
    on = dt.date(2025, 6, 30)
    scope = scope_for(viewers()[who])
    # when the app and the hand-written SQL count statuses and list overdue tasks
    counts = app_counts(scope, on)
    page = app_task_page(scope, TaskFilters(status=TaskStatus.OVERDUE), on)
    # then they agree, and the viewer sees something
    assert counts == raw_counts(scope, on)
    assert page == raw_task_page(scope, TaskStatus.OVERDUE, on)
    assert page[0] > 0
    assert sum(sum(row[1:]) for row in counts) > 0
