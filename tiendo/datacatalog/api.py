"""The data catalogue over HTTP: datasets, their versions and quality; declare a dataset;
upload a version.

Reads start from ``selectors.usable_datasets`` (a dataset outside it is 404); writes go through
``services`` (a write token and the right to declare or maintain the dataset). Ids sent in a
body (owner unit, steward) are looked up among those the caller may pick, as on the page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from tiendo.api.schemas import Id, Page, PageIn, page, responses, text
from tiendo.orgs.scope import scope_for
from tiendo.orgs.selectors import units_for
from tiendo.programs.forms import people_in

from . import selectors, services
from .ingest import error_text
from .models import (
    Dataset,
    DatasetStatus,
    DatasetVersion,
    QualityMeasure,
    UpdateFrequency,
    VersionStatus,
)
from .views import _on_disk

router = Router(tags=["data catalogue"])
Code = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
Number = Annotated[int, Field(ge=1, le=2**31 - 1)]


class CatalogFieldOut(Schema):
    name: str
    label: str
    type: str
    required: bool
    code_list: str | None


class CatalogVersionOut(Schema):
    number: int
    status: str
    created_at: dt.datetime
    source_kind: str
    source_description: str
    row_count: int | None
    checksum: str
    error_count: int
    errors: list[str]


class CatalogDatasetOut(Schema):
    code: str
    name: str
    description: str
    owner_unit: str
    owner_unit_id: int
    steward: str | None
    legal_basis: str
    classification: int
    update_frequency: str
    status: str
    source_kind: str
    key_fields: list[str]
    version: int
    current_version: int | None
    current_rows: int | None


class CatalogDatasetDetailOut(CatalogDatasetOut):
    fields: list[CatalogFieldOut]
    shared_with: list[str]


class CatalogMeasureOut(Schema):
    dimension: str
    rule: str
    description: str
    checked: int
    failed: int
    score: Decimal | None


class CatalogQualityOut(Schema):
    version: int
    dimensions: dict[str, Decimal | None]
    measures: list[CatalogMeasureOut]


class CatalogDatasetIn(Schema):
    """A dataset to declare. Pulls (source and schedule) are set on the dataset's page."""

    code: Code
    name: text(255)  # type: ignore[valid-type]
    owner_unit_id: Id
    description: text(10_000) = ""  # type: ignore[valid-type]
    steward_id: Id | None = None
    legal_basis: text(10_000) = ""  # type: ignore[valid-type]
    classification: int | None = Field(None, ge=0, le=32767)
    update_frequency: UpdateFrequency = UpdateFrequency.AD_HOC
    status: DatasetStatus = DatasetStatus.PLANNED
    key_fields: text(255) = ""  # type: ignore[valid-type]
    rules_yaml: text(100_000) = ""  # type: ignore[valid-type]


class CatalogFilters(Schema):
    # Without NUL: PostgreSQL refuses it in a query parameter (a 500 found by the API fuzz test).
    q: text(200) = ""  # type: ignore[valid-type]
    status: text(20) = ""  # type: ignore[valid-type]


def _dataset_out(d: Dataset, current: DatasetVersion | None = None) -> dict[str, Any]:
    current_number = getattr(d, "current_number", None)
    current_rows = getattr(d, "current_rows", None)
    if current is not None:
        current_number, current_rows = current.number, current.row_count
    return {
        "code": d.code,
        "name": d.name,
        "description": d.description,
        "owner_unit": d.owner_unit.name,
        "owner_unit_id": d.owner_unit_id,
        "steward": str(d.steward) if d.steward_id else None,
        "legal_basis": d.legal_basis,
        "classification": d.classification,
        "update_frequency": d.update_frequency,
        "status": d.status,
        "source_kind": d.source_kind,
        "key_fields": d.key_field_list,
        "version": d.version,
        "current_version": current_number,
        "current_rows": current_rows,
    }


def _version_out(v: DatasetVersion) -> dict[str, Any]:
    return {
        "number": v.number,
        "status": v.status,
        "created_at": v.created_at,
        "source_kind": v.source_kind,
        "source_description": v.source_description,
        "row_count": v.row_count,
        "checksum": v.checksum,
        "error_count": v.error_count,
        "errors": [error_text(e) for e in v.errors],
    }


def _measure_out(m: QualityMeasure) -> dict[str, Any]:
    return {
        "dimension": m.dimension,
        "rule": m.rule,
        "description": m.description,
        "checked": m.checked,
        "failed": m.failed,
        "score": m.score,
    }


@router.get("/datasets", response=responses(Page[CatalogDatasetOut]))
def dataset_list(
    request: HttpRequest, filters: Query[CatalogFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    """Datasets the caller may use, searchable by name, description, owner and field names."""
    rows = selectors.catalogue_list(
        request.auth_user,  # type: ignore[attr-defined]
        selectors.CatalogueFilters(q=filters.q, status=filters.status),
    )
    return page(rows, paging, _dataset_out)


def _unknown(field: str) -> ValidationError:
    return ValidationError({field: _("No such record, or it is outside your reach.")})


@router.post("/datasets", response=responses(CatalogDatasetOut, 201))
def dataset_create(request: HttpRequest, payload: CatalogDatasetIn) -> Status:
    """Declare a dataset of one of the caller's units. A code that gives the warehouse table of
    another dataset (``dan-cu`` and ``dan_cu``) is refused with 422, like any invalid field."""
    user = request.auth_user  # type: ignore[attr-defined]
    units = units_for(scope_for(user))
    owner = units.filter(pk=payload.owner_unit_id).first()
    if owner is None:
        raise _unknown("owner_unit_id")
    fields = payload.model_dump(exclude={"owner_unit_id", "steward_id", "classification"})
    if payload.steward_id is not None:
        fields["steward"] = people_in(units).filter(pk=payload.steward_id).first()
        if fields["steward"] is None:
            raise _unknown("steward_id")
    if payload.classification is not None:
        fields["classification"] = payload.classification
    dataset = services.dataset_create(actor=user, owner_unit=owner, **fields)
    return Status(201, _dataset_out(selectors.dataset_get(user, dataset.code)))


@router.get("/datasets/{dataset_code}", response=responses(CatalogDatasetDetailOut))
def dataset_detail(request: HttpRequest, dataset_code: Code) -> dict[str, Any]:
    """One dataset: what it is, who owns it, its fields and who may use it."""
    dataset = selectors.dataset_get(request.auth_user, dataset_code)  # type: ignore[attr-defined]
    out = _dataset_out(dataset, selectors.current_version(dataset))
    out["fields"] = [
        {
            "name": f.name,
            "label": f.label,
            "type": f.type,
            "required": f.required,
            "code_list": f.code_list.code if f.code_list_id else None,  # type: ignore[union-attr]
        }
        for f in selectors.dataset_fields(dataset)
    ]
    out["shared_with"] = [a.unit.name for a in selectors.dataset_access_list(dataset)]
    return out


@router.get("/datasets/{dataset_code}/versions", response=responses(list[CatalogVersionOut]))
def version_list(request: HttpRequest, dataset_code: Code) -> list[dict[str, Any]]:
    """Every version, newest first: row counts over time, failed uploads with their errors."""
    dataset = selectors.dataset_get(request.auth_user, dataset_code)  # type: ignore[attr-defined]
    return [_version_out(v) for v in selectors.dataset_versions(dataset)]


@router.get(
    "/datasets/{dataset_code}/versions/{number}/quality", response=responses(CatalogQualityOut)
)
def version_quality(request: HttpRequest, dataset_code: Code, number: Number) -> dict[str, Any]:
    """The quality of one version: a score per dimension and every measured rule."""
    dataset = selectors.dataset_get(request.auth_user, dataset_code)  # type: ignore[attr-defined]
    version = selectors.version_get(dataset, number)
    return {
        "version": version.number,
        "dimensions": {d.dimension: d.score for d in selectors.quality_by_dimension(version)},
        "measures": [_measure_out(m) for m in version.quality.order_by("dimension", "rule")],
    }


@router.post("/datasets/{dataset_code}/versions", response=responses(CatalogVersionOut, 201))
def version_upload(request: HttpRequest, dataset_code: Code, file: File[UploadedFile]) -> Status:
    """Upload a new version (CSV, XLSX or Parquet, ``multipart/form-data``). A file with errors
    is refused with 422 listing them by row and column; the current version stays."""
    user = request.auth_user  # type: ignore[attr-defined]
    dataset = selectors.dataset_get(user, dataset_code)
    with _on_disk(file) as path:
        version = services.version_upload(
            actor=user, dataset=dataset, name=file.name or "upload", path=path
        )
    if version.status == VersionStatus.FAILED:
        raise ValidationError({"file": [error_text(e) for e in version.errors]})
    return Status(201, _version_out(version))
