"""Who may call the API: tokens (valid, revoked, expired, garbage) and the session with CSRF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tiendo.accounts.models import ApiToken
from tiendo.accounts.services import api_token_create, api_token_revoke

from .helpers import World

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


def test_valid_token_identifies_the_user(world: World) -> None:
    # Given a token of officer A
    _, secret = api_token_create(user=world.officer_a, name="script")
    # When it calls /me
    response = Client().get("/api/v1/me", headers=bearer(secret))
    # Then the answer is about officer A, and the token's last use is recorded
    assert response.status_code == 200
    assert response.json()["username"] == "officer_a"
    assert ApiToken.objects.get(name="script").last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer ",
        "Bearer garbage",
        "Bearer td_nope_nope",
        "Basic dXNlcjpwYXNz",
        "Bearer td_" + "x" * 5000,
    ],
)
def test_missing_or_garbage_credentials_get_401_json(world: World, header: str | None) -> None:
    headers = {"Accept-Language": "en"} | ({"Authorization": header} if header else {})
    response = Client().get("/api/v1/tasks", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentication required")
    assert response.json()["errors"] == {}


def test_revoked_token_is_refused(world: World) -> None:
    token, secret = api_token_create(user=world.officer_a, name="old")
    api_token_revoke(token=token)
    assert Client().get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_expired_token_is_refused(world: World) -> None:
    _, secret = api_token_create(
        user=world.officer_a, name="old", expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert Client().get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_token_of_a_deactivated_user_is_refused(world: World) -> None:
    _, secret = api_token_create(user=world.officer_a, name="t")
    world.officer_a.is_active = False
    world.officer_a.save()
    assert Client().get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_a_token_with_a_tampered_secret_is_refused(world: World) -> None:
    _, secret = api_token_create(user=world.officer_a, name="t")
    assert Client().get("/api/v1/me", headers=bearer(secret[:-2] + "zz")).status_code == 401


def test_a_bad_token_does_not_fall_back_to_the_session(world: World) -> None:
    # Given a signed-in browser that also sends a wrong token
    client = Client()
    client.force_login(world.officer_a)
    # Then the wrong token wins: 401
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer td_x_y"})
    assert response.status_code == 401


def test_session_user_can_read(world: World) -> None:
    client = Client()
    client.force_login(world.officer_a)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "officer_a"


def test_session_write_without_csrf_token_is_refused_and_writes_nothing(world: World) -> None:
    # Given a signed-in browser that enforces CSRF like a real one
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.standing)
    body = {"name": "New group"}
    # When it posts without the CSRF token
    response = client.post(
        f"/api/v1/programs/{world.program_a.pk}/groups", body, content_type="application/json"
    )
    # Then 403 in the error format, and no group is created
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not world.program_a.groups.exists()


def test_session_write_with_csrf_token_succeeds(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.standing)
    client.get("/api/v1/me")  # any page; the token comes from the cookie set by get_token
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    response = client.post(
        f"/api/v1/programs/{world.program_a.pk}/groups",
        {"name": "New group"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content
    assert world.program_a.groups.get().name == "New group"


def test_user_language_applies_when_the_request_states_none(world: World) -> None:
    # Given officer B prefers Vietnamese and calls with a token and no Accept-Language
    world.officer_b.language = "vi"
    world.officer_b.save()
    _, secret = api_token_create(user=world.officer_b, name="t")
    # When reading a task outside the scope
    response = Client().get(
        f"/api/v1/tasks/{world.task_a.pk}", headers={"Authorization": f"Bearer {secret}"}
    )
    # Then the error is in Vietnamese
    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy."
