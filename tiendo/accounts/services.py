"""Writes about people: memberships and API tokens."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from tiendo.audit.services import audit_record

from .models import ApiToken, Membership, Role, TokenScope, User


@transaction.atomic
def membership_grant(*, user: User, unit_id: int, role: Role | str) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, unit_id=unit_id, role=role)
    return membership


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_at: dt.datetime | None = None, scope: str = TokenScope.WRITE
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is not stored and cannot be shown again."""
    prefix = secrets.token_hex(4)
    secret = f"td_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=ApiToken.hash_secret(secret),
        expires_at=expires_at,
        scope=scope,
    )
    audit_record(
        actor=user,
        action="token.create",
        obj=token,
        after={"name": name, "prefix": prefix, "scope": scope},
    )
    return token, secret


def api_token_authenticate(secret: str) -> User | None:
    """The active user owning ``secret``, or None (see ``api_token_lookup``)."""
    token = api_token_lookup(secret)
    return token.user if token is not None else None


def api_token_lookup(secret: str) -> ApiToken | None:
    """The usable token matching ``secret`` (its user loaded), or None. Constant-time compare."""
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != "td":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    if not hmac.compare_digest(token.digest, ApiToken.hash_secret(secret)):
        return None
    # One cheap write a minute at most, so a busy client does not write on every call.
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    ):
        audit_record(
            actor=token.user, action="token.revoke", obj=token, after={"prefix": token.prefix}
        )
