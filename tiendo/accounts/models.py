from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiendo.core.models import Classification, TimeStampedModel


class Role(models.TextChoices):
    """What a membership lets its holder do; visibility rules are in ``tiendo.orgs.scope``."""

    COMMITTEE_LEADER = "committee_leader", _("Committee leader")  # chairs the steering committee
    STANDING_OFFICE = "standing_office", _("Standing office")  # assigns, urges, consolidates
    UNIT_LEADER = "unit_leader", _("Unit leader")  # accountable for a unit's tasks
    UNIT_OFFICER = "unit_officer", _("Unit officer")  # reports progress with evidence
    REVIEWER = "reviewer", _("Reviewer")  # appraises projects, verifies scores
    VIEWER = "viewer", _("Viewer")  # reads, changes nothing
    AUDITOR = "auditor", _("Auditor")  # reads the audit trail of their unit's programs
    ADMINISTRATOR = "administrator", _("Administrator")  # manages the system, sees every program


# Roles that see the whole of a program owned by (or run by) their unit.
PROGRAM_WIDE_ROLES = frozenset({Role.COMMITTEE_LEADER, Role.STANDING_OFFICE})


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(
        _("position"), max_length=200, blank=True, help_text=_("For example: Deputy Director")
    )
    clearance = models.IntegerField(
        _("clearance"),
        choices=Classification.choices,
        default=Classification.PUBLIC,
        help_text=_("Highest classification of records this person may see."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        ordering = ["full_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return display_name_of(self.full_name, self.first_name, self.last_name, self.username)

    @property
    def display_name(self) -> str:
        return str(self)


# The columns a user's shown name is made of (``display_name_of``, in this order): what a read
# selects of a user it only names (``QuerySet.only``, hand-written SQL).
DISPLAY_NAME_FIELDS = ("full_name", "first_name", "last_name", "username")


def display_name_of(full_name: str, first_name: str, last_name: str, username: str) -> str:
    """A user's name as shown (``str(user)``), from its columns: for reads that select them
    without building the user (``get_full_name``: first and last name, stripped)."""
    return full_name or f"{first_name} {last_name}".strip() or username


class Membership(TimeStampedModel):
    """A user's role in a unit. A person may hold several roles in several units."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        ordering = ["user_id", "unit_id", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A revocable API token. Only a hash is stored; the secret is shown once, at creation.

    A token never reaches further than its user; a read-only token also refuses every write.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    scope = models.CharField(
        _("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
