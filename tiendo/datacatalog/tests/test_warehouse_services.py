"""Publishing versions to the warehouse: files, lineage, audit, refusals, rollback."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tiendo.accounts.models import Role
from tiendo.audit.models import AuditEntry
from tiendo.core.errors import PermissionDeniedError
from tiendo.programs.tests.factories import make_program, make_task, make_unit, make_user

from ..models import Publication
from ..selectors_warehouse import current_publication, dataset_publications, publication_dir
from ..services import version_make_current
from ..services_warehouse import (
    dataset_product_link,
    dataset_product_unlink,
    publication_create,
    table_name,
)
from ..warehouse import parquet_scan, verify_version
from .catalog_factories import make_dataset, upload, write_csv

pytestmark = pytest.mark.django_db

HEADER = "so_dinh_danh,ho_ten,ngay_sinh,so_nhan_khau\n"


def rows(n: int, start: int = 1) -> str:
    return "".join(
        f"0010900{i:05d},Người {i},1990-01-02,{i % 5}\n" for i in range(start, start + n)
    )


@pytest.fixture
def world(settings, tmp_path: Path):
    settings.TIENDO_WAREHOUSE_DIR = tmp_path / "warehouse"
    province = make_unit("Tỉnh")
    dept = make_unit("Sở Tư pháp", parent=province)
    officer = make_user(unit=dept, role=Role.UNIT_OFFICER)
    return province, dept, officer


def test_publishing_writes_partitioned_parquet_and_records_lineage(world, tmp_path: Path) -> None:
    # given a dataset with a current version uploaded from a CSV file
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept, code="ho-tich")
    version = upload(officer, dataset, write_csv(tmp_path / "ho_tich.csv", HEADER + rows(50)))
    # when the steward's office publishes it, partitioned by the household size
    publication = publication_create(actor=officer, dataset=dataset, partition_by="so_nhan_khau")
    # then the warehouse holds one directory per value with every row, and the lineage says
    # which version, from which file, by whom, how many rows, with which checksum
    assert publication.table_name == "ho_tich"
    assert publication.path == f"ho_tich/version={version.number}"
    assert sorted(p.name for p in publication_dir(publication).iterdir()) == [
        "_manifest.json",
        *[f"so_nhan_khau={i}" for i in range(5)],
    ]
    assert publication.row_count == 50
    assert publication.file_count == 5
    assert publication.version == version
    assert publication.source_description == "ho_tich.csv"
    assert publication.published_by == officer
    assert verify_version(publication_dir(publication), publication.checksum)
    same = duckdb.connect().execute(
        f"SELECT count(*) FROM {parquet_scan(publication_dir(publication))} w "  # noqa: S608
        "JOIN read_parquet(?) v USING (so_dinh_danh, ho_ten, ngay_sinh, so_nhan_khau)",
        [str(version.parquet_file)],
    )
    assert same.fetchone() == (50,)
    entry = AuditEntry.objects.get(action="dataset.publish")
    assert entry.after["checksum"] == publication.checksum
    assert current_publication(dataset) == publication


def test_a_version_is_published_once(world, tmp_path: Path) -> None:
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    upload(officer, dataset, write_csv(tmp_path / "a.csv", HEADER + rows(3)))
    publication_create(actor=officer, dataset=dataset)
    with pytest.raises(ValidationError, match="already published"):
        publication_create(actor=officer, dataset=dataset)
    assert Publication.objects.count() == 1


def test_refusals_change_nothing(world, tmp_path: Path) -> None:
    province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    # no version yet
    with pytest.raises(ValidationError, match="no current version"):
        publication_create(actor=officer, dataset=dataset)
    upload(officer, dataset, write_csv(tmp_path / "a.csv", HEADER + rows(3)))
    # a partition field that is not declared
    with pytest.raises(ValidationError, match="not a field"):
        publication_create(actor=officer, dataset=dataset, partition_by="ma_xa")
    # someone of another department
    other = make_user(unit=make_unit("Sở Y tế", parent=province), role=Role.UNIT_OFFICER)
    with pytest.raises(PermissionDeniedError):
        publication_create(actor=other, dataset=dataset)
    assert Publication.objects.count() == 0
    assert not AuditEntry.objects.filter(action="dataset.publish").exists()


def test_a_failed_lineage_write_removes_the_files(world, tmp_path: Path, monkeypatch) -> None:
    # given the lineage row cannot be written (the database refuses it)
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept, code="dan-cu")
    upload(officer, dataset, write_csv(tmp_path / "a.csv", HEADER + rows(3)))

    def refuse(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Publication.objects, "create", refuse)
    with pytest.raises(RuntimeError):
        publication_create(actor=officer, dataset=dataset)
    # then no version directory is left in the warehouse
    assert list((tmp_path / "warehouse" / "dan_cu").iterdir()) == []


def test_rollback_changes_which_publication_is_current(world, tmp_path: Path) -> None:
    # given versions 1 and 2, both published
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    upload(officer, dataset, write_csv(tmp_path / "v1.csv", HEADER + rows(3)))
    first = publication_create(actor=officer, dataset=dataset)
    upload(officer, dataset, write_csv(tmp_path / "v2.csv", HEADER + rows(4)))
    second = publication_create(actor=officer, dataset=dataset)
    assert current_publication(dataset) == second
    # when the dataset is rolled back to version 1
    version_make_current(actor=officer, dataset=dataset, number=1, reason="v2 sai dữ liệu")
    # then version 1's files are the current published data again; lineage keeps both
    assert current_publication(dataset) == first
    assert list(dataset_publications(dataset)) == [second, first]
    assert verify_version(publication_dir(second), second.checksum)


@pytest.mark.parametrize(
    ("code", "name"), [("dan-cu", "dan_cu"), ("2024-ho", "t_2024_ho"), ("DatDai", "datdai")]
)
def test_table_names(code: str, name: str) -> None:
    assert table_name(code) == name


def test_a_task_names_the_dataset_it_delivers_on_its_page(world, tmp_path: Path) -> None:
    # given a task of the department and the dataset it builds
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept, name="Cơ sở dữ liệu hộ tịch")
    program = make_program(owner=dept)
    task = make_task(program=program, lead_unit=dept, assignee=officer, accountable_leader=officer)
    # when the steward links them (twice: the second changes nothing)
    dataset_product_link(actor=officer, task=task, dataset=dataset)
    dataset_product_link(actor=officer, task=task, dataset=dataset)
    # then the task page names the dataset, with a link to its page
    client = Client()
    client.force_login(officer)
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert f'<a href="/data/{dataset.code}/">Cơ sở dữ liệu hộ tịch</a>' in page
    assert AuditEntry.objects.filter(action="dataset.product_link").count() == 1
    # and once unlinked, the page no longer names it
    dataset_product_unlink(actor=officer, task=task, dataset=dataset)
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert f'<a href="/data/{dataset.code}/">' not in page
    # (the steward still sees the form to link it again)
    assert f'<option value="{dataset.code}">Cơ sở dữ liệu hộ tịch</option>' in page


def test_the_steward_links_and_unlinks_from_the_task_page(world, tmp_path: Path) -> None:
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept, name="Cơ sở dữ liệu đất đai")
    program = make_program(owner=dept)
    task = make_task(program=program, lead_unit=dept, assignee=officer, accountable_leader=officer)
    client = Client()
    client.force_login(officer)
    # when the steward chooses the dataset on the task page
    answer = client.post(f"/data/tasks/{task.pk}/datasets/", {"dataset": dataset.code})
    # then the task delivers it, and the page says so
    assert answer.status_code == 302
    assert answer["Location"] == f"/tasks/{task.pk}/#task-datasets"
    assert list(task.dataset_products.values_list("dataset__code", flat=True)) == [dataset.code]
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert f'<a href="/data/{dataset.code}/">Cơ sở dữ liệu đất đai</a>' in page
    # and unlinking removes it, audited both ways
    answer = client.post(f"/data/tasks/{task.pk}/datasets/{dataset.code}/unlink/")
    assert answer.status_code == 302
    assert not task.dataset_products.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"dataset.product_link", "dataset.product_unlink"} <= actions


def test_only_the_datasets_maintainers_link_and_only_tasks_in_scope(world, tmp_path: Path) -> None:
    province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept)
    program = make_program(owner=dept)
    task = make_task(program=program, lead_unit=dept, assignee=officer, accountable_leader=officer)
    # a viewer of the department sees the task and may use the dataset, but does not maintain it
    viewer = make_user(unit=dept, role=Role.VIEWER)
    client = Client()
    client.force_login(viewer)
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "task-dataset-choice" not in page
    answer = client.post(f"/data/tasks/{task.pk}/datasets/", {"dataset": dataset.code})
    assert answer.status_code == 403
    assert not task.dataset_products.exists()
    # an officer of another department neither sees the task nor the dataset: 404, nothing written
    other = make_user(unit=make_unit("Sở khác", parent=province), role=Role.UNIT_OFFICER)
    client.force_login(other)
    answer = client.post(f"/data/tasks/{task.pk}/datasets/", {"dataset": dataset.code})
    assert answer.status_code == 404
    assert not task.dataset_products.exists()


def test_files_no_publication_owns_are_never_overwritten(world, tmp_path: Path) -> None:
    # given a version directory left in the warehouse by a database restored from a backup
    _province, dept, officer = world
    dataset = make_dataset(actor=officer, owner=dept, code="dan-cu")
    upload(officer, dataset, write_csv(tmp_path / "a.csv", HEADER + rows(3)))
    orphan = tmp_path / "warehouse" / "dan_cu" / "version=1"
    orphan.mkdir(parents=True)
    (orphan / "data_0.parquet").write_bytes(b"old")
    # when the version is published
    publication = publication_create(actor=officer, dataset=dataset)
    # then it gets a directory of its own and the orphan is untouched
    assert publication.path.startswith("dan_cu/version=1-")
    assert publication.row_count == 3
    assert (orphan / "data_0.parquet").read_bytes() == b"old"
    assert verify_version(publication_dir(publication), publication.checksum)
