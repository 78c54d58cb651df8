from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndexingConfig(AppConfig):
    name = "tiendo.indexing"
    label = "indexing"
    verbose_name = _("Evaluation index")
