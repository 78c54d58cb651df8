"""Sign-in: Django's own views, plus the demo accounts listed in demo mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Prefetch, QuerySet

from tiendo.demo import DEMO_PASSWORD
from tiendo.demo.accounts import DEMO_ACCOUNTS

from .models import Membership, User


def demo_accounts() -> QuerySet[User]:
    """Every active user with a membership: the people a visitor of the demo can sign in as."""
    memberships = Membership.objects.select_related("unit").order_by("unit__path", "role")
    return (
        User.objects.filter(is_active=True, memberships__isnull=False)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=memberships))
        .order_by("username")
    )


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Read per request, not at import: tests and the demo switch it on and off.
        if settings.TIENDO_DEMO:
            accounts = list(demo_accounts())
            # The accounts worth trying first (one per role), then everyone else, folded away.
            order = {a.username: i for i, a in enumerate(DEMO_ACCOUNTS)}
            context["demo_accounts"] = accounts
            context["demo_featured"] = sorted(
                (u for u in accounts if u.username in order), key=lambda u: order[u.username]
            )
            context["demo_others"] = [u for u in accounts if u.username not in order]
            context["demo_password"] = DEMO_PASSWORD
        return context
