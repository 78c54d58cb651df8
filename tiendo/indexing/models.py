"""Frameworks (versioned trees of indicators), assessment periods, values and published results.

Values are append-only: every entry, adjustment or automatic computation is a new
``IndicatorValue`` row saying who, when and why; the current value of an indicator is the
latest row. Nothing is ever updated or deleted, so the history behind any score can be shown.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from tiendo.core.models import TimeStampedModel

from .engine import FrameworkSpec, NodeSpec
from .methods import Aggregation, Method


def _localised(obj: Any) -> str:
    """The Vietnamese name when the interface is Vietnamese and one is given."""
    if (get_language() or "").startswith("vi") and obj.name_vi:
        return str(obj.name_vi)
    return str(obj.name)


class Framework(TimeStampedModel):
    """One version of an evaluation index (e.g. the provincial DTI, version 2022)."""

    code = models.SlugField(_("code"), max_length=50)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=300)
    name_vi = models.CharField(_("Vietnamese name"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    unit_kinds = models.JSONField(_("unit kinds assessed"), default=list, blank=True)
    merge_level = models.PositiveSmallIntegerField(
        _("merge level"),
        default=1,
        help_text=_("Tree level whose scores a merged unit takes as its predecessors' average."),
    )
    rank_decimals = models.PositiveSmallIntegerField(_("decimals compared for ranking"), default=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_code_version"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.version})"

    @property
    def display_name(self) -> str:
        return _localised(self)

    def spec(self) -> FrameworkSpec:
        nodes = list(self.nodes.select_related("parent").order_by("position", "id"))
        return FrameworkSpec(
            code=self.code,
            name=self.name,
            name_vi=self.name_vi,
            version=self.version,
            year=self.year,
            description=self.description,
            merge_level=self.merge_level,
            unit_kinds=tuple(self.unit_kinds or ()),
            rank_decimals=self.rank_decimals,
            nodes=tuple(n.spec() for n in nodes),
        )


class FrameworkNode(models.Model):
    """A pillar, sub-pillar (groups) or indicator of a framework."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("framework")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=500)
    name_vi = models.CharField(_("Vietnamese name"), max_length=500, blank=True)
    position = models.PositiveIntegerField(_("order in the framework"), default=0)
    is_group = models.BooleanField(_("group"), default=False)
    weight = models.FloatField(_("weight"), default=1.0)
    max_points = models.FloatField(_("maximum points"), null=True, blank=True)
    method = models.CharField(_("scoring method"), max_length=20, default=Method.POINTS, blank=True)
    params = models.JSONField(_("method parameters"), default=dict, blank=True)
    aggregation = models.CharField(
        _("aggregation"), max_length=20, default=Aggregation.SUM, blank=True
    )
    source = models.CharField(
        _("automatic source"),
        max_length=50,
        blank=True,
        help_text=_("Empty: entered by the unit; otherwise computed from tiendo's records."),
    )
    measure = models.CharField(_("unit of measure"), max_length=30, blank=True)
    evidence = models.TextField(_("evidence required"), blank=True)

    class Meta:
        ordering = ["framework_id", "position", "id"]
        verbose_name = _("framework node")
        verbose_name_plural = _("framework nodes")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="framework_node_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        return _localised(self)

    @property
    def is_manual(self) -> bool:
        return not self.is_group and not self.source and self.method != Method.FORMULA

    def spec(self) -> NodeSpec:
        return NodeSpec(
            code=self.code,
            name=self.name,
            name_vi=self.name_vi,
            parent=self.parent.code if self.parent is not None else None,
            is_group=self.is_group,
            weight=self.weight,
            max_points=self.max_points,
            method=self.method or Method.POINTS,
            params=self.params or {},
            aggregation=self.aggregation or Aggregation.SUM,
            source=self.source,
            unit=self.measure,
            evidence=self.evidence,
        )


class PeriodState(models.TextChoices):
    OPEN = "open", _("Open for self-assessment")  # units enter values, reviewers verify
    APPROVED = "approved", _("Approved")  # the committee accepted every verified assessment
    PUBLISHED = "published", _("Published")  # results frozen and visible to everyone


class Period(TimeStampedModel):
    """An assessment round of a framework, e.g. "DTI 2022"."""

    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="periods", verbose_name=_("framework")
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    state = models.CharField(
        _("state"), max_length=20, choices=PeriodState.choices, default=PeriodState.OPEN
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous period"),
    )
    committee = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("steering committee"),
        help_text=_("Its leaders and standing office approve and publish."),
    )
    emulation_index_weight = models.FloatField(
        _("weight of the index in emulation"),
        default=0.7,
        help_text=_("The rest of the emulation score is task performance (on-time completion)."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-ends_on", "name"]
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="period_dates_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Self-assessment in progress")
    SUBMITTED = "submitted", _("Submitted for verification")
    RETURNED = "returned", _("Returned to the unit")
    VERIFIED = "verified", _("Verified")


class Assessment(TimeStampedModel):
    """One unit's assessment in one period."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("period")
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("unit")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=AssessmentState.choices, default=AssessmentState.DRAFT
    )
    state_reason = models.TextField(_("reason"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["period_id", "unit__path"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="assessment_period_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.unit}"


class ValueKind(models.TextChoices):
    SELF = "self", _("Self-assessment")  # entered by the unit
    ADJUSTMENT = "adjustment", _("Adjustment by reviewer")  # reason mandatory
    AUTOMATIC = "automatic", _("Computed from tiendo records")


class IndicatorValue(models.Model):
    """An append-only entry of an indicator's raw value; the latest one counts."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="values", verbose_name=_("assessment")
    )
    node = models.ForeignKey(
        FrameworkNode, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    value = models.FloatField(_("value"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ValueKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    evidence_note = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to="index-evidence/%Y/%m/", max_length=300, blank=True
    )
    # Ids of the records an automatic value was computed from (e.g. task ids).
    records = models.JSONField(_("records behind the value"), default=list, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "node_id", "-id"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        indexes = [models.Index(fields=["assessment", "node", "-id"], name="value_latest")]

    def __str__(self) -> str:
        return f"{self.node.code} = {self.value}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Indicator values are append-only: add a new entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Indicator values are append-only and cannot be deleted.")

    @property
    def reason_display(self) -> str:
        """Automatic notes are stored in English (``gettext_noop``) and shown translated."""
        if self.kind == ValueKind.AUTOMATIC and self.reason:
            return gettext(self.reason)
        return self.reason


class Result(models.Model):
    """A published score of a unit at one node, frozen when the period is published."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey(FrameworkNode, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("score"))
    scale = models.FloatField(_("maximum"))
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        ordering = ["period_id", "node_id", "rank", "unit_id"]
        verbose_name = _("index result")
        verbose_name_plural = _("index results")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "node"], name="result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.node_id}: {self.score}"
