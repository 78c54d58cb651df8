"""Sign-in: Django's own views, plus the demo accounts listed in demo mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Prefetch, QuerySet

from tiendo.demo import DEMO_PASSWORD

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
            context["demo_accounts"] = demo_accounts()
            context["demo_password"] = DEMO_PASSWORD
        return context
