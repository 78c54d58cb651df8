"""Input of the reporting pages (validation of shape; the services check the rules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from tiendo.orgs.models import Unit
from tiendo.programs.models import Program

from .models import DueRule, Frequency, Theme


class ScheduleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    due_rule = forms.ChoiceField(label=_("Due rule"), choices=DueRule.choices)
    due_value = forms.IntegerField(
        label=_("Day or number of working days"),
        min_value=0,
        max_value=60,
        help_text=_("For example 20 (by the 20th) or 5 (within 5 working days)."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units that must report"), queryset=Unit.objects.none()
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .selectors import reporting_units

        self.fields["units"].queryset = reporting_units(program)  # type: ignore[attr-defined]


# Due dates are counted in working days, which the calendar knows from 1900 to 2199: a period
# must end early enough for its due date to stay inside (a year 113 answered 500). Same bounds
# as ``api.CalendarDay``.
CALENDAR_DAYS = [MinValueValidator(dt.date(1900, 1, 1)), MaxValueValidator(dt.date(2198, 12, 31))]


class PeriodForm(forms.Form):
    day = forms.DateField(
        label=_("A day in the period"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=CALENDAR_DAYS,
    )
    start = forms.DateField(
        label=_("First day (ad hoc)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=CALENDAR_DAYS,
    )
    end = forms.DateField(
        label=_("Last day (ad hoc)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=CALENDAR_DAYS,
    )


class ReportForm(forms.Form):
    edit_version = forms.IntegerField(widget=forms.HiddenInput)
    results = forms.CharField(label=_("Results"), widget=forms.Textarea, required=False)
    difficulties = forms.CharField(
        label=_("Difficulties and obstacles"), widget=forms.Textarea, required=False
    )
    difficulties_theme = forms.ChoiceField(
        label=_("Theme of the difficulties"),
        choices=[("", "—"), *Theme.choices],
        required=False,
    )
    proposals = forms.CharField(
        label=_("Proposals and recommendations"), widget=forms.Textarea, required=False
    )
    proposals_theme = forms.ChoiceField(
        label=_("Theme of the proposals"), choices=[("", "—"), *Theme.choices], required=False
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("return", _("Return for corrections"))]
    )
    comment = forms.CharField(label=_("Comments"), widget=forms.Textarea, required=False)
