"""The "API tokens" page's form and reads: a person lists, creates and revokes their own tokens.

The view is ``tiendo.accounts.token_views`` (account pages live under ``/account/``); its
texts live here and in ``templates/api/_tokens.html`` so that they sit in the API catalogue.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiendo.accounts.models import ApiToken, TokenScope, User
from tiendo.accounts.services import api_token_create, api_token_revoke


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("What is the token for?"),
        max_length=100,
        help_text=_("For example: monthly export to the provincial data warehouse."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        required=False,
        help_text=_("A read-only token can fetch data but never change it."),
    )

    def clean_scope(self) -> str:
        return self.cleaned_data.get("scope") or TokenScope.READ

    days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        initial=90,
        help_text=_("Leave empty for a token that does not expire."),
    )


PAGE_TITLE = _("API tokens")
CREATED = _("Token “%(name)s” created. Copy the secret now: it will not be shown again.")
REVOKED = _("Token “%(name)s” revoked. Programs using it can no longer connect.")


def own_tokens(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def own_token_create(
    *, user: User, name: str, days: int | None, scope: str = TokenScope.READ
) -> tuple[ApiToken, str]:
    expires_at = timezone.now() + dt.timedelta(days=days) if days else None
    return api_token_create(user=user, name=name.strip(), expires_at=expires_at, scope=scope)


def own_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; anybody else's token is 404."""
    token = own_tokens(user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    api_token_revoke(token=token)
    return token
