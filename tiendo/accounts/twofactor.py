"""Two-factor authentication (TOTP, django-otp) for privileged roles.

When ``TIENDO_2FA_REQUIRED`` is on (production default), a signed-in user who is staff, an
administrator, a committee leader, the standing office or an auditor must pass a one-time
code before any page opens: they enrol an authenticator app on first sign-in, then enter
a code at each sign-in. The demo and development servers leave it off so that the demo
accounts open with a password alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tiendo.accounts.models import Role

PRIVILEGED_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.COMMITTEE_LEADER, Role.STANDING_OFFICE, Role.AUDITOR}
)
EXEMPT_PREFIXES = (
    "/account/2fa/",
    "/logout/",
    "/login/",
    "/static/",
    "/i18n/",
    "/jsi18n/",
    "/api/",
)


def needs_second_factor(user: Any) -> bool:
    if not getattr(settings, "TIENDO_2FA_REQUIRED", False) or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.memberships.filter(role__in=PRIVILEGED_ROLES).exists()


class TwoFactorMiddleware:
    """Sends privileged users who have not passed a second factor to enrol or verify."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(EXEMPT_PREFIXES)
            and needs_second_factor(user)
        ):
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        allowed, _why = self.device.verify_is_allowed()
        if not allowed:
            # Each wrong code doubles the wait before the next try (django-otp throttling).
            raise forms.ValidationError(
                _("Too many wrong codes. Wait a few seconds, then try again.")
            )
        if not code.isdigit() or not self.device.verify_token(code):
            raise forms.ValidationError(
                _("This code is not valid. Check your device's clock and try again.")
            )
        return code


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return reverse("home")
    return target


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol a device on first use (QR code shown), else verify a code."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    with transaction.atomic():
        device = confirmed or TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="tiendo", confirmed=False)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return redirect(_next(request))
    context: dict[str, Any] = {
        "form": form,
        "enrolling": not device.confirmed,
        "next": _next(request),
    }
    if not device.confirmed:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/two_factor.html", context)
