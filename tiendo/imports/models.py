from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiendo.core.models import TimeStampedModel


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")  # waiting for the mapping and the preview
    IMPORTED = "imported", _("Imported")  # confirmed and written; the file cannot be imported again


class ImportBatch(TimeStampedModel):
    """An uploaded annex kept between the steps upload > mapping > preview > confirm.

    The file itself is kept (not the parsed rows) so every step re-reads it with the current
    mapping and answers; the preview also keeps its plan, which the confirm applies while the
    batch and the program are as they were (otherwise it plans again). A batch belongs to
    the user who uploaded it: nobody else can see or confirm it.
    """

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="import_batches",
        verbose_name=_("program"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_batches",
        verbose_name=_("uploaded by"),
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    # Field name -> 0-based column index, as confirmed by the user.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), null=True, blank=True)
    mapping_confirmed = models.BooleanField(_("mapping confirmed"), default=False)
    # Agency name as written -> unit ids chosen in the review step ([] = leave empty).
    resolutions = models.JSONField(_("agency answers"), default=dict, blank=True)
    # Task number -> version seen in the preview: the confirm refuses if a task changed since.
    seen_versions = models.JSONField(default=dict, blank=True, editable=False)
    # Set by the preview, cleared by any change of mapping or answers: confirm needs a fresh one.
    previewed_at = models.DateTimeField(_("previewed at"), null=True, blank=True, editable=False)
    # The previewed plan (zlib-compressed JSON, ``planning.dump_plan``) with the batch version
    # and the ``planning.plan_state`` it was built on: the confirm applies it without reading
    # the file and planning again while both still hold. Cleared with ``previewed_at``.
    plan_data = models.BinaryField(default=b"", blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.UPLOADED
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True, editable=False)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.original_name} → {self.program_id}"
