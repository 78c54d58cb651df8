"""Input forms of the program pages: they parse and validate input, services do the writing.

Plain ``forms.Form`` rather than ``ModelForm``: a ModelForm validates and mutates the model
instance itself, which would duplicate (and could contradict) the rules inside the services.
Labels come from the models' verbose names so both stay translated in one place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from tiendo.accounts.models import User
from tiendo.core.deadlines import Deadline, deadline_label, parse_deadline
from tiendo.core.models import Classification
from tiendo.core.picker import Choice, Matches, Picker, PickField, Words
from tiendo.orgs.forms import UnitPickField
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope
from tiendo.orgs.selectors import units_for

from .models import Program, ProgramKind, ProgressUpdate, Task, TaskGroup, TaskKind
from .selectors import program_choice, program_list, program_search
from .status import TaskStatus


def _field(model: type[Model], name: str) -> Any:
    return model._meta.get_field(name)


def _label(model: type[Model], name: str) -> str:
    # Stays lazy (capfirst keeps lazy text lazy): evaluated per request, in the user's language.
    return capfirst(_field(model, name).verbose_name)


def people_in(units: QuerySet[Unit]) -> QuerySet[User]:
    """Active users holding a role in one of ``units``."""
    return (
        User.objects.filter(is_active=True, memberships__unit__in=units)
        .distinct()
        .order_by("full_name", "username")
    )


def classification_choices(scope: Scope) -> list[tuple[int, str]]:
    """A user cannot mark a record above their own clearance: they could no longer see it."""
    return [(v, label) for v, label in Classification.choices if v <= scope.clearance]


EMPTY = "—"


class QuickSelect(forms.Select):
    """A ``Select`` whose options are written in Python, same HTML as Django's templates.

    The national unit list has 10,000 options: one template include per option took 3 s of
    the task list page for an administrator (bench/RESULTS.md, 23 Nov 2026).
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        attrs = self.build_attrs(self.attrs, attrs)
        parts = [f'<select name="{escape(name)}"{_attrs(attrs)}>']
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(option_value)}">')
                parts.extend(_option(v, sub, chosen) for v, sub in label)
                parts.append("</optgroup>")
            else:
                parts.append(_option(option_value, label, chosen))
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # every value and label is escaped


def _option(value: Any, label: Any, chosen: set[str]) -> str:
    value = "" if value is None else str(value)
    selected = " selected" if value in chosen else ""
    return f'<option value="{escape(value)}"{selected}>{escape(label)}</option>'


def _attrs(attrs: dict[str, Any]) -> str:
    """HTML attributes in their order, as ``django/forms/widgets/attrs.html`` writes them."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _indented(name: str, depth: int) -> str:
    """A unit's option label: the indentation shows the tree."""
    return "\u2003" * depth + name


class _UnitChoices(forms.models.ModelChoiceIterator):
    """Units as (id, indented name) from plain rows: 10,000 model instances took 0.3 s."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name, depth in self.queryset.values_list("pk", "name", "depth"):
            yield (pk, _indented(name, depth))


class UnitChoiceField(forms.ModelChoiceField):
    widget = QuickSelect
    iterator = _UnitChoices

    def label_from_instance(self, obj: Unit) -> str:
        return _indented(obj.name, obj.depth)


PROGRAM_WORDS = Words(
    found=_("Programs found"),
    none_chosen=_("No program chosen"),
    hint=_("Type part of a name or code (accents optional), then choose a program from the list."),
    matching=_("Programs matching “%(query)s”"),
    no_match=_("No program matches this search."),
    several=_("Several programs match “%(query)s”: choose one of them."),
    nothing=_("No program matches “%(query)s”."),
    count_found=ngettext_lazy("%(count)s program found.", "%(count)s programs found.", "count"),
    first_listed=ngettext_lazy(
        "The first %(limit)s matching program is listed; more match: type more to narrow the "
        "search.",
        "The first %(limit)s matching programs are listed; more match: type more to narrow the "
        "search.",
        "limit",
    ),
    only_first=ngettext_lazy(
        "Only the first %(limit)s program is listed: add words to narrow the search.",
        "Only the first %(limit)s programs are listed: add words to narrow the search.",
        "limit",
    ),
)


class ProgramPicker(Picker):
    words = PROGRAM_WORDS
    pick_url_name = "programs:program_pick"

    def find(self, text: str) -> Matches:
        return program_search(self.queryset, text)

    def describe(self, record: Any) -> Choice:
        return Choice(record.pk, record.name, record.code, record.owner_unit.name)

    def chosen_in(self, queryset: QuerySet[Any], pk: int) -> Choice | None:
        return program_choice(queryset, pk)


class ProgramPickField(PickField):
    """A program chosen with ``ProgramPicker``, among ``program_list(scope)``: the set
    ``/programs/pick/`` searches. A national user sees a thousand programs: as a ``<select>``
    their query was a tenth of the task list page (issue #3)."""

    widget = ProgramPicker

    def limit_to(self, scope: Scope) -> None:
        self.queryset = program_list(scope).select_related(None).select_related("owner_unit")


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return _indented(obj.name, obj.depth)


class DeadlineField(forms.CharField):
    """A completion time as officials write it ("Quý II/2024"), cleaned to a ``Deadline``.

    The input asks the server what it understood while the user types (HTMX), so a misread
    quarter or month shows before saving.
    """

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "hx-get": reverse_lazy("programs:deadline_preview"),
                "hx-trigger": "input changed delay:300ms, load",
                "hx-target": "next .preview",
                "hx-swap": "innerHTML",
                "autocomplete": "off",
            }
        )
        return attrs

    def clean(self, value: Any) -> Deadline | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_deadline(text)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


def deadline_text(kind: str, due: dt.date | None) -> str:
    """A stored deadline written back so that ``parse_deadline`` reads it the same way."""
    if not kind:
        return ""
    if kind == "date" and due is not None:
        return f"{due.day}/{due.month}/{due.year}"
    return deadline_label(kind, due)


DEADLINE_HELP = _(
    "As written in the plan: a date (30/6/2024), a month (Tháng 6/2024), a quarter "
    "(Quý II/2024), a year (Năm 2024) or “Thường xuyên” (ongoing)."
)


class VersionedForm(forms.Form):
    """Carries the record's ``version`` so a stale form is refused instead of overwriting."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


# Programs and groups -----------------------------------------------------------------------


class ProgramForm(VersionedForm):
    code = forms.SlugField(label=_label(Program, "code"), max_length=50)
    name = forms.CharField(label=_label(Program, "name"), max_length=500)
    kind = forms.ChoiceField(label=_label(Program, "kind"), choices=ProgramKind.choices)
    description = forms.CharField(
        label=_label(Program, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner_unit = UnitPickField(
        label=_label(Program, "owner_unit"),
        queryset=Unit.objects.none(),
        help_text=_field(Program, "owner_unit").help_text,
    )
    standing_office = UnitPickField(
        label=_label(Program, "standing_office"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_field(Program, "standing_office").help_text,
    )
    decision_number = forms.CharField(
        label=_label(Program, "decision_number"),
        max_length=100,
        required=False,
        help_text=_field(Program, "decision_number").help_text,
    )
    decision_date = forms.DateField(
        label=_label(Program, "decision_date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    issuer = forms.CharField(
        label=_label(Program, "issuer"),
        max_length=255,
        required=False,
        help_text=_field(Program, "issuer").help_text,
    )
    start_year = forms.IntegerField(
        label=_label(Program, "start_year"), required=False, min_value=1900, max_value=2200
    )
    end_year = forms.IntegerField(
        label=_label(Program, "end_year"), required=False, min_value=1900, max_value=2200
    )
    vision_year = forms.IntegerField(
        label=_label(Program, "vision_year"), required=False, min_value=1900, max_value=2200
    )
    classification = forms.TypedChoiceField(label=_label(Program, "classification"), coerce=int)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Searched with the picker (``/units/pick/``), never listed: 10,000 units nationally.
        self.fields["owner_unit"].limit_to(scope)  # type: ignore[attr-defined]
        self.fields["standing_office"].limit_to(scope)  # type: ignore[attr-defined]
        self.fields["classification"].choices = classification_choices(scope)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The end year cannot be before the start year."))
        return data


class GroupForm(forms.Form):
    number = forms.CharField(
        label=_label(TaskGroup, "number"),
        max_length=20,
        required=False,
        help_text=_field(TaskGroup, "number").help_text,
    )
    name = forms.CharField(label=_label(TaskGroup, "name"), max_length=500)
    parent = forms.ModelChoiceField(
        label=_label(TaskGroup, "parent"),
        queryset=TaskGroup.objects.none(),
        required=False,
        empty_label=EMPTY,
    )
    position = forms.IntegerField(
        label=_label(TaskGroup, "position"), min_value=0, initial=0, required=False
    )

    def __init__(self, *args: Any, program: Program, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            # Moving a group between parents is not offered: its path (and links) would change.
            del self.fields["parent"]
        else:
            self.fields["parent"].queryset = TaskGroup.objects.filter(program=program)


# Tasks --------------------------------------------------------------------------------------


class TaskForm(VersionedForm):
    """All five clears; only the title is needed to save a draft."""

    group = forms.ModelChoiceField(
        label=_label(Task, "group"),
        queryset=TaskGroup.objects.none(),
        required=False,
        empty_label=EMPTY,
    )
    number = forms.CharField(
        label=_label(Task, "number"),
        max_length=20,
        required=False,
        help_text=_field(Task, "number").help_text,
    )
    kind = forms.ChoiceField(label=_label(Task, "kind"), choices=TaskKind.choices)
    title = forms.CharField(
        label=_label(Task, "title"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label=_label(Task, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lead_unit = UnitChoiceField(
        label=_("Lead unit"), queryset=Unit.objects.none(), required=False, empty_label=EMPTY
    )
    coordinating_units = UnitMultipleChoiceField(
        label=_("Coordinating units"), queryset=Unit.objects.none(), required=False
    )
    accountable_leader = forms.ModelChoiceField(
        label=_label(Task, "accountable_leader"),
        queryset=User.objects.none(),
        required=False,
        empty_label=EMPTY,
    )
    assignee = forms.ModelChoiceField(
        label=_label(Task, "assignee"),
        queryset=User.objects.none(),
        required=False,
        empty_label=EMPTY,
    )
    start_date = forms.DateField(
        label=_label(Task, "start_date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deadline_text = DeadlineField(
        label=_("Completion time"), required=False, max_length=100, help_text=DEADLINE_HELP
    )
    product = forms.CharField(label=_label(Task, "product"), max_length=1000, required=False)
    product_quantity = forms.DecimalField(
        label=_label(Task, "product_quantity"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    product_unit = forms.CharField(
        label=_label(Task, "product_unit"),
        max_length=100,
        required=False,
        help_text=_field(Task, "product_unit").help_text,
    )
    classification = forms.TypedChoiceField(label=_label(Task, "classification"), coerce=int)

    def __init__(
        self, *args: Any, scope: Scope, program: Program, task: Task | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        units = units_for(scope, within=program.owner_unit.path)
        self.fields["group"].queryset = TaskGroup.objects.filter(program=program)
        self.fields["lead_unit"].queryset = units
        self.fields["coordinating_units"].queryset = units
        people = people_in(units)
        self.fields["accountable_leader"].queryset = people
        self.fields["assignee"].queryset = people
        self.fields["classification"].choices = classification_choices(scope)
        if task is not None and not task.is_draft:
            # After assignment the deadline moves only by an extension, with a reason.
            self.fields["deadline_text"].disabled = True
            self.fields["deadline_text"].help_text = _(
                "Assigned: change the deadline with “Extend deadline” on the task page."
            )

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data in the shape ``task_create``/``task_update`` take."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("coordinating_units", None)
        deadline = data.pop("deadline_text", None)
        if not self.fields["deadline_text"].disabled:
            data["deadline_kind"] = deadline.kind if deadline else ""
            data["deadline"] = deadline.due if deadline else None
        data["product_unit"] = data.get("product_unit") or ""
        return data


def task_initial(task: Task) -> dict[str, Any]:
    return {
        "group": task.group_id,
        "number": task.number,
        "kind": task.kind,
        "title": task.title,
        "description": task.description,
        "lead_unit": task.lead_unit_id,
        "coordinating_units": [c.unit_id for c in task.coordinations.all()],
        "accountable_leader": task.accountable_leader_id,
        "assignee": task.assignee_id,
        "start_date": task.start_date,
        "deadline_text": deadline_text(task.deadline_kind, task.deadline),
        "product": task.product,
        "product_quantity": task.product_quantity,
        "product_unit": task.product_unit,
        "classification": task.classification,
        "version": task.version,
    }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in ``progress_submit``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    as_of = forms.DateField(
        label=_label(ProgressUpdate, "as_of"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    achieved_quantity = forms.DecimalField(
        label=_label(ProgressUpdate, "achieved_quantity"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    narrative = forms.CharField(
        label=_label(ProgressUpdate, "narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    difficulties = forms.CharField(
        label=_label(ProgressUpdate, "difficulties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    proposals = forms.CharField(
        label=_label(ProgressUpdate, "proposals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, images, Word, Excel, PowerPoint, OpenDocument or plain text."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"as_of": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ExtendForm(VersionedForm):
    deadline_text = DeadlineField(
        label=_("New completion time"), max_length=100, help_text=DEADLINE_HELP
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


HOLD_CHOICES = [
    ("paused", _("Pause")),
    ("cancelled", _("Cancel")),
    ("resume", _("Resume")),
]


class HoldForm(VersionedForm):
    state = forms.ChoiceField(label=_("Action"), choices=HOLD_CHOICES)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def hold_state(self) -> str:
        state = self.cleaned_data["state"]
        return "" if state == "resume" else state


class TaskFilterForm(forms.Form):
    """The task list's GET filters. Invalid values become messages, never server errors."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    program = ProgramPickField(
        label=_label(Task, "program"),
        queryset=Program.objects.none(),
        required=False,
        empty_label=_("Any program"),
    )
    group = forms.ModelChoiceField(
        label=_label(Task, "group"),
        queryset=TaskGroup.objects.none(),
        required=False,
        empty_label=EMPTY,
        help_text=_("Choose a program first."),
        widget=QuickSelect,
    )
    unit = UnitPickField(
        label=_("Lead unit (and below)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Any unit"),
    )
    # The list's selects are written in Python (``QuickSelect``): through Django's templates
    # their options and attributes were 40 includes on every task list page.
    kind = forms.ChoiceField(
        label=_label(Task, "kind"),
        choices=[("", "—"), *TaskKind.choices],
        required=False,
        widget=QuickSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", "—"), *TaskStatus.choices],
        required=False,
        widget=QuickSelect,
    )
    overdue = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Overdue tasks"),
        choices=[("", "—"), ("yes", _("Only overdue")), ("no", _("Not overdue"))],
        required=False,
    )
    deadline_from = forms.DateField(
        label=_("Deadline from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deadline_to = forms.DateField(
        label=_("Deadline to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Searched with the picker (``/programs/pick/``), never listed: 1,000 programs nationally.
        self.fields["program"].limit_to(scope)  # type: ignore[attr-defined]
        program_id = str((self.data or {}).get("program") or "")
        if program_id.isdigit():
            self.fields["group"].queryset = TaskGroup.objects.filter(  # type: ignore[attr-defined]
                program_id=int(program_id),
                program__in=self.fields["program"].queryset,  # type: ignore[attr-defined]
            )
        # Searched with the picker (``/units/pick/``), never listed: 10,000 units nationally.
        self.fields["unit"].limit_to(scope)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("deadline_from"), data.get("deadline_to")
        if start and end and end < start:
            self.add_error("deadline_to", _("The end of the range is before its start."))
        return data

    def filter_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        overdue = {"yes": True, "no": False}.get(data.get("overdue") or "")
        return {
            "program": data["program"].pk if data.get("program") else None,
            "group": data["group"].pk if data.get("group") else None,
            "unit": data["unit"].pk if data.get("unit") else None,
            "kind": data.get("kind") or None,
            "status": data.get("status") or None,
            "overdue": overdue,
            "deadline_from": data.get("deadline_from"),
            "deadline_to": data.get("deadline_to"),
            "q": (data.get("q") or "").strip() or None,
        }
