from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "tiendo.reporting"
    label = "reporting"
    verbose_name = _("Periodic reporting")

    def ready(self) -> None:
        # Unit reports not sent are reminded by the daily reminder run (``tiendo reminders-run``).
        from tiendo.reminders.sources import register

        from .reminding import remind_due_reports

        register("reporting.unit_reports", remind_due_reports)
