from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tiendo.core.models import TimeStampedModel


class ReportPeriod(models.TextChoices):
    NONE = "", _("No periodic report")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class ReminderSettings(TimeStampedModel):
    """How a program's reminders fire. A program without a row uses ``DEFAULTS``."""

    program = models.OneToOneField(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="reminder_settings",
        verbose_name=_("program"),
    )
    enabled = models.BooleanField(_("reminders on"), default=True)
    days_before = models.PositiveSmallIntegerField(
        _("working days before the deadline"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("The assignee is reminded this many working days before the deadline."),
    )
    on_due_day = models.BooleanField(
        _("remind on the deadline"),
        default=True,
        help_text=_("On the deadline the assignee and the unit leader are reminded."),
    )
    overdue_every = models.PositiveSmallIntegerField(
        _("escalate every (working days overdue)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Every this many working days overdue the reminder goes one level up: unit leader, "
            "standing office, committee leader."
        ),
    )
    report_period = models.CharField(
        _("periodic progress report"),
        max_length=10,
        choices=ReportPeriod.choices,
        default=ReportPeriod.MONTHLY,
        blank=True,
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("report due (working days after the period)"),
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )

    class Meta:
        ordering = ["program_id"]
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.program) if self.program_id else "defaults"

    def rule_key(self) -> tuple[bool, int, bool, int, str, int]:
        """Programs with equal keys are scanned together."""
        return (
            self.enabled,
            self.days_before,
            self.on_due_day,
            self.overdue_every,
            self.report_period,
            self.report_due_days,
        )


# What a program without its own settings gets (the field defaults above).
DEFAULTS = ReminderSettings(
    enabled=True,
    days_before=3,
    on_due_day=True,
    overdue_every=5,
    report_period=ReportPeriod.MONTHLY,
    report_due_days=5,
)


class NotificationKind(models.TextChoices):
    DEADLINE_AHEAD = "deadline_ahead", _("Deadline approaching")
    DEADLINE_TODAY = "deadline_today", _("Deadline today")
    OVERDUE = "overdue", _("Task overdue")
    REPORT_AHEAD = "report_ahead", _("Progress report due soon")
    REPORT_TODAY = "report_today", _("Progress report due today")
    REPORT_OVERDUE = "report_overdue", _("Progress report overdue")
    URGE = "urge", _("Urged by a leader")
    # Sent through ``services.notify`` (not tied to a task's deadline).
    REPORT_MISSING = "report_missing", _("Unit report not submitted")
    CONSULTATION = "consultation", _("Consultation awaiting an answer")
    NOTICE = "notice", _("Notice")


class Level(models.IntegerChoices):
    """Who a reminder reaches; overdue reminders climb one level every N working days."""

    ASSIGNEE = 0, _("Assignee")
    UNIT_LEADER = 1, _("Unit leader")
    STANDING_OFFICE = 2, _("Standing office")
    COMMITTEE_LEADER = 3, _("Committee leader")


class Notification(models.Model):
    """One message to one person: a reminder the engine sent about a task, an urge, or a
    notice sent through ``services.notify`` (a missing unit report, a consultation...).

    The row is the record of the reminder (who, what, when, why) and the in-app notification.
    ``(task, recipient, kind, occurrence)`` is unique for engine reminders: the engine inserts
    if absent, so a rerun or a run after a crash cannot send the same reminder twice.
    ``(recipient, dedupe_key)`` is unique for ``notify``: the same for any other event.
    A notice has no task; ``link`` (+ ``target_label``) is its generic target.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    task = models.ForeignKey(
        "programs.Task",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("task"),
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    # The date the rule fired for: the deadline, the report's due date, or the escalation step.
    occurrence = models.DateField(_("occurrence"))
    due = models.DateField(_("due"), null=True, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
        help_text=_("Empty for automatic reminders."),
    )
    note = models.TextField(_("note"), blank=True)
    # Rendered once in the recipient's language: what they read, in-app and by email.
    message = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=300)
    # For notices (``notify``): the link's text and the email subject, rendered like ``message``.
    target_label = models.CharField(_("link text"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    # ``notify``'s idempotency key: one notification per (recipient, key).
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Email delivery: claimed by one sender, then marked sent (see README, "Guarantees").
    email_claim = models.CharField(max_length=32, blank=True, editable=False)
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "recipient", "kind", "occurrence"],
                condition=~Q(kind="urge"),
                name="notification_once_per_occurrence",
            ),
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["task", "created_at"], name="notification_task"),
            # Only what delivery still has to look at: not emailed, not skipped at insert.
            models.Index(
                fields=["recipient", "id"],
                condition=Q(emailed_at__isnull=True) & ~Q(email_claim="skipped"),
                name="notification_email_todo",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.task_id} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("One email per reminder")
    DIGEST = "digest", _("One daily digest")
    NONE = "none", _("No email (in-app only)")


class NotificationPreference(TimeStampedModel):
    """A person's choices. Without a row: one email per reminder, in their interface language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_mode = models.CharField(
        _("email"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )

    class Meta:
        ordering = ["user_id"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.email_mode}"


class ReminderRun(models.Model):
    """One run of the engine: when, for which day, what it did (for operators)."""

    today = models.DateField(_("for day"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created = models.PositiveIntegerField(_("reminders created"), default=0)
    emailed = models.PositiveIntegerField(_("emails sent"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")

    def __str__(self) -> str:
        return f"{self.today} · {self.created}"
