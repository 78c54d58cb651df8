"""The rule language: a dataset's quality rules as YAML (documented in docs/quality-rules.md).

``parse_rules(text)`` turns the YAML text (or an already loaded mapping) into a frozen
``RuleSet``; every problem found is collected into one ``RuleError`` that names the rule (the
path of keys, e.g. ``fields.birth_date``) and the key at fault, in the user's language.
Nothing here touches a file or a database: checking that the fields exist in a version's
Parquet file is the engine's job (``engine.profile``), because the file is only known then.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.utils.translation import gettext as _

TYPES = ("string", "integer", "number", "date", "boolean")
FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "yearly", "ad_hoc")
TOP_KEYS = ("key", "names", "near_duplicates", "fields", "coverage", "live", "standard", "text")
FIELD_KEYS = (
    "type",
    "required",
    "pattern",
    "min",
    "max",
    "length",
    "code_list",
    "unique",
    "values",
    "format",
)
# The YAML key spelt the way the issue speaks of it; both are accepted.
FIELD_ALIASES = {"allowed": "values"}
TODAY = "today"


@dataclass(frozen=True)
class RuleProblem:
    """One problem in a rule set: where (``rule``: path of keys), which ``key``, what is wrong."""

    rule: str
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.rule}.{self.key}" if self.rule and self.key else self.rule or self.key
        return f"{where}: {self.message}" if where else self.message


class RuleError(ValueError):
    """The rule text is not valid; ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class FieldRule:
    """The checks declared for one field. ``min``/``max`` are numbers, dates or ``"today"``."""

    name: str
    type: str = "string"
    required: bool = False
    pattern: str | None = None
    min: Any = None
    max: Any = None
    length_min: int | None = None
    length_max: int | None = None
    code_list: str | None = None
    unique: bool = False
    values: tuple[str, ...] | None = None
    format: str | None = None  # strptime format of a date stored as text, e.g. "%d/%m/%Y"


@dataclass(frozen=True)
class NearDuplicates:
    """How near duplicates on the ``names`` fields are looked for.

    Names are compared after normalisation (NFC, lower case, diacritics and đ stripped, spaces
    collapsed). With ``similarity`` set, names in the same ``block`` whose Jaro-Winkler
    similarity reaches it count too (a block is needed: comparing every pair of 10M rows is not
    possible).
    """

    block: tuple[str, ...] = ()
    similarity: float | None = None


@dataclass(frozen=True)
class Coverage:
    """Every value of the code list ``expected`` should appear in ``field``."""

    field: str
    expected: str


@dataclass(frozen=True)
class RuleSet:
    """A dataset's rules, validated. Build it with ``parse_rules``."""

    fields: Mapping[str, FieldRule]
    key: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    near_duplicates: NearDuplicates = field(default_factory=NearDuplicates)
    coverage: tuple[Coverage, ...] = ()
    frequency: str | None = None
    standard: str | None = None
    text: tuple[str, ...] | None = None  # None: every string field is checked for text forms

    def referenced_fields(self) -> set[str]:
        """Every field name the rules mention (all must exist in the file)."""
        names = set(self.fields) | set(self.key) | set(self.names)
        names |= set(self.near_duplicates.block) | {c.field for c in self.coverage}
        return names | set(self.text or ())

    def text_fields(self) -> tuple[str, ...]:
        """Fields checked for NFD and legacy encodings: ``text`` if given, else the ``names``
        and every string field that is free text (no pattern, code list or allowed values)."""
        if self.text is not None:
            return self.text
        free = [
            n
            for n, f in self.fields.items()
            if f.type == "string" and not (f.pattern or f.code_list or f.values)
        ]
        return tuple(dict.fromkeys([*self.names, *free]))


@dataclass(frozen=True)
class StandardField:
    name: str
    type: str
    code_list: str | None = None


@dataclass(frozen=True)
class Standard:
    """A shared field standard (e.g. the province's population data standard)."""

    name: str
    fields: Mapping[str, StandardField]


class _Collector:
    def __init__(self) -> None:
        self.problems: list[RuleProblem] = []

    def add(self, rule: str, key: str, message: str) -> None:
        self.problems.append(RuleProblem(rule=rule, key=key, message=message))


def _load(source: str | Mapping[str, Any] | None) -> Mapping[str, Any]:
    if source is None or (isinstance(source, str) and not source.strip()):
        return {}
    if isinstance(source, Mapping):
        return source
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise RuleError(
            [RuleProblem("", "", _("Not valid YAML (line %(line)s).") % {"line": line})]
        ) from exc
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise RuleError([RuleProblem("", "", _("The rules must be a mapping of keys."))])
    return data


def _names(value: Any, rule: str, key: str, out: _Collector) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        out.add(rule, key, _("Expected a list of field names."))
        return ()
    return tuple(value)


def _bound(value: Any, type_: str, rule: str, key: str, out: _Collector) -> Any:
    if value is None:
        return None
    if type_ == "date":
        if value == TODAY:
            return TODAY
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        out.add(rule, key, _("Expected a date (YYYY-MM-DD) or “today”."))
        return None
    if type_ in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            out.add(rule, key, _("Expected a number."))
            return None
        return value
    out.add(rule, key, _("Only integer, number and date fields take a minimum or maximum."))
    return None


def _field(name: str, spec: Any, out: _Collector) -> FieldRule | None:
    rule = f"fields.{name}"
    if spec is None:
        spec = {}
    if isinstance(spec, str):
        spec = {"type": spec}
    if not isinstance(spec, Mapping):
        out.add(rule, "", _("Expected a mapping of checks."))
        return None
    spec = {FIELD_ALIASES.get(k, k): v for k, v in spec.items()}
    for key in spec:
        if key not in FIELD_KEYS:
            out.add(
                rule,
                str(key),
                _("Unknown check; known: %(known)s.") % {"known": ", ".join(FIELD_KEYS)},
            )
    type_ = spec.get("type", "string")
    if type_ not in TYPES:
        out.add(rule, "type", _("Unknown type; known: %(known)s.") % {"known": ", ".join(TYPES)})
        type_ = "string"
    flags = {}
    for key in ("required", "unique"):
        flags[key] = spec.get(key, False)
        if not isinstance(flags[key], bool):
            out.add(rule, key, _("Expected true or false."))
            flags[key] = False
    pattern = spec.get("pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            out.add(rule, "pattern", _("Expected a regular expression as text."))
            pattern = None
        else:
            try:
                re.compile(pattern)
            except re.error as exc:
                out.add(
                    rule,
                    "pattern",
                    _("Not a valid regular expression: %(error)s.") % {"error": exc},
                )
                pattern = None
    length_min = length_max = None
    length = spec.get("length")
    if length is not None:
        if isinstance(length, int) and not isinstance(length, bool):
            length_min = length_max = length
        elif isinstance(length, Mapping) and set(length) <= {"min", "max"} and length:
            length_min, length_max = length.get("min"), length.get("max")
        else:
            out.add(rule, "length", _("Expected a number or {min: .., max: ..}."))
        for bound in (length_min, length_max):
            if bound is not None and (
                isinstance(bound, bool) or not isinstance(bound, int) or bound < 0
            ):
                out.add(rule, "length", _("Lengths are whole numbers, 0 or more."))
                length_min = length_max = None
                break
    code_list = spec.get("code_list")
    if code_list is not None and not (isinstance(code_list, str) and code_list):
        out.add(rule, "code_list", _("Expected the name of a code list."))
        code_list = None
    values = spec.get("values")
    if values is not None:
        if (
            not isinstance(values, list)
            or not values
            or any(isinstance(v, Mapping | list) for v in values)
        ):
            out.add(rule, "values", _("Expected a list of allowed values."))
            values = None
        else:
            values = tuple(str(v).lower() if isinstance(v, bool) else str(v) for v in values)
    fmt = spec.get("format")
    if fmt is not None and (type_ != "date" or not isinstance(fmt, str)):
        out.add(rule, "format", _("A format applies to date fields only."))
        fmt = None
    minimum = _bound(spec.get("min"), type_, rule, "min", out)
    maximum = _bound(spec.get("max"), type_, rule, "max", out)
    return FieldRule(
        name=name,
        type=type_,
        required=flags["required"],
        pattern=pattern,
        min=minimum,
        max=maximum,
        length_min=length_min,
        length_max=length_max,
        code_list=code_list,
        unique=flags["unique"],
        values=values,
        format=fmt,
    )


def parse_rules(source: str | Mapping[str, Any] | None) -> RuleSet:
    """Parse and validate a rule set (YAML text or a mapping). Raises ``RuleError``."""
    data = _load(source)
    out = _Collector()
    for top in data:
        if top not in TOP_KEYS:
            out.add(
                str(top), "", _("Unknown key; known: %(known)s.") % {"known": ", ".join(TOP_KEYS)}
            )
    fields: dict[str, FieldRule] = {}
    raw_fields = data.get("fields") or {}
    if not isinstance(raw_fields, Mapping):
        out.add("fields", "", _("Expected a mapping of field names to their checks."))
        raw_fields = {}
    for name, spec in raw_fields.items():
        if not isinstance(name, str) or not name:
            out.add("fields", str(name), _("A field name must be text."))
            continue
        parsed = _field(name, spec, out)
        if parsed is not None:
            fields[name] = parsed
    key = _names(data.get("key", []), "key", "", out)
    names = _names(data.get("names", []), "names", "", out)
    near = NearDuplicates()
    raw_near = data.get("near_duplicates")
    if raw_near is not None:
        if not isinstance(raw_near, Mapping) or not set(raw_near) <= {"block", "similarity"}:
            out.add("near_duplicates", "", _("Expected {block: [..], similarity: 0.9}."))
        else:
            block = _names(raw_near.get("block", []), "near_duplicates", "block", out)
            similarity = raw_near.get("similarity")
            if similarity is not None:
                if (
                    isinstance(similarity, bool)
                    or not isinstance(similarity, int | float)
                    or not 0 < similarity <= 1
                ):
                    out.add(
                        "near_duplicates",
                        "similarity",
                        _("Expected a number above 0 and at most 1."),
                    )
                    similarity = None
                elif not block:
                    out.add(
                        "near_duplicates",
                        "block",
                        _("A similarity needs a block (fields that must be equal)."),
                    )
                    similarity = None
            near = NearDuplicates(block=block, similarity=similarity)
    coverage: list[Coverage] = []
    raw_cov = data.get("coverage")
    for item in [raw_cov] if isinstance(raw_cov, Mapping) else raw_cov or []:
        if not isinstance(item, Mapping) or set(item) != {"field", "expected"}:
            out.add("coverage", "", _("Expected {field: .., expected: <code list>}."))
            continue
        if not all(isinstance(item[k], str) and item[k] for k in ("field", "expected")):
            out.add("coverage", "field", _("Expected a field name and a code list name."))
            continue
        coverage.append(Coverage(field=item["field"], expected=item["expected"]))
    frequency = None
    live = data.get("live")
    if live is not None:
        if not isinstance(live, Mapping) or set(live) != {"frequency"}:
            out.add("live", "", _("Expected {frequency: ..}."))
        elif live["frequency"] not in FREQUENCIES:
            out.add(
                "live",
                "frequency",
                _("Unknown frequency; known: %(known)s.") % {"known": ", ".join(FREQUENCIES)},
            )
        else:
            frequency = live["frequency"]
    standard = data.get("standard")
    if standard is not None and not (isinstance(standard, str) and standard):
        out.add("standard", "", _("Expected the name of a shared standard."))
        standard = None
    text = None
    if "text" in data:
        text = _names(data["text"], "text", "", out)
    if out.problems:
        raise RuleError(out.problems)
    return RuleSet(
        fields=fields,
        key=key,
        names=names,
        near_duplicates=near,
        coverage=tuple(coverage),
        frequency=frequency,
        standard=standard,
        text=text,
    )


def parse_standard(name: str, source: str | Mapping[str, Any]) -> Standard:
    """Parse a shared standard: ``{fields: {name: {type: .., code_list: ..}}}``."""
    data = _load(source)
    out = _Collector()
    raw = data.get("fields")
    fields: dict[str, StandardField] = {}
    if not isinstance(raw, Mapping) or not raw:
        out.add(name, "fields", _("Expected a mapping of field names to their checks."))
        raw = {}
    for field_name, spec in raw.items():
        rule = f"{name}.fields.{field_name}"
        if not isinstance(spec, Mapping) or not set(spec) <= {"type", "code_list"}:
            out.add(rule, "", _("Expected {type: .., code_list: ..}."))
            continue
        type_ = spec.get("type", "string")
        if type_ not in TYPES:
            out.add(
                rule, "type", _("Unknown type; known: %(known)s.") % {"known": ", ".join(TYPES)}
            )
            continue
        fields[str(field_name)] = StandardField(str(field_name), type_, spec.get("code_list"))
    if out.problems:
        raise RuleError(out.problems)
    return Standard(name=name, fields=fields)
