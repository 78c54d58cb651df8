"""task_bulk_create writes what task_create writes, refuses what it refuses, and keeps the
audit chain verifiable, with a number of queries that does not grow with the tasks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.accounts.models import Role, User
from tiendo.audit.models import AuditEntry
from tiendo.audit.services import head_file
from tiendo.audit.verify import audit_verify
from tiendo.core.deadlines import DeadlineKind
from tiendo.core.errors import PermissionDeniedError
from tiendo.core.models import Classification
from tiendo.orgs.services import unit_close
from tiendo.programs.bulk import BulkValidationError, task_bulk_create
from tiendo.programs.models import Task, TaskCoordination
from tiendo.programs.services import group_create, task_create

from .factories import make_program, make_unit, make_user

pytestmark = pytest.mark.django_db

# Differ by nature between two creations of the same task.
VOLATILE = {"id", "created_at", "updated_at", "assigned_at"}


@pytest.fixture(autouse=True)
def _fresh_head_file():
    head_file().unlink(missing_ok=True)
    yield
    head_file().unlink(missing_ok=True)


@pytest.fixture
def world() -> dict[str, Any]:
    province = make_unit("Province")
    dept = make_unit("Department", parent=province)
    other = make_unit("Other department", parent=province)
    third = make_unit("Third department", parent=province)
    office = make_user(unit=dept, role=Role.STANDING_OFFICE, clearance=Classification.SECRET)
    person = make_user(unit=dept)
    program = make_program(owner=province, standing_office=dept)
    group = group_create(actor=office, program=program, name="Group I", number="I")
    return {
        "province": province,
        "dept": dept,
        "other": other,
        "third": third,
        "office": office,
        "person": person,
        "program": program,
        "group": group,
    }


def sample_rows(w: dict[str, Any]) -> list[dict[str, Any]]:
    full = {
        "lead_unit": w["dept"],
        "assignee": w["person"],
        "accountable_leader": w["person"],
        "product": "Online public services",
        "product_quantity": Decimal("53.00"),
        "product_unit": "services",
    }
    return [
        {"title": "A bare draft"},
        {
            "title": "Assigned with everything",
            "number": "1",
            "group": w["group"],
            "deadline_kind": DeadlineKind.QUARTER,
            "deadline": dt.date(2030, 6, 30),
            "start_date": dt.date(2030, 1, 1),
            "coordinating_units": [w["other"], w["dept"], w["third"], w["other"]],
            "assign": True,
            **full,
        },
        {
            "title": "Ongoing",
            "deadline_kind": DeadlineKind.ONGOING,
            "deadline": dt.date(2030, 1, 1),
        },
        {"title": "A date without a kind", "deadline": dt.date(2031, 3, 4), "kind": "project"},
        {
            "title": "Classified",
            "classification": Classification.CONFIDENTIAL,
            "description": "Kept apart",
            "lead_unit": w["other"],
            "coordinating_units": [w["third"]],
        },
        {"title": "Ignored keys too", "not_a_field": 1, "latest_percent": 100, **full},
    ]


def fields_of(task: Task) -> dict[str, Any]:
    values = {f.attname: getattr(task, f.attname) for f in Task._meta.concrete_fields}
    return {k: v for k, v in values.items() if k not in VOLATILE}


def audit_of(tasks: list[Task]) -> list[tuple[str, dict[str, Any], int]]:
    ids = [str(t.pk) for t in tasks]
    entries = AuditEntry.objects.filter(object_type="programs.task", object_id__in=ids)
    position = {pk: i for i, pk in enumerate(ids)}
    return [
        (
            e.action,
            {k: v for k, v in e.after.items() if k not in VOLATILE},
            position[e.object_id],
        )
        for e in sorted(entries, key=lambda e: e.seq)
    ]


def create_one_by_one(w: dict[str, Any], rows: list[dict[str, Any]]) -> list[Task]:
    return [task_create(actor=w["office"], program=w["program"], **row) for row in rows]


def test_bulk_writes_exactly_what_task_create_writes(world) -> None:
    # Given the same rows
    rows = sample_rows(world)
    # When created one by one and in bulk
    single = create_one_by_one(world, rows)
    bulk = task_bulk_create(actor=world["office"], program=world["program"], rows=rows)
    # Then every stored field is the same
    single = [Task.objects.get(pk=t.pk) for t in single]
    stored = [Task.objects.get(pk=t.pk) for t in bulk]
    assert [fields_of(t) for t in stored] == [fields_of(t) for t in single]
    assert [t.version for t in stored] == [1, 2, 1, 1, 1, 1]
    assert stored[1].assigned_at is not None
    assert stored[0].assigned_at is None
    # and the returned objects are what is stored
    assert [fields_of(t) for t in bulk] == [fields_of(t) for t in stored]
    # and the coordinating units (never the lead, never twice)
    coordination = {
        t.pk: sorted(
            TaskCoordination.objects.filter(task=t).values_list(
                "unit_id", "unit_path", "lead_unit_path"
            )
        )
        for t in [*single, *stored]
    }
    assert [coordination[t.pk] for t in stored] == [coordination[t.pk] for t in single]
    lead = stored[1].lead_unit_path
    assert coordination[stored[1].pk] == [
        (world["other"].pk, world["other"].path, lead),
        (world["third"].pk, world["third"].path, lead),
    ]
    # and the audit entries, in the same order, with the same content
    assert audit_of(stored) == audit_of(single)
    assert [a for a, *_ in audit_of(stored)] == ["task.create", "task.create", "task.assign"] + [
        "task.create"
    ] * 4


def test_the_audit_chain_verifies_after_a_bulk_create(world) -> None:
    # Given tasks created one by one, then in bulk, then one by one again
    create_one_by_one(world, sample_rows(world)[:2])
    task_bulk_create(actor=world["office"], program=world["program"], rows=sample_rows(world) * 5)
    create_one_by_one(world, sample_rows(world)[:1])
    # Then the chain and its sealed head verify
    verdict = audit_verify()
    assert verdict.ok, verdict.problem
    assert verdict.checked == AuditEntry.objects.count()
    call_command("audit-verify")


def bad_rows(w: dict[str, Any]) -> list[dict[str, Any]]:
    closed = make_unit("Closed", parent=w["province"])
    unit_close(unit=closed, effective_on=dt.date(2024, 1, 1))
    closed.refresh_from_db()
    good = sample_rows(w)
    return [
        good[0],
        good[1],
        {"title": "No date for a month", "deadline_kind": DeadlineKind.MONTH},
        good[2],
        {"title": "Nobody", "assignee": User(pk=987654), "lead_unit": w["dept"]},
        {"title": "", "lead_unit": closed},
        {
            "title": "Starts late",
            "start_date": dt.date(2031, 1, 2),
            "deadline": dt.date(2031, 1, 1),
        },
        {"title": "Top secret", "classification": Classification.TOP_SECRET},
        {"title": "Cannot assign", "assign": True},
        {"title": "Negative", "product_quantity": Decimal(-1), "kind": "nonsense"},
    ]


def test_a_bad_row_anywhere_writes_nothing_and_names_each_bad_row(world) -> None:
    # Given rows of which seven are invalid
    rows = bad_rows(world)
    tasks, entries = Task.objects.count(), AuditEntry.objects.count()
    # When created in bulk
    with pytest.raises(BulkValidationError) as caught:
        task_bulk_create(actor=world["office"], program=world["program"], rows=rows)
    # Then nothing is written
    assert (Task.objects.count(), AuditEntry.objects.count()) == (tasks, entries)
    assert TaskCoordination.objects.count() == 0
    # and each invalid row is named by its position with the error task_create gives it
    assert sorted(caught.value.rows) == [2, 4, 5, 6, 7, 8, 9]
    for index, error in caught.value.rows.items():
        with pytest.raises(ValidationError) as single:
            task_create(actor=world["office"], program=world["program"], **rows[index])
        assert _as_dict(error) == _as_dict(single.value), index
    assert "Task 3:" in caught.value.messages[0]


def _as_dict(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"": error.messages}


def test_only_the_programs_managers_create_in_bulk(world) -> None:
    with pytest.raises(PermissionDeniedError):
        task_bulk_create(actor=world["person"], program=world["program"], rows=[{"title": "x"}])
    assert Task.objects.count() == 0


def test_queries_do_not_grow_with_the_number_of_tasks(world) -> None:
    def queries(n: int) -> int:
        rows = [{**r, "title": f"{r['title']} {i}"} for i in range(n) for r in sample_rows(world)]
        with CaptureQueriesContext(connection) as captured:
            task_bulk_create(actor=world["office"], program=world["program"], rows=rows)
        return len(captured)

    queries(1)  # warm the caches
    # SQLite caps the parameters of one statement, so its inserts go in batches of a few
    # dozen rows: no query per task, but a few per batch.
    few, many = queries(2), queries(40)
    assert many <= few + 240 // 20


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    row=st.fixed_dictionaries(
        {
            "deadline_kind": st.sampled_from(["", *DeadlineKind.values]),
            "deadline": st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
            "start_date": st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
            "product_quantity": st.none() | st.decimals(-5, 10**6, places=2),
            "product_unit": st.sampled_from(["", "services"]),
            "assign": st.booleans(),
        }
    )
)
def test_bulk_and_task_create_agree_on_any_dates_and_clears(world, row) -> None:
    # Given any combination of deadline, start date, quantity and assignment
    row = {
        "title": "Any",
        "lead_unit": world["dept"],
        "assignee": world["person"],
        "accountable_leader": world["person"],
        "product": "Something",
        **row,
    }
    # When created both ways
    try:
        created = task_create(actor=world["office"], program=world["program"], **row)
        single: Any = fields_of(Task.objects.get(pk=created.pk))
    except ValidationError as exc:
        single = _as_dict(exc)
    try:
        [task] = task_bulk_create(actor=world["office"], program=world["program"], rows=[row])
        bulk: Any = fields_of(Task.objects.get(pk=task.pk))
    except BulkValidationError as exc:
        bulk = _as_dict(exc.rows[0])
    # Then both accept it with the same result, or both refuse it for the same reasons
    assert bulk == single


def test_the_dashboards_summary_stays_equal_to_a_rebuild(world) -> None:
    from tiendo.dashboards.models import UnitTally, UnitTrend
    from tiendo.dashboards.summary import summary_rebuild

    def tables() -> tuple[set[tuple], set[tuple]]:
        return (
            set(UnitTally.objects.values_list("anc", "child", "kind", "vis", "code", "n", "days")),
            set(UnitTrend.objects.values_list("anc", "own", "vis", "code", "n")),
        )

    # given the summary tables built
    summary_rebuild()
    # when assigned tasks and drafts are created in bulk
    task_bulk_create(actor=world["office"], program=world["program"], rows=sample_rows(world) * 3)
    # then the tables are what a rebuild gives, and they count the assigned tasks
    maintained = tables()
    summary_rebuild()
    assert maintained == tables()
    assert sum(n for *_, n, _days in maintained[0]) > 0
