from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import EmailMode, ReminderSettings
from .services import URGE_NOTE_MAX


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Email"), choices=EmailMode.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(
        label=_("Language of pages, reminders and emails"),
        choices=[("", _("Site default")), *settings.LANGUAGES],
        required=False,
    )


class UrgeForm(forms.Form):
    note = forms.CharField(
        label=_("Message (optional)"),
        max_length=URGE_NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = (
            "enabled",
            "days_before",
            "on_due_day",
            "overdue_every",
            "report_period",
            "report_due_days",
        )
