"""Who is calling: an API token (``Authorization: Bearer td_...``) or the browser's session.

Both set ``request.auth_user``, the user every operation scopes its queries to.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from tiendo.accounts.models import TokenScope
from tiendo.accounts.services import api_token_lookup


def _use_language_of(request: HttpRequest, user: Any) -> None:
    """A token client that states no language gets the one in the user's profile."""
    stated = (
        "HTTP_ACCEPT_LANGUAGE" in request.META or settings.LANGUAGE_COOKIE_NAME in request.COOKIES
    )
    if user.language and not stated:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = api_token_lookup(token)
        if found is None:
            # A token that is wrong, revoked or expired is refused outright, without trying the
            # session: a script should learn at once that its token no longer works.
            raise AuthenticationError()
        user = found.user
        if found.scope == TokenScope.READ and request.method not in ("GET", "HEAD", "OPTIONS"):
            _use_language_of(request, user)
            raise HttpError(
                403, _("This token is read-only: create a read-and-write token to make changes.")
            )
        request.auth_user = user  # type: ignore[attr-defined]
        _use_language_of(request, user)
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser user; unsafe methods need the CSRF token, as for any form."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(
                403, _("CSRF check failed: send the X-CSRFToken header with the request.")
            )
        request.auth_user = user  # type: ignore[attr-defined]
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return None  # unused: ``__call__`` reads the user the session middleware loaded
