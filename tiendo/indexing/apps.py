from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class IndexingConfig(AppConfig):
    name = "tiendo.indexing"
    label = "indexing"
    verbose_name = _("Evaluation index")

    def ready(self) -> None:
        # The built-in sources, then every installed app's ``index_sources`` module, which
        # registers its own automatic sources (see tiendo/indexing/automatic.py).
        from . import automatic  # noqa: F401

        autodiscover_modules("index_sources")
