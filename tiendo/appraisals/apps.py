from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "tiendo.appraisals"
    label = "appraisals"
    verbose_name = _("Project appraisal and indicators")

    def ready(self) -> None:
        # Unanswered consultations are reminded by the daily reminder run (``tiendo reminders-run``).
        from tiendo.reminders.sources import register

        from .consultation_reminding import remind_due_consultations

        register("appraisals.consultations", remind_due_consultations)
