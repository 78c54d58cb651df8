from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "tiendo.appraisals"
    label = "appraisals"
    verbose_name = _("Project appraisal and indicators")
