from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tiendo.core.deadlines import DeadlineKind, deadline_label
from tiendo.core.fields import TreePathField, common_depth
from tiendo.core.models import Classification, TimeStampedModel

if TYPE_CHECKING:
    from tiendo.orgs.models import Unit


class ProgramKind(models.TextChoices):
    SCHEME = "scheme", _("Scheme")  # Đề án
    PLAN = "plan", _("Plan")  # Kế hoạch
    PROGRAM = "program", _("Program")  # Chương trình
    PROJECT = "project", _("Project")  # Dự án


class Program(TimeStampedModel):
    """A scheme, plan, program or project of a steering committee, under a legal decision."""

    code = models.SlugField(_("code"), max_length=50, unique=True, allow_unicode=False)
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ProgramKind.choices, default=ProgramKind.PLAN
    )
    description = models.TextField(_("description"), blank=True)
    owner_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="owned_programs",
        verbose_name=_("steering body"),
        help_text=_("The committee or authority that owns the program."),
    )
    standing_office = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="run_programs",
        null=True,
        blank=True,
        verbose_name=_("standing office"),
        help_text=_("The unit that assigns, urges and consolidates reports."),
    )
    decision_number = models.CharField(
        _("decision number"), max_length=100, blank=True, help_text=_("For example: 1982/QĐ-UBND")
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    issuer = models.CharField(
        _("issued by"),
        max_length=255,
        blank=True,
        help_text=_("For example: Provincial People's Committee"),
    )
    start_year = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    vision_year = models.PositiveSmallIntegerField(_("vision to year"), null=True, blank=True)
    classification = models.IntegerField(
        _("classification"), choices=Classification.choices, default=Classification.PUBLIC
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-start_year", "code"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="program_years_ordered",
                violation_error_message=_("The end year cannot be before the start year."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:program_detail", args=[self.pk])

    @property
    def legal_basis(self) -> str:
        parts = [self.decision_number]
        if self.decision_date:
            parts.append(self.decision_date.strftime("%d/%m/%Y"))
        return ", ".join(p for p in parts if p)


class TaskGroup(TimeStampedModel):
    """A (possibly nested) group of tasks, e.g. "II. Digital government"."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="groups", verbose_name=_("program")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent group"),
    )
    number = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_("For example: II")
    )
    name = models.CharField(_("name"), max_length=500)
    position = models.PositiveIntegerField(_("position"), default=0)
    path = TreePathField(_("path"), editable=False, db_index=True)

    class Meta:
        ordering = ["program_id", "path"]
        verbose_name = _("task group")
        verbose_name_plural = _("task groups")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}" if self.number else self.name


class TaskKind(models.TextChoices):
    TASK = "task", _("Task")  # Nhiệm vụ
    PROJECT = "project", _("Investment project")  # Dự án đầu tư
    PILOT = "pilot", _("Pilot model")  # Mô hình điểm


class HoldState(models.TextChoices):
    NONE = "", _("Active")
    PAUSED = "paused", _("Paused")
    CANCELLED = "cancelled", _("Cancelled")


class TaskQuerySet(models.QuerySet["Task"]):
    def assigned(self) -> TaskQuerySet:
        return self.filter(assigned_at__isnull=False)

    def open(self) -> TaskQuerySet:
        """Not completed, not paused or cancelled (drafts included)."""
        return self.filter(completed_on__isnull=True, hold_state=HoldState.NONE)


class Task(TimeStampedModel):
    """A task, investment project or pilot model, with the five clears.

    Status is never stored: it is derived in the database from the facts kept here (see
    ``tiendo.programs.status``). The ``latest_*``, ``started_on`` and ``completed_on`` fields are
    facts copied from the progress history by ``progress_submit`` so that dashboards never scan
    the history for today's figures; the history itself is never changed.
    """

    # No index of its own: ``task_program_group`` and ``task_program_lead_path`` begin with it.
    # With a third, PostgreSQL probed "a task of this program led in this subtree?" through the
    # program alone (reading the program's every task) instead of the (program, path) range.
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("program"),
        db_index=False,
    )
    group = models.ForeignKey(
        TaskGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("task group"),
    )
    number = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_("For example: 2.1")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=TaskKind.choices, default=TaskKind.TASK
    )
    # Clear work
    title = models.CharField(_("title"), max_length=1000)
    description = models.TextField(_("description"), blank=True)
    # Clear responsibility
    lead_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
        verbose_name=_("lead unit"),
    )
    lead_unit_path = TreePathField(_("lead unit path"), blank=True, editable=False)
    coordinating_units = models.ManyToManyField(
        "orgs.Unit",
        through="TaskCoordination",
        related_name="coordinated_tasks",
        blank=True,
        verbose_name=_("coordinating units"),
    )
    accountable_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accountable_tasks",
        verbose_name=_("accountable leader"),
    )
    # Clear person
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tasks",
        verbose_name=_("assignee"),
        db_index=False,  # ``task_assignee`` (Meta.indexes) is its index
    )
    # Clear time
    start_date = models.DateField(_("start date"), null=True, blank=True)
    deadline_kind = models.CharField(
        _("deadline kind"), max_length=10, choices=DeadlineKind.choices, blank=True
    )
    deadline = models.DateField(
        _("deadline"), null=True, blank=True, help_text=_("Last day of the deadline's period.")
    )
    original_deadline_kind = models.CharField(
        max_length=10, choices=DeadlineKind.choices, blank=True, editable=False
    )
    original_deadline = models.DateField(
        _("original deadline"), null=True, blank=True, editable=False
    )
    # Clear product
    product = models.CharField(_("expected product"), max_length=1000, blank=True)
    product_quantity = models.DecimalField(
        _("quantity"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    product_unit = models.CharField(
        _("unit of measure"), max_length=100, blank=True, help_text=_("For example: services")
    )
    classification = models.IntegerField(
        _("classification"), choices=Classification.choices, default=Classification.PUBLIC
    )
    # Draft until the five clears are complete and the standing office assigns it.
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True, editable=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    hold_state = models.CharField(
        _("hold"),
        max_length=10,
        choices=HoldState.choices,
        default=HoldState.NONE,
        blank=True,
        editable=False,
    )
    # Facts copied from the progress history (see the class docstring).
    latest_percent = models.PositiveSmallIntegerField(
        _("progress (%)"), null=True, blank=True, editable=False
    )
    latest_quantity = models.DecimalField(
        _("achieved quantity"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    latest_progress_on = models.DateField(
        _("last reported on"), null=True, blank=True, editable=False
    )
    started_on = models.DateField(_("started on"), null=True, blank=True, editable=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["program_id", "group_id", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["lead_unit_path"], name="task_lead_unit_path"),
            models.Index(fields=["program", "group"], name="task_program_group"),
            models.Index(fields=["deadline"], name="task_deadline"),
            models.Index(fields=["assignee"], name="task_assignee"),
            # The tasks of a program led outside some subtrees (a committee's list, counted
            # beside the summary tables: ``selectors._tally_plan``), as index ranges.
            models.Index(fields=["program", "lead_unit_path"], name="task_program_lead_path"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latest_percent__isnull=True) | Q(latest_percent__lte=100),
                name="task_percent_max_100",
            ),
            models.CheckConstraint(
                condition=Q(deadline_kind="ongoing", deadline__isnull=True)
                | (~Q(deadline_kind="ongoing") & ~Q(deadline_kind="") & Q(deadline__isnull=False))
                | Q(deadline_kind="", deadline__isnull=True),
                name="task_deadline_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:task_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.assigned_at is None

    @property
    def deadline_label(self) -> str:
        if not self.deadline_kind:
            return ""
        return deadline_label(self.deadline_kind, self.deadline)

    @property
    def original_deadline_label(self) -> str:
        if not self.original_deadline_kind:
            return ""
        return deadline_label(self.original_deadline_kind, self.original_deadline)

    @property
    def deadline_extended(self) -> bool:
        return bool(self.original_deadline_kind) and (
            self.original_deadline != self.deadline
            or self.original_deadline_kind != self.deadline_kind
        )


class TaskCoordination(models.Model):
    """A unit that coordinates a task (not its lead unit).

    Copies kept equal to their sources by every write that changes them (``of`` for new rows;
    ``services.coordinations_follow_lead`` when a task's lead unit changes;
    ``orgs.services.unit_move`` when the tree does): ``unit_path`` (the unit's path),
    ``lead_unit_path`` (the task's) and ``common_depth`` (``core.fields.common_depth`` of the
    two). The tasks a subtree coordinates and that are led outside it, the only coordinated
    tasks its members do not already see by their lead unit, are then a few ranges of one index
    (``common_depth < depth of the subtree``, ``unit_path`` in it), read without the task table
    (``selectors._task_visibility_q``).
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="coordinations")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="coordinations")
    unit_path = TreePathField(editable=False)
    lead_unit_path = TreePathField(blank=True, editable=False)
    common_depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["task_id", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="coordination_unique")]
        indexes = [
            models.Index(
                fields=["common_depth", "unit_path", "task"], name="coordination_led_outside"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} · {self.unit_id}"

    @classmethod
    def of(cls, task: Task, unit: Unit) -> TaskCoordination:
        """A new coordination of ``task`` by ``unit``, its copies set (``task.lead_unit_path``
        as the task has it now)."""
        return cls(
            task=task,
            unit=unit,
            unit_path=unit.path,
            lead_unit_path=task.lead_unit_path,
            common_depth=common_depth(unit.path, task.lead_unit_path),
        )


class ProgressUpdate(models.Model):
    """One progress report on a task, as of a date. Kept forever, never edited."""

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="updates", verbose_name=_("task")
    )
    as_of = models.DateField(_("as of"))
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    achieved_quantity = models.DecimalField(
        _("achieved quantity"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    narrative = models.TextField(_("results"), blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    # The unit the task belonged to when this was reported: history stays with it after a merge.
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("unit")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [models.Index(fields=["task", "as_of", "id"], name="update_task_as_of")]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="update_percent_max_100")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} · {self.as_of} · {self.percent}%"


class Evidence(models.Model):
    """A file attached to a progress update, stored outside the web root."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


class DeadlineExtension(models.Model):
    """A deadline change after assignment. The task keeps its original deadline for statistics."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="extensions")
    previous_kind = models.CharField(max_length=10, choices=DeadlineKind.choices)
    previous_deadline = models.DateField(null=True, blank=True)
    new_kind = models.CharField(max_length=10, choices=DeadlineKind.choices)
    new_deadline = models.DateField(null=True, blank=True)
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    # The day the new deadline applies from (the approving decision), for as-of figures;
    # ``created_at`` is when it was entered.
    effective_on = models.DateField(_("effective on"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.previous_deadline} -> {self.new_deadline}"


class HoldChange(models.Model):
    """Pausing, cancelling or resuming a task, with its reason and approver."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="hold_changes")
    state = models.CharField(_("state"), max_length=10, choices=HoldState.choices, blank=True)
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    effective_on = models.DateField(_("effective on"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("hold change")
        verbose_name_plural = _("hold changes")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.state or 'active'}"


class UnitTransfer(models.Model):
    """A task moving from one lead unit to another (e.g. after a merger)."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="unit_transfers")
    from_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.from_unit_id} -> {self.to_unit_id}"
