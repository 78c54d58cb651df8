"""Tasks over the API: lists with filters and counts, detail, create, edit, assign, extend, hold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tiendo.accounts.models import Role
from tiendo.core.models import Classification
from tiendo.programs.models import DeadlineExtension, HoldChange, Task
from tiendo.programs.services import progress_submit
from tiendo.programs.tests.factories import make_task, make_user

from .helpers import World, full_task_body

pytestmark = pytest.mark.django_db


# Reading and scoping -----------------------------------------------------------------------


def test_commune_officer_cannot_read_another_provinces_task(world: World) -> None:
    response = world.api(world.officer_a).get(f"/tasks/{world.task_b.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_list_and_count_hide_other_provinces(world: World) -> None:
    body = world.api(world.officer_a).get("/tasks").json()
    assert body["count"] == 1
    assert [t["id"] for t in body["items"]] == [world.task_a.pk]
    # Even when filtering explicitly on the other program
    other = world.api(world.officer_a).get("/tasks", program=world.program_b.pk).json()
    assert other == {"count": 0, "items": [], "limit": 50, "offset": 0}


def test_classified_task_is_invisible_without_clearance(world: World) -> None:
    secret = make_task(
        program=world.program_a,
        lead_unit=world.commune_a,
        actor=world.admin,
        assignee=world.officer_a,
        classification=Classification.SECRET,
    )
    api = world.api(world.officer_a)
    assert api.get(f"/tasks/{secret.pk}").status_code == 404
    assert api.get("/tasks").json()["count"] == 1
    # Given clearance, the same officer sees it
    world.officer_a.clearance = Classification.SECRET
    world.officer_a.save()
    assert world.api(world.officer_a).get(f"/tasks/{secret.pk}").status_code == 200


def test_list_item_carries_status_deadline_and_progress_facts(world: World) -> None:
    progress_submit(actor=world.officer_a, task=world.task_a, as_of=dt.date(2024, 5, 1), percent=40)
    item = world.api(world.officer_a).get("/tasks").json()["items"][0]
    assert item["status"] == "in_progress"
    assert item["status_label"] == "In progress"
    assert (item["deadline_kind"], item["deadline"]) == ("date", "2030-12-31")
    assert item["deadline_label"]
    assert item["latest_percent"] == 40
    assert item["started_on"] == "2024-05-01"
    assert item["missing_clears"] == []
    assert item["program"] == {"id": world.program_a.pk, "code": "pa", "name": world.program_a.name}


def test_filters_match_the_selector(world: World) -> None:
    overdue = make_task(
        program=world.program_a,
        lead_unit=world.commune_a,
        actor=world.admin,
        assignee=world.officer_a,
        deadline=dt.date(2020, 1, 31),
        title="Old paperwork",
    )
    api = world.api(world.standing)
    assert [t["id"] for t in api.get("/tasks", status="overdue").json()["items"]] == [overdue.pk]
    assert [t["id"] for t in api.get("/tasks", overdue="true").json()["items"]] == [overdue.pk]
    assert api.get("/tasks", overdue="false").json()["count"] == 1
    assert api.get("/tasks", q="paperwork").json()["count"] == 1
    assert api.get("/tasks", deadline_to="2021-01-01").json()["count"] == 1
    assert api.get("/tasks", deadline_from="2021-01-01").json()["count"] == 1
    assert api.get("/tasks", unit=world.district_a.pk).json()["count"] == 2
    assert api.get("/tasks", assignee=world.officer_a.pk, kind="task").json()["count"] == 2
    assert api.get("/tasks", kind="pilot").json()["count"] == 0


def test_pagination_counts_all_pages(world: World) -> None:
    for _ in range(4):
        make_task(program=world.program_a, lead_unit=world.commune_a, actor=world.admin)
    api = world.api(world.standing)
    first = api.get("/tasks", limit=2).json()
    last = api.get("/tasks", limit=2, offset=4).json()
    assert (first["count"], len(first["items"])) == (5, 2)
    assert (last["count"], len(last["items"])) == (5, 1)
    ids = {t["id"] for t in first["items"] + api.get("/tasks", limit=2, offset=2).json()["items"]}
    assert len(ids | {t["id"] for t in last["items"]}) == 5
    assert api.get("/tasks", limit=501).status_code == 422


def test_task_list_query_count_does_not_grow_with_rows(world: World) -> None:
    api = world.api(world.standing)
    api.get("/tasks")  # warm the token's last-used write
    with CaptureQueriesContext(connection) as few:
        api.get("/tasks")
    drafts = set()
    for i in range(6):
        task = make_task(
            program=world.program_a,
            lead_unit=world.commune_a,
            actor=world.admin,
            assign=i % 2 == 0,
            **({} if i % 2 == 0 else {"product": "", "accountable_leader": None}),
        )
        if i % 2:
            drafts.add(task.pk)
    with CaptureQueriesContext(connection) as many:
        body = api.get("/tasks", limit=100).json()
    assert len(many) == len(few)
    # drafts list what they lack, read from the same row (no query per task)
    lacking = {t["id"]: t["missing_clears"] for t in body["items"] if t["id"] in drafts}
    assert len(lacking) == 3
    for missing in lacking.values():
        assert any("accountable leader" in m for m in missing)
        assert any("expected product" in m for m in missing)


def test_task_detail(world: World) -> None:
    body = world.api(world.officer_a).get(f"/tasks/{world.task_a.pk}").json()
    assert body["title"] == world.task_a.title
    assert body["lead_unit"] == {"id": world.commune_a.pk, "name": "Commune A"}
    assert body["can_edit"] is False
    assert body["can_report_progress"] is True
    assert body["product"] == "Paperless public services"


# Writing -----------------------------------------------------------------------------------


def test_create_draft_lists_missing_clears(world: World) -> None:
    response = world.api(world.standing).post(
        "/tasks", {"program": world.program_a.pk, "title": "Half-planned"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["assigned_at"] is None
    assert any(m.startswith("clear person") for m in body["missing_clears"])


def test_create_and_assign_with_fuzzy_deadline(world: World) -> None:
    body = full_task_body(world, assign=True, coordinating_units=[world.dept_a.pk])
    response = world.api(world.standing).post("/tasks", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "not_started"
    assert (created["deadline_kind"], created["deadline"]) == ("quarter", "2031-06-30")
    assert created["deadline_label"] == "Quarter II/2031"
    assert created["coordinating_units"] == [{"id": world.dept_a.pk, "name": "Department A"}]
    assert Task.objects.get(pk=created["id"]).product_quantity == Decimal(1200)


def test_deadline_kind_and_date_are_normalised_to_the_period_end(world: World) -> None:
    body = full_task_body(world, deadline_text=None, deadline_kind="month", deadline="2031-02-03")
    created = world.api(world.standing).post("/tasks", body).json()
    assert (created["deadline_kind"], created["deadline"]) == ("month", "2031-02-28")


def test_assign_without_five_clears_is_422_and_nothing_written(world: World) -> None:
    before = Task.objects.count()
    body = full_task_body(world, assign=True, product="")
    response = world.api(world.standing).post("/tasks", body)
    assert response.status_code == 422
    assert "clear product" in response.json()["detail"]
    assert Task.objects.count() == before


def test_officer_cannot_create_tasks(world: World) -> None:
    response = world.api(world.officer_a).post("/tasks", full_task_body(world))
    assert response.status_code == 403


def test_references_outside_reach_are_field_errors(world: World) -> None:
    body = full_task_body(world, lead_unit=world.commune_b.pk, assignee=world.officer_b.pk)
    response = world.api(world.standing).post("/tasks", body)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"lead_unit"}
    response = world.api(world.standing).post(
        "/tasks", full_task_body(world, assignee=world.officer_b.pk)
    )
    assert set(response.json()["errors"]) == {"assignee"}
    response = world.api(world.standing).post(
        "/tasks", full_task_body(world, program=world.program_b.pk)
    )
    assert set(response.json()["errors"]) == {"program"}


def test_fields_a_caller_may_not_set_are_ignored(world: World) -> None:
    body = full_task_body(
        world,
        assigned_at="2020-01-01T00:00:00Z",
        completed_on="2020-01-01",
        hold_state="cancelled",
        version=99,
        latest_percent=100,
    )
    created = world.api(world.standing).post("/tasks", body).json()
    task = Task.objects.get(pk=created["id"])
    assert (task.assigned_at, task.completed_on, task.hold_state) == (None, None, "")
    assert (task.version, task.latest_percent) == (1, None)


def test_patch_with_version_then_409_on_stale(world: World) -> None:
    api = world.api(world.standing)
    path = f"/tasks/{world.task_a.pk}"
    version = api.get(path).json()["version"]
    ok = api.patch(
        path, {"version": version, "title": "Sharper title", "completed_on": "2020-01-01"}
    )
    assert ok.status_code == 200, ok.content
    assert (ok.json()["title"], ok.json()["version"]) == ("Sharper title", version + 1)
    assert ok.json()["completed_on"] is None
    stale = api.patch(path, {"version": version, "title": "Lost update"})
    assert stale.status_code == 409
    assert Task.objects.get(pk=world.task_a.pk).title == "Sharper title"


def test_patch_cannot_move_the_deadline_of_an_assigned_task(world: World) -> None:
    api = world.api(world.standing)
    response = api.patch(
        f"/tasks/{world.task_a.pk}", {"version": world.task_a.version, "deadline_text": "Năm 2035"}
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) <= {"deadline", "deadline_kind"}
    assert Task.objects.get(pk=world.task_a.pk).deadline == dt.date(2030, 12, 31)


def test_patch_of_invisible_task_is_404_and_officer_is_403(world: World) -> None:
    assert (
        world.api(world.standing).patch(f"/tasks/{world.task_b.pk}", {"version": 1}).status_code
        == 404
    )
    assert (
        world.api(world.officer_a).patch(f"/tasks/{world.task_a.pk}", {"version": 1}).status_code
        == 403
    )


def test_assign_a_draft(world: World) -> None:
    api = world.api(world.standing)
    draft = api.post("/tasks", full_task_body(world)).json()
    assert draft["status"] == "draft"
    response = api.post(f"/tasks/{draft['id']}/assign", {"version": draft["version"]})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "not_started"
    again = api.post(f"/tasks/{draft['id']}/assign", {"version": response.json()["version"]})
    assert again.status_code == 422


def test_extension_keeps_the_original_deadline(world: World) -> None:
    api = world.api(world.standing)
    response = api.post(
        f"/tasks/{world.task_a.pk}/extensions",
        {
            "version": world.task_a.version,
            "deadline_text": "Quý I/2032",
            "reason": "Budget arrived late",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["new_deadline"] == "2032-03-31"
    detail = api.get(f"/tasks/{world.task_a.pk}").json()
    assert detail["original_deadline"] == "2030-12-31"
    assert detail["deadline_extended"] is True
    assert DeadlineExtension.objects.filter(task=world.task_a).count() == 1


def test_extension_without_reason_is_422(world: World) -> None:
    response = world.api(world.standing).post(
        f"/tasks/{world.task_a.pk}/extensions",
        {
            "version": world.task_a.version,
            "deadline": "2032-01-01",
            "deadline_kind": "date",
            "reason": " ",
        },
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["reason"]
    assert not DeadlineExtension.objects.exists()


def test_hold_pause_and_resume(world: World) -> None:
    api = world.api(world.standing)
    paused = api.post(
        f"/tasks/{world.task_a.pk}/hold",
        {"version": world.task_a.version, "state": "paused", "reason": "Merger"},
    )
    assert paused.status_code == 201, paused.content
    assert api.get(f"/tasks/{world.task_a.pk}").json()["status"] == "paused"
    resumed = api.post(
        f"/tasks/{world.task_a.pk}/hold",
        {"version": paused.json()["task_version"], "state": "", "reason": "Merger done"},
    )
    assert resumed.status_code == 201
    assert HoldChange.objects.filter(task=world.task_a).count() == 2


def test_hold_with_unknown_state_is_422(world: World) -> None:
    response = world.api(world.standing).post(
        f"/tasks/{world.task_a.pk}/hold",
        {"version": world.task_a.version, "state": "frozen", "reason": "x"},
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["state"]


def test_unit_leader_cannot_hold_a_task(world: World) -> None:
    leader = make_user("leader_a", unit=world.commune_a, role=Role.UNIT_LEADER)
    response = world.api(leader).post(
        f"/tasks/{world.task_a.pk}/hold",
        {"version": world.task_a.version, "state": "paused", "reason": "x"},
    )
    assert response.status_code == 403
    assert not HoldChange.objects.exists()
