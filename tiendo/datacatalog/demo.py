"""The data catalogue's part of ``tiendo demo``: the province's specialised databases.

``seed_catalogue()`` declares the eleven databases of ``demo_sources.DEMO_DATASETS`` for the
demo province's departments, generates each one's file (CSV, XLSX or Parquet) into a temporary
directory, uploads it through the catalogue's own service (``services.version_upload``: the
same streaming ingest, checks and quality measure as a user's upload), shares it, publishes it
to the warehouse (``services_warehouse.publication_create``) and links the province plan's
tasks that deliver a database to it. Idempotent: a dataset whose code exists is left alone.

Two databases follow the shipped population standard (``standards/dan_cu.yaml``), so the demo
shows the "unified" dimension: the population database (conforming fields; six rows carry the
code of a commune merged away in 2020, absent from the standard's administrative units list,
which the demo loads from the unit tree) and the personnel database (no commune field).

Two facts are set on the demo's clock rather than today's: the agricultural cooperatives were
last loaded on 15/03/2023 (the outdated database), so its version's ``created_at`` (and its
publication's ``published_at``) are moved back to that day and its quality measured again.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from tiendo.accounts.models import User
from tiendo.audit.services import audit_record
from tiendo.orgs.models import Unit, UnitKind
from tiendo.programs.models import Task

from .demo_sources import COMMUNE_LIST, DEMO_DATASETS, UNITS_LIST, DemoDataset, write_source
from .models import CodeList, CodeListItem, Dataset, DatasetStatus, Publication, VersionStatus
from .services import (
    FieldInput,
    codelist_from_units,
    dataset_access_grant,
    dataset_create,
    dataset_schema_set,
    quality_measure,
    version_upload,
)
from .services_warehouse import dataset_product_link, publication_create

PROVINCE_CODE = "tinh"
ACTOR = "quantri"
# Tasks of the province plan (``tiendo.demo.situation_province``) that deliver a database.
PRODUCTS = {
    "Xây dựng cơ sở dữ liệu đất đai tỉnh Thái An": "dat_dai",
    "Xây dựng cơ sở dữ liệu chuyên ngành giao thông vận tải": "tai_nan_giao_thong",
    "Xây dựng cơ sở dữ liệu ngành nông nghiệp (trồng trọt, chăn nuôi, thủy sản)": "htx_nong_nghiep",
    "Xây dựng cơ sở dữ liệu văn hóa, di sản, du lịch": "di_tich",
}


class CatalogueDemoError(Exception):
    """The demo province is missing, or a demo file did not ingest cleanly."""


@dataclass(frozen=True)
class CatalogueDemoResult:
    created: int
    versions: int
    publications: int
    seconds: float


def _actor() -> User:
    actor = User.objects.filter(username=ACTOR, is_superuser=True).first()
    if actor is None:
        raise CatalogueDemoError(f"the demo administrator {ACTOR!r} does not exist")
    return actor


def _steward(owner: str) -> User | None:
    for username in (f"canbo.{owner}", f"lanhdao.{owner}"):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is not None:
            return user
    return None


@transaction.atomic
def communes_code_list(*, actor: Any, province: Unit) -> CodeList:
    """The shared code list of the province's communes (coverage and conformance rules use it).

    The catalogue's ``codelist_from_units`` lists every unit of a subtree (departments too);
    coverage needs the communes alone, so the demo loads this list itself, audited the same way.
    """
    code_list, created = CodeList.objects.get_or_create(
        code=COMMUNE_LIST,
        defaults={
            "name": "Danh mục đơn vị hành chính cấp xã tỉnh Thái An",
            "description": "Mã xã, phường, thị trấn dùng chung cho mọi cơ sở dữ liệu của tỉnh.",
        },
    )
    if created:
        communes = Unit.objects.filter(
            path__startswith=province.path, kind=UnitKind.COMMUNE
        ).select_related("parent")
        CodeListItem.objects.bulk_create(
            CodeListItem(
                code_list=code_list,
                code=u.code,
                label=u.name,
                parent_code=u.parent.code if u.parent is not None else "",
            )
            for u in communes.order_by("path")
        )
        audit_record(
            actor=actor,
            action="codelist.load_units",
            obj=code_list,
            after={"root": province.pk, "kind": UnitKind.COMMUNE, "items": communes.count()},
        )
    return code_list


def seed_catalogue() -> CatalogueDemoResult:
    """Declare, load, share and publish the demo databases that do not exist yet."""
    started = time.monotonic()
    province = Unit.objects.filter(code=PROVINCE_CODE).first()
    if province is None:
        raise CatalogueDemoError("the demo province is not seeded (run tiendo demo first)")
    actor = _actor()
    communes_code_list(actor=actor, province=province)
    if not CodeList.objects.filter(code=UNITS_LIST).exists():
        # The shared standard's list, as ``manage.py datacatalog_unit_codes tinh`` loads it.
        codelist_from_units(
            actor=actor, code=UNITS_LIST, name="Đơn vị hành chính tỉnh Thái An", root=province
        )
    created = versions = publications = 0
    with tempfile.TemporaryDirectory(prefix="tiendo-catalogue-demo-") as folder:
        for spec in DEMO_DATASETS:
            if Dataset.objects.filter(code=spec.code).exists():
                continue
            dataset = _declare(actor, spec)
            created += 1
            if spec.planned:
                continue
            _load(actor, dataset, spec, Path(folder))
            versions += 1
            if spec.publish:
                publication_create(actor=actor, dataset=dataset, partition_by=spec.partition_by)
                publications += 1
            if spec.last_update is not None:
                _move_back(dataset, spec.last_update)
    _link_products(actor)
    return CatalogueDemoResult(created, versions, publications, time.monotonic() - started)


def _declare(actor: User, spec: DemoDataset) -> Dataset:
    owner = Unit.objects.get(code=spec.owner)
    dataset = dataset_create(
        actor=actor,
        owner_unit=owner,
        code=spec.code,
        name=spec.name,
        description=spec.description,
        legal_basis=spec.legal_basis,
        update_frequency=spec.frequency,
        status=DatasetStatus.PLANNED if spec.planned else DatasetStatus.BUILDING,
        rules_yaml=spec.rules_yaml,
        key_fields=spec.key_fields,
        steward=_steward(spec.owner),
    )
    if spec.fields:
        dataset_schema_set(
            actor=actor,
            dataset=dataset,
            version=None,
            fields=[
                FieldInput(
                    name=f.name,
                    type=f.type,
                    required=f.required,
                    label=f.label,
                    code_list=f.code_list,
                )
                for f in spec.fields
            ],
        )
    for code in spec.shared_with:
        dataset_access_grant(actor=actor, dataset=dataset, unit=Unit.objects.get(code=code))
    return dataset


def _load(actor: User, dataset: Dataset, spec: DemoDataset, folder: Path) -> None:
    path, _flaws = write_source(spec, folder)
    version = version_upload(actor=actor, dataset=dataset, name=path.name, path=path)
    if version.status != VersionStatus.CURRENT:
        raise CatalogueDemoError(
            f"the demo file {path.name} did not ingest: {version.errors[:3]}"  # a bug of the demo
        )
    path.unlink()


def _move_back(dataset: Dataset, day: dt.date) -> None:
    """The outdated database: its only load happened on ``day`` (the demo's clock)."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
    version = dataset.versions.get(status=VersionStatus.CURRENT)
    type(version).objects.filter(pk=version.pk).update(created_at=moment)
    Publication.objects.filter(version=version).update(published_at=moment)
    version.refresh_from_db()
    quality_measure(version=version)


def _link_products(actor: User) -> None:
    for title, code in PRODUCTS.items():
        task = Task.objects.filter(title=title).order_by("pk").first()
        dataset = Dataset.objects.filter(code=code).first()
        if task is not None and dataset is not None:
            dataset_product_link(actor=actor, task=task, dataset=dataset)
