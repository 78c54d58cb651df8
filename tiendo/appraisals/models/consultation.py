"""Consultation rounds: a draft (files + questions) sent to units for comments by a deadline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiendo.core.fields import TreePathField
from tiendo.core.models import TimeStampedModel


class ConsultationRound(TimeStampedModel):
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="consultations",
        verbose_name=_("program"),
    )  # fmt: skip
    task = models.ForeignKey(
        "programs.Task", on_delete=models.CASCADE, null=True, blank=True,
        related_name="consultations", verbose_name=_("task"),
    )  # fmt: skip
    title = models.CharField(_("draft"), max_length=500)
    questions = models.TextField(_("questions"), blank=True)
    sender_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("drafting unit")
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(_("sent on"))
    deadline = models.DateField(_("answers due by"))

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("consultation round")
        verbose_name_plural = _("consultation rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("sent_on")),
                name="consultation_deadline_after_sent",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ConsultationFile(models.Model):
    round = models.ForeignKey(ConsultationRound, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="consultations/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Answer(models.TextChoices):
    NONE = "", _("No answer yet")
    AGREE = "agree", _("Agree")
    AGREE_WITH_COMMENTS = "agree_comments", _("Agree with comments")
    DISAGREE = "disagree", _("Disagree")
    NOT_ANSWERED = "not_answered", _("Did not answer")  # marked by the drafter after the deadline


class Response(models.TextChoices):
    NONE = "", _("Not yet considered")
    ACCEPTED = "accepted", _("Accepted")
    EXPLAINED = "explained", _("Explained")


class ConsultationRecipient(models.Model):
    """One consulted unit: its answer, and the drafter's response to it (the synthesis table)."""

    round = models.ForeignKey(
        ConsultationRound, on_delete=models.CASCADE, related_name="recipients"
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = TreePathField(editable=False, db_index=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    comments = models.TextField(_("comments or reasons"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    response = models.CharField(_("response"), max_length=20, choices=Response.choices, blank=True)
    response_text = models.TextField(_("drafter's response"), blank=True)

    class Meta:
        ordering = ["round_id", "unit_path"]
        verbose_name = _("consulted unit")
        verbose_name_plural = _("consulted units")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="consultation_recipient_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.unit_id}"
