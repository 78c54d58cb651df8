"""The data catalogue: specialised databases (datasets), their schema, versions, pulls and quality.

Start here:
- ``Dataset`` is one specialised database or dataset, owned by a unit (scope!) and a steward;
- ``DatasetField`` declares its schema; ``CodeList``/``CodeListItem`` are shared code lists;
- ``DatasetVersion`` is one ingested snapshot, stored as a Parquet file under
  ``settings.DATA_DIR / "catalogue"``; exactly one version per dataset is ``current``
  (a partial unique constraint), and record counts over time are the versions' ``row_count``;
- ``PullAttempt`` records every try of a scheduled pull (PostgreSQL table or HTTP/JSON);
- ``QualityMeasure`` stores the figures that ``tiendo.datacatalog.quality`` computes per version.
Which units may use a dataset: its owner unit's subtree, plus ``DatasetAccess`` rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiendo.core.fields import TreePathField
from tiendo.core.models import Classification, TimeStampedModel


class UpdateFrequency(models.TextChoices):
    """The update rhythm the owner declares; ``live`` quality is measured against it."""

    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    AD_HOC = "ad_hoc", _("Ad hoc")


# Days allowed between two updates before a dataset stops being "live" (None: no rhythm declared).
FREQUENCY_DAYS: dict[str, int | None] = {
    UpdateFrequency.DAILY: 1,
    UpdateFrequency.WEEKLY: 7,
    UpdateFrequency.MONTHLY: 31,
    UpdateFrequency.QUARTERLY: 92,
    UpdateFrequency.YEARLY: 366,
    UpdateFrequency.AD_HOC: None,
}


class SourceKind(models.TextChoices):
    """How data arrives."""

    UPLOAD = "upload", _("File upload (CSV, XLSX, Parquet)")
    POSTGRES = "postgres", _("Pull from a PostgreSQL table")
    HTTP = "http", _("Pull from an HTTP/JSON endpoint")


class DatasetStatus(models.TextChoices):
    """Where the database stands in its build; feeds "share of planned databases built"."""

    PLANNED = "planned", _("Planned")  # declared in a plan, nothing built yet
    BUILDING = "building", _("Being built")  # schema declared, data not yet live
    LIVE = "live", _("Live")  # in operation


class FieldType(models.TextChoices):
    """Declared type of a field; ingest checks every value against it."""

    TEXT = "text", _("Text")
    INTEGER = "integer", _("Integer")
    DECIMAL = "decimal", _("Decimal number")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Yes/no")


class CodeList(TimeStampedModel):
    """A shared code list (administrative unit codes, ownership kinds, ...) that fields may use."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("code list")
        verbose_name_plural = _("code lists")

    def __str__(self) -> str:
        return self.name


class CodeListItem(models.Model):
    code_list = models.ForeignKey(
        CodeList, on_delete=models.CASCADE, related_name="items", verbose_name=_("code list")
    )
    code = models.CharField(_("code"), max_length=80)
    label = models.CharField(_("label"), max_length=255)
    parent_code = models.CharField(_("parent code"), max_length=80, blank=True)

    class Meta:
        ordering = ["code_list", "code"]
        verbose_name = _("code list item")
        verbose_name_plural = _("code list items")
        constraints = [
            models.UniqueConstraint(fields=["code_list", "code"], name="codelistitem_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


# The warehouse and the SQL console name tables with PostgreSQL's identifier limit.
TABLE_NAME_MAX = 63


def warehouse_table_name(code: str) -> str:
    """The warehouse (and SQL console) table of a dataset code: ``dat-dai`` -> ``dat_dai``,
    ``2024-ho`` -> ``t_2024_ho``. Codes differing only by case or ``-``/``_`` give one name,
    which is why ``Dataset.table_name`` is stored and unique. Not checked here: see
    ``services_warehouse.table_name`` (a code longer than 63 characters names no table)."""
    name = code.strip().lower().replace("-", "_")
    if name and not name[0].isalpha():
        name = f"t_{name}"
    return name


class Dataset(TimeStampedModel):
    """One specialised database or dataset in the catalogue."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    # ``warehouse_table_name(code)``: two codes that would publish to one warehouse table
    # cannot both be declared (the unique constraint holds under races too).
    table_name = models.CharField(
        _("warehouse table"), max_length=TABLE_NAME_MAX, unique=True, editable=False
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    owner_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="datasets",
        verbose_name=_("owner unit"),
    )
    # Copied from the owner unit on write so the scope filter needs no join (like tasks).
    owner_unit_path = TreePathField(_("owner unit path"), editable=False)
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stewarded_datasets",
        verbose_name=_("data steward"),
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.PUBLIC
    )
    update_frequency = models.CharField(
        _("update frequency"),
        max_length=20,
        choices=UpdateFrequency.choices,
        default=UpdateFrequency.AD_HOC,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DatasetStatus.choices, default=DatasetStatus.PLANNED
    )
    source_kind = models.CharField(
        _("source"), max_length=20, choices=SourceKind.choices, default=SourceKind.UPLOAD
    )
    # Pulls: {"dsn_env": "NAME_OF_ENV_VAR", "table": "schema.table"} or
    # {"url": "https://...", "results_key": "results", "next_key": "next"};
    # a secret never sits here, only the name of the environment variable holding it.
    source_config = models.JSONField(_("source configuration"), default=dict, blank=True)
    pull_every_hours = models.PositiveIntegerField(
        _("pull every (hours)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no scheduled pull."),
    )
    next_pull_at = models.DateTimeField(_("next pull at"), null=True, blank=True)
    rules_yaml = models.TextField(
        _("quality rules (YAML)"),
        blank=True,
        help_text=_("Rules checked on every version; see the rule language in the documentation."),
    )
    key_fields = models.CharField(
        _("key fields"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated names of the fields that identify a record."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # The field the warehouse partitions published versions by (e.g. the commune code).
    partition_field = models.CharField(
        _("warehouse partition field"),
        max_length=100,
        blank=True,
        help_text=_("A field whose value splits the published files, e.g. the commune code."),
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        indexes = [
            models.Index(fields=["owner_unit_path"], name="dataset_owner_path"),
            models.Index(fields=["next_pull_at"], name="dataset_next_pull"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Set once; ``services.dataset_update`` sets it again when the code changes (a name
        # given by migration 0004 to settle an old clash stays until then).
        if not self.table_name:
            self.table_name = warehouse_table_name(self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("datacatalog:dataset", args=[self.code])

    @property
    def key_field_list(self) -> list[str]:
        return [k.strip() for k in self.key_fields.split(",") if k.strip()]


class DatasetField(models.Model):
    """One declared column of a dataset."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="fields", verbose_name=_("dataset")
    )
    name = models.CharField(_("name"), max_length=100)
    label = models.CharField(_("label"), max_length=255, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=FieldType.choices)
    required = models.BooleanField(_("required"), default=False)
    code_list = models.ForeignKey(
        CodeList,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fields",
        verbose_name=_("code list"),
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["dataset", "order", "id"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "name"], name="datasetfield_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class DatasetAccess(models.Model):
    """A unit (and its subtree) outside the owner's that may use the dataset."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="access", verbose_name=_("dataset")
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.CASCADE,
        related_name="dataset_access",
        verbose_name=_("unit"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["dataset", "unit"]
        verbose_name = _("dataset access")
        verbose_name_plural = _("dataset access")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "unit"], name="datasetaccess_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.dataset} → {self.unit}"


class VersionStatus(models.TextChoices):
    STAGED = "staged", _("Staged")  # being written; not yet visible as current
    CURRENT = "current", _("Current")  # the version users see
    SUPERSEDED = "superseded", _("Superseded")  # an older good version, can be made current again
    FAILED = "failed", _("Failed")  # rejected by validation; the error report says why
    ROLLED_BACK = "rolled_back", _("Rolled back")  # was current, replaced by an older one


class DatasetVersion(models.Model):
    """One snapshot of a dataset's data, stored as a Parquet file."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="versions", verbose_name=_("dataset")
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.STAGED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    source_kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    source_description = models.CharField(_("source description"), max_length=500, blank=True)
    row_count = models.BigIntegerField(_("row count"), null=True, blank=True)
    # Relative to ``services.catalogue_dir()`` (settings.DATA_DIR / "catalogue" by default).
    parquet_path = models.CharField(_("Parquet file"), max_length=500, blank=True)
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    # [{"row": 12, "column": "C", "field": "born_on", "message": "..."}, ...] (first errors only)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("error count"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["dataset", "-number"]
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "number"], name="datasetversion_unique_number"
            ),
            models.UniqueConstraint(
                fields=["dataset"],
                condition=models.Q(status="current"),
                name="datasetversion_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} v{self.number}"

    @property
    def parquet_file(self) -> Path | None:
        """Absolute path of the Parquet file, or None."""
        if not self.parquet_path:
            return None
        from .services import catalogue_dir

        return catalogue_dir() / self.parquet_path


class PullAttempt(models.Model):
    """One try of a pull; a failed pull is retried a bounded number of times with backoff."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="pull_attempts", verbose_name=_("dataset")
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    ok = models.BooleanField(_("succeeded"), default=False)
    error = models.TextField(_("error"), blank=True)
    version = models.ForeignKey(
        DatasetVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version"),
    )

    class Meta:
        ordering = ["dataset", "-started_at", "-id"]
        verbose_name = _("pull attempt")
        verbose_name_plural = _("pull attempts")

    def __str__(self) -> str:
        return f"{self.dataset} pull {self.started_at:%Y-%m-%d %H:%M} #{self.attempt}"


class QualityDimension(models.TextChoices):
    """The six dimensions officials name: "đúng, đủ, sạch, sống, thống nhất, dùng chung"."""

    ACCURATE = "accurate", _("Accurate")
    COMPLETE = "complete", _("Complete")
    CLEAN = "clean", _("Clean")
    LIVE = "live", _("Live")
    UNIFIED = "unified", _("Unified")
    SHARED = "shared", _("Shared")


class QualityMeasure(models.Model):
    """One measured rule on one version: ``failed`` of ``checked`` rows, and the score (0-100)."""

    version = models.ForeignKey(
        DatasetVersion,
        on_delete=models.CASCADE,
        related_name="quality",
        verbose_name=_("version"),
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=QualityDimension.choices)
    rule = models.CharField(_("rule"), max_length=255)
    description = models.CharField(_("description"), max_length=500, blank=True)
    checked = models.BigIntegerField(_("checked"), default=0)
    failed = models.BigIntegerField(_("failed"), default=0)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True)
    # How to list the failing rows again (SQL predicate from the quality engine), and a sample.
    failing_sql = models.TextField(_("failing rows query"), blank=True)
    sample = models.JSONField(_("sample of failing rows"), default=list, blank=True)
    measured_at = models.DateTimeField(_("measured at"), auto_now_add=True)

    class Meta:
        ordering = ["version", "dimension", "rule"]
        verbose_name = _("quality measure")
        verbose_name_plural = _("quality measures")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "dimension", "rule"], name="qualitymeasure_unique_rule"
            ),
            models.CheckConstraint(
                condition=models.Q(failed__lte=models.F("checked")),
                name="qualitymeasure_failed_le_checked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.dimension} {self.rule}"


class Publication(models.Model):
    """One dataset version published to the shared warehouse: its lineage.

    Which version, from which source (the version's file upload or pull), by whom, when, how
    many rows, and the SHA-256 of the files written (``tiendo.datacatalog.warehouse``). A
    version is published at most once; its files are never changed afterwards.
    """

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="publications", verbose_name=_("dataset")
    )
    version = models.OneToOneField(
        DatasetVersion,
        on_delete=models.PROTECT,
        related_name="publication",
        verbose_name=_("version"),
    )
    table_name = models.CharField(_("table name"), max_length=63)
    # Relative to settings.DATA_DIR / "warehouse": "<table>/version=<n>".
    path = models.CharField(_("warehouse path"), max_length=255)
    partition_by = models.CharField(_("partitioned by"), max_length=100, blank=True)
    row_count = models.BigIntegerField(_("row count"))
    file_count = models.PositiveIntegerField(_("file count"))
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64)
    source_kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    source_description = models.CharField(_("source description"), max_length=500, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        ordering = ["dataset", "-published_at", "-id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.table_name} v{self.version_id}"


class DatasetProduct(models.Model):
    """A task names a dataset as the product it delivers ("build the land database")."""

    task = models.ForeignKey(
        "programs.Task",
        on_delete=models.CASCADE,
        related_name="dataset_products",
        verbose_name=_("task"),
    )
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="products", verbose_name=_("dataset")
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["task", "dataset"]
        verbose_name = _("dataset delivered by a task")
        verbose_name_plural = _("datasets delivered by tasks")
        constraints = [
            models.UniqueConstraint(fields=["task", "dataset"], name="datasetproduct_unique")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} → {self.dataset}"
