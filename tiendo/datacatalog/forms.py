"""Input forms of the catalogue pages: they parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tiendo.orgs.forms import UnitPickField
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope
from tiendo.orgs.selectors import units_for
from tiendo.programs.forms import classification_choices, people_in

from .models import (
    CodeList,
    Dataset,
    DatasetField,
    DatasetStatus,
    FieldType,
    SourceKind,
    UpdateFrequency,
)
from .services import FieldInput


def _label(model: type[Model], name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Name, description, owner unit or field name."),
    )
    owner_unit = UnitPickField(label=_("Owner unit"), queryset=Unit.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(DatasetStatus.choices)
    )
    update_frequency = forms.ChoiceField(
        label=_("Update frequency"), required=False, choices=_blank(UpdateFrequency.choices)
    )
    source_kind = forms.ChoiceField(
        label=_("Source"), required=False, choices=_blank(SourceKind.choices)
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].limit_to(scope)  # type: ignore[attr-defined]


class DatasetForm(forms.Form):
    """Metadata of a dataset (create and edit). ``version`` guards against silent overwrites."""

    code = forms.SlugField(label=_label(Dataset, "code"), max_length=80)
    name = forms.CharField(label=_label(Dataset, "name"), max_length=255)
    description = forms.CharField(
        label=_label(Dataset, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the data is about, for someone who has never seen it."),
    )
    owner_unit = UnitPickField(label=_label(Dataset, "owner_unit"), queryset=Unit.objects.none())
    steward = forms.ModelChoiceField(
        label=_label(Dataset, "steward"), queryset=Unit.objects.none(), required=False
    )
    legal_basis = forms.CharField(
        label=_label(Dataset, "legal_basis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    classification = forms.TypedChoiceField(label=_label(Dataset, "classification"), coerce=int)
    update_frequency = forms.ChoiceField(
        label=_label(Dataset, "update_frequency"), choices=UpdateFrequency.choices
    )
    status = forms.ChoiceField(label=_label(Dataset, "status"), choices=DatasetStatus.choices)
    source_kind = forms.ChoiceField(
        label=_label(Dataset, "source_kind"), choices=SourceKind.choices
    )
    source_url = forms.URLField(
        label=_("Endpoint address (HTTP/JSON pulls)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    source_dsn_env = forms.RegexField(
        label=_("Name of the server setting holding the connection (PostgreSQL pulls)"),
        regex=r"^[A-Z][A-Z0-9_]*$",
        required=False,
        max_length=100,
        help_text=_("The connection string itself is never stored here."),
    )
    source_table = forms.RegexField(
        label=_("Table (PostgreSQL pulls)"),
        regex=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$",
        required=False,
        max_length=200,
    )
    pull_every_hours = forms.IntegerField(
        label=_label(Dataset, "pull_every_hours"), required=False, min_value=1, max_value=24 * 366
    )
    key_fields = forms.CharField(
        label=_label(Dataset, "key_fields"), required=False, max_length=255
    )
    partition_field = forms.RegexField(
        label=_label(Dataset, "partition_field"),
        regex=r"^[A-Za-z_][A-Za-z0-9_]*$",
        required=False,
        max_length=100,
        help_text=Dataset._meta.get_field("partition_field").help_text,
    )
    rules_yaml = forms.CharField(
        label=_label(Dataset, "rules_yaml"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "mono"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = units_for(scope)
        self.fields["owner_unit"].limit_to(scope)  # type: ignore[attr-defined]
        steward = self.fields["steward"]
        steward.queryset = people_in(units)  # type: ignore[attr-defined]
        self.fields["classification"].choices = classification_choices(scope)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("source_kind")
        if kind == SourceKind.HTTP and not data.get("source_url"):
            self.add_error("source_url", _("A pulled dataset needs the endpoint address."))
        if kind == SourceKind.POSTGRES:
            for name in ("source_dsn_env", "source_table"):
                if not data.get(name):
                    self.add_error(name, _("A PostgreSQL pull needs this."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["source_kind"]
        config: dict[str, Any] = {}
        if kind == SourceKind.HTTP:
            config = {"url": data["source_url"]}
        elif kind == SourceKind.POSTGRES:
            config = {"dsn_env": data["source_dsn_env"], "table": data["source_table"]}
        names = (
            "code",
            "name",
            "description",
            "steward",
            "legal_basis",
            "classification",
            "update_frequency",
            "status",
            "source_kind",
            "pull_every_hours",
            "key_fields",
            "partition_field",
            "rules_yaml",
        )
        fields = {name: data[name] for name in names}
        fields["source_config"] = config
        return fields

    @staticmethod
    def initial_for(dataset: Dataset) -> dict[str, Any]:
        config = dataset.source_config or {}
        return {
            "code": dataset.code,
            "name": dataset.name,
            "description": dataset.description,
            "owner_unit": dataset.owner_unit_id,
            "steward": dataset.steward_id,
            "legal_basis": dataset.legal_basis,
            "classification": dataset.classification,
            "update_frequency": dataset.update_frequency,
            "status": dataset.status,
            "source_kind": dataset.source_kind,
            "source_url": config.get("url", ""),
            "source_dsn_env": config.get("dsn_env", ""),
            "source_table": config.get("table", ""),
            "pull_every_hours": dataset.pull_every_hours,
            "key_fields": dataset.key_fields,
            "partition_field": dataset.partition_field,
            "rules_yaml": dataset.rules_yaml,
            "version": dataset.version,
        }


SCHEMA_HELP = _(
    "One field per line: name | type | required | code list | label. Types: text, integer, "
    "decimal, date, boolean. Example: ma_xa | text | required | don-vi-hanh-chinh | Commune code"
)


class SchemaForm(forms.Form):
    schema = forms.CharField(
        label=_("Fields"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "mono"}),
        help_text=SCHEMA_HELP,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_schema(self) -> list[FieldInput]:
        rows = []
        errors = []
        for number, line in enumerate(self.cleaned_data["schema"].splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            parts += [""] * (5 - len(parts))
            name, type_, required, code_list, label = parts[:5]
            if required not in ("", "required", "optional", "bắt buộc"):
                errors.append(
                    _("Line %(line)s: the third part must be “required” or empty.")
                    % {"line": number}
                )
            rows.append(
                FieldInput(
                    name=name,
                    type=type_ or FieldType.TEXT,
                    required=required in ("required", "bắt buộc"),
                    code_list=code_list,
                    label=label,
                )
            )
        if errors:
            raise ValidationError(errors)
        if not rows:
            raise ValidationError(_("Declare at least one field."))
        return rows

    @staticmethod
    def text_for(fields: list[DatasetField]) -> str:
        lines = []
        for f in fields:
            code = f.code_list.code if f.code_list_id else ""  # type: ignore[union-attr]
            parts = [f.name, f.type, "required" if f.required else "", code, f.label]
            while parts and not parts[-1]:
                parts.pop()
            lines.append(" | ".join(parts))
        return "\n".join(lines)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Data file"),
        help_text=_(
            "CSV (UTF-8 or Windows-1258, comma or semicolon), Excel .xlsx (first sheet) or "
            "Parquet. The first row names the columns."
        ),
    )


class RollbackForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class AccessForm(forms.Form):
    unit = UnitPickField(label=_("Unit"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].limit_to(scope)  # type: ignore[attr-defined]


def code_list_choices() -> list[tuple[str, str]]:
    return list(CodeList.objects.values_list("code", "name"))
