"""The program and task pages through the real HTTP path, with seeded users of two provinces."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tiendo.accounts.models import Role, User
from tiendo.core.deadlines import DeadlineKind
from tiendo.orgs.models import Unit, UnitKind
from tiendo.programs.models import Program, Task
from tiendo.programs.services import task_set_hold
from tiendo.programs.status import TaskStatus

from .factories import make_program, make_task, make_unit, make_user


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    # The test client leaves the last request's language active in this thread: put the
    # default back so that later tests (in any module) do not run in Vietnamese by accident.
    yield
    translation.deactivate()


PAST = dt.date(2020, 1, 31)
FUTURE = dt.date(2030, 12, 31)


@dataclass
class World:
    province: Unit
    committee: Unit
    office: Unit  # the standing office (Department of Information and Communications)
    department: Unit
    district: Unit
    leader: User  # standing office: plans and assigns
    officer: User  # unit officer of the department
    outsider: User  # officer of another province
    program: Program
    task: Task


def build_world() -> World:
    """Two provinces: A with a program, its standing office and a department; B outside it."""
    province = make_unit("Tỉnh A", kind=UnitKind.PROVINCE)
    committee = make_unit("Ban Chỉ đạo CĐS tỉnh A", parent=province, kind=UnitKind.COMMITTEE)
    office = make_unit("Sở Thông tin và Truyền thông", parent=province)
    department = make_unit("Sở Y tế", parent=province)
    district = make_unit("UBND huyện X", parent=department, kind=UnitKind.DISTRICT)
    leader = make_user("leader", unit=office, role=Role.STANDING_OFFICE)
    officer = make_user("officer", unit=department, role=Role.UNIT_OFFICER)
    other_province = make_unit("Tỉnh B", kind=UnitKind.PROVINCE)
    outsider = make_user("outsider", unit=other_province, role=Role.UNIT_OFFICER)
    program = make_program(
        owner=committee,
        standing_office=office,
        name="Kế hoạch chuyển đổi số",
        decision_number="1982/QĐ-UBND",
        decision_date=dt.date(2022, 7, 29),
        start_year=2022,
        end_year=2025,
        vision_year=2030,
    )
    task = make_task(
        program=program, lead_unit=department, assignee=officer, title="Số hóa hồ sơ bệnh án"
    )
    return World(
        province, committee, office, department, district, leader, officer, outsider, program, task
    )


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def client_for(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


# My tasks -------------------------------------------------------------------------------------


def test_my_tasks_lists_my_open_tasks_overdue_first(world: World) -> None:
    # given an overdue task and one within its deadline, both carried by the officer
    late = make_task(
        program=world.program,
        lead_unit=world.department,
        assignee=world.officer,
        title="Late task",
        deadline=PAST,
    )
    make_task(
        program=world.program, lead_unit=world.department, assignee=world.officer, assign=False
    )
    # when the officer opens the home page
    response = client_for(world.officer).get(reverse("home"), follow=True)
    # then both are listed (not the draft), the overdue one first, with its status as text
    assert response.status_code == 200
    tasks = response.context["mine"]
    assert [t.pk for t in tasks] == [late.pk, world.task.pk]
    html = response.content.decode()
    assert html.index("Late task") < html.index("Số hóa hồ sơ bệnh án")
    assert 'data-status="overdue"' in html


def test_my_tasks_shows_unit_tasks_needing_a_report(world: World) -> None:
    # given a task of the officer's unit carried by somebody else, never reported on
    colleague = make_user(unit=world.department)
    other = make_task(program=world.program, lead_unit=world.district, assignee=colleague)
    # when the officer opens "My tasks"
    response = client_for(world.officer).get(reverse("programs:my_tasks"))
    # then it is listed among the unit's tasks needing a report
    assert [t.pk for t in response.context["to_report"]] == [other.pk]


# Task list ------------------------------------------------------------------------------------


def test_task_list_filters_by_unit_subtree_status_and_text(world: World) -> None:
    # given a task led by a district below the department, and an overdue one
    below = make_task(program=world.program, lead_unit=world.district, title="District portal")
    late = make_task(program=world.program, lead_unit=world.office, deadline=PAST)
    client = client_for(world.leader)
    url = reverse("programs:task_list")
    # when filtering by the department (its subtree), by status, and by free text
    by_unit = client.get(url, {"unit": world.department.pk})
    by_status = client.get(url, {"status": TaskStatus.OVERDUE})
    by_text = client.get(url, {"q": "portal"})
    # then each shows exactly the matching tasks, with the total count
    assert {t.pk for t in by_unit.context["tasks"]} == {world.task.pk, below.pk}
    assert [t.pk for t in by_status.context["tasks"]] == [late.pk]
    assert [t.pk for t in by_text.context["tasks"]] == [below.pk]
    assert by_unit.context["page_obj"].paginator.count == 2


def test_task_list_invalid_filters_give_clear_messages_not_errors(world: World) -> None:
    # given nonsense in every kind of filter
    params = {
        "program": "abc",
        "status": "sleeping",
        "deadline_from": "32/13/2024",
        "overdue": "maybe",
    }
    # when the list is requested
    response = client_for(world.officer).get(reverse("programs:task_list"), params)
    # then it answers normally with a message per filter and no tasks
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"program", "status", "deadline_from", "overdue"}
    assert response.context["tasks"] == []
    assert "Some filters are not valid" in response.content.decode()


def test_task_list_invalid_filter_message_is_in_vietnamese(world: World) -> None:
    response = client_for(world.officer, "vi").get(
        reverse("programs:task_list"), {"deadline_to": "hôm qua"}
    )
    assert response.status_code == 200
    assert "Một số bộ lọc không hợp lệ" in response.content.decode()


def test_task_list_answers_htmx_with_the_results_only(world: World) -> None:
    response = client_for(world.leader).get(
        reverse("programs:task_list"), {"q": "bệnh án"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Số hóa hồ sơ bệnh án" in html


def test_task_list_paginates_fifty_per_page(world: World) -> None:
    for _ in range(50):
        make_task(program=world.program, lead_unit=world.office, actor=world.leader)
    client = client_for(world.leader)
    first = client.get(reverse("programs:task_list"))
    second = client.get(reverse("programs:task_list"), {"page": 2})
    assert len(first.context["tasks"]) == 50
    assert len(second.context["tasks"]) == 1
    assert first.context["page_obj"].paginator.count == 51
    assert "51" in first.content.decode()


def _queries(client: Client, url: str, params: dict[str, object] | None = None) -> int:
    client.get(url, params)  # warm the session and caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


# What a list page costs whatever the number of rows: session, user and memberships (3); the
# scope's small facts (up to 3); the filter choices validated and rendered (up to 6); count
# and page (2); the notification badge (1); the session saved on every request (3).
LIST_PAGE_MAX_QUERIES = 20


def test_task_list_query_count_does_not_grow_with_rows(
    world: World, django_assert_max_num_queries: object
) -> None:
    # given a filtered list of one task, counted
    client = client_for(world.leader)
    url = reverse("programs:task_list")
    params = {"program": world.program.pk, "unit": world.province.pk, "status": "not_started"}
    few = _queries(client, url, params)
    # when forty more tasks in several units match
    for i in range(40):
        make_task(
            program=world.program,
            lead_unit=world.district if i % 2 else world.office,
            actor=world.leader,
        )
    # then the page takes the same, small number of queries
    assert _queries(client, url, params) == few
    with django_assert_max_num_queries(LIST_PAGE_MAX_QUERIES):  # type: ignore[operator]
        response = client.get(url, params)
    assert len(response.context["tasks"]) == 41


def test_my_tasks_query_count_does_not_grow_with_rows(
    world: World, django_assert_max_num_queries: object
) -> None:
    client = client_for(world.officer)
    url = reverse("programs:my_tasks")
    few = _queries(client, url)
    for _ in range(30):
        make_task(program=world.program, lead_unit=world.department, assignee=world.officer)
    assert _queries(client, url) == few
    with django_assert_max_num_queries(LIST_PAGE_MAX_QUERIES):  # type: ignore[operator]
        response = client.get(url)
    assert response.context["mine_count"] == 31


def test_program_list_query_count_does_not_grow_with_rows(
    world: World, django_assert_max_num_queries: object
) -> None:
    client = client_for(world.leader)
    url = reverse("programs:program_list")
    few = _queries(client, url)
    for _ in range(15):
        make_program(owner=world.committee, standing_office=world.office)
    assert _queries(client, url) == few
    with django_assert_max_num_queries(LIST_PAGE_MAX_QUERIES):  # type: ignore[operator]
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 16


# Access ---------------------------------------------------------------------------------------


def _without_tokens(html: str) -> str:
    """The page without what differs by request: CSRF tokens and the language switch's return path."""
    return re.sub(
        r'(csrfmiddlewaretoken" value=|X-CSRFToken": |name="next" value=)"[^"]+"', "", html
    )


def test_officer_of_another_province_gets_404_for_task_program_and_edit(world: World) -> None:
    client = client_for(world.outsider)
    urls = [
        reverse("programs:task_detail", args=[world.task.pk]),
        reverse("programs:task_edit", args=[world.task.pk]),
        reverse("programs:program_detail", args=[world.program.pk]),
        reverse("programs:program_edit", args=[world.program.pk]),
        reverse("programs:task_create", args=[world.program.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    # the same page as for an id that does not exist (CSRF tokens aside): nothing leaks
    hidden = _without_tokens(client.get(urls[0]).content.decode())
    missing = _without_tokens(
        client.get(reverse("programs:task_detail", args=[999999])).content.decode()
    )
    assert "outside the units you work with" in hidden
    assert hidden == missing
    post = client.post(
        reverse("programs:progress_submit", args=[world.task.pk]),
        {"as_of": "2024-01-01", "percent": 50},
    )
    assert post.status_code == 404
    assert not world.task.updates.exists()


def test_lists_never_show_another_provinces_records(world: World) -> None:
    client = client_for(world.outsider)
    tasks = client.get(reverse("programs:task_list"))
    programs = client.get(reverse("programs:program_list"))
    by_id = client.get(reverse("programs:task_list"), {"program": world.program.pk})
    assert tasks.context["page_obj"].paginator.count == 0
    assert list(programs.context["programs"]) == []
    assert "program" in by_id.context["form"].errors  # not even selectable
    assert "Số hóa hồ sơ" not in tasks.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(world: World) -> None:
    response = Client().get(reverse("programs:task_detail", args=[world.task.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_officer_who_may_see_but_not_manage_gets_friendly_403(world: World) -> None:
    client = client_for(world.officer)
    edit = client.get(reverse("programs:task_edit", args=[world.task.pk]))
    extend = client.post(
        reverse("programs:task_extend", args=[world.task.pk]),
        {"deadline_text": "2031", "reason": "late", "version": world.task.version},
    )
    assert edit.status_code == 403
    assert "You cannot change this task." in edit.content.decode()
    assert extend.status_code == 403
    world.task.refresh_from_db()
    assert world.task.deadline == FUTURE


# Task page ------------------------------------------------------------------------------------


def test_task_page_shows_the_five_clears(world: World) -> None:
    world.task.coordinating_units.add(world.office, through_defaults={"unit_path": "x"})
    response = client_for(world.officer).get(world.task.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Clear work", "Clear person", "Clear responsibility", "Clear time"):
        assert text in html
    assert "Sở Y tế" in html
    assert "Sở Thông tin và Truyền thông" in html
    assert "Report progress" in html  # the officer may report


def test_draft_task_lists_missing_clears_and_offers_assign_to_leader(world: World) -> None:
    draft = make_task(
        program=world.program,
        lead_unit=world.department,
        actor=world.leader,
        assign=False,
        product="",
        deadline_kind="",
        deadline=None,
    )
    leader_page = client_for(world.leader).get(draft.get_absolute_url()).content.decode()
    officer_page = client_for(world.officer).get(draft.get_absolute_url()).content.decode()
    assert "clear time: no deadline" in leader_page
    assert "clear product: the expected product is not described" in leader_page
    assert reverse("programs:task_assign", args=[draft.pk]) in leader_page
    assert reverse("programs:task_assign", args=[draft.pk]) not in officer_page


def test_assign_with_missing_clears_is_refused_with_the_list(world: World) -> None:
    draft = make_task(program=world.program, lead_unit=world.department, assign=False, product="")
    response = client_for(world.leader).post(
        reverse("programs:task_assign", args=[draft.pk]), {"version": draft.version}, follow=True
    )
    draft.refresh_from_db()
    assert draft.is_draft
    assert "cannot be assigned until its five clears are complete" in response.content.decode()


def test_extend_deadline_needs_a_reason_and_keeps_the_original(world: World) -> None:
    client = client_for(world.leader)
    url = reverse("programs:task_extend", args=[world.task.pk])
    # when the reason is missing, then nothing changes and the field says why
    refused = client.post(url, {"deadline_text": "Quý I/2031", "version": world.task.version})
    assert refused.status_code == 400
    assert refused.context["extend_form"].errors["reason"]
    # when a reason is given, then the deadline moves and the original is kept and shown
    done = client.post(
        url,
        {"deadline_text": "Quý I/2031", "reason": "Vốn chậm", "version": world.task.version},
        follow=True,
    )
    world.task.refresh_from_db()
    assert world.task.deadline == dt.date(2031, 3, 31)
    assert world.task.original_deadline == FUTURE
    html = done.content.decode()
    assert "Vốn chậm" in html
    assert "Original deadline" in html


def test_pause_then_resume_with_reasons(world: World) -> None:
    client = client_for(world.leader)
    url = reverse("programs:task_hold", args=[world.task.pk])
    client.post(url, {"state": "paused", "reason": "Chờ vốn", "version": world.task.version})
    world.task.refresh_from_db()
    assert world.task.hold_state == "paused"
    page = client.post(
        url, {"state": "resume", "reason": "Đã có vốn", "version": world.task.version}, follow=True
    )
    world.task.refresh_from_db()
    assert world.task.hold_state == ""
    assert "Chờ vốn" in page.content.decode()
    assert "Resumed" in page.content.decode()


def test_stale_hold_form_is_refused(world: World) -> None:
    stale = world.task.version
    task_set_hold(
        actor=world.leader, task=world.task, version=stale, state="paused", reason="first"
    )
    response = client_for(world.leader).post(
        reverse("programs:task_hold", args=[world.task.pk]),
        {"state": "cancelled", "reason": "second", "version": stale},
    )
    world.task.refresh_from_db()
    assert response.status_code == 400
    assert world.task.hold_state == "paused"
    assert "Someone else changed this record" in response.content.decode()


def test_deadline_preview_explains_what_was_understood(world: World) -> None:
    client = client_for(world.leader, "vi")
    url = reverse("programs:deadline_preview")
    good = client.get(url, {"deadline_text": "Quý II/2024"}).content.decode()
    bad = client.get(url, {"deadline_text": "sắp tới"}).content.decode()
    assert "Quý II/2024" in good
    assert "30/06/2024" in good  # as officials write dates (config/formats/vi)
    assert "sắp tới" in bad
    assert "preview bad" in bad


# Task form ------------------------------------------------------------------------------------


def _task_post(world: World, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "task",
        "title": "Xây dựng kho dữ liệu y tế",
        "lead_unit": world.department.pk,
        "coordinating_units": [world.office.pk, world.district.pk],
        "accountable_leader": world.officer.pk,
        "assignee": world.officer.pk,
        "deadline_text": "Quý II/2024",
        "product": "Kho dữ liệu",
        "product_quantity": "1",
        "product_unit": "kho",
        "classification": 0,
        "action": "assign",
    }
    data.update(overrides)
    return data


def test_create_task_with_fuzzy_deadline_and_assign(world: World) -> None:
    response = client_for(world.leader).post(
        reverse("programs:task_create", args=[world.program.pk]), _task_post(world)
    )
    task = Task.objects.get(title="Xây dựng kho dữ liệu y tế")
    assert response.status_code == 302
    assert not task.is_draft
    assert (task.deadline_kind, task.deadline) == (DeadlineKind.QUARTER, dt.date(2024, 6, 30))
    assert set(task.coordinating_units.values_list("pk", flat=True)) == {
        world.office.pk,
        world.district.pk,
    }


def test_save_as_draft_allows_missing_clears(world: World) -> None:
    data = _task_post(world, action="draft", product="", deadline_text="", assignee="")
    client_for(world.leader).post(reverse("programs:task_create", args=[world.program.pk]), data)
    task = Task.objects.get(title="Xây dựng kho dữ liệu y tế")
    assert task.is_draft
    assert task.deadline_kind == ""


def test_save_and_assign_with_missing_clears_writes_nothing(world: World) -> None:
    data = _task_post(world, product="")
    response = client_for(world.leader).post(
        reverse("programs:task_create", args=[world.program.pk]), data
    )
    assert response.status_code == 400
    assert "clear product" in response.content.decode()
    assert not Task.objects.filter(title="Xây dựng kho dữ liệu y tế").exists()


def test_unreadable_deadline_is_a_field_error_in_vietnamese(world: World) -> None:
    response = client_for(world.leader, "vi").post(
        reverse("programs:task_create", args=[world.program.pk]),
        _task_post(world, deadline_text="cuối năm sau"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["deadline_text"]
    assert "không phải là thời gian hoàn thành" in errors[0]


def test_stale_task_edit_is_refused_and_overwrites_nothing(world: World) -> None:
    # given two leaders who opened the edit form at the same version
    client = client_for(world.leader)
    url = reverse("programs:task_edit", args=[world.task.pk])
    version = client.get(url).context["form"].initial["version"]
    first = _task_post(world, title="First title", version=version, action="draft")
    second = _task_post(world, title="Second title", version=version, action="draft")
    first.pop("deadline_text")
    second.pop("deadline_text")
    # when both save, one after the other
    ok = client.post(url, first)
    stale = client.post(url, second)
    # then the second is refused with a clear message and the first edit stays
    world.task.refresh_from_db()
    assert ok.status_code == 302
    assert stale.status_code == 409
    assert "Someone else changed this record" in stale.content.decode()
    assert world.task.title == "First title"


# Programs -------------------------------------------------------------------------------------


def test_program_page_shows_legal_basis_horizon_and_traceable_counts(world: World) -> None:
    from tiendo.programs.services import group_create

    group = group_create(
        actor=world.leader, program=world.program, name="Chính quyền số", number="II"
    )
    sub = group_create(actor=world.leader, program=world.program, name="Y tế số", parent=group)
    make_task(program=world.program, lead_unit=world.office, group=sub, deadline=PAST)
    client = client_for(world.leader)
    response = client.get(world.program.get_absolute_url())
    html = response.content.decode()
    assert "1982/QĐ-UBND, 29/7/2022" in html
    assert "to 2025, vision 2030" in html
    # the group row counts its sub-group's overdue task, and its link opens exactly that list
    row = next(r for r in response.context["tree"] if r["group"] == group)
    overdue = next(c for c in row["counts"] if c["status"] == TaskStatus.OVERDUE)
    listed = client.get(overdue["url"]).context["page_obj"].paginator.count
    assert overdue["count"] == listed == 1
    assert (
        response.context["total"]
        == client.get(response.context["total_url"]).context["page_obj"].paginator.count
    )


def test_create_program_and_group(world: World) -> None:
    client = client_for(world.leader)
    response = client.post(
        reverse("programs:program_create"),
        {
            "code": "ke-hoach-2024",
            "name": "Kế hoạch 2024",
            "kind": "plan",
            "owner_unit": world.committee.pk,
            "standing_office": world.office.pk,
            "decision_number": "12/KH-UBND",
            "start_year": 2024,
            "end_year": 2025,
            "classification": 0,
        },
    )
    program = Program.objects.get(code="ke-hoach-2024")
    assert response.status_code == 302
    client.post(
        reverse("programs:group_create", args=[program.pk]), {"name": "Hạ tầng số", "number": "I"}
    )
    assert [g.name for g in program.groups.all()] == ["Hạ tầng số"]


def test_program_years_out_of_order_is_a_field_error(world: World) -> None:
    response = client_for(world.leader).post(
        reverse("programs:program_create"),
        {
            "code": "bad",
            "name": "Bad",
            "kind": "plan",
            "owner_unit": world.committee.pk,
            "start_year": 2025,
            "end_year": 2020,
            "classification": 0,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["end_year"]
    assert not Program.objects.filter(code="bad").exists()


def test_stale_program_edit_is_refused(world: World) -> None:
    client = client_for(world.leader)
    url = reverse("programs:program_edit", args=[world.program.pk])
    initial = client.get(url).context["form"].initial
    data = {k: ("" if v is None else v) for k, v in initial.items() if k not in ("decision_date",)}
    data["decision_date"] = "2022-07-29"
    assert client.post(url, {**data, "name": "First"}).status_code == 302
    stale = client.post(url, {**data, "name": "Second"})
    world.program.refresh_from_db()
    assert stale.status_code == 409
    assert world.program.name == "First"


def test_officer_cannot_create_programs(world: World) -> None:
    response = client_for(world.officer).get(reverse("programs:program_create"))
    assert response.status_code == 403


def test_quantities_use_the_locale_format(world: World) -> None:
    world.task.product_quantity = Decimal("1234.5")
    world.task.save(update_fields=["product_quantity"])
    html = client_for(world.officer, "vi").get(world.task.get_absolute_url()).content.decode()
    assert "1234,5" in html
