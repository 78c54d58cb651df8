"""The unit picker: ``/units/pick/`` searches the units a user may pick, and the task list's
unit filter renders the chosen unit and a search box instead of a ``<select>`` of every unit."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.accounts.models import Role, User
from tiendo.core.text import fold, fold_pattern
from tiendo.orgs.models import Unit, UnitKind
from tiendo.orgs.scope import scope_for
from tiendo.orgs.selectors import PICK_LIMIT, unit_search, units_for
from tiendo.orgs.services import unit_create
from tiendo.programs.forms import TaskFilterForm
from tiendo.programs.models import Task
from tiendo.programs.tests.factories import (
    make_admin,
    make_program,
    make_task,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db

LETTERS = "aăâbdđeêioôơuưynghtAĂÂĐÊÔƠƯàáảãạầấẩẫậđèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợỲÝỶỸỴ .-/()+*?[]"


@pytest.fixture(autouse=True)
def _restore_language():  # type: ignore[no-untyped-def]
    yield
    translation.deactivate()


@dataclass
class Tree:
    province: Unit
    health: Unit  # Sở Y tế
    district: Unit  # below health
    transport: Unit  # Sở Giao thông vận tải, a sibling of health
    other: Unit  # another province
    other_health: Unit  # its own Sở Y tế
    leader: User  # unit leader of health
    admin: User
    task: Task  # led by the district
    other_task: Task  # led by transport


@pytest.fixture
def tree() -> Tree:
    province = unit_create(code="T-BM", name="Tỉnh Bình Minh", kind=UnitKind.PROVINCE)
    health = unit_create(code="BM-SYT", name="Sở Y tế", kind=UnitKind.DEPARTMENT, parent=province)
    district = unit_create(
        code="BM-TTYT-DH", name="Trung tâm Y tế huyện Đông Hà", kind="agency", parent=health
    )
    transport = unit_create(
        code="BM-SGTVT", name="Sở Giao thông vận tải", kind=UnitKind.DEPARTMENT, parent=province
    )
    other = unit_create(code="T-TS", name="Tỉnh Trường Sơn", kind=UnitKind.PROVINCE)
    other_health = unit_create(
        code="TS-SYT", name="Sở Y tế", kind=UnitKind.DEPARTMENT, parent=other
    )
    leader = make_user("lanhdao.syt", unit=health, role=Role.UNIT_LEADER)
    admin = make_admin()
    program = make_program(owner=province, actor=admin, name="Kế hoạch CĐS")
    task = make_task(program=program, lead_unit=district, actor=admin, title="Bệnh án điện tử")
    other_task = make_task(program=program, lead_unit=transport, actor=admin, title="Vé điện tử")
    return Tree(
        province, health, district, transport, other, other_health, leader, admin, task, other_task
    )


def client_for(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def picked(client: Client, q: str) -> list[int]:
    response = client.get(reverse("orgs:unit_pick"), {"q": q}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return [int(v) for v in re.findall(r'role="option"[^>]*data-value="(\d+)"', response.text)]


# Search --------------------------------------------------------------------------------------


def test_search_ignores_accents_and_case(tree: Tree) -> None:
    client = client_for(tree.leader)
    # given a unit leader of the Department of Health of Bình Minh
    # then typed without accents, in capitals or with them, the same units are found
    assert picked(client, "so y te") == [tree.health.pk]
    assert picked(client, "SỞ Y TẾ") == [tree.health.pk]
    assert picked(client, "dong ha") == [tree.district.pk]
    assert picked(client, "Đông Hà") == [tree.district.pk]
    # and every word must match, in any order
    assert picked(client, "te dong") == [tree.district.pk]
    assert picked(client, "te giao") == []


def test_search_finds_codes_and_lists_the_exact_code_first(tree: Tree) -> None:
    client = client_for(tree.admin)
    assert picked(client, "bm-syt") == [tree.health.pk]
    # "BM-S" is in two codes: tree order; "T-TS" is an exact code: first, before "TS-SYT"
    by_path = sorted([tree.health, tree.transport], key=lambda u: u.path)
    assert picked(client, "BM-S") == [u.pk for u in by_path]
    assert picked(client, "t-ts")[0] == tree.other.pk


def test_search_shows_where_each_unit_sits(tree: Tree) -> None:
    # two "Sở Y tế": each is told apart by its province
    response = client_for(tree.admin).get(reverse("orgs:unit_pick"), {"q": "sở y tế"})
    html = response.text
    assert 'data-within="Tỉnh Bình Minh"' in html
    assert 'data-within="Tỉnh Trường Sơn"' in html
    assert "2 units found." in html


def test_empty_search_lists_own_units_first_then_the_tree(tree: Tree) -> None:
    assert picked(client_for(tree.leader), "") == [
        tree.health.pk,
        tree.district.pk,
        tree.province.pk,
        tree.transport.pk,
    ]


def test_own_units_come_before_the_same_name_elsewhere(tree: Tree) -> None:
    # given the leader of a second "Sở Y tế ..." department of the province
    preventive = make_unit("Sở Y tế dự phòng", parent=tree.province)
    leader = make_user(unit=preventive, role=Role.UNIT_LEADER)
    # then their own department comes first, the other after it
    assert picked(client_for(leader), "so y te") == [preventive.pk, tree.health.pk]
    # while for an administrator (no unit of their own) the order is the tree's
    by_path = sorted([preventive, tree.health, tree.other_health], key=lambda u: u.path)
    assert picked(client_for(tree.admin), "so y te") == [u.pk for u in by_path]


def test_search_lists_at_most_twenty_and_says_there_are_more(tree: Tree) -> None:
    for i in range(PICK_LIMIT + 5):
        make_unit(f"Phòng Văn hóa xã {i:02}", parent=tree.district)
    client = client_for(tree.leader)
    response = client.get(reverse("orgs:unit_pick"), {"q": "van hoa"})
    assert len(picked(client, "van hoa")) == PICK_LIMIT
    assert "more match: type more to narrow the search" in response.text
    # and a narrower search lists them all, without the hint
    narrower = client.get(reverse("orgs:unit_pick"), {"q": "van hoa xa 2"})
    assert "more match" not in narrower.text
    assert len(picked(client, "van hoa xa 2")) == 7  # 02, 12, 20 to 24


def test_search_is_bounded_and_safe_with_odd_text(tree: Tree) -> None:
    client = client_for(tree.admin)
    for q in ["%", "_", "(", "[", "\\", ".*", "a" * 500, "x " * 50, "'; drop table"]:
        assert picked(client, q) == [], q
    # control characters are dropped: "\x00" alone is an empty search (the top of the tree)
    assert picked(client, "\x00")[0] == min([tree.province, tree.other], key=lambda u: u.path).pk


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=st.sampled_from(LETTERS), min_size=1, max_size=14),
    st.text(alphabet=st.sampled_from(LETTERS), min_size=1, max_size=4),
    st.integers(0, 14),
    st.integers(1, 6),
)
def test_fold_pattern_finds_a_term_exactly_where_the_folded_text_holds_it(
    text: str, other: str, start: int, length: int
) -> None:
    """The pattern finds a term in stored text iff the folded text holds the folded term
    (Python's ``re``, which SQLite's REGEXP is; PostgreSQL runs the same pattern, below)."""
    stored = " ".join(f"Sở {text} Tỉnh".split())
    for term in (stored[start : start + length], other, text.upper()):
        folded = fold(term)
        if not folded:
            continue
        found = re.search(fold_pattern(term), stored, re.IGNORECASE) is not None
        assert found == (folded in fold(stored)), (term, stored)


# Scope -----------------------------------------------------------------------------------------


def test_a_unit_leader_never_finds_units_of_another_province(tree: Tree) -> None:
    client = client_for(tree.leader)
    # "Sở Y tế" exists in both provinces: only their own is found, even by the other's code
    assert picked(client, "sở y tế") == [tree.health.pk]
    assert picked(client, "TS-SYT") == []
    assert picked(client, "Trường Sơn") == []
    # and everything they can find is in the set the task list's filter accepts, nothing more
    everything = picked(client, "")
    assert set(everything) <= set(units_for(scope_for(tree.leader)).values_list("pk", flat=True))
    assert tree.other.pk not in everything
    assert tree.other_health.pk not in everything


def test_a_unit_leader_finds_their_own_subtree_and_their_province(tree: Tree) -> None:
    """The picker offers what the filter has always accepted (``units_for``): the user's own
    province (its other departments too: tasks they lead may be coordinated by the user's
    unit), never another province."""
    client = client_for(tree.leader)
    assert picked(client, "dong ha") == [tree.district.pk]
    assert picked(client, "giao thong") == [tree.transport.pk]


def test_a_user_without_units_finds_nothing_and_anonymous_is_sent_to_sign_in(tree: Tree) -> None:
    nobody = make_user("nobody")
    assert picked(client_for(nobody), "") == []
    response = Client().get(reverse("orgs:unit_pick"), {"q": "y te"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_closed_units_are_not_offered(tree: Tree) -> None:
    Unit.objects.filter(pk=tree.transport.pk).update(closed_on="2024-01-01")
    assert picked(client_for(tree.admin), "giao thong") == []


def test_the_answer_is_in_vietnamese_for_a_vietnamese_reader(tree: Tree) -> None:
    response = client_for(tree.leader, "vi").get(reverse("orgs:unit_pick"), {"q": "khong co"})
    assert "Không có đơn vị nào" in response.text


# The task list's unit filter -----------------------------------------------------------------


def test_task_list_renders_no_option_per_unit_but_the_chosen_unit(tree: Tree) -> None:
    for i in range(30):
        make_unit(f"Xã {i}", parent=tree.district)
    client = client_for(tree.admin)
    url = reverse("programs:task_list")
    plain = client.get(url).text
    chosen = client.get(url, {"unit": tree.district.pk})
    # no <option> per unit: the picker, not a <select> of 37 units
    assert "Xã 1" not in plain
    assert 'name="unit"' in plain
    assert 'role="combobox"' in plain
    assert 'aria-controls="id_unit_listbox"' in plain
    assert '<select name="unit"' not in plain
    # the chosen unit is shown by name, with where it sits, and still sent as unit=<id>
    html = chosen.text
    assert f'<input type="hidden" name="unit" value="{tree.district.pk}" data-picker-value>' in html
    assert "Trung tâm Y tế huyện Đông Hà" in html
    assert "Sở Y tế · Tỉnh Bình Minh" in html
    assert [t.pk for t in chosen.context["tasks"]] == [tree.task.pk]


def test_task_list_refuses_a_unit_outside_the_scope_as_before(tree: Tree) -> None:
    response = client_for(tree.leader).get(
        reverse("programs:task_list"), {"unit": tree.other_health.pk}
    )
    form = response.context["form"]
    assert "unit" in form.errors
    assert "Select a valid choice" in str(form.errors["unit"])
    assert response.context["tasks"] == []
    # and the other province's unit is not named on the page
    assert "Trường Sơn" not in response.text


def test_task_list_without_javascript_search_that_finds_one_unit_filters_by_it(tree: Tree) -> None:
    # given a browser without JavaScript: the search box is submitted with the form
    response = client_for(tree.admin).get(
        reverse("programs:task_list"), {"unit_search": "dong ha", "unit": ""}
    )
    # then the only match is the filter
    assert response.context["form"].is_valid()
    assert [t.pk for t in response.context["tasks"]] == [tree.task.pk]
    assert f'name="unit" value="{tree.district.pk}"' in response.text


def test_task_list_without_javascript_lists_several_matches_to_choose_from(tree: Tree) -> None:
    client = client_for(tree.admin)
    url = reverse("programs:task_list")
    response = client.get(url, {"unit_search": "so", "unit": str(tree.province.pk)})
    html = response.text
    form = response.context["form"]
    assert "Several units match “so”" in str(form.errors["unit"])
    # the matches as radio buttons named "unit", the previous choice kept checked
    radios = re.findall(r'<input type="radio" name="unit" value="(\d*)"( checked)?>', html)
    assert ("", "") in radios
    assert (str(tree.province.pk), " checked") in radios
    assert (str(tree.health.pk), "") in radios
    assert (str(tree.other_health.pk), "") in radios
    # no hidden input competes with them, and the search box is emptied for the next submit
    assert 'type="hidden" name="unit"' not in html
    assert 'name="unit_search" value=""' in html
    # choosing one and submitting again filters by it
    again = client.get(url, {"unit_search": "", "unit": tree.health.pk})
    assert [t.pk for t in again.context["tasks"]] == [tree.task.pk]


def test_task_list_without_javascript_says_when_nothing_matches(tree: Tree) -> None:
    response = client_for(tree.leader, "vi").get(
        reverse("programs:task_list"), {"unit_search": "Trường Sơn"}
    )
    assert "Không có đơn vị nào khớp với “Trường Sơn”" in str(response.context["form"].errors)


def _queries(client: Client, params: dict[str, object]) -> int:
    url = reverse("programs:task_list")
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_task_list_query_count_does_not_grow_with_units(tree: Tree) -> None:
    client = client_for(tree.admin)
    params: dict[str, object] = {"unit": tree.district.pk, "status": "not_started"}
    few = _queries(client, params)
    none_chosen = _queries(client, {})
    searched = _queries(client, {"unit_search": "y te"})
    for i in range(40):
        parent = make_unit(f"Huyện {i}", parent=tree.province)
        make_unit(f"Phòng Y tế huyện {i}", parent=parent)
    assert _queries(client, params) == few
    assert _queries(client, {}) == none_chosen
    assert _queries(client, {"unit_search": "y te"}) == searched
    # a chosen unit costs three queries more than none (its row, validating it; its path, for
    # the filter; the names above it, shown beside it): a <select> of every unit cost three too
    assert _queries(client, {"unit": tree.district.pk}) - none_chosen == 3


def test_filter_form_accepts_exactly_the_units_the_picker_searches(tree: Tree) -> None:
    scope = scope_for(tree.leader)
    for unit in Unit.objects.all():
        form = TaskFilterForm({"unit": unit.pk}, scope=scope)
        offered = unit.pk in {u.pk for u in unit_search(units_for(scope), "", limit=100).items}
        assert form.is_valid() == offered, unit.name
