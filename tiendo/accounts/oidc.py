"""Single sign-on with a ministry's OpenID Connect provider (mozilla-django-oidc), optional.

Enabled by ``TIENDO_OIDC_CLIENT_ID`` and the provider's endpoints (see config/settings/base.py).
A person signs in with the provider and is matched to an existing, active tiendo user by
e-mail; accounts and roles are still managed in tiendo, so SSO cannot widen anyone's access.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import User


class TiendoOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)
