"""Input of the appraisal pages (validation only; the services decide)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiendo.orgs.models import Unit


class DayForm(forms.Form):
    on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PassForm(DayForm):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(DayForm):
    reason = forms.CharField(
        label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2})
    )


class OpinionForm(forms.Form):
    on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.ModelChoiceField(label=_("Body"), queryset=None, required=False)  # type: ignore[arg-type]
    title = forms.CharField(label=_("Title"), max_length=500)
    text = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(label=_("File"), required=False)


class IndicatorValueForm(forms.Form):
    """A value of one unit for one period; ``seen`` is the unit's latest value when the page was
    opened (0: none), so that a value reported meanwhile by somebody else is not overwritten."""

    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=None,  # type: ignore[arg-type]
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("You cannot report values of this unit.")},
    )
    period_end = forms.DateField(widget=forms.HiddenInput)
    seen = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    measured_on = forms.DateField(
        label=_("Measured on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=4)
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        required=False,
        help_text=_("Where the figure comes from: a system, a report, a decision."),
    )
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args: Any, units: Sequence[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the units the user may report for (``kpi_selectors.reportable_units``).
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in units]
        )

    def full_clean(self) -> None:
        super().full_clean()
        # Hidden fields have no place to show an error: say it above the form.
        for name in ("unit", "period_end", "seen"):
            for message in self.errors.pop(name, []):
                self.errors.setdefault(NON_FIELD_ERRORS, self.error_class()).append(message)
