"""Quality stored per version: the engine's six dimensions on an uploaded file, the declared
schema feeding the rules, the failing rows behind each figure from the same predicate."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tiendo.accounts.models import Role
from tiendo.programs.tests.factories import make_admin, make_unit, make_user

from ..models import CodeList, CodeListItem
from ..selectors import failing_rows, quality_by_dimension
from ..services import FieldInput, dataset_update
from .catalog_factories import make_dataset, upload, write_csv

pytestmark = pytest.mark.django_db

RULES = r"""
fields:
  so_dinh_danh: {pattern: '^\d{12}$'}
"""
CSV = (
    "so_dinh_danh,ho_ten,ma_xa\n"
    "001090000001,Nguyễn Văn An,X1\n"
    "00109000002,Trần Thị Bình,X2\n"  # 11 digits
    "001090000003,,X9\n"  # no name, unknown commune
)


def test_an_upload_is_measured_and_the_failing_rows_come_from_the_engine(tmp_path: Path) -> None:
    # given a dataset whose schema requires a name and uses the communes code list
    unit = make_unit("Công an tỉnh")
    officer = make_user(unit=unit, role=Role.UNIT_OFFICER)
    communes = CodeList.objects.create(code="xa", name="Xã")
    CodeListItem.objects.bulk_create(
        CodeListItem(code_list=communes, code=c, label=c) for c in ("X1", "X2", "X3")
    )
    dataset = make_dataset(
        actor=officer,
        owner=unit,
        fields=[
            FieldInput(name="so_dinh_danh", required=True),
            FieldInput(name="ho_ten", required=True),
            FieldInput(name="ma_xa", code_list="xa"),
        ],
        update_frequency="monthly",
    )
    dataset_update(actor=officer, dataset=dataset, version=None, rules_yaml=RULES)
    # when a file with flaws is uploaded
    version = upload(officer, dataset, write_csv(tmp_path / "dan_cu.csv", CSV))
    # then each rule is a figure of failing rows over checked rows
    figures = {m.rule: (m.failed, m.checked) for m in version.quality.all()}
    assert figures["accurate.pattern.so_dinh_danh"] == (1, 3)
    assert figures["complete.required.ho_ten"] == (1, 3)
    assert figures["accurate.code_list.ma_xa"] == (1, 3)
    dimensions = {d.dimension: d.score for d in quality_by_dimension(version)}
    assert dimensions["live"] == 100
    assert dimensions["accurate"] is not None
    assert dimensions["accurate"] < 100
    # and the failing rows are the exact rows behind the figure
    measure = version.quality.get(rule="accurate.pattern.so_dinh_danh")
    rows = failing_rows(version, measure)
    assert rows["total"] == 1
    assert rows["rows"] == [[2, "00109000002"]]
    # and the page shows them
    client = Client()
    client.force_login(officer)
    page = client.get(
        reverse("datacatalog:measure_rows", args=[dataset.code, version.number, measure.pk])
    )
    assert "00109000002" in page.text


def test_rules_naming_a_missing_field_are_noted_not_fatal(tmp_path: Path) -> None:
    unit = make_unit("Sở X")
    admin = make_admin()
    dataset = make_dataset(actor=admin, owner=unit, fields=[FieldInput(name="ma")])
    dataset_update(
        actor=admin,
        dataset=dataset,
        version=None,
        rules_yaml="fields:\n  khong_co: {required: true}\n",
    )
    version = upload(admin, dataset, write_csv(tmp_path / "x.csv", "ma\n1\n"))
    version.refresh_from_db()
    assert version.status == "current"
    assert "khong_co" in version.note
    assert not version.quality.exists()


def test_bad_rules_are_refused_with_the_rule_and_key() -> None:
    unit = make_unit("Sở Y")
    admin = make_admin()
    dataset = make_dataset(actor=admin, owner=unit)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        dataset_update(
            actor=admin, dataset=dataset, version=None, rules_yaml="fields:\n  a: {bogus: 1}\n"
        )
    assert "rules_yaml" in raised.value.message_dict


def test_changed_rules_measure_the_current_version_again(
    tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    # given a measured version without pattern rules
    unit = make_unit("Sở Z")
    admin = make_admin()
    dataset = make_dataset(actor=admin, owner=unit, fields=[FieldInput(name="so_dinh_danh")])
    version = upload(
        admin, dataset, write_csv(tmp_path / "x.csv", "so_dinh_danh\n1\n001090000001\n")
    )
    assert not version.quality.filter(rule="accurate.pattern.so_dinh_danh").exists()
    # when the steward adds a rule, a new measure is queued after commit
    from django_tasks_db.models import DBTaskResult

    from ..tasks import measure_current

    with django_capture_on_commit_callbacks(execute=True):
        dataset_update(actor=admin, dataset=dataset, version=None, rules_yaml=RULES)
    assert DBTaskResult.objects.filter(task_path__endswith="measure_current").count() == 1
    # and the job stores the new figure
    measure_current.call(dataset.pk)
    assert version.quality.get(rule="accurate.pattern.so_dinh_danh").failed == 1


STANDARD_CSV = (
    "so_dinh_danh,ho_ten,ma_xa\n"
    "001090000001,Nguyễn Văn An,00001\n"
    "001090000002,Trần Thị Bình,00002\n"
    "001090000003,Lê Văn Cường,99999\n"  # not an administrative unit code
)


def test_a_dataset_following_a_shared_standard_is_measured_on_the_unified_dimension(
    tmp_path: Path,
) -> None:
    # given the administrative units code list and a dataset declaring the population standard
    unit = make_unit("Công an tỉnh")
    officer = make_user(unit=unit, role=Role.UNIT_OFFICER)
    units = CodeList.objects.create(code="don-vi-hanh-chinh", name="Đơn vị hành chính")
    CodeListItem.objects.bulk_create(
        CodeListItem(code_list=units, code=c, label=c) for c in ("00001", "00002")
    )
    dataset = make_dataset(
        actor=officer,
        owner=unit,
        fields=[
            FieldInput(name="so_dinh_danh"),
            FieldInput(name="ho_ten"),
            FieldInput(name="ma_xa"),
        ],
    )
    dataset_update(actor=officer, dataset=dataset, version=None, rules_yaml="standard: dan_cu\n")
    # when a file without the standard's birth date, with one unknown commune code, is uploaded
    version = upload(officer, dataset, write_csv(tmp_path / "dan_cu.csv", STANDARD_CSV))
    # then the unified dimension is measured, and its failures are the standard's departures
    unified = {m.rule: (m.failed, m.checked) for m in version.quality.filter(dimension="unified")}
    assert unified, "a dataset following a standard is measured on the unified dimension"
    assert unified == {
        "unified.field.so_dinh_danh": (0, 1),
        "unified.field.ho_ten": (0, 1),
        "unified.field.ngay_sinh": (1, 1),  # the standard's field is missing from the file
        "unified.field.ma_xa": (1, 1),  # declared without the standard's code list
        "unified.code_list.ma_xa": (1, 3),  # one of three commune codes is not in the list
    }
    rows = failing_rows(version, version.quality.get(rule="unified.code_list.ma_xa"))
    assert rows["total"] == 1
    assert "99999" in rows["rows"][0]
    scores = {d.dimension: d.score for d in quality_by_dimension(version)}
    assert scores["unified"] is not None
    assert scores["unified"] < 100


def test_rules_naming_an_unknown_standard_are_refused_and_change_nothing() -> None:
    unit = make_unit("Sở Y tế")
    officer = make_user(unit=unit, role=Role.UNIT_OFFICER)
    dataset = make_dataset(actor=officer, owner=unit)
    with pytest.raises(ValidationError) as refused:
        dataset_update(actor=officer, dataset=dataset, version=None, rules_yaml="standard: nope\n")
    assert "nope" in str(refused.value)
    dataset.refresh_from_db()
    assert "nope" not in dataset.rules_yaml
