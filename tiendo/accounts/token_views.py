"""``/account/tokens/``: a signed-in person lists, creates and revokes their own API tokens."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tiendo.accounts.models import User
from tiendo.api import tokens


@never_cache  # the page may carry a secret: never keep it in a cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required: never anonymous here
    secret = None
    form = tokens.TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, secret = tokens.own_token_create(
            user=user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            scope=form.cleaned_data["scope"],
        )
        messages.success(request, tokens.CREATED % {"name": token.name})
        form = tokens.TokenCreateForm()
    context = {
        "title": tokens.PAGE_TITLE,
        "form": form,
        "secret": secret,
        "tokens": tokens.own_tokens(user),
    }
    return render(request, "accounts/tokens.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = tokens.own_token_revoke(user=cast(User, request.user), token_id=token_id)
    messages.success(request, tokens.REVOKED % {"name": token.name})
    return redirect("api_tokens")
