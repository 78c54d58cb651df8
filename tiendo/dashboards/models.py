"""A leader's override of the computed delivery confidence, kept with who, when and why.

Overrides are never edited: a new one replaces the previous one from the moment it is recorded,
and withdrawing one is a new record with an empty rating. So a dashboard shown as of a past
date shows the override that was in force on that date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .confidence import Rating


class Target(models.TextChoices):
    PROGRAM = "program", _("Program")
    GROUP = "group", _("Task group")
    UNIT = "unit", _("Unit")


class ConfidenceOverride(models.Model):
    target = models.CharField(_("applies to"), max_length=10, choices=Target.choices)
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(
        "programs.TaskGroup", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Empty: the override is withdrawn and the computed rating applies again.
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    reason = models.TextField(_("reason"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery confidence override")
        verbose_name_plural = _("delivery confidence overrides")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        target="program",
                        program__isnull=False,
                        group__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        target="group", program__isnull=True, group__isnull=False, unit__isnull=True
                    )
                    | Q(target="unit", program__isnull=True, group__isnull=True, unit__isnull=False)
                ),
                name="confidence_override_one_target",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "created_at"], name="override_program"),
            models.Index(fields=["group", "created_at"], name="override_group"),
            models.Index(fields=["unit", "created_at"], name="override_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.rating or '-'} · {self.created_at:%Y-%m-%d}"

    @property
    def target_id(self) -> int | None:
        return self.program_id or self.group_id or self.unit_id

    @property
    def rating_label(self) -> str:
        return str(Rating(self.rating).label) if self.rating else ""
