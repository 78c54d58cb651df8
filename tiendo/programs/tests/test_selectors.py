"""The access layer: who sees which programs and tasks. Pages, API and exports all use it."""

import datetime as dt

import pytest
from django.http import Http404

from tiendo.accounts.models import Role
from tiendo.core.models import Classification
from tiendo.orgs.scope import scope_for
from tiendo.programs.models import TaskCoordination
from tiendo.programs.selectors import (
    TaskFilters,
    program_get,
    task_get,
    task_list,
    visible_programs,
    visible_tasks,
)
from tiendo.programs.services import progress_submit

from .factories import make_admin, make_program, make_task, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def country():
    """Two provinces, each: province > department, district > commune; one program each."""
    w = {}
    for key in ("a", "b"):
        province = make_unit(f"Province {key}", kind="province")
        dept = make_unit(f"Dept {key}", parent=province)
        district = make_unit(f"District {key}", parent=province, kind="district")
        commune = make_unit(f"Commune {key}", parent=district, kind="commune")
        program = make_program(owner=province, standing_office=dept)
        w[key] = {
            "province": province,
            "dept": dept,
            "district": district,
            "commune": commune,
            "program": program,
            "t_province": make_task(program=program, lead_unit=province),
            "t_dept": make_task(program=program, lead_unit=dept),
            "t_district": make_task(program=program, lead_unit=district),
            "t_commune": make_task(program=program, lead_unit=commune),
        }
    return w


def ids(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_a_commune_officer_sees_only_the_commune_subtree(country) -> None:
    officer = make_user(unit=country["a"]["commune"], role=Role.UNIT_OFFICER)
    scope = scope_for(officer)
    assert ids(visible_tasks(scope)) == {country["a"]["t_commune"].pk}
    with pytest.raises(Http404):
        task_get(scope, country["b"]["t_commune"].pk)
    with pytest.raises(Http404):
        task_get(scope, country["a"]["t_province"].pk)
    assert ids(visible_programs(scope)) == {country["a"]["program"].pk}
    with pytest.raises(Http404):
        program_get(scope, country["b"]["program"].pk)


def test_a_district_leader_sees_district_and_communes(country) -> None:
    leader = make_user(unit=country["a"]["district"], role=Role.UNIT_LEADER)
    assert ids(visible_tasks(scope_for(leader))) == {
        country["a"]["t_district"].pk,
        country["a"]["t_commune"].pk,
    }


def test_coordinated_tasks_are_visible_to_the_coordinating_unit(country) -> None:
    task = country["a"]["t_dept"]
    TaskCoordination.objects.create(
        task=task,
        unit=country["a"]["commune"],
        unit_path=country["a"]["commune"].path,
        lead_unit_path=task.lead_unit_path,
    )
    officer = make_user(unit=country["a"]["commune"])
    assert task.pk in ids(visible_tasks(scope_for(officer)))


def test_the_committee_sees_its_whole_program_and_nothing_else(country) -> None:
    chair = make_user(unit=country["a"]["province"], role=Role.COMMITTEE_LEADER)
    # a task of A's program led by a unit of province B is still in A's program
    foreign = make_task(program=country["a"]["program"], lead_unit=country["b"]["dept"])
    seen = ids(visible_tasks(scope_for(chair)))
    assert foreign.pk in seen
    assert country["a"]["t_commune"].pk in seen
    assert not seen & {
        country["b"][k].pk for k in ("t_province", "t_dept", "t_district", "t_commune")
    }


def test_the_standing_office_sees_the_programs_it_runs(country) -> None:
    office = make_user(unit=country["a"]["dept"], role=Role.STANDING_OFFICE)
    seen = ids(visible_tasks(scope_for(office)))
    assert {country["a"][k].pk for k in ("t_province", "t_dept", "t_district", "t_commune")} <= seen
    assert country["b"]["t_dept"].pk not in seen


def test_classified_tasks_need_clearance_even_for_the_committee(country) -> None:
    secret = make_task(
        program=country["a"]["program"],
        lead_unit=country["a"]["dept"],
        classification=Classification.SECRET,
    )
    chair = make_user(unit=country["a"]["province"], role=Role.COMMITTEE_LEADER)
    cleared = make_user(
        unit=country["a"]["province"], role=Role.COMMITTEE_LEADER, clearance=Classification.SECRET
    )
    admin = make_admin()
    assert secret.pk not in ids(visible_tasks(scope_for(chair)))
    assert secret.pk not in ids(visible_tasks(scope_for(admin)))
    assert secret.pk in ids(visible_tasks(scope_for(cleared)))


def test_a_user_without_membership_sees_only_what_they_carry(country) -> None:
    loner = make_user()
    task = make_task(
        program=country["b"]["program"], lead_unit=country["b"]["dept"], assignee=loner
    )
    assert ids(visible_tasks(scope_for(loner))) == {task.pk}


def test_closed_memberships_give_no_access(country) -> None:
    officer = make_user(unit=country["a"]["commune"])
    country["a"]["commune"].__class__.objects.filter(pk=country["a"]["commune"].pk).update(
        closed_on=dt.date(2025, 7, 1)
    )
    assert ids(visible_tasks(scope_for(officer))) == set()


def test_filters_compose_with_scope(country) -> None:
    chair = make_user(unit=country["a"]["province"], role=Role.COMMITTEE_LEADER)
    scope = scope_for(chair)
    by_unit = task_list(scope, TaskFilters(unit=country["a"]["district"].pk))
    assert ids(by_unit) == {country["a"]["t_district"].pk, country["a"]["t_commune"].pk}
    # filtering by a unit of another province cannot reveal its tasks
    assert ids(task_list(scope, TaskFilters(unit=country["b"]["district"].pk))) == set()


def test_status_filter_and_annotation_agree(country) -> None:
    office = make_user(unit=country["a"]["dept"], role=Role.STANDING_OFFICE)
    late = make_task(
        program=country["a"]["program"],
        lead_unit=country["a"]["dept"],
        deadline=dt.date(2024, 3, 31),
    )
    progress_submit(
        actor=office, task=country["a"]["t_dept"], as_of=dt.date(2024, 1, 5), percent=20
    )
    scope = scope_for(office)
    on = dt.date(2024, 6, 1)
    overdue = task_list(scope, TaskFilters(status="overdue"), on=on)
    assert ids(overdue) == {late.pk}
    assert {t.status for t in overdue} == {"overdue"}
    in_progress = task_list(scope, TaskFilters(status="in_progress"), on=on)
    assert ids(in_progress) == {country["a"]["t_dept"].pk}
    assert ids(task_list(scope, TaskFilters(overdue=False), on=on)) == ids(visible_tasks(scope)) - {
        late.pk
    }


def test_a_classified_program_hides_all_its_tasks(country) -> None:
    admin = make_admin()
    secret = make_program(
        owner=country["a"]["province"], actor=admin, classification=Classification.SECRET
    )
    task = make_task(program=secret, lead_unit=country["a"]["commune"], actor=admin)
    officer = make_user(unit=country["a"]["commune"])
    cleared = make_user(unit=country["a"]["commune"], clearance=Classification.SECRET)
    assert task.pk not in ids(visible_tasks(scope_for(officer)))
    assert task.pk not in ids(
        visible_tasks(scope_for(admin))
    )  # an administrator needs clearance too
    assert task.pk in ids(visible_tasks(scope_for(cleared)))
    assert secret.pk not in ids(visible_programs(scope_for(officer)))
