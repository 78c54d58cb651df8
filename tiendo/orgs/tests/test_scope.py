"""The scope read once per request: memberships and the subtree test in Python."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.accounts.models import Membership, Role
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope, scope_for
from tiendo.orgs.services import unit_close
from tiendo.programs.tests.factories import make_admin, make_unit, make_user

pytestmark = pytest.mark.django_db


def test_the_scope_holds_the_open_memberships_in_path_order() -> None:
    # Given a user with roles in three units, one of them closed
    province = make_unit("Province", kind="province")
    dept = make_unit("Department", parent=province)
    closed = make_unit("Closed", parent=province)
    user = make_user(unit=dept, role=Role.UNIT_LEADER)
    Membership.objects.create(user=user, unit=province, role=Role.UNIT_OFFICER)
    Membership.objects.create(user=user, unit=dept, role=Role.COMMITTEE_LEADER)
    Membership.objects.create(user=user, unit=closed, role=Role.UNIT_OFFICER)
    unit_close(unit=closed, effective_on=dt.date(2025, 1, 1))
    # Then the scope has exactly the ORM's rows: open units, ordered by path then role
    expected = tuple(
        Membership.objects.filter(user=user, unit__closed_on__isnull=True)
        .values_list("unit_id", "unit__path", "role")
        .order_by("unit__path", "role")
    )
    assert scope_for(user).memberships == expected
    assert len(expected) == 3
    assert scope_for(make_admin()).is_admin


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(picks=st.lists(st.integers(min_value=0, max_value=6), max_size=3), admin=st.booleans())
def test_covers_path_is_the_subtree_filter(picks: list[int], admin: bool) -> None:
    # Given a small tree and a scope rooted at some of its units
    if not Unit.objects.exists():
        root = make_unit("Root", kind="province")
        a, b = make_unit("A", parent=root), make_unit("B", parent=root)
        make_unit("A1", parent=a), make_unit("A2", parent=a), make_unit("B1", parent=b)
        make_unit("Other", kind="province")
    units = list(Unit.objects.order_by("pk"))
    scope = Scope(
        user_id=1,
        is_admin=admin,
        memberships=tuple((units[i].pk, units[i].path, Role.UNIT_OFFICER) for i in picks),
    )
    # Then a unit's path is covered exactly when the subtree filter finds it
    found = set(Unit.objects.filter(scope.subtree_q("path")).values_list("pk", flat=True))
    if admin:
        found = {u.pk for u in units}
    assert {u.pk for u in units if scope.covers_path(u.path)} == found
