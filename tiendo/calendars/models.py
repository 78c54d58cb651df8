from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiendo.core.models import TimeStampedModel


class CalendarOverride(TimeStampedModel):
    """A government decision for one day that the statutory rules do not compute.

    Examples: a compensatory day off swapped with a make-up working Saturday (``is_working_day``
    False on the Monday, True on the Saturday), or a different choice of Tết days.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        help_text=_("Ticked: people work on this day. Unticked: the day is off."),
    )
    reason = models.CharField(
        _("reason"),
        max_length=300,
        help_text=_("For example: Decision No. 1234/QĐ-TTg swapping the working day of 27/1"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} · {self.reason}"
