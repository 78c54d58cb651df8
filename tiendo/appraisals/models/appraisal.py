"""Appraisal of an investment project: the program's configured steps, and each project's
passage through them (one ``AppraisalStep`` row per step entered, kept forever)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiendo.core.models import TimeStampedModel


class AppraisalStepRule(TimeStampedModel):
    """One configured step of a program's appraisal procedure, with its legal time limit."""

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="appraisal_rules",
        verbose_name=_("program"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("step"), max_length=255)
    time_limit_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"), help_text=_("Working days allowed for this step.")
    )
    responsible_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible body"),
    )

    class Meta:
        ordering = ["program_id", "position"]
        verbose_name = _("appraisal step rule")
        verbose_name_plural = _("appraisal step rules")
        constraints = [
            models.UniqueConstraint(fields=["program", "position"], name="appraisal_rule_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class AppraisalState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In appraisal")  # a step is open
    RETURNED = "returned", _("Returned for completion")  # waiting for the project owner
    APPROVED = "approved", _("Approved")  # the last step passed


class Appraisal(TimeStampedModel):
    """The appraisal file of one investment project (a task of kind ``project``)."""

    task = models.OneToOneField(
        "programs.Task",
        on_delete=models.PROTECT,
        related_name="appraisal",
        verbose_name=_("project"),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=AppraisalState.choices,
        default=AppraisalState.IN_PROGRESS,
    )
    submitted_on = models.DateField(_("dossier submitted on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    resubmissions = models.PositiveSmallIntegerField(_("resubmissions"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["task_id"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True) | Q(state="approved"),
                name="appraisal_approved_has_state",
            )
        ]

    def __str__(self) -> str:
        return str(self.task)


class StepOutcome(models.TextChoices):
    OPEN = "", _("Open")
    PASSED = "passed", _("Passed")
    RETURNED = "returned", _("Returned")


class AppraisalStep(models.Model):
    """A project entering one step. Name, body and limit are copied from the rule, so that
    changing the procedure later does not rewrite history."""

    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.CASCADE, related_name="steps", verbose_name=_("appraisal")
    )
    rule = models.ForeignKey(
        AppraisalStepRule, on_delete=models.PROTECT, related_name="steps", verbose_name=_("rule")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("step"), max_length=255)
    responsible_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible body")
    )
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    started_on = models.DateField(_("started on"))
    due_on = models.DateField(_("due on"))
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=StepOutcome.choices, default="", blank=True
    )
    note = models.TextField(_("note or reason"), blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["appraisal_id", "started_on", "id"]
        verbose_name = _("appraisal step")
        verbose_name_plural = _("appraisal steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True, outcome="")
                | (Q(finished_on__isnull=False) & ~Q(outcome="")),
                name="appraisal_step_finished_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(finished_on__gte=models.F("started_on")),
                name="appraisal_step_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appraisal_id} · {self.position}. {self.name}"


class DocumentKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    OPINION = "opinion", _("Opinion")


class AppraisalDocument(models.Model):
    """A document of the dossier or the written opinion of a body, attached to a step."""

    step = models.ForeignKey(
        AppraisalStep, on_delete=models.PROTECT, related_name="documents", verbose_name=_("step")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("body"),
    )
    title = models.CharField(_("title"), max_length=500)
    text = models.TextField(_("content"), blank=True)
    file = models.FileField(upload_to="appraisals/%Y/%m/", max_length=300, blank=True)
    added_on = models.DateField(_("date"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["step_id", "added_on", "id"]
        verbose_name = _("appraisal document")
        verbose_name_plural = _("appraisal documents")

    def __str__(self) -> str:
        return self.title
