"""The unit tree: paths, subtrees, moves and mergers that keep history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.accounts.models import User
from tiendo.core.fields import in_subtree, subtree_bounds
from tiendo.orgs.models import Unit, UnitChange, UnitChangeKind, UnitKind
from tiendo.orgs.scope import scope_for
from tiendo.orgs.services import unit_close, unit_create, unit_merge, unit_move
from tiendo.programs.models import TaskCoordination, UnitTransfer
from tiendo.programs.selectors import visible_tasks
from tiendo.programs.services import progress_submit
from tiendo.programs.tests.factories import make_program, make_task, make_unit, make_user

pytestmark = pytest.mark.django_db


def subtree_codes(unit: Unit) -> set[str]:
    return set(Unit.objects.filter(in_subtree("path", unit.path)).values_list("code", flat=True))


def test_paths_follow_the_tree() -> None:
    province = unit_create(code="HN", name="UBND tỉnh", kind=UnitKind.PROVINCE)
    dept = unit_create(code="STTTT", name="Sở TT&TT", kind=UnitKind.DEPARTMENT, parent=province)
    assert province.path == f"/{province.pk}/"
    assert dept.path == f"/{province.pk}/{dept.pk}/"
    assert dept.depth == 1
    assert dept.ancestor_ids() == [province.pk, dept.pk]


def test_subtree_does_not_catch_siblings_with_a_common_prefix() -> None:
    # Given units whose ids share digits (e.g. 1 and 10): "/1/" must not match "/10/"
    root = make_unit()
    units = [make_unit(parent=root) for _ in range(12)]
    first = units[0]
    child = make_unit(parent=first)
    assert subtree_codes(first) == {first.code, child.code}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shape=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=30))
def test_range_subtree_equals_walking_the_parents(shape: list[int]) -> None:
    # Given a random tree: each new unit's parent is an earlier unit (or none)
    created: list[Unit] = []
    for pick in shape:
        parent = created[pick % len(created)] if created and pick % 3 else None
        created.append(make_unit(kind=UnitKind.OTHER, parent=parent))
    ids = [u.pk for u in created]
    parents = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "parent_id"))
    for unit in created:
        # When the subtree is read as a range; then it equals the set found by walking parents
        expected = set()
        for pk in parents:
            walk: int | None = pk
            while walk is not None and walk != unit.pk:
                walk = parents.get(walk)
            if walk == unit.pk:
                expected.add(pk)
        # (descendants are all created in this example, so no filter on ids: a false match
        # with another example's unit would show)
        got = set(Unit.objects.filter(in_subtree("path", unit.path)).values_list("pk", flat=True))
        assert got == expected


def test_subtree_bounds_reject_a_malformed_path() -> None:
    with pytest.raises(ValueError, match="must end"):
        subtree_bounds("/1/2")


def test_move_rewrites_the_whole_subtree_and_the_tasks_paths() -> None:
    a, b = make_unit(), make_unit()
    district = make_unit(parent=a, kind=UnitKind.DISTRICT)
    commune = make_unit(parent=district, kind=UnitKind.COMMUNE)
    task = make_task(program=make_program(owner=a), lead_unit=commune)

    unit_move(unit=district, new_parent=b, effective_on=dt.date(2025, 7, 1))

    commune.refresh_from_db()
    task.refresh_from_db()
    assert commune.path == f"{b.path}{district.pk}/{commune.pk}/"
    assert commune.depth == 2
    assert task.lead_unit_path == commune.path
    assert subtree_codes(b) == {b.code, district.code, commune.code}
    assert UnitChange.objects.filter(unit=district, kind=UnitChangeKind.MOVED).count() == 1


def test_move_rewrites_the_paths_coordinations_copy() -> None:
    # given a task led in a district, coordinated by its commune and by a unit elsewhere
    a, b, elsewhere = make_unit(), make_unit(), make_unit()
    district = make_unit(parent=a, kind=UnitKind.DISTRICT)
    commune = make_unit(parent=district, kind=UnitKind.COMMUNE)
    led_here = make_task(
        program=make_program(owner=a), lead_unit=district, coordinating_units=[commune, elsewhere]
    )
    # and a task led elsewhere that the commune coordinates
    led_elsewhere = make_task(
        program=make_program(owner=elsewhere), lead_unit=elsewhere, coordinating_units=[commune]
    )
    officer = make_user(unit=commune)
    seen_before = set(visible_tasks(scope_for(officer)).values_list("pk", flat=True))

    # when the district moves under another unit
    unit_move(unit=district, new_parent=b, effective_on=dt.date(2025, 7, 1))

    # then each coordination carries its unit's and its task's new paths
    rows = TaskCoordination.objects.select_related("unit", "task")
    assert {(c.task_id, c.unit_path, c.lead_unit_path) for c in rows} == {
        (c.task_id, c.unit.path, c.task.lead_unit_path) for c in rows
    }
    commune.refresh_from_db()
    assert commune.path.startswith(b.path)
    assert (led_here.pk, commune.path) in {(c.task_id, c.unit_path) for c in rows}
    # and the commune's officer still sees the same tasks, through the new paths
    officer = User.objects.get(pk=officer.pk)  # a fresh scope
    seen = set(visible_tasks(scope_for(officer)).values_list("pk", flat=True))
    assert seen == seen_before == {led_here.pk, led_elsewhere.pk}


def test_merge_moves_the_coordinations_lead_path_with_the_open_tasks() -> None:
    # given an open task of a district coordinated by another unit
    province = make_unit(kind=UnitKind.PROVINCE)
    old = make_unit(parent=province, kind=UnitKind.DISTRICT)
    new = make_unit(parent=province, kind=UnitKind.DISTRICT)
    partner = make_unit()
    task = make_task(
        program=make_program(owner=province), lead_unit=old, coordinating_units=[partner]
    )
    # when the district is merged into its neighbour
    unit_merge(source=old, target=new, effective_on=dt.date(2025, 7, 1))
    # then the coordination carries the task's new lead unit path
    assert TaskCoordination.objects.get(task=task).lead_unit_path == new.path
    # and the partner's officer still sees the task
    assert visible_tasks(scope_for(make_user(unit=partner))).filter(pk=task.pk).exists()


def test_a_unit_cannot_move_under_itself() -> None:
    a = make_unit()
    child = make_unit(parent=a)
    with pytest.raises(ValidationError):
        unit_move(unit=a, new_parent=child, effective_on=dt.date(2025, 1, 1))


def test_merge_moves_open_work_and_keeps_history_with_the_old_unit() -> None:
    # Given two districts; the first has a finished and an open task, and a commune
    province = make_unit(kind=UnitKind.PROVINCE)
    old = make_unit("Huyện A", parent=province, kind=UnitKind.DISTRICT)
    new = make_unit("Huyện B", parent=province, kind=UnitKind.DISTRICT)
    commune = make_unit(parent=old, kind=UnitKind.COMMUNE)
    program = make_program(owner=province)
    done = make_task(program=program, lead_unit=old, deadline=dt.date(2024, 12, 31))
    open_ = make_task(program=program, lead_unit=old)
    update = progress_submit(actor=done.assignee, task=done, as_of=dt.date(2024, 6, 1), percent=100)
    progress_submit(actor=open_.assignee, task=open_, as_of=dt.date(2024, 6, 1), percent=40)

    # When the first is merged into the second from 1 July 2025
    unit_merge(source=old, target=new, effective_on=dt.date(2025, 7, 1))

    # Then the old unit is closed, not deleted; its open task and commune moved; history stayed
    old.refresh_from_db()
    assert old.closed_on == dt.date(2025, 7, 1)
    assert old.merged_into == new
    open_.refresh_from_db()
    done.refresh_from_db()
    commune.refresh_from_db()
    assert open_.lead_unit == new
    assert open_.lead_unit_path == new.path
    assert done.lead_unit == old
    assert commune.parent == new
    assert commune.path.startswith(new.path)
    update.refresh_from_db()
    assert update.unit == old
    assert UnitTransfer.objects.filter(task=open_, from_unit=old, to_unit=new).exists()


def test_merge_refuses_a_closed_or_own_target() -> None:
    a = make_unit()
    child = make_unit(parent=a)
    with pytest.raises(ValidationError):
        unit_merge(source=a, target=child, effective_on=dt.date(2025, 1, 1))
    b = make_unit()
    unit_close(unit=b, effective_on=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        unit_merge(source=a, target=b, effective_on=dt.date(2025, 1, 1))


def test_close_refuses_a_unit_with_open_tasks() -> None:
    unit = make_unit()
    make_task(program=make_program(owner=unit), lead_unit=unit)
    with pytest.raises(ValidationError):
        unit_close(unit=unit, effective_on=dt.date(2025, 1, 1))
    assert Unit.objects.get(pk=unit.pk).closed_on is None


def test_no_unit_can_be_created_under_a_closed_one() -> None:
    unit = make_unit()
    unit_close(unit=unit, effective_on=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        unit_create(code="X", name="X", kind=UnitKind.OTHER, parent=Unit.objects.get(pk=unit.pk))
