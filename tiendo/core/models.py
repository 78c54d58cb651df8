from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Every record says when it was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Classification(models.IntegerChoices):
    """Security classification of a record; a user sees it only with equal or higher clearance."""

    PUBLIC = 0, _("Public")
    CONFIDENTIAL = 1, _("Confidential")  # Mật
    SECRET = 2, _("Secret")  # Tối mật
    TOP_SECRET = 3, _("Top secret")  # Tuyệt mật
