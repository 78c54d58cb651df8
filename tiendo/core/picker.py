"""A picker: a search box in place of a ``<select>`` of every record a user may pick.

A national user may pick any of 10,000 units or 1,000 programs: as a ``<select>`` that was 800 KB
of HTML, or a query of every visible program, on every task list page. A ``PickField`` renders
only the chosen record (its name and where it belongs) and a search box; the field's value is
still the record's id under the field's own name (``?unit=42``), validated against the field's
queryset as a ``ModelChoiceField`` is.

- With JavaScript (``tiendo/app.js``), typing lists matches from the picker's search URL (HTMX)
  in a listbox (ARIA combobox: arrows, Enter, Escape); choosing one sets the id.
- Without it, the search box is submitted with the form as ``<name>_search``: a search that
  finds exactly one record picks it; otherwise the field is invalid and lists the matches as
  radio buttons (the previous choice kept checked), and the search box is emptied so that the
  next submission takes the chosen radio button.

A kind of record brings its words (``Words``), its search and the URL that answers it: units
(``tiendo.orgs.forms.UnitPickField``), programs (``tiendo.programs.forms.ProgramPickField``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Model, Q, QuerySet, Value, When
from django.urls import reverse

from .text import fold, fold_pattern

SEARCH_SUFFIX = "_search"
# How many records a search lists at once; more means "type more".
PICK_LIMIT = 20
# A search is cut to this many words of this many characters (one regular expression per word).
MAX_TERMS = 6
MAX_TERM_LENGTH = 60


def search_terms(query: str) -> list[str]:
    """The folded words of a search, as many as are used (``MAX_TERMS``, ``MAX_TERM_LENGTH``)."""
    words = "".join(c if c.isprintable() else " " for c in fold(query)).split()
    return [w[:MAX_TERM_LENGTH] for w in words[:MAX_TERMS]]


@dataclass(frozen=True)
class Search:
    """A search's text made safe, and how it filters and orders records."""

    query: str  # printable characters only, at most 200
    where: Q  # every word in one of the name fields (accents and case aside), or in the code
    order: list[Any]  # the record whose code is the whole query first


def text_search(query: str, names: tuple[str, ...], code: str = "code") -> Search:
    """Records whose ``names`` fields hold every word of ``query`` (one field per word may
    differ), or whose ``code`` holds the whole of it; an empty query matches every record."""
    query = "".join(c for c in query if c.isprintable())[:200]
    whole = query.strip()
    if not whole:
        return Search(query=query, where=Q(), order=[])
    words = Q()
    for term in search_terms(query):
        pattern = fold_pattern(term)
        any_name = Q()
        for name in names:
            any_name |= Q(**{f"{name}__iregex": pattern})
        words &= any_name
    exact = Case(When(**{f"{code}__iexact": whole}, then=Value(0)), default=Value(1))
    return Search(query=query, where=words | Q(**{f"{code}__icontains": whole}), order=[exact])


@dataclass(frozen=True)
class Choice:
    """A record as the picker shows it: its name, code and where it belongs."""

    pk: int
    name: str
    code: str
    within: str  # e.g. the names of the units above a unit, nearest first; "" if none


@dataclass(frozen=True)
class Matches:
    query: str
    items: list[Choice]
    more: bool  # more records match than are listed


@dataclass(frozen=True)
class Words:
    """How a picker speaks of its records, in each sentence it says (lazy translations; the
    plural ones are ``ngettext_lazy`` keyed by ``count`` or ``limit``)."""

    found: Any  # the listbox's name: "Units found"
    none_chosen: Any  # "No unit chosen"
    hint: Any  # how to use the search box
    matching: Any  # the no-JS list's legend: "Units matching “%(query)s”"
    no_match: Any  # "No unit matches this search."
    several: Any  # the error when a no-JS search finds several: "%(query)s"
    nothing: Any  # the error when it finds none: "%(query)s"
    count_found: Any  # "%(count)s units found."
    first_listed: Any  # the popup's note when more match: "The first %(limit)s ..."
    only_first: Any  # the no-JS list's note when more match: "Only the first %(limit)s ..."

    def summary(self, matches: Matches) -> str:
        """What the popup says of a search's answer (also read out by screen readers)."""
        if matches.more:
            return str(self.first_listed % {"limit": len(matches.items)})
        if matches.items:
            return str(self.count_found % {"count": len(matches.items)})
        return str(self.no_match)


@dataclass(frozen=True)
class PendingSearch:
    """What a form without JavaScript sent: search text instead of a record, and the record that
    was chosen before (the hidden input), kept while the user chooses among the matches."""

    text: str
    previous: str

    def __str__(self) -> str:
        return self.previous


class Picker(forms.Widget):
    """The widget. A kind of record subclasses it with ``words``, ``pick_url_name``, ``find``
    (the search) and ``describe`` (one record, for the chosen one)."""

    template_name = "core/widgets/picker.html"
    words: Words
    pick_url_name: str

    def __init__(self, attrs: dict[str, Any] | None = None, empty_label: Any = None):
        super().__init__(attrs)
        self.queryset: Any = None  # set by PickField
        self.empty_label = empty_label
        self._searches: dict[str, Matches] = {}
        self._validated: dict[str, Model] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> Picker:
        copy = super().__deepcopy__(memo)
        copy._searches = {}
        copy._validated = {}
        return copy

    def find(self, text: str) -> Matches:  # pragma: no cover - every kind defines it
        raise NotImplementedError

    def describe(self, record: Model) -> Choice:  # pragma: no cover - every kind defines it
        raise NotImplementedError

    def chosen_in(self, queryset: QuerySet[Any], pk: int) -> Choice | None:  # pragma: no cover
        raise NotImplementedError

    def validated(self, record: Model) -> None:
        """``record`` was read to validate the field: rendering it needs no second read."""
        self._validated[str(record.pk)] = record

    def chosen(self, value: Any) -> Choice | None:
        record = self._validated.get(str(value))
        if record is not None:
            return self.describe(record)
        if value in (None, ""):
            return None
        try:
            key = int(str(value))
        except ValueError:
            return None
        return self.chosen_in(self.queryset, key)

    def search(self, text: str) -> Matches:
        """The matches of ``text`` in the field's queryset (once per form)."""
        if text not in self._searches:
            self._searches[text] = self.find(text)
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
        # The search box is empty once a record is chosen: ``required`` there would block it.
        return False

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        matches: Matches | None = None
        chosen: Choice | None
        if isinstance(value, PendingSearch):
            matches = self.search(value.text)
            if len(matches.items) == 1 and not matches.more:
                chosen, matches = matches.items[0], None
            else:
                chosen = self.chosen(value.previous)
        else:
            chosen = self.chosen(value)
        attrs = context["widget"]["attrs"]
        widget_id = attrs.setdefault("id", f"id_{name}")
        described = [f"{widget_id}_chosen", f"{widget_id}_hint", attrs.get("aria-describedby")]
        attrs["aria-describedby"] = " ".join(d for d in described if d)
        words = self.words
        context["widget"].update(
            {
                "id": widget_id,
                "search_name": name + SEARCH_SUFFIX,
                "chosen": chosen,
                "matches": matches,
                "matching": words.matching % {"query": matches.query} if matches else "",
                "only_first": (
                    words.only_first % {"limit": len(matches.items)}
                    if matches and matches.more
                    else ""
                ),
                "chosen_listed": bool(
                    matches and chosen and any(c.pk == chosen.pk for c in matches.items)
                ),
                "empty_label": self.empty_label or words.none_chosen,
                "words": words,
                "pick_url": reverse(self.pick_url_name),
            }
        )
        return context


class PickField(forms.ModelChoiceField):
    """A record chosen with a ``Picker``. Its queryset (the set the picker's search URL searches
    too) validates the id, as for a ``<select>``."""

    widget = Picker

    def __init__(self, *args: Any, empty_label: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", self.widget(empty_label=empty_label))
        super().__init__(*args, empty_label=None, **kwargs)

    @property
    def picker(self) -> Picker:
        return self.widget  # type: ignore[return-value]  # an instance once the field is made

    def _set_queryset(self, queryset: Any) -> None:
        super()._set_queryset(queryset)  # type: ignore[misc]
        self.picker.queryset = self.queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)  # type: ignore[attr-defined]

    def to_python(self, value: Any) -> Any:
        if isinstance(value, PendingSearch):
            matches = self.picker.search(value.text)
            words = self.picker.words
            if len(matches.items) == 1 and not matches.more:
                value = matches.items[0].pk
            elif matches.items:
                raise ValidationError(words.several, code="choose", params={"query": value.text})
            else:
                raise ValidationError(words.nothing, code="no_match", params={"query": value.text})
        record = super().to_python(value)
        if record is not None:
            self.picker.validated(record)
        return record

    def has_changed(self, initial: Any, data: Any) -> bool:
        return isinstance(data, PendingSearch) or super().has_changed(initial, data)


def pick_answer_context(words: Words, matches: Matches) -> dict[str, Any]:
    """The context of ``core/_pick.html``: a search's answer, as the picker's popup shows it."""
    return {"matches": matches, "words": words, "summary": words.summary(matches)}
