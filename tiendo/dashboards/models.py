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


# Summary tables (see ``summary.py``) -----------------------------------------------------------
# Derived data, rebuilt from the task table at any time by ``tiendo rebuild-summary``: no
# timestamps, no default ordering (an ORDER BY would cost every dashboard read for nothing).


class SummaryState(models.Model):
    """The reference day of the summary tables; a single row (id 1), absent until the first
    rebuild. Dashboards read the tables only on that day; writes keep them exact for it."""

    day = models.DateField()
    rebuilt_at = models.DateTimeField()
    tasks = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"summary of {self.day}"


class UnitTally(models.Model):
    """Assigned tasks counted per (ancestor unit, child below it, kind, visibility, status code).

    ``anc`` is a unit path; ``child`` the id (path segment) of the unit right below it that
    leads the tasks or has them in its subtree, "" for the tasks ``anc`` leads itself (its
    "own" rows, the leaf rows that writes recompute). ``vis`` is the higher of the task's and
    its program's classification; ``code`` is ``figures.tally``'s status-and-flags code on the
    reference day; ``days`` the summed days late (completed late or overdue).
    """

    anc = models.CharField(max_length=255)
    child = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=20)
    vis = models.SmallIntegerField()
    code = models.IntegerField()
    n = models.IntegerField()
    days = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["anc", "child", "kind", "vis", "code"], name="unit_tally_key"
            )
        ]
        indexes = [
            # A task list's total of some statuses in a subtree, and in the country (read on
            # every list: ``programs.selectors._read_tally``), from the index alone: the key
            # above makes it read every row of the subtree (10,000 for the country).
            models.Index(fields=["anc", "code", "vis", "n"], name="unit_tally_totals"),
        ]

    def __str__(self) -> str:
        return f"{self.anc} {self.child} {self.kind} {self.vis} {self.code}: {self.n}"


class UnitTrend(models.Model):
    """Assigned tasks counted per (ancestor unit, own or below, visibility, timeline code):
    ``timeline._timeline_codes`` of the unit dashboard's timeline on the reference day."""

    anc = models.CharField(max_length=255)
    own = models.BooleanField()
    vis = models.SmallIntegerField()
    code = models.BigIntegerField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["anc", "own", "vis", "code"], name="unit_trend_key")
        ]

    def __str__(self) -> str:
        return f"{self.anc} {self.own} {self.vis} {self.code}: {self.n}"
