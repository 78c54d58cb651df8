"""The SQL console page through the real HTTP path: tables by scope, pages, refusals, language."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tiendo.accounts.models import Role
from tiendo.programs.tests.factories import make_unit, make_user

from ..services import dataset_access_grant
from ..services_warehouse import publication_create
from .catalog_factories import make_dataset, upload, write_csv

pytestmark = pytest.mark.django_db

URL = "/data/warehouse/console/"
HEADER = "so_dinh_danh,ho_ten,ngay_sinh,so_nhan_khau\n"


@pytest.fixture
def world(settings, tmp_path: Path):
    settings.TIENDO_WAREHOUSE_DIR = tmp_path / "warehouse"
    province = make_unit("Tỉnh")
    health = make_unit("Sở Y tế", parent=province)
    police = make_unit("Công an tỉnh", parent=province)
    health_officer = make_user(unit=health, role=Role.UNIT_OFFICER)
    police_officer = make_user(unit=police, role=Role.UNIT_OFFICER)
    facilities = make_dataset(actor=health_officer, owner=health, code="co-so-y-te")
    body = "".join(f"0010900{i:05d},Cơ sở {i},1990-01-02,{i % 3}\n" for i in range(250))
    upload(health_officer, facilities, write_csv(tmp_path / "yte.csv", HEADER + body))
    publication_create(actor=health_officer, dataset=facilities)
    residents = make_dataset(actor=police_officer, owner=police, code="dan-cu")
    upload(police_officer, residents, write_csv(tmp_path / "dc.csv", HEADER + "001,Bí mật,,1\n"))
    publication_create(actor=police_officer, dataset=residents)
    return {"health": health_officer, "police": police_officer, "residents": residents}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_lists_only_the_tables_the_user_may_use(world) -> None:
    page = client_for(world["health"]).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<code>co_so_y_te</code>" in text
    assert "dan_cu" not in text


def test_a_query_returns_its_first_page_and_the_next(world) -> None:
    client = client_for(world["health"])
    sql = "SELECT so_dinh_danh FROM co_so_y_te ORDER BY so_dinh_danh"
    first = client.post(URL, {"sql": sql, "page": "1"})
    assert first.status_code == 200
    assert first.content.decode().count("<tr><td>") == 100
    third = client.post(URL, {"sql": sql, "page": "3"}).content.decode()
    assert third.count("<tr><td>") == 50
    assert "001090000249" in third
    assert "Next page" not in third


def test_another_units_dataset_is_an_unknown_table(world) -> None:
    answer = client_for(world["health"]).post(URL, {"sql": "SELECT * FROM dan_cu"})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Unknown table" in text
    assert "Bí mật" not in text


def test_sharing_a_dataset_makes_its_table_available(world) -> None:
    dataset_access_grant(
        actor=world["police"],
        dataset=world["residents"],
        unit=world["health"].memberships.get().unit,
    )
    answer = client_for(world["health"]).post(URL, {"sql": "SELECT ho_ten FROM dan_cu"})
    assert answer.status_code == 200
    assert "Bí mật" in answer.content.decode()


def test_writes_and_files_are_refused_in_vietnamese(world) -> None:
    client = client_for(world["health"])
    client.cookies["django_language"] = "vi"
    for sql in ("DROP VIEW co_so_y_te", "SELECT * FROM read_csv('/etc/passwd')"):
        answer = client.post(URL, {"sql": sql}, HTTP_ACCEPT_LANGUAGE="vi")
        assert answer.status_code == 400
        text = answer.content.decode()
        assert "Only SELECT" not in text
        assert "out of reach" not in text
        assert "root:" not in text


def test_anonymous_is_sent_to_sign_in(world) -> None:
    assert Client().get(URL).status_code == 302
