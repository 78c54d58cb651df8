from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatacatalogConfig(AppConfig):
    name = "tiendo.datacatalog"
    label = "datacatalog"
    verbose_name = _("Data catalogue")
