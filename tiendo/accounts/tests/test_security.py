"""Authentication hardening: lockout after failed sign-ins, two-factor for privileged roles."""

import time

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiendo.accounts.models import Role
from tiendo.programs.tests.factories import make_unit, make_user

pytestmark = pytest.mark.django_db
PASSWORD = "a-Long-passw0rd"


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client) -> None:
    user = make_user("officer", unit=make_unit())
    for _ in range(5):
        response = client.post("/login/", {"username": "officer", "password": "wrong"})
        assert response.status_code in (200, 429)
    response = client.post("/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert user.pk  # still there, just locked


def test_a_right_password_signs_in_and_resets_the_count(client) -> None:
    make_user("officer", unit=make_unit())
    for _ in range(3):
        client.post("/login/", {"username": "officer", "password": "wrong"})
    response = client.post("/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@override_settings(TIENDO_2FA_REQUIRED=True)
def test_a_standing_office_member_must_enrol_and_pass_a_code(client) -> None:
    user = make_user("office", unit=make_unit(), role=Role.STANDING_OFFICE)
    client.force_login(user)
    # Given a privileged user without a second factor, any page sends them to enrol
    response = client.get("/tasks/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/?next=/tasks/")
    page = client.get(response["Location"])
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    # A wrong code is refused
    wrong = client.post("/account/2fa/", {"code": "000000", "next": "/tasks/"})
    assert wrong.status_code == 200
    assert client.get("/tasks/").status_code == 302
    # An immediate retry is throttled, whatever the code
    throttled = client.post("/account/2fa/", {"code": current_code(device), "next": "/tasks/"})
    assert b"Too many wrong codes" in throttled.content
    time.sleep(2.1)
    # The right code enrols the device and opens the page asked for
    right = client.post("/account/2fa/", {"code": current_code(device), "next": "/tasks/"})
    assert right.status_code == 302
    assert right["Location"] == "/tasks/"
    assert client.get("/tasks/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


@override_settings(TIENDO_2FA_REQUIRED=True)
def test_an_officer_needs_no_second_factor(client) -> None:
    client.force_login(make_user("officer", unit=make_unit(), role=Role.UNIT_OFFICER))
    assert client.get("/tasks/").status_code == 200


@override_settings(TIENDO_2FA_REQUIRED=True)
def test_next_cannot_send_the_user_elsewhere(client) -> None:
    user = make_user("chair", unit=make_unit(), role=Role.COMMITTEE_LEADER)
    client.force_login(user)
    client.get("/account/2fa/")
    device = TOTPDevice.objects.get(user=user)
    response = client.post(
        "/account/2fa/", {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_responses_carry_a_strict_content_security_policy(client) -> None:
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
