"""API tokens: the ``/account/tokens/`` page and the two management commands."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tiendo.accounts.models import ApiToken
from tiendo.accounts.services import api_token_authenticate, api_token_create

from .helpers import World

pytestmark = pytest.mark.django_db


def signed_in(world: World) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(world.officer_a)
    return client


def test_page_requires_sign_in(world: World) -> None:
    response = Client().get("/account/tokens/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_create_shows_the_secret_once_and_it_works(world: World) -> None:
    client = signed_in(world)
    # When officer A creates a token on the page
    response = client.post("/account/tokens/", {"name": "Warehouse export", "days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    secret = re.search(r'id="token-secret">(td_[^<]+)<', response.content.decode())[1]  # type: ignore[index]
    # Then the secret authenticates officer A, and the listing no longer shows it
    assert api_token_authenticate(secret) == world.officer_a
    listing = client.get("/account/tokens/").content.decode()
    assert "Warehouse export" in listing
    assert secret not in listing
    assert ApiToken.objects.get(name="Warehouse export").expires_at is not None


def test_invalid_form_creates_nothing(world: World) -> None:
    response = signed_in(world).post("/account/tokens/", {"name": "", "days": "0"})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_lists_only_own_tokens(world: World) -> None:
    api_token_create(user=world.officer_b, name="Someone else's")
    api_token_create(user=world.officer_a, name="Mine")
    page = signed_in(world).get("/account/tokens/").content.decode()
    assert "Mine" in page
    assert "Someone else" not in page


def test_revoke_own_token_and_not_another_persons(world: World) -> None:
    mine, secret = api_token_create(user=world.officer_a, name="Mine")
    theirs, their_secret = api_token_create(user=world.officer_b, name="Theirs")
    client = signed_in(world)
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    assert api_token_authenticate(their_secret) == world.officer_b
    response = client.post(f"/account/tokens/{mine.pk}/revoke/")
    assert response.status_code == 302
    assert api_token_authenticate(secret) is None


def test_create_command_prints_the_secret(world: World) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create-api-token", "officer_a", "--name", "ETL", "--days", "7", stdout=out, stderr=err
    )
    secret = out.getvalue().strip()
    assert api_token_authenticate(secret) == world.officer_a
    assert "cannot be shown again" in err.getvalue()


def test_create_command_refuses_unknown_user_and_bad_days(world: World) -> None:
    with pytest.raises(CommandError):
        call_command("create-api-token", "nobody", "--name", "x")
    with pytest.raises(CommandError):
        call_command("create-api-token", "officer_a", "--name", "x", "--days", "0")
    assert not ApiToken.objects.exists()


def test_revoke_command(world: World) -> None:
    token, secret = api_token_create(user=world.officer_a, name="ETL")
    out = io.StringIO()
    call_command("revoke-api-token", token.prefix, stdout=out)
    assert "Revoked" in out.getvalue()
    assert api_token_authenticate(secret) is None
    with pytest.raises(CommandError):
        call_command("revoke-api-token", "ffffffff")
