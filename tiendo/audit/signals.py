"""Permission changes are audited wherever they are made (services or the admin site).

Signals are used here, and only here, because the admin site writes memberships and users
directly; everything else calls ``audit_record`` from its service.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tiendo.accounts.models import Membership, User

from .services import audit_record, snapshot

PERMISSION_FIELDS = ["is_active", "is_staff", "is_superuser", "clearance", "username"]


@receiver(post_save, sender=Membership)
def membership_saved(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    audit_record(
        actor=None,
        action="membership.grant" if created else "membership.change",
        obj=instance,
        after=snapshot(instance),
    )


@receiver(post_delete, sender=Membership)
def membership_deleted(sender: Any, instance: Membership, **kwargs: Any) -> None:
    audit_record(actor=None, action="membership.revoke", obj=instance, before=snapshot(instance))


@receiver(post_save, sender=User)
def user_saved(
    sender: Any, instance: User, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    if update_fields and set(update_fields) <= {"last_login", "password"}:
        return
    audit_record(
        actor=None,
        action="user.create" if created else "user.change",
        obj=instance,
        after=snapshot(instance, PERMISSION_FIELDS),
    )
