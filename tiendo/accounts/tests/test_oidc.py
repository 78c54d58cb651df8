"""Optional OpenID Connect sign-on: off by default; when configured, users are matched by e-mail."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tiendo.accounts.oidc import TiendoOIDCBackend
from tiendo.programs.tests.factories import make_user

ROOT = Path(__file__).resolve().parents[3]


def test_sso_is_off_unless_configured(client) -> None:
    assert client.get("/oidc/authenticate/").status_code == 404


def test_with_a_provider_configured_sign_in_redirects_to_it() -> None:
    # A fresh process, since settings are read at start-up (no provider is contacted).
    env = {
        **os.environ,
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TIENDO_OIDC_CLIENT_ID": "tiendo",
        "TIENDO_OIDC_AUTHORIZATION_ENDPOINT": "https://sso.example.gov.vn/auth",
        "TIENDO_OIDC_TOKEN_ENDPOINT": "https://sso.example.gov.vn/token",
        "TIENDO_OIDC_USER_ENDPOINT": "https://sso.example.gov.vn/userinfo",
    }
    # Cookie sessions: the child process has no migrated database, and needs none for this.
    code = (
        "import django; django.setup();"
        "from django.conf import settings;"
        "settings.SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies';"
        "from django.test import Client; from django.test.utils import setup_test_environment;"
        "setup_test_environment(); r = Client().get('/oidc/authenticate/');"
        "print(r.status_code, r['Location'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    status, location = out.split(" ", 1)
    assert status == "302"
    assert location.startswith("https://sso.example.gov.vn/auth?")
    assert "client_id=tiendo" in location


@pytest.mark.django_db
def test_users_are_matched_by_verified_email_only() -> None:
    user = make_user("lan")
    user.email = "lan@sotttt.gov.vn"
    user.save()
    backend = TiendoOIDCBackend.__new__(TiendoOIDCBackend)  # no provider settings needed here
    assert list(backend.filter_users_by_claims({"email": "LAN@sotttt.gov.vn"})) == [user]
    assert (
        list(
            backend.filter_users_by_claims({"email": "lan@sotttt.gov.vn", "email_verified": False})
        )
        == []
    )
    assert list(backend.filter_users_by_claims({})) == []
