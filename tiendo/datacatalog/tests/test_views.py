"""Catalogue pages through the real HTTP path: list, search, scoping, dataset page, upload,
rollback, edit with a stale version, sharing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tiendo.accounts.models import Role
from tiendo.core.models import Classification
from tiendo.programs.tests.factories import make_unit, make_user

from ..models import Dataset, DatasetAccess, VersionStatus
from ..selectors import usable_datasets
from ..services import MeasureInput, quality_store
from .catalog_factories import make_dataset, upload, write_csv

pytestmark = pytest.mark.django_db

GOOD = "so_dinh_danh,ho_ten,ngay_sinh,so_nhan_khau\n001,An,1990-01-02,4\n002,Bình,,3\n"


@pytest.fixture
def world():
    province = make_unit("Tỉnh")
    health = make_unit("Sở Y tế", parent=province)
    hospital = make_unit("Bệnh viện", parent=health)
    education = make_unit("Sở Giáo dục", parent=province)
    officer = make_user("officer", unit=health, role=Role.UNIT_OFFICER)
    doctor = make_user("doctor", unit=health, role=Role.VIEWER)
    nurse = make_user("nurse", unit=hospital, role=Role.UNIT_OFFICER)
    teacher = make_user("teacher", unit=education, role=Role.UNIT_OFFICER)
    dataset = make_dataset(
        actor=officer, owner=health, name="Cơ sở y tế", description="Bệnh viện, trạm y tế"
    )
    return {
        "province": province,
        "health": health,
        "education": education,
        "officer": officer,
        "doctor": doctor,
        "nurse": nurse,
        "teacher": teacher,
        "dataset": dataset,
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_scope_owner_subtree_shared_units_and_clearance(world) -> None:
    dataset = world["dataset"]
    # the owner unit sees it; a unit below it or another department does not (as with tasks)
    assert list(usable_datasets(world["doctor"])) == [dataset]
    assert list(usable_datasets(world["nurse"])) == []
    assert list(usable_datasets(world["teacher"])) == []
    # shared with the province: every unit below it may use it
    DatasetAccess.objects.create(dataset=dataset, unit=world["province"])
    assert list(usable_datasets(world["teacher"])) == [dataset]
    assert list(usable_datasets(world["nurse"])) == [dataset]
    # classified above the user's clearance: hidden again
    Dataset.objects.filter(pk=dataset.pk).update(classification=Classification.SECRET)
    assert list(usable_datasets(world["teacher"])) == []
    assert list(usable_datasets(world["officer"])) == []


def test_catalogue_lists_and_searches_by_field_name(world) -> None:
    client = _client(world["doctor"])
    response = client.get(reverse("datacatalog:catalogue"))
    assert response.status_code == 200
    assert "Cơ sở y tế" in response.text
    assert "Cơ sở y tế" in client.get(reverse("datacatalog:catalogue"), {"q": "ngay_sinh"}).text
    assert "Cơ sở y tế" not in client.get(reverse("datacatalog:catalogue"), {"q": "zzz"}).text
    partial = client.get(reverse("datacatalog:catalogue"), {"q": "y tế"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.text
    assert "Cơ sở y tế" in partial.text


def test_another_unit_gets_404_on_the_dataset_page(world) -> None:
    url = world["dataset"].get_absolute_url()
    assert _client(world["teacher"]).get(url).status_code == 404
    assert _client(world["doctor"]).get(url).status_code == 200


def test_catalogue_query_count_does_not_grow(world, django_assert_max_num_queries) -> None:
    for _n in range(5):
        make_dataset(actor=world["officer"], owner=world["health"])
    client = _client(world["officer"])
    client.get(reverse("datacatalog:catalogue"))
    with django_assert_max_num_queries(12):
        client.get(reverse("datacatalog:catalogue"))


def test_upload_then_see_the_version_and_its_quality(world) -> None:
    dataset = world["dataset"]
    client = _client(world["officer"])
    url = reverse("datacatalog:version_upload", args=[dataset.code])
    response = client.post(url, {"file": SimpleUploadedFile("dan_cu.csv", GOOD.encode())})
    assert response.status_code == 302
    version = dataset.versions.get()
    assert version.status == VersionStatus.CURRENT
    quality_store(
        version=version,
        measures=[
            MeasureInput(
                dimension="complete",
                rule="ngay_sinh required",
                checked=2,
                failed=1,
                sample=({"so_dinh_danh": "002", "ngay_sinh": None},),
            )
        ],
    )
    page = client.get(dataset.get_absolute_url())
    assert page.status_code == 200
    assert "v1" in page.text
    assert "50.00" in page.text
    measure = version.quality.get()
    rows = client.get(
        reverse("datacatalog:measure_rows", args=[dataset.code, version.number, measure.pk])
    )
    assert rows.status_code == 200
    assert "002" in rows.text


def test_a_malformed_upload_shows_row_and_column_and_keeps_the_data(world, tmp_path: Path) -> None:
    dataset = world["dataset"]
    upload(world["officer"], dataset, write_csv(tmp_path / "v1.csv", GOOD))
    client = _client(world["officer"])
    bad = "so_dinh_danh,ho_ten,ngay_sinh,so_nhan_khau\n003,C,hôm qua,1\n"
    response = client.post(
        reverse("datacatalog:version_upload", args=[dataset.code]),
        {"file": SimpleUploadedFile("v2.csv", bad.encode())},
        follow=True,
    )
    assert "Row 2, column C (ngay_sinh)" in response.text
    assert dataset.versions.get(number=1).status == VersionStatus.CURRENT


def test_a_viewer_cannot_upload(world) -> None:
    dataset = world["dataset"]
    response = _client(world["doctor"]).post(
        reverse("datacatalog:version_upload", args=[dataset.code]),
        {"file": SimpleUploadedFile("v.csv", GOOD.encode())},
    )
    assert response.status_code == 403
    assert not dataset.versions.exists()


def test_rollback_through_the_page(world, tmp_path: Path) -> None:
    dataset = world["dataset"]
    upload(world["officer"], dataset, write_csv(tmp_path / "v1.csv", GOOD))
    upload(world["officer"], dataset, write_csv(tmp_path / "v2.csv", GOOD))
    client = _client(world["officer"])
    url = reverse("datacatalog:version_rollback", args=[dataset.code])
    assert client.post(url, {"number": 1, "reason": ""}).status_code == 400
    assert client.post(url, {"number": 1, "reason": "v2 wrong"}).status_code == 302
    assert dataset.versions.get(number=1).status == VersionStatus.CURRENT


def test_edit_with_a_stale_version_is_refused(world) -> None:
    dataset = world["dataset"]
    client = _client(world["officer"])
    url = reverse("datacatalog:dataset_edit", args=[dataset.code])
    form = client.get(url).context["form"].initial
    data = {k: ("" if v is None else v) for k, v in form.items()}
    data["name"] = "Cơ sở y tế (mới)"
    assert client.post(url, data).status_code == 302
    data["name"] = "Lost update"
    response = client.post(url, data)
    assert response.status_code == 409
    dataset.refresh_from_db()
    assert dataset.name == "Cơ sở y tế (mới)"


def test_declare_then_fields(world) -> None:
    client = _client(world["officer"])
    response = client.post(
        reverse("datacatalog:dataset_create"),
        {
            "code": "truong-hoc",
            "name": "Trường học",
            "owner_unit": world["health"].pk,
            "classification": 0,
            "update_frequency": "yearly",
            "status": "planned",
            "source_kind": "upload",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    url = reverse("datacatalog:dataset_schema", args=["truong-hoc"])
    bad = client.post(url, {"schema": "ma | text\nma | number", "version": 1})
    assert bad.status_code == 400
    assert "declared twice" in bad.text
    ok = client.post(url, {"schema": "ma | text | required\nso_hoc_sinh | integer", "version": 1})
    assert ok.status_code == 302
    assert list(Dataset.objects.get(code="truong-hoc").fields.values_list("name", flat=True)) == [
        "ma",
        "so_hoc_sinh",
    ]


def test_share_and_unshare(world) -> None:
    dataset = world["dataset"]
    client = _client(world["officer"])
    client.post(
        reverse("datacatalog:access_grant", args=[dataset.code]),
        {"unit": world["education"].pk},
    )
    assert list(usable_datasets(world["teacher"])) == [dataset]
    client.post(reverse("datacatalog:access_revoke", args=[dataset.code, world["education"].pk]))
    assert list(usable_datasets(world["teacher"])) == []


def test_publish_to_the_warehouse_from_the_page(world, tmp_path: Path) -> None:
    # given a current version
    dataset = world["dataset"]
    upload(world["officer"], dataset, write_csv(tmp_path / "v1.csv", GOOD))
    client = _client(world["officer"])
    page = client.get(dataset.get_absolute_url())
    assert "Publish version 1 to the warehouse" in page.text
    # when the steward publishes it
    url = reverse("datacatalog:version_publish", args=[dataset.code])
    assert _client(world["doctor"]).post(url).status_code == 403
    response = client.post(url, follow=True)
    # then its lineage is on the page and the button is gone
    assert "is published to the warehouse" in response.text
    publication = dataset.publications.get()
    assert publication.version.number == 1
    assert publication.row_count == 2
    assert "Publish version 1 to the warehouse" not in response.text


def test_dataset_page_query_count_does_not_grow_with_versions(world, tmp_path: Path) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dataset = world["dataset"]
    client = _client(world["officer"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(dataset.get_absolute_url()).status_code == 200
        return len(queries)

    upload(world["officer"], dataset, write_csv(tmp_path / "v1.csv", GOOD))
    with_one = count()
    for n in range(2, 5):
        upload(world["officer"], dataset, write_csv(tmp_path / f"v{n}.csv", GOOD))
    assert count() == with_one


def test_the_warehouse_partition_field_is_set_on_the_edit_page(world) -> None:
    dataset = world["dataset"]
    client = _client(world["officer"])
    url = reverse("datacatalog:dataset_edit", args=[dataset.code])
    data = {k: ("" if v is None else v) for k, v in client.get(url).context["form"].initial.items()}
    bad = client.post(url, {**data, "partition_field": "ma xa; DROP"})
    assert bad.status_code == 400
    dataset.refresh_from_db()
    assert dataset.partition_field == ""
    assert client.post(url, {**data, "partition_field": "ma_xa"}).status_code == 302
    dataset.refresh_from_db()
    assert dataset.partition_field == "ma_xa"
