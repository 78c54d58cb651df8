"""Writes to the working-day calendar: administrators' overrides of single days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.core.errors import PermissionDeniedError
from tiendo.orgs.scope import scope_for

from .models import CalendarOverride
from .workdays import clear_cache


def _require_admin(actor: Any) -> None:
    if not scope_for(actor).is_admin:
        raise PermissionDeniedError(_("Only an administrator can change the working-day calendar."))


@transaction.atomic
def override_set(
    *, actor: Any, date: dt.date, is_working_day: bool, reason: str
) -> CalendarOverride:
    """Record (or replace) the government's decision for one day."""
    _require_admin(actor)
    override = CalendarOverride.objects.filter(date=date).first() or CalendarOverride(
        date=date, created_by=actor
    )
    override.is_working_day = is_working_day
    override.reason = reason
    override.full_clean()
    override.save()
    transaction.on_commit(clear_cache)
    return override


@transaction.atomic
def override_delete(*, actor: Any, date: dt.date) -> None:
    _require_admin(actor)
    CalendarOverride.objects.filter(date=date).delete()
    transaction.on_commit(clear_cache)
