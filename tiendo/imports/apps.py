from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "tiendo.imports"
    label = "imports"
    verbose_name = _("Plan import and export")
