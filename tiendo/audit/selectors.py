"""Who may read which audit entries.

Administrators read the whole trail. Auditors read the entries about the tasks and programs
they can see, and the entries of the people who belong to their units. Nobody else reads it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from tiendo.accounts.models import Membership, Role
from tiendo.orgs.scope import Scope
from tiendo.programs.selectors import visible_programs, visible_tasks

from .models import AuditEntry


def can_read_audit(scope: Scope) -> bool:
    return scope.is_admin or scope.has_role(Role.AUDITOR)


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_entries(scope: Scope, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    if not can_read_audit(scope):
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.all()
    if not scope.is_admin:
        tasks = visible_tasks(scope).annotate(sid=Cast("pk", CharField())).values("sid")
        programs = visible_programs(scope).annotate(sid=Cast("pk", CharField())).values("sid")
        people = Membership.objects.filter(scope.subtree_q("unit__path")).values("user_id")
        qs = qs.filter(
            Q(object_type="programs.task", object_id__in=tasks)
            | Q(object_type="programs.program", object_id__in=programs)
            | Q(actor_id__in=people)
        )
    f = filters or AuditFilters()
    if f.action:
        qs = qs.filter(action__startswith=f.action)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.actor:
        qs = qs.filter(actor_name__icontains=f.actor)
    if f.date_from:
        qs = qs.filter(at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(at__date__lte=f.date_to)
    return qs.order_by("-seq")
