"""The rule language: a valid rule set parses into typed rules; every mistake is reported at
once, naming the rule (path of keys) and the key, in the user's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tiendo.datacatalog.quality import RuleError, parse_rules, parse_standard
from tiendo.datacatalog.quality.rules import TODAY

EXAMPLE = r"""
key: [citizen_id]
names: [full_name]
near_duplicates: {block: [commune_code], similarity: 0.92}
fields:
  citizen_id: {type: string, required: true, pattern: '^\d{12}$', unique: true}
  full_name: {type: string, required: true, length: {min: 2, max: 120}}
  birth_date: {type: date, required: true, min: 1900-01-01, max: today, format: '%d/%m/%Y'}
  commune_code: {type: string, required: true, code_list: admin_units}
  sex: {type: string, allowed: [M, F]}
  area_m2: {type: number, min: 0}
  rooms: integer
coverage: {field: commune_code, expected: admin_units}
live: {frequency: monthly}
standard: population
"""


def problems(text: str) -> set[tuple[str, str]]:
    with pytest.raises(RuleError) as caught:
        parse_rules(text)
    return {(p.rule, p.key) for p in caught.value.problems}


def test_the_documented_example_parses() -> None:
    rules = parse_rules(EXAMPLE)
    assert rules.key == ("citizen_id",)
    assert rules.near_duplicates.similarity == 0.92
    birth = rules.fields["birth_date"]
    assert (birth.type, birth.min, birth.max, birth.format) == (
        "date",
        dt.date(1900, 1, 1),
        TODAY,
        "%d/%m/%Y",
    )
    assert rules.fields["sex"].values == ("M", "F")
    assert (rules.fields["full_name"].length_min, rules.fields["full_name"].length_max) == (2, 120)
    assert rules.fields["rooms"].type == "integer"
    assert rules.coverage[0].expected == "admin_units"
    assert (rules.frequency, rules.standard) == ("monthly", "population")
    assert rules.text_fields() == ("full_name",)


def test_empty_rules_are_an_empty_rule_set() -> None:
    assert parse_rules("").fields == {}
    assert parse_rules(None).key == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("colour: red", {("colour", "")}),
        ("fields: {a: {type: text}}", {("fields.a", "type")}),
        ("fields: {a: {kind: string}}", {("fields.a", "kind")}),
        ("fields: {a: {pattern: '(unclosed'}}", {("fields.a", "pattern")}),
        ("fields: {a: {type: date, min: 31/02/2020}}", {("fields.a", "min")}),
        ("fields: {a: {type: string, max: 3}}", {("fields.a", "max")}),
        ("fields: {a: {type: number, min: ten}}", {("fields.a", "min")}),
        ("fields: {a: {required: yes please}}", {("fields.a", "required")}),
        ("fields: {a: {length: {min: -1}}}", {("fields.a", "length")}),
        ("fields: {a: {allowed: []}}", {("fields.a", "values")}),
        ("fields: {a: {type: integer, format: '%Y'}}", {("fields.a", "format")}),
        ("near_duplicates: {similarity: 0.9}", {("near_duplicates", "block")}),
        ("near_duplicates: {block: [b], similarity: 2}", {("near_duplicates", "similarity")}),
        ("live: {frequency: hourly}", {("live", "frequency")}),
        ("coverage: {field: a}", {("coverage", "")}),
        ("key: 3", {("key", "")}),
        ("- a\n- b", {("", "")}),
        ("fields: {a: [1, 2", {("", "")}),
    ],
)
def test_each_mistake_names_its_rule_and_key(text: str, expected: set[tuple[str, str]]) -> None:
    assert problems(text) == expected


def test_all_mistakes_are_reported_at_once() -> None:
    assert problems("fields: {a: {type: text}, b: {unique: 1}}\nlive: {frequency: hourly}") == {
        ("fields.a", "type"),
        ("fields.b", "unique"),
        ("live", "frequency"),
    }


def test_messages_are_in_the_users_language() -> None:
    with translation.override("vi"), pytest.raises(RuleError) as caught:
        parse_rules("live: {frequency: hourly}")
    assert "Tần suất" in str(caught.value)
    with translation.override("en"), pytest.raises(RuleError) as caught:
        parse_rules("live: {frequency: hourly}")
    assert "Unknown frequency" in str(caught.value)


def test_standards_parse_and_report_mistakes() -> None:
    standard = parse_standard(
        "population", {"fields": {"commune_code": {"type": "string", "code_list": "admin_units"}}}
    )
    assert standard.fields["commune_code"].code_list == "admin_units"
    with pytest.raises(RuleError) as caught:
        parse_standard("population", {"fields": {"a": {"type": "text"}}})
    assert [(p.rule, p.key) for p in caught.value.problems] == [("population.fields.a", "type")]


def test_each_rule_is_described_in_the_users_language() -> None:
    from tiendo.datacatalog.quality.engine import RuleResult
    from tiendo.datacatalog.quality.labels import describe

    rule = RuleResult(
        "accurate.pattern.citizen_id",
        "accurate",
        "pattern",
        "citizen_id",
        "rows",
        10,
        1,
        90.0,
        {"pattern": r"^\d{12}$"},
    )
    with translation.override("vi"):
        assert describe(rule) == r"citizen_id khớp mẫu ^\d{12}$"
    with translation.override("en"):
        assert describe(rule) == r"citizen_id matches ^\d{12}$"
