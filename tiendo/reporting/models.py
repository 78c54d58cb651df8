"""The periodic reporting regime: schedules, periods, unit reports and consolidated reports.

A ``UnitReport`` is one version of one unit's report for one period. Once submitted a version is
never edited again: returning it for corrections leaves it as it was and the unit continues in a
new version (``version`` + 1), so the history of what was sent, when and with which comments is
kept. A ``ConsolidatedReport`` holds its figures as a frozen JSON snapshot with its SHA-256, so
its exports always show the numbers that were consolidated.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiendo.core.models import TimeStampedModel


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SIX_MONTHLY = "six_monthly", _("Six-monthly")
    YEARLY = "yearly", _("Yearly")
    AD_HOC = "ad_hoc", _("Ad hoc")  # one period whose dates the standing office gives


class DueRule(models.TextChoices):
    # "by the 20th of the last month of the quarter"
    DAY_OF_LAST_MONTH = "day_of_last_month", _("By a day of the period's last month")
    # "within 5 working days after the period end"
    WORKING_DAYS_AFTER_END = "working_days_after_end", _("Working days after the period end")


class Theme(models.TextChoices):
    """What a difficulty or proposal is about, so the consolidated report can group them."""

    INSTITUTIONS = "institutions", _("Institutions and policies")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure and platforms")
    DATA = "data", _("Data")
    HUMAN_RESOURCES = "human_resources", _("Human resources")
    FUNDING = "funding", _("Funding")
    SECURITY = "security", _("Information security")
    OTHER = "other", _("Other")


class ReportSchedule(TimeStampedModel):
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="report_schedules",
        verbose_name=_("program"),
    )
    name = models.CharField(_("name"), max_length=300)
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices)
    due_rule = models.CharField(_("due rule"), max_length=24, choices=DueRule.choices)
    # Day of the month (DAY_OF_LAST_MONTH, 1-31, capped at the month's length) or number of
    # working days (WORKING_DAYS_AFTER_END, 0-60).
    due_value = models.PositiveSmallIntegerField(_("day or number of working days"))
    units = models.ManyToManyField(
        "orgs.Unit", related_name="report_schedules", verbose_name=_("units that must report")
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["program_id", "name", "id"]
        verbose_name = _("reporting schedule")
        verbose_name_plural = _("reporting schedules")

    def __str__(self) -> str:
        return self.name


class ReportPeriod(TimeStampedModel):
    schedule = models.ForeignKey(ReportSchedule, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["schedule_id", "-end", "id"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "start", "end"], name="report_period_once"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_order"),
        ]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The period's name in the active language ("Quý I/2025"), never stored."""
        from .periods import period_label

        return period_label(self.schedule.frequency, self.start, self.end)


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")  # the unit is writing it; only the unit sees it
    SUBMITTED = "submitted", _("Submitted")  # sent; frozen from here on
    ACCEPTED = "accepted", _("Accepted")  # the standing office accepted it
    RETURNED = "returned", _("Returned")  # sent back with comments; a new version follows


class UnitReport(TimeStampedModel):
    period = models.ForeignKey(ReportPeriod, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    # Figures as of the period end, computed when the version was opened (see selectors).
    figures = models.JSONField(_("figures"), default=dict)
    results = models.TextField(_("results"), blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    difficulties_theme = models.CharField(
        _("theme of the difficulties"), max_length=20, choices=Theme.choices, blank=True
    )
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    proposals_theme = models.CharField(
        _("theme of the proposals"), max_length=20, choices=Theme.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("comments"), blank=True)
    edit_version = models.PositiveIntegerField(default=1, editable=False)  # optimistic lock

    class Meta:
        ordering = ["period_id", "unit_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "version"], name="unit_report_version_once"
            ),
        ]
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")

    def __str__(self) -> str:
        return f"{self.unit} — {self.period} (v{self.version})"

    @property
    def is_editable(self) -> bool:
        return self.state == ReportState.DRAFT


class FileState(models.TextChoices):
    NONE = "", _("Not generated")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ConsolidatedReport(TimeStampedModel):
    period = models.OneToOneField(
        ReportPeriod, on_delete=models.PROTECT, related_name="consolidated"
    )
    number = models.CharField(_("number and symbol"), max_length=100)
    snapshot = models.JSONField(_("figures"))  # frozen: never recomputed once stored
    snapshot_hash = models.CharField(max_length=64)  # SHA-256 of the canonical JSON
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_state = models.CharField(max_length=10, choices=FileState.choices, blank=True)
    file_progress = models.PositiveSmallIntegerField(default=0)  # percent, for the progress bar
    file_error = models.TextField(blank=True)
    docx = models.FileField(upload_to="reports/%Y/", max_length=300, blank=True)
    xlsx = models.FileField(upload_to="reports/%Y/", max_length=300, blank=True)
    pdf = models.FileField(upload_to="reports/%Y/", max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consolidated report")
        verbose_name_plural = _("consolidated reports")

    def __str__(self) -> str:
        return self.number


class RunState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_RUN_STATES = (RunState.QUEUED, RunState.RUNNING)


class ConsolidationRun(models.Model):
    """One request to consolidate a period, run in the background (``tasks.consolidate_period``).

    At most one run per period is queued or running (a partial unique constraint), so two
    clicks give one job. A failed run keeps its error (``error_code`` "conflict" when the
    figures changed since an earlier consolidation: the stored report stands) and can be
    retried, which is a new run. The result is the period's ``ConsolidatedReport``.
    """

    period = models.ForeignKey(
        ReportPeriod, on_delete=models.CASCADE, related_name="consolidation_runs"
    )
    number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RunState.choices, default=RunState.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    error_code = models.CharField(max_length=20, blank=True)
    consolidated = models.ForeignKey(
        ConsolidatedReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consolidation run")
        verbose_name_plural = _("consolidation runs")
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(state__in=["queued", "running"]),
                name="one_active_consolidation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_id} · {self.state}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_RUN_STATES
