"""The program picker: ``/programs/pick/`` searches the programs a user sees, and the task
list's program filter renders the chosen program and a search box, not a ``<select>`` of every
program (a thousand nationally: their query was a tenth of the task list page)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tiendo.accounts.models import Role, User
from tiendo.core.models import Classification
from tiendo.core.picker import PICK_LIMIT
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for
from tiendo.programs.forms import TaskFilterForm
from tiendo.programs.models import Program, Task
from tiendo.programs.selectors import program_list, program_search
from tiendo.programs.services import group_create

from .factories import make_admin, make_program, make_task, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _restore_language():  # type: ignore[no-untyped-def]
    yield
    translation.deactivate()


@dataclass
class World:
    province: Unit
    district: Unit
    plan: Program  # the province's own plan
    national: Program  # another owner's program with a task led in the province
    other: Program  # another province's plan: nothing of it is visible
    secret: Program  # the province's, classified above the leader's clearance
    leader: User  # committee leader of the province
    officer: User  # officer of the district
    task: Task  # of the national program, led by the district


@pytest.fixture
def world() -> World:
    admin = make_admin()
    ministry = make_unit("Bộ Thông tin và Truyền thông", kind="ministry")
    province = make_unit("Tỉnh Bình Minh", kind="province")
    district = make_unit("Huyện Đông Hà", parent=province, kind="district")
    other_province = make_unit("Tỉnh Trường Sơn", kind="province")
    plan = make_program(
        owner=province, actor=admin, code="KH-CDS-BM", name="Kế hoạch chuyển đổi số tỉnh"
    )
    national = make_program(
        owner=ministry, actor=admin, code="DA06", name="Đề án 06 dữ liệu dân cư"
    )
    other = make_program(
        owner=other_province, actor=admin, code="KH-CDS-TS", name="Kế hoạch chuyển đổi số TS"
    )
    secret = make_program(
        owner=province,
        actor=admin,
        code="KH-MAT",
        name="Kế hoạch bảo mật",
        classification=Classification.SECRET,
    )
    task = make_task(program=national, lead_unit=district, actor=admin, title="Cấp CCCD")
    make_task(program=other, lead_unit=other_province, actor=admin)
    leader = make_user("lanhdao.bm", unit=province, role=Role.COMMITTEE_LEADER)
    officer = make_user("canbo.dh", unit=district, role=Role.UNIT_OFFICER)
    return World(province, district, plan, national, other, secret, leader, officer, task)


def client_for(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def picked(client: Client, q: str) -> list[int]:
    response = client.get(reverse("programs:program_pick"), {"q": q}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return [int(v) for v in re.findall(r'role="option"[^>]*data-value="(\d+)"', response.text)]


def test_search_ignores_accents_and_case_and_finds_codes(world: World) -> None:
    client = client_for(world.leader)
    assert picked(client, "chuyen doi so") == [world.plan.pk]
    assert picked(client, "KẾ HOẠCH") == [world.plan.pk]
    assert picked(client, "da06") == [world.national.pk]


def test_search_offers_exactly_the_programs_the_user_sees(world: World) -> None:
    # the leader sees the province's plan and the national program (a task led in the
    # province); never the other province's plan, nor the plan above their clearance
    everything = set(picked(client_for(world.leader), ""))
    assert everything == {world.plan.pk, world.national.pk}
    assert picked(client_for(world.leader), "Trường Sơn") == []
    assert picked(client_for(world.leader), "KH-MAT") == []
    # the district officer sees the national program through its task only
    assert set(picked(client_for(world.officer), "")) == {world.national.pk}
    assert set(picked(client_for(world.leader), "")) == set(
        program_list(scope_for(world.leader)).values_list("pk", flat=True)
    )


def test_each_option_names_the_program_its_code_and_its_owner(world: World) -> None:
    response = client_for(world.leader, "vi").get(
        reverse("programs:program_pick"), {"q": "06"}, HTTP_HX_REQUEST="true"
    )
    assert f'data-value="{world.national.pk}"' in response.text
    assert 'data-name="Đề án 06 dữ liệu dân cư"' in response.text
    assert 'data-within="Bộ Thông tin và Truyền thông"' in response.text
    assert "Bộ Thông tin và Truyền thông · DA06" in response.text
    assert 'aria-label="Các chương trình tìm thấy"' in response.text  # Vietnamese
    assert 'data-summary="Tìm thấy 1 chương trình."' in response.text


def test_search_lists_at_most_twenty_and_says_there_are_more(world: World) -> None:
    admin = make_admin()
    for n in range(PICK_LIMIT + 2):
        make_program(owner=world.province, actor=admin, code=f"p-many-{n}", name=f"Dự án {n}")
    response = client_for(world.leader).get(
        reverse("programs:program_pick"), {"q": "du an"}, HTTP_HX_REQUEST="true"
    )
    assert response.text.count('role="option"') == PICK_LIMIT
    assert "type more to narrow the search" in response.text
    matches = program_search(program_list(scope_for(world.leader)), "du an")
    assert len(matches.items) == PICK_LIMIT
    assert matches.more


def test_anonymous_is_sent_to_sign_in(world: World) -> None:
    response = Client().get(reverse("programs:program_pick"), {"q": "a"})
    assert response.status_code == 302


def test_task_list_renders_the_chosen_program_and_no_option_per_program(world: World) -> None:
    client = client_for(world.leader)
    page = client.get(reverse("programs:task_list")).text
    assert "<option" not in page.split('name="program"')[0][-200:]  # a hidden input, no select
    assert f'<option value="{world.plan.pk}"' not in page
    assert "Any program" in page
    chosen = client.get(reverse("programs:task_list"), {"program": world.national.pk}).text
    assert "data-picker-name>Đề án 06 dữ liệu dân cư</span>" in chosen
    assert f'<tr data-task-id="{world.task.pk}">' in chosen


def test_task_list_refuses_a_program_the_user_does_not_see(world: World) -> None:
    client = client_for(world.leader)
    for program in (world.other, world.secret):
        response = client.get(reverse("programs:task_list"), {"program": program.pk})
        assert response.status_code == 200
        assert "Some filters are not valid" in response.text
        assert "data-task-id" not in response.text


def test_task_list_without_javascript_search_that_finds_one_program_filters_by_it(
    world: World,
) -> None:
    response = client_for(world.leader).get(
        reverse("programs:task_list"), {"program": "", "program_search": "de an 06"}
    )
    assert "data-picker-name>Đề án 06 dữ liệu dân cư</span>" in response.text
    assert f'<tr data-task-id="{world.task.pk}">' in response.text


def test_task_list_without_javascript_lists_several_matches_to_choose_from(world: World) -> None:
    response = client_for(world.leader).get(
        reverse("programs:task_list"), {"program": "", "program_search": "d"}
    )
    text = response.text
    assert "Several programs match “d”: choose one of them." in text
    assert "Programs matching “d”" in text
    radios = re.findall(r'<input type="radio" name="program" value="(\d*)"', text)
    assert set(radios) == {"", str(world.plan.pk), str(world.national.pk)}
    assert "data-task-id" not in text


def test_task_list_without_javascript_says_when_nothing_matches(world: World) -> None:
    response = client_for(world.leader, "vi").get(
        reverse("programs:task_list"), {"program_search": "không có"}
    )
    assert "Không có chương trình nào khớp với “không có”." in response.text


def test_groups_follow_the_chosen_program(world: World) -> None:
    admin = make_admin()
    group_create(actor=admin, program=world.plan, name="Chính quyền số", number="II")
    response = client_for(world.leader).get(
        reverse("programs:task_list"), {"program": world.plan.pk}, HTTP_HX_REQUEST="true"
    )
    assert "II. Chính quyền số" in response.text  # the group filter, swapped out of band


def test_the_filter_form_accepts_exactly_the_programs_the_picker_offers(world: World) -> None:
    for user in (world.leader, world.officer):
        scope = scope_for(user)
        offered = {c.pk for c in program_search(program_list(scope), "", limit=100).items}
        for program in Program.objects.all():
            form = TaskFilterForm({"program": str(program.pk)}, scope=scope)
            assert form.is_valid() == (program.pk in offered), (user, program.code)


def test_task_list_query_count_does_not_grow_with_programs(world: World) -> None:
    client = client_for(world.leader)
    url = reverse("programs:task_list")
    counts = []
    for n in (0, 30):
        admin = make_admin()
        for i in range(n):
            make_program(owner=world.province, actor=admin, code=f"q-{i}", name=f"Q {i}")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# Finding a program in the program list and the dashboards' index ---------------------------


@pytest.mark.parametrize("url_name", ["programs:program_list", "dashboards:index"])
def test_program_lists_search_without_accents_and_never_beyond_the_scope(
    world: World, url_name: str
) -> None:
    client = client_for(world.leader)
    url = reverse(url_name)
    everything = client.get(url).text
    assert "Kế hoạch chuyển đổi số tỉnh" in everything
    assert "Đề án 06 dữ liệu dân cư" in everything
    assert "Trường Sơn" not in everything
    found = client.get(url, {"q": "chuyen doi"}).text
    assert "Kế hoạch chuyển đổi số tỉnh" in found
    assert "Đề án 06" not in found
    assert "Đề án 06 dữ liệu dân cư" in client.get(url, {"q": "da06"}).text
    nothing = client_for(world.leader, "vi").get(url, {"q": "truong son"}).text
    assert "Kế hoạch chuyển đổi số TS" not in nothing
    assert "Không có chương trình nào khớp với nội dung tìm kiếm." in nothing


@pytest.mark.parametrize("url_name", ["programs:program_list", "dashboards:index"])
def test_program_lists_are_paged_and_pages_keep_the_search(world: World, url_name: str) -> None:
    admin = make_admin()
    for n in range(55):
        make_program(owner=world.province, actor=admin, code=f"pl-{n:02d}", name=f"Dự án số {n}")
    client = client_for(world.leader)
    url = reverse(url_name)
    first = client.get(url, {"q": "du an so"}).text
    assert first.count("Dự án số") == 50
    assert "q=du+an+so&amp;page=2" in first  # the next page keeps the search
    second = client.get(url, {"q": "du an so", "page": 2}).text
    assert second.count("Dự án số") == 5
    assert "Kế hoạch chuyển đổi số tỉnh" not in second
