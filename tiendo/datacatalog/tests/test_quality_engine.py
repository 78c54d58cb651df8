"""The quality engine on small Parquet files written here with DuckDB: every dimension's figure,
the rows behind it (same predicate, paged), and refusal of rules that do not fit the file."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import duckdb
import pytest

from tiendo.datacatalog import textfix
from tiendo.datacatalog.quality import (
    PublicationFacts,
    RuleError,
    failing_rows,
    parse_rules,
    parse_standard,
    profile,
)
from tiendo.datacatalog.quality.scores import WEIGHTS

TODAY = dt.date(2026, 11, 22)
COMMUNES = ["00001", "00004", "00007", "00010"]

# (citizen_id, full_name, birth_date (text, as received), commune_code, sex, area_m2)
PEOPLE = [
    ("001090000001", "Nguyễn Văn An", "1990-01-31", "00001", "M", 50.0),  # 1 clean
    ("00109000002", "Trần Thị Bình", "1991-02-30", "00001", "F", 60.0),  # 2 11-digit id, 30 Feb
    (
        "001090000003",
        "Lê Văn Cường",
        "1899-12-31",
        "99999",
        "X",
        -5.0,
    ),  # 3 too old, bad code, sex, area
    ("001090000004", None, None, "", "M", None),  # 4 missing name, date, commune
    (
        "001090000001",
        "nguyễn  văn an",
        "1990-01-31",
        "00001",
        "M",
        50.0,
    ),  # 5 dup key, near-dup name
    (
        "001090000006",
        unicodedata.normalize("NFD", "Phạm Thị Dung"),
        "2030-01-01",
        "00004",
        "F",
        1.0,
    ),  # 6 NFD, future
    ("001090000007", textfix.to_tcvn3("Lê Văn Bình"), "1985-05-05", "00004", "M", 2.0),  # 7 TCVN3
    ("001090000008", textfix.to_vni("Nguyễn Văn Đường"), "1975-07-07", "00004", "M", 3.0),  # 8 VNI
]
RULES = r"""
key: [citizen_id]
names: [full_name]
standard: population
fields:
  citizen_id: {type: string, required: true, pattern: '^\d{12}$'}
  full_name: {type: string, required: true, length: {min: 2, max: 100}}
  birth_date: {type: date, required: true, min: 1900-01-01, max: today}
  commune_code: {type: string, required: true, code_list: admin_units}
  sex: {type: string, allowed: [M, F]}
  area_m2: {type: number, min: 0}
coverage: {field: commune_code, expected: admin_units}
live: {frequency: monthly}
"""
STANDARD = parse_standard(
    "population",
    {
        "fields": {
            "citizen_id": {"type": "string"},
            "commune_code": {"type": "string", "code_list": "admin_units"},
            "ethnicity": {"type": "string", "code_list": "ethnicities"},
        }
    },
)
CODE_LISTS = {"admin_units": COMMUNES, "ethnicities": ["01", "02"]}


def write_parquet(path: Path, rows: list[tuple], columns: str) -> Path:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t ({columns})")
    marks = ", ".join("?" * len(rows[0]))
    con.executemany(f"INSERT INTO t VALUES ({marks})", rows)  # noqa: S608
    con.execute("COPY t TO $path (FORMAT parquet)", {"path": str(path)})
    return path


@pytest.fixture
def people(tmp_path: Path) -> Path:
    return write_parquet(
        tmp_path / "people.parquet",
        PEOPLE,
        "citizen_id VARCHAR, full_name VARCHAR, birth_date VARCHAR, commune_code VARCHAR, sex VARCHAR, area_m2 DOUBLE",
    )


def run(path: Path, rules: str = RULES, **kwargs):  # type: ignore[no-untyped-def]
    options = {
        "code_lists": CODE_LISTS,
        "standards": {"population": STANDARD},
        "today": TODAY,
        "last_update": dt.date(2026, 11, 1),
        "publication": PublicationFacts(published=True, users=2),
    }
    return profile(path, parse_rules(rules), **(options | kwargs))


def rows_of(path: Path, target: str, **kwargs) -> list[int]:  # type: ignore[no-untyped-def]
    page = failing_rows(
        path,
        parse_rules(RULES),
        target,
        code_lists=CODE_LISTS,
        standards={"population": STANDARD},
        today=TODAY,
        limit=100,
        **kwargs,
    )
    return [r[0] for r in page.rows]


def test_accurate_rules_count_the_right_rows(people: Path) -> None:
    report = run(people)
    expected = {
        "accurate.pattern.citizen_id": [2],
        "accurate.type.birth_date": [2],  # 30 February does not exist
        "accurate.min.birth_date": [3],
        "accurate.max.birth_date": [6],  # after today
        "accurate.code_list.commune_code": [3],
        "accurate.values.sex": [3],
        "accurate.min.area_m2": [3],
        "accurate.length.full_name": [],
    }
    for rule_id, rows in expected.items():
        assert report.rule(rule_id).failed == len(rows), rule_id
        assert report.rule(rule_id).checked == len(PEOPLE)
        assert rows_of(people, rule_id) == rows, rule_id
    accurate = report.dimensions["accurate"]
    assert (accurate.checked, accurate.failed) == (8, 3)
    assert rows_of(people, "accurate") == [2, 3, 6]


def test_complete_counts_missing_values_and_missing_communes(people: Path) -> None:
    report = run(people)
    assert [
        report.rule(f"complete.required.{f}").failed
        for f in ("full_name", "birth_date", "commune_code", "citizen_id")
    ] == [1, 1, 1, 0]
    coverage = report.rule("complete.coverage.commune_code")
    assert (coverage.checked, coverage.failed, coverage.kind) == (4, 2, "values")
    page = failing_rows(
        people,
        parse_rules(RULES),
        "complete.coverage.commune_code",
        code_lists=CODE_LISTS,
        standards={"population": STANDARD},
        today=TODAY,
    )
    assert (page.columns, page.rows, page.total) == (("code",), [("00007",), ("00010",)], 2)
    assert report.dimensions["complete"].failed == 1
    assert rows_of(people, "complete") == [4]
    assert report.dimensions["complete"].score == pytest.approx((87.5 * 3 + 100 + 50) / 5)


def test_clean_finds_duplicates_near_duplicates_and_text_forms(people: Path) -> None:
    report = run(people)
    assert rows_of(people, "clean.duplicate_key") == [1, 5]
    assert rows_of(people, "clean.near_duplicate.full_name") == [1, 5]
    assert rows_of(people, "clean.nfd.full_name") == [6]
    assert rows_of(people, "clean.tcvn3.full_name") == [7]
    assert rows_of(people, "clean.vni.full_name") == [8]
    assert report.dimensions["clean"].failed == 5
    assert rows_of(people, "clean") == [1, 5, 6, 7, 8]


def test_near_duplicates_by_similarity_within_a_block(tmp_path: Path) -> None:
    path = write_parquet(
        tmp_path / "p.parquet",
        [
            ("Nguyễn Văn An", "00001"),
            ("Nguyễn Văn Ann", "00001"),
            ("Nguyễn Văn Ann", "00004"),
            ("Trần Bình", "00001"),
        ],
        "full_name VARCHAR, commune_code VARCHAR",
    )
    rules = parse_rules(
        "names: [full_name]\nnear_duplicates: {block: [commune_code], similarity: 0.95}"
    )
    report = profile(path, rules, today=TODAY)
    assert report.rule("clean.similar_name.full_name").failed == 2
    page = failing_rows(path, rules, "clean.similar_name.full_name", today=TODAY)
    assert [r[0] for r in page.rows] == [1, 2]


def test_unified_checks_the_standard(people: Path) -> None:
    report = run(people)
    assert report.rule("unified.field.citizen_id").failed == 0
    assert report.rule("unified.field.commune_code").failed == 0
    ethnicity = report.rule("unified.field.ethnicity")
    assert ethnicity.failed == 1
    assert ethnicity.detail["problems"] == ["missing", "code_list_not_used"]
    assert report.rule("unified.code_list.commune_code").failed == 1
    assert rows_of(people, "unified") == [3]


def test_live_and_shared_come_from_the_facts(people: Path) -> None:
    fresh = run(people)
    assert fresh.dimensions["live"].score == 100.0
    late = run(
        people, last_update=dt.date(2026, 9, 7), publication=PublicationFacts(published=False)
    )
    assert late.rule("live.frequency").detail["days_overdue"] == 46
    assert late.dimensions["live"].score == 0.0
    assert late.dimensions["shared"].score == 0.0
    assert fresh.dimensions["shared"].score == 70.0
    unmeasured = run(
        people,
        publication=None,
        last_update=None,
        frequency=None,
        rules=RULES.replace("live: {frequency: monthly}", ""),
    )
    assert unmeasured.dimensions["shared"].score is None
    assert unmeasured.dimensions["live"].score is None


def test_overall_is_the_weighted_mean_of_the_dimensions(people: Path) -> None:
    report = run(people)
    scores = {d: r.score for d, r in report.dimensions.items()}
    assert report.overall == pytest.approx(
        sum(WEIGHTS[d] * s for d, s in scores.items()) / sum(WEIGHTS.values()), abs=1e-3
    )
    assert report.to_dict()["dimensions"]["accurate"]["failed"] == 3


def test_every_figure_equals_the_total_of_its_list(people: Path) -> None:
    report = run(people)
    rules = parse_rules(RULES)
    for dimension in report.dimensions.values():
        for rule in dimension.rules:
            if rule.kind == "facts":
                continue
            page = failing_rows(
                people,
                rules,
                rule.id,
                code_lists=CODE_LISTS,
                standards={"population": STANDARD},
                today=TODAY,
            )
            assert page.total == rule.failed, rule.id
        if dimension.dimension in ("accurate", "complete", "clean", "unified"):
            page = failing_rows(
                people,
                rules,
                dimension.dimension,
                code_lists=CODE_LISTS,
                standards={"population": STANDARD},
                today=TODAY,
            )
            assert page.total == dimension.failed, dimension.dimension


def test_failing_rows_are_paged(people: Path) -> None:
    page = failing_rows(
        people,
        parse_rules(RULES),
        "clean",
        code_lists=CODE_LISTS,
        standards={"population": STANDARD},
        today=TODAY,
        limit=2,
        offset=2,
    )
    assert [r[0] for r in page.rows] == [6, 7]
    assert page.total == 5
    assert page.columns[:2] == ("row", "citizen_id")


def test_dates_in_a_declared_format(tmp_path: Path) -> None:
    path = write_parquet(
        tmp_path / "d.parquet",
        [("31/01/2020",), ("30/02/2020",), ("2020-01-01",), (None,)],
        "d VARCHAR",
    )
    report = profile(
        path, parse_rules("fields: {d: {type: date, format: '%d/%m/%Y'}}"), today=TODAY
    )
    assert report.rule("accurate.type.d").failed == 2
    assert [
        r[0]
        for r in failing_rows(
            path,
            parse_rules("fields: {d: {type: date, format: '%d/%m/%Y'}}"),
            "accurate.type.d",
            today=TODAY,
        ).rows
    ] == [2, 3]


def test_rules_naming_missing_columns_lists_or_standards_are_refused(people: Path) -> None:
    rules = parse_rules(
        "key: [id]\nfields:\n  'x\"; DROP TABLE t; --': {type: string}\n  commune_code: {code_list: nowhere}\nstandard: other"
    )
    with pytest.raises(RuleError) as caught:
        profile(people, rules, today=TODAY)
    problems = {(p.rule, p.key) for p in caught.value.problems}
    assert problems == {
        ("fields.id", ""),
        ('fields.x"; DROP TABLE t; --', ""),
        ("code_list", "nowhere"),
        ("standard", "other"),
    }


def test_user_values_are_parameters_not_sql(tmp_path: Path) -> None:
    # A quote in a value, a pattern or a file name is data, never SQL.
    path = write_parquet(tmp_path / "it's.parquet", [("O'Brien",), ("x",)], "name VARCHAR")
    rules = parse_rules(
        'fields: {name: {type: string, allowed: ["O\'Brien"], pattern: "^[A-Z]\'.*$"}}'
    )
    report = profile(path, rules, today=TODAY)
    assert report.rule("accurate.values.name").failed == 1
    assert report.rule("accurate.pattern.name").failed == 1


def test_a_pattern_duckdb_cannot_compile_names_the_rule(people: Path) -> None:
    # Python accepts look-behind, DuckDB's RE2 does not: the error names the rule.
    rules = parse_rules("fields: {citizen_id: {pattern: '(?<=0)1'}}")
    with pytest.raises(RuleError) as caught:
        profile(people, rules, today=TODAY)
    assert (caught.value.problems[0].rule, caught.value.problems[0].key) == (
        "fields.citizen_id",
        "pattern",
    )


def test_typed_columns_and_unknown_targets(tmp_path: Path) -> None:
    path = write_parquet(
        tmp_path / "t.parquet",
        [(1, dt.date(2020, 1, 1), True), (-1, dt.date(1800, 1, 1), None)],
        "n BIGINT, d DATE, b BOOLEAN",
    )
    rules = parse_rules(
        "fields: {n: {type: integer, min: 0}, d: {type: date, min: 1900-01-01, required: true}, b: {type: boolean, required: true}}"
    )
    report = profile(path, rules, today=TODAY)
    assert [
        report.rule(r).failed
        for r in ("accurate.type.n", "accurate.min.n", "accurate.min.d", "complete.required.b")
    ] == [0, 1, 1, 1]
    with pytest.raises(KeyError):
        failing_rows(path, rules, "accurate.nothing", today=TODAY)
