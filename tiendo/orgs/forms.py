"""The unit picker: a search box in place of a ``<select>`` of every unit a user may pick.

A national user may pick any of 10,000 units: as a ``<select>`` that was 800 KB of HTML on
every task list page. ``UnitPickField`` renders only the chosen unit (its name and where it
sits) and a search box; the field's value is still the unit's id under the field's own name
(``?unit=42``), validated against the field's queryset as a ``ModelChoiceField`` is.

- With JavaScript (``tiendo/app.js``), typing lists matches from ``/units/pick/`` (HTMX) in a
  listbox (ARIA combobox: arrows, Enter, Escape); choosing one sets the id.
- Without it, the search box is submitted with the form as ``<name>_search``: a search that
  finds exactly one unit picks it; otherwise the field is invalid and lists the matches as
  radio buttons (the previous choice kept checked), and the search box is emptied so that the
  next submission takes the chosen radio button.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Unit
from .scope import Scope
from .selectors import UnitChoice, UnitMatches, describe, unit_choice, unit_search, units_for

SEARCH_SUFFIX = "_search"


@dataclass(frozen=True)
class PendingSearch:
    """What a form without JavaScript sent: search text instead of a unit, and the unit that was
    chosen before (the hidden input), kept while the user chooses among the matches."""

    text: str
    previous: str

    def __str__(self) -> str:
        return self.previous


class UnitPicker(forms.Widget):
    template_name = "orgs/widgets/unit_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None, empty_label: str | None = None):
        super().__init__(attrs)
        self.queryset: Any = None  # set by UnitPickField
        self.own: tuple[str, ...] = ()  # the user's own units' paths, listed first
        self.empty_label = empty_label
        self._searches: dict[str, UnitMatches] = {}
        self._validated: dict[str, Unit] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> UnitPicker:
        copy = super().__deepcopy__(memo)
        copy._searches = {}
        copy._validated = {}
        return copy

    def validated(self, unit: Unit) -> None:
        """``unit`` was read to validate the field: rendering it needs no second read."""
        self._validated[str(unit.pk)] = unit

    def chosen(self, value: Any) -> UnitChoice | None:
        unit = self._validated.get(str(value))
        if unit is not None:
            return describe([(unit.pk, unit.name, unit.code, unit.path)])[0]
        return unit_choice(self.queryset, value)

    def search(self, text: str) -> UnitMatches:
        """The matches of ``text`` in the field's queryset (once per form)."""
        if text not in self._searches:
            self._searches[text] = unit_search(self.queryset, text, own=self.own)
        return self._searches[text]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        text = (data.get(name + SEARCH_SUFFIX) or "").strip()
        if text:
            return PendingSearch(text=text, previous=data.get(name) or "")
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and name + SEARCH_SUFFIX not in data

    def format_value(self, value: Any) -> Any:
        return value

    def use_required_attribute(self, initial: Any) -> bool:
        # The search box is empty once a unit is chosen: ``required`` there would block the form.
        return False

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        matches: UnitMatches | None = None
        chosen: UnitChoice | None
        if isinstance(value, PendingSearch):
            matches = self.search(value.text)
            if len(matches.units) == 1 and not matches.more:
                chosen, matches = matches.units[0], None
            else:
                chosen = self.chosen(value.previous)
        else:
            chosen = self.chosen(value)
        attrs = context["widget"]["attrs"]
        widget_id = attrs.setdefault("id", f"id_{name}")
        described = [f"{widget_id}_chosen", f"{widget_id}_hint", attrs.get("aria-describedby")]
        attrs["aria-describedby"] = " ".join(d for d in described if d)
        context["widget"].update(
            {
                "id": widget_id,
                "search_name": name + SEARCH_SUFFIX,
                "chosen": chosen,
                "matches": matches,
                "chosen_listed": bool(
                    matches and chosen and any(u.pk == chosen.pk for u in matches.units)
                ),
                "empty_label": self.empty_label or _("No unit chosen"),
                "pick_url": reverse("orgs:unit_pick"),
            }
        )
        return context


class UnitPickField(forms.ModelChoiceField):
    """A unit chosen with ``UnitPicker``. The form calls ``limit_to(scope)``: the queryset
    (``units_for``, the set ``/units/pick/`` searches) validates the id, as for a ``<select>``."""

    widget = UnitPicker

    def __init__(self, *args: Any, empty_label: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", UnitPicker(empty_label=empty_label))
        super().__init__(*args, empty_label=None, **kwargs)

    def limit_to(self, scope: Scope) -> None:
        """The units ``scope`` may pick (``units_for``): what ``/units/pick/`` searches too."""
        self.queryset = units_for(scope)
        self.widget.own = scope.unit_paths

    def _set_queryset(self, queryset: Any) -> None:
        super()._set_queryset(queryset)
        self.widget.queryset = self.queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, PendingSearch):
            matches = self.widget.search(value.text)
            if len(matches.units) == 1 and not matches.more:
                value = matches.units[0].pk
            elif matches.units:
                raise ValidationError(
                    _("Several units match “%(query)s”: choose one of them."),
                    code="choose",
                    params={"query": value.text},
                )
            else:
                raise ValidationError(
                    _("No unit matches “%(query)s”."), code="no_match", params={"query": value.text}
                )
        unit = super().to_python(value)
        if unit is not None:
            self.widget.validated(unit)
        return unit

    def has_changed(self, initial: Any, data: Any) -> bool:
        return isinstance(data, PendingSearch) or super().has_changed(initial, data)
