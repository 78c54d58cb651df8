from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiendo.core.fields import TreePathField
from tiendo.core.models import TimeStampedModel


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    PROVINCE = "province", _("Province")
    COMMITTEE = "committee", _("Steering committee")
    DEPARTMENT = "department", _("Department")
    AGENCY = "agency", _("Agency")
    SUBUNIT = "subunit", _("Sub-unit")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    ENTERPRISE = "enterprise", _("Enterprise")
    OTHER = "other", _("Other")


class Unit(TimeStampedModel):
    """A unit of the organisation tree: ministry or province > department > ... > commune.

    ``path`` is the materialised ancestry (``/1/7/42/``): the subtree of a unit is one indexed
    range query (see ``tiendo.core.fields.in_subtree``), never a recursive walk.
    A merged or closed unit stays, with ``closed_on`` and ``merged_into``, so that history
    recorded under it remains attributed to it.
    """

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    path = TreePathField(_("path"), unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
        verbose_name=_("head"),
        help_text=_("The leader accountable for this unit."),
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_units",
        verbose_name=_("merged into"),
    )

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [models.Index(fields=["parent", "name"], name="unit_parent_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, read from the path (no query)."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class UnitChangeKind(models.TextChoices):
    CREATED = "created", _("Created")
    MOVED = "moved", _("Moved")
    MERGED = "merged", _("Merged")
    CLOSED = "closed", _("Closed")


class UnitChange(models.Model):
    """History of the organisation tree: what changed, from when, and by whose decision."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="changes", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitChangeKind.choices)
    effective_on = models.DateField(_("effective on"))
    target = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target unit"),
    )
    previous_path = models.CharField(_("previous path"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = _("unit change")
        verbose_name_plural = _("unit changes")

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()} · {self.effective_on}"
