"""Signing in and out through the real forms; demo accounts listed only in demo mode.

(Kept beside the other page tests: the sign-in page is part of the same web interface.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from tiendo.accounts.models import Role
from tiendo.demo import DEMO_PASSWORD

from .factories import make_unit, make_user


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    # The test client leaves the last request's language active in this thread: put the
    # default back so that later tests (in any module) do not run in Vietnamese by accident.
    yield
    translation.deactivate()


@pytest.fixture
def member(db: None):  # type: ignore[no-untyped-def]
    unit = make_unit("Sở Nội vụ")
    return make_user("noivu.canbo", unit=unit, role=Role.UNIT_LEADER, position="Phó Giám đốc")


@override_settings(TIENDO_DEMO=True)
def test_demo_mode_lists_every_member_with_role_unit_and_password(member) -> None:  # type: ignore[no-untyped-def]
    # given an inactive member and a user without any membership
    inactive = make_user("old.member", unit=make_unit(), is_active=False)
    make_user("no.membership")
    # when the sign-in page is opened in demo mode
    response = Client().get(reverse("login"))
    html = response.content.decode()
    # then exactly the active members are listed, each with a fill-in button
    usernames = [u.username for u in response.context["demo_accounts"]]
    assert usernames == ["noivu.canbo"]
    assert inactive.username not in html
    assert "Noivu.Canbo" in html  # full name
    assert "Unit leader · Sở Nội vụ" in html
    assert DEMO_PASSWORD in html
    assert 'data-fill-username="noivu.canbo"' in html


@override_settings(TIENDO_DEMO=False)
def test_demo_accounts_are_never_shown_outside_demo_mode(member) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(reverse("login"))
    html = response.content.decode()
    assert "demo_accounts" not in response.context
    assert "noivu.canbo" not in html
    assert DEMO_PASSWORD not in html


def test_sign_in_through_the_form_then_sign_out(member) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    signed_in = client.post(
        reverse("login"), {"username": "noivu.canbo", "password": "a-Long-passw0rd"}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == reverse("programs:my_tasks")
    assert "My tasks" in signed_in.content.decode()
    signed_out = client.post(reverse("logout"), follow=True)
    assert signed_out.redirect_chain[-1][0] == reverse("login")
    assert client.get(reverse("programs:my_tasks")).status_code == 302


def test_wrong_password_gives_a_clear_message(member) -> None:  # type: ignore[no-untyped-def]
    response = Client(HTTP_ACCEPT_LANGUAGE="vi").post(
        reverse("login"), {"username": "noivu.canbo", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_layout_has_direction_navigation_slots_and_a_post_sign_out(member) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(member)
    html = client.get(reverse("programs:my_tasks")).content.decode()
    assert 'dir="ltr"' in html
    assert '<span id="notification-badge">' in html
    assert 'action="/logout/"' in html
    assert "htmx" in html


@override_settings(TIENDO_DEMO=True)
def test_demo_mode_puts_one_account_per_role_first(member) -> None:  # type: ignore[no-untyped-def]
    # given two of the named demo accounts among ordinary members
    unit = make_unit()
    make_user("vanphong", unit=unit, role=Role.STANDING_OFFICE)
    make_user("chutich", unit=unit, role=Role.COMMITTEE_LEADER)
    # when the sign-in page is opened, then they come first, in the demo's order
    context = Client().get(reverse("login")).context
    assert [u.username for u in context["demo_featured"]] == ["chutich", "vanphong"]
    assert [u.username for u in context["demo_others"]] == ["noivu.canbo"]
