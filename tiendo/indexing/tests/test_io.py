"""Frameworks in YAML and XLSX: round trips, the shipped examples, errors with their place."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from tiendo.indexing import io
from tiendo.indexing.tests.builders import SMALL_YAML

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_the_dti_2022_example_has_the_published_shape():
    spec = io.from_yaml((FIXTURES / "dti_province_2022.yaml").read_text())
    assert spec.scale("DTI") == 1000
    assert [(c.code, spec.scale(c.code)) for c in spec.children("F")] == [
        ("1", 100), ("2", 100), ("3", 100), ("4", 100), ("5", 100), ("6", 0),
    ]  # fmt: skip
    assert [(c.code, spec.scale(c.code)) for c in spec.children("O")] == [
        ("7", 200), ("8", 150), ("9", 150),
    ]  # fmt: skip
    assert len(spec.indicators()) == 98
    # sub-indicators per main indicator as in Decision 922/QĐ-BTTTT, Annex I, Table I.1
    mains = [c.code for block in ("F", "O") for c in spec.children(block)]
    assert [len(spec.children(code)) for code in mains] == [10, 11, 7, 13, 12, 3, 22, 12, 8]


def test_the_2025_successor_loads_as_a_new_version_without_code_changes():
    spec = io.from_yaml((FIXTURES / "dti_province_2025_sample.yaml").read_text())
    assert (spec.code, spec.version, spec.merge_level) == ("dti-province", 2025, 1)
    assert len(spec.children("DTI")) == 8
    assert spec.scale("DTI") == 1000


def test_the_2025_sample_takes_its_digital_data_indicators_from_the_catalogue():
    # loading it checks that the data catalogue registered these sources (import refuses others)
    spec = io.from_yaml((FIXTURES / "dti_province_2025_sample.yaml").read_text())
    assert [(n.code, n.source) for n in spec.children("C")] == [
        ("C1", ""),
        ("C2", "catalogue_planned_built_share"),
        ("C3", "catalogue_average_quality"),
        ("C4", "catalogue_published_share"),
    ]
    assert spec.scale("C") == 125


def test_yaml_and_xlsx_round_trips_keep_every_node():
    spec = io.from_yaml((FIXTURES / "dti_province_2022.yaml").read_text())
    assert io.from_yaml(io.to_yaml(spec)).nodes == spec.nodes
    assert io.from_xlsx(io.to_xlsx(spec)).nodes == spec.nodes


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("method: yes_no, max_points: 20", "unknown method “nope”"),
        ('method: ratio, measure: "%", max_points: 30', "lo must be below hi"),
    ],
)
def test_yaml_errors_name_the_node(change, message):
    broken = SMALL_YAML.replace(
        change,
        "method: nope" if "nope" in message else "method: minmax, params: {lo: 5, hi: 1}",
    )
    with pytest.raises(ValidationError, match=message):
        io.from_yaml(broken)


def test_formula_errors_and_unknown_references_are_refused():
    bad = SMALL_YAML.replace(
        "method: yes_no, max_points: 20",
        "method: formula, params: {expression: \"__import__('os')\"}, max_points: 20",
    )
    with pytest.raises(ValidationError, match=r"not allowed|Unknown function"):
        io.from_yaml(bad)
    unknown = SMALL_YAML.replace(
        "method: yes_no, max_points: 20",
        'method: formula, params: {expression: "X9 / 2"}, max_points: 20',
    )
    with pytest.raises(ValidationError, match="unknown indicators: X9"):
        io.from_yaml(unknown)


def test_xlsx_errors_give_row_and_column(tmp_path):
    spec = io.from_yaml(SMALL_YAML)
    data = io.to_xlsx(spec)
    path = tmp_path / "f.xlsx"
    path.write_bytes(data)
    book = load_workbook(path)
    book["nodes"]["F4"] = "lots"  # weight of the 3rd node (row 4, column F)
    book.save(path)
    with pytest.raises(ValidationError) as caught:
        io.from_xlsx(path.read_bytes())
    assert caught.value.messages == [
        "Sheet “nodes”, row 4: “weight” must be a number, not “lots”. (column F)"
    ]


def test_not_a_workbook_and_bad_yaml_are_clear():
    with pytest.raises(ValidationError, match="not a readable XLSX"):
        io.from_xlsx(b"hello")
    with pytest.raises(ValidationError, match="near line 2"):
        io.from_yaml("code: x\n  bad: [")


def test_the_2025_sample_computes_with_its_formula_and_cross_province_minmax():
    from tiendo.indexing.engine import compute

    spec = io.from_yaml((FIXTURES / "dti_province_2025_sample.yaml").read_text())
    base = {"A1": 1, "A2": 100, "B1": 100, "D1": 100, "E1": 100, "H1": 20, "S1": 80}
    # digital data from the catalogue: all planned databases built, quality 80/100, half published
    data = {"C2": 100, "C3": 80, "C4": 50}
    inputs = {
        "X": {**base, **data, "C1": 40, "G1": 900, "G2": 1000},
        "Y": {**base, **data, "C1": 10, "G1": 0, "G2": 10},
    }
    result = compute(spec, inputs)
    assert result.scores["X"]["C"] == pytest.approx(35 + 30 + 24 + 15)
    assert result.scores["X"]["DTI"] == pytest.approx(1000 - 125 * 0.1 - 30 * 0.2 - 30 * 0.5)
    assert result.scores["Y"]["C1"] == 0  # lowest of the provinces assessed
    assert result.traces["X"]["G3"]["variables"] == {"G1": 900, "G2": 1000}
