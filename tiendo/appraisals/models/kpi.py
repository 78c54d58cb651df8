"""Indicators (KPIs) with targets per period and unit, and actual values reported over time."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiendo.core.fields import TreePathField
from tiendo.core.models import TimeStampedModel


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Aggregation(models.TextChoices):
    """How the values of units roll up to the unit above them."""

    SUM = "sum", _("Sum")  # e.g. services deployed
    AVERAGE = "average", _("Average")  # e.g. a rate, each unit counting the same
    WEIGHTED = "weighted", _("Weighted average")  # a rate weighted by each unit's weight


class Indicator(TimeStampedModel):
    """An indicator of a program, or of one task (a pilot model has KPIs of its own)."""

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("program"),
    )
    task = models.ForeignKey(
        "programs.Task",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("task or pilot model"),
    )
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=500)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=100)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    aggregation = models.CharField(
        _("roll-up"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=16, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["program_id", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = TreePathField(editable=False, db_index=True)
    period_end = models.DateField(_("period ends on"))
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4)
    weight = models.DecimalField(
        _("weight"), max_digits=16, decimal_places=4, default=1, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["indicator_id", "period_end", "unit_path"]
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period_end"], name="indicator_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} · {self.unit_id} · {self.period_end}: {self.target}"


class IndicatorActual(models.Model):
    """A value measured on ``measured_on`` for the period; never edited, the latest counts."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = TreePathField(editable=False, db_index=True)
    period_end = models.DateField(_("period ends on"))
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(_("source"), max_length=500, blank=True)
    evidence = models.FileField(upload_to="indicators/%Y/%m/", max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator_id", "period_end", "-measured_on", "-id"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        indexes = [
            models.Index(fields=["indicator", "period_end", "measured_on"], name="actual_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} · {self.unit_id} · {self.measured_on}: {self.value}"
