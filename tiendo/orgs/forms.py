"""The unit picker (``tiendo.core.picker``): a search box in place of a ``<select>`` of every
unit a user may pick (10,000 nationally: 800 KB of HTML on every task list page as options)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from tiendo.core.picker import Choice, Matches, Picker, PickField, Words

from .scope import Scope
from .selectors import describe, unit_choice, unit_search, units_for

UNIT_WORDS = Words(
    found=_("Units found"),
    none_chosen=_("No unit chosen"),
    hint=_("Type part of a name or code (accents optional), then choose a unit from the list."),
    matching=_("Units matching “%(query)s”"),
    no_match=_("No unit matches this search."),
    several=_("Several units match “%(query)s”: choose one of them."),
    nothing=_("No unit matches “%(query)s”."),
    count_found=ngettext_lazy("%(count)s unit found.", "%(count)s units found.", "count"),
    first_listed=ngettext_lazy(
        "The first %(limit)s matching unit is listed; more match: type more to narrow the search.",
        "The first %(limit)s matching units are listed; more match: type more to narrow the "
        "search.",
        "limit",
    ),
    only_first=ngettext_lazy(
        "Only the first %(limit)s unit is listed: add words to narrow the search.",
        "Only the first %(limit)s units are listed: add words to narrow the search.",
        "limit",
    ),
)


class UnitPicker(Picker):
    words = UNIT_WORDS
    pick_url_name = "orgs:unit_pick"

    def __init__(self, attrs: dict[str, Any] | None = None, empty_label: Any = None):
        super().__init__(attrs, empty_label)
        self.own: tuple[str, ...] = ()  # the user's own units' paths, listed first

    def find(self, text: str) -> Matches:
        return unit_search(self.queryset, text, own=self.own)

    def describe(self, record: Any) -> Choice:
        return describe([(record.pk, record.name, record.code, record.path)])[0]

    def chosen_in(self, queryset: QuerySet[Any], pk: int) -> Choice | None:
        return unit_choice(queryset, pk)


class UnitPickField(PickField):
    """A unit chosen with ``UnitPicker``. The form calls ``limit_to(scope)``: the queryset
    (``units_for``, the set ``/units/pick/`` searches) validates the id, as for a ``<select>``."""

    widget = UnitPicker

    def limit_to(self, scope: Scope) -> None:
        """The units ``scope`` may pick (``units_for``): what ``/units/pick/`` searches too."""
        self.queryset = units_for(scope)
        self.widget.own = scope.unit_paths
