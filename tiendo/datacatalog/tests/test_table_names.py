"""One warehouse table per dataset: ``dan-cu`` and ``dan_cu`` cannot both be declared.

The table name (``Dataset.table_name``) is stored and unique, so the refusal holds at
declaration (service, page, API), on a change of code, and under a race of two declarations.
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client

from tiendo.accounts.models import Role, TokenScope
from tiendo.accounts.services import api_token_create
from tiendo.audit.models import AuditEntry
from tiendo.programs.tests.factories import make_unit, make_user

from ..models import Dataset, Publication, warehouse_table_name
from ..services import dataset_create, dataset_update
from ..services_warehouse import publication_create
from .catalog_factories import make_dataset, upload, write_csv

pytestmark = pytest.mark.django_db

CSV = "so_dinh_danh,ho_ten,ngay_sinh,so_nhan_khau\n001090000001,An,1990-01-02,4\n"


@pytest.fixture
def world(settings, tmp_path: Path):
    settings.TIENDO_WAREHOUSE_DIR = tmp_path / "warehouse"
    province = make_unit("Tỉnh")
    police = make_unit("Công an tỉnh", parent=province)
    health = make_unit("Sở Y tế", parent=province)
    officer = make_user(unit=police, role=Role.UNIT_OFFICER)
    doctor = make_user(unit=health, role=Role.UNIT_OFFICER)
    return police, health, officer, doctor


@pytest.mark.parametrize(
    ("code", "table"),
    [("dan-cu", "dan_cu"), ("Dan_Cu", "dan_cu"), ("2024-ho", "t_2024_ho"), ("x", "x")],
)
def test_the_table_name_of_a_code(code: str, table: str) -> None:
    assert warehouse_table_name(code) == table


def test_a_second_code_for_the_same_table_is_refused_naming_the_dataset(world) -> None:
    # given the police's population dataset, code "dan-cu"
    police, _health, officer, _doctor = world
    first = make_dataset(actor=officer, owner=police, code="dan-cu", name="Dân cư tỉnh")
    assert first.table_name == "dan_cu"
    audits = AuditEntry.objects.count()
    # when the same officer declares "dan_cu" (or "Dan-Cu"): the same warehouse table
    for code in ("dan_cu", "Dan-Cu", "dan-cu"):
        with pytest.raises(ValidationError) as refused:
            dataset_create(actor=officer, owner_unit=police, code=code, name="Bản sao")
        # then it is refused, naming the dataset that holds the table (they may use it)
        message = refused.value.message_dict["code"][0]
        assert "“dan_cu”" in message
        assert "“Dân cư tỉnh” (code “dan-cu”)" in message
    # and nothing was written
    assert Dataset.objects.count() == 1
    assert AuditEntry.objects.count() == audits


def test_the_refusal_does_not_name_a_dataset_outside_the_users_reach(world) -> None:
    # given the police's dataset, which the health department may not use
    police, health, officer, doctor = world
    make_dataset(actor=officer, owner=police, code="dan-cu", name="Dân cư tỉnh")
    # when a health officer declares "dan_cu" for their own department
    with pytest.raises(ValidationError) as refused:
        dataset_create(actor=doctor, owner_unit=health, code="dan_cu", name="Dân cư y tế")
    # then the message says the table is taken, and nothing about whose it is
    message = refused.value.message_dict["code"][0]
    assert message == (
        "The code “dan_cu” gives the warehouse table “dan_cu”, which another dataset already "
        "uses: choose another code."
    )
    assert "Dân cư tỉnh" not in message
    assert "dan-cu" not in message


def test_a_code_too_long_for_a_table_is_refused_at_declaration(world) -> None:
    police, _health, officer, _doctor = world
    with pytest.raises(ValidationError, match="cannot name a warehouse table"):
        dataset_create(actor=officer, owner_unit=police, code="a" * 64, name="Dài")
    assert not Dataset.objects.exists()
    assert dataset_create(actor=officer, owner_unit=police, code="a" * 63, name="Vừa").pk


def test_changing_the_code(world, tmp_path: Path) -> None:
    police, _health, officer, _doctor = world
    dan_cu = make_dataset(actor=officer, owner=police, code="dan-cu", name="Dân cư")
    other = make_dataset(actor=officer, owner=police, code="ho-tich", name="Hộ tịch")
    # to the table of another dataset: refused, the record unchanged
    read = other.version
    with pytest.raises(ValidationError, match="table of the dataset “Dân cư”"):
        dataset_update(actor=officer, dataset=other, version=other.version, code="dan_cu")
    other.refresh_from_db()
    assert (other.code, other.table_name, other.version) == ("ho-tich", "ho_tich", read)
    # to a code of the same table ("dan-cu" -> "dan_cu"): allowed
    dataset_update(actor=officer, dataset=dan_cu, version=None, code="dan_cu")
    # once published, the code may no longer move the dataset to another table
    upload(officer, dan_cu, write_csv(tmp_path / "a.csv", CSV))
    publication_create(actor=officer, dataset=dan_cu)
    with pytest.raises(ValidationError, match="published in the warehouse as the table “dan_cu”"):
        dataset_update(actor=officer, dataset=dan_cu, version=None, code="dan-cu-2")
    dan_cu.refresh_from_db()
    assert (dan_cu.code, dan_cu.table_name) == ("dan_cu", "dan_cu")
    # an unpublished one may: its table follows the code
    dataset_update(actor=officer, dataset=other, version=None, code="ho-tich-2")
    other.refresh_from_db()
    assert other.table_name == "ho_tich_2"
    assert Publication.objects.get().table_name == "dan_cu"


def test_the_database_refuses_a_second_row_for_one_table(world) -> None:
    # the guarantee does not depend on the service's check: the column is unique
    police, _health, officer, _doctor = world
    make_dataset(actor=officer, owner=police, code="dan-cu")
    with pytest.raises(IntegrityError), transaction.atomic():
        Dataset.objects.create(
            code="dan_cu", name="x", owner_unit=police, owner_unit_path=police.path
        )


def test_the_page_shows_the_refusal_in_vietnamese(world) -> None:
    police, _health, officer, _doctor = world
    make_dataset(actor=officer, owner=police, code="dan-cu", name="Dân cư tỉnh")
    client = Client()
    client.force_login(officer)
    answer = client.post(
        "/data/new/",
        {
            "code": "dan_cu",
            "name": "Bản sao",
            "owner_unit": police.pk,
            "classification": 0,
            "update_frequency": "monthly",
            "status": "planned",
            "source_kind": "upload",
        },
        headers={"Accept-Language": "vi"},
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Mã “dan_cu” ứng với bảng “dan_cu” trong kho, là bảng của bộ dữ liệu" in page
    assert "“Dân cư tỉnh”" in page
    assert Dataset.objects.count() == 1


def _headers(user) -> dict[str, str]:
    _token, secret = api_token_create(user=user, name="t", scope=TokenScope.WRITE)
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


def test_the_api_declares_a_dataset_and_refuses_a_clash(world) -> None:
    police, health, officer, doctor = world
    client = Client()
    body = {"code": "dan-cu", "name": "Dân cư tỉnh", "owner_unit_id": police.pk}
    # given a declaration through the API
    created = client.post(
        "/api/v1/datasets", body, content_type="application/json", headers=_headers(officer)
    )
    assert created.status_code == 201, created.content
    assert created.json()["code"] == "dan-cu"
    assert created.json()["status"] == "planned"
    # when another code of the same table is declared: 422 naming the field and the dataset
    clash = client.post(
        "/api/v1/datasets",
        body | {"code": "dan_cu"},
        content_type="application/json",
        headers=_headers(officer),
    )
    assert clash.status_code == 422
    assert "“Dân cư tỉnh” (code “dan-cu”)" in clash.json()["errors"]["code"][0]
    # from outside the police's reach: 422, the dataset not named
    neutral = client.post(
        "/api/v1/datasets",
        {"code": "dan_cu", "name": "Y tế", "owner_unit_id": health.pk},
        content_type="application/json",
        headers=_headers(doctor),
    )
    assert neutral.status_code == 422
    assert "Dân cư tỉnh" not in neutral.content.decode()
    # a unit the caller may not pick is "no such record", and nothing is created
    elsewhere = make_unit("Tỉnh khác")
    foreign = client.post(
        "/api/v1/datasets",
        {"code": "khac", "name": "Khác", "owner_unit_id": elsewhere.pk},
        content_type="application/json",
        headers=_headers(officer),
    )
    assert foreign.status_code == 422
    assert "owner_unit_id" in foreign.json()["errors"]
    assert list(Dataset.objects.values_list("code", flat=True)) == ["dan-cu"]


def test_the_migration_settles_old_clashes(world) -> None:
    # given two datasets declared before the rule, "dan-cu" then "dan_cu", the second published
    police, _health, officer, _doctor = world
    first = make_dataset(actor=officer, owner=police, code="dan-cu")
    second = make_dataset(actor=officer, owner=police, code="old-placeholder")
    Dataset.objects.filter(pk=second.pk).update(code="dan_cu", table_name="tmp_2")
    Dataset.objects.filter(pk=first.pk).update(table_name="tmp_1")
    Publication.objects.create(
        dataset=second,
        version=second.versions.create(number=1, source_kind="upload"),
        table_name="dan_cu",
        path="dan_cu/version=1",
        row_count=0,
        file_count=0,
        checksum="0" * 64,
        source_kind="upload",
    )
    # when the data migration fills the table names
    fill = importlib.import_module("tiendo.datacatalog.migrations.0004_dataset_table_name_fill")
    fill.fill(apps, connection.schema_editor())
    # then the published one keeps its table; the other gets a name of its own
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.table_name == "dan_cu"
    assert first.table_name == f"dan_cu_{first.pk}"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "SQLite's test database is in memory with a shared cache, where a second writer fails "
        "at once ('database table is locked') instead of waiting as the file database does "
        "(BEGIN IMMEDIATE, 20 s timeout): the race is run on PostgreSQL"
    ),
)
@pytest.mark.django_db(transaction=True)
def test_two_declarations_racing_for_one_table(settings, tmp_path: Path) -> None:
    """The second declaration checks before the first has committed (so the check cannot see
    it); the unique column decides, and the loser gets the same clear refusal."""
    settings.TIENDO_WAREHOUSE_DIR = tmp_path / "warehouse"
    police = make_unit("Công an tỉnh")
    officer = make_user(unit=police, role=Role.UNIT_OFFICER)
    first_inserted = threading.Event()
    release = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                dataset_create(actor=officer, owner_unit=police, code="dan-cu", name="Thứ nhất")
                first_inserted.set()
                release.wait(10)  # hold the uncommitted row while the second one checks
            outcome["first"] = "created"
        except Exception as error:  # reported to the main thread
            outcome["first"] = error
            first_inserted.set()
        finally:
            connection.close()

    def second() -> None:
        try:
            dataset_create(actor=officer, owner_unit=police, code="dan_cu", name="Thứ hai")
            outcome["second"] = "created"
        except Exception as error:
            outcome["second"] = error
        finally:
            connection.close()

    a = threading.Thread(target=first)
    a.start()
    assert first_inserted.wait(10)
    b = threading.Thread(target=second)
    b.start()
    b.join(1.0)  # it checks (sees nothing committed), inserts, and waits on the unique index
    release.set()
    a.join(20)
    b.join(20)
    assert outcome["first"] == "created"
    refused = outcome["second"]
    assert isinstance(refused, ValidationError), refused
    assert "table of the dataset “Thứ nhất”" in refused.message_dict["code"][0]
    assert list(Dataset.objects.values_list("code", flat=True)) == ["dan-cu"]


@pytest.mark.parametrize("query", ["status=x%00", "q=dan%00cu"])
def test_a_nul_in_a_list_filter_is_refused_not_a_server_error(world, query: str) -> None:
    # PostgreSQL refuses NUL in a text parameter: the API answers 422 before any query
    _police, _health, officer, _doctor = world
    answer = Client().get(f"/api/v1/datasets?{query}", headers=_headers(officer))
    assert answer.status_code == 422
