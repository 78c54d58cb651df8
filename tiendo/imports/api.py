"""Plan import by API: upload, set the columns, answer the agency review, preview, confirm.

Authentication and the error format come from ``tiendo.api``; refused records answer 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from tiendo.orgs.scope import scope_for
from tiendo.programs import selectors as program_selectors

from . import selectors, services
from .export import XLSX_CONTENT_TYPE, program_export_xlsx, template_xlsx
from .parsing import HEAD_ROWS
from .planning import Plan

router = Router(tags=["imports"])


class ImportErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class ImportBatchOut(Schema):
    id: int
    program: int
    file_name: str
    status: str
    version: int
    sheet: str
    sheets: list[str]
    header_row: int | None
    headers: list[str]
    mapping: dict[str, int]


class ImportMappingIn(Schema):
    mapping: dict[str, int | None]
    header_row: int | None = None
    sheet: str | None = None
    version: int | None = None


class ImportResolveIn(Schema):
    resolutions: dict[str, list[int]]
    version: int | None = None


class ImportConfirmIn(Schema):
    leave_unresolved: bool = False
    version: int | None = Field(
        None,
        description="The batch version of the preview you checked (from the batch); when given, "
        "the confirm is refused with 409 if the batch changed since.",
    )


class ImportRowErrorOut(Schema):
    row: int
    column: str | None
    title: str
    message: str


class ImportUnitOut(Schema):
    id: int
    name: str
    parent: str | None


class ImportTaskRowOut(Schema):
    row: int
    action: str
    number: str
    title: str
    group: str | None
    lead_unit: int | None
    coordinating_units: list[int] | None
    deadline_kind: str | None
    deadline: dt.date | None
    product: str | None
    product_quantity: Decimal | None
    product_unit: str | None
    missing: list[str]
    changes: list[list[str]]
    notes: list[str]


class ImportPreviewOut(Schema):
    batch: int
    version: int
    counts: dict[str, int]
    errors: list[ImportRowErrorOut]
    unresolved: dict[str, list[ImportUnitOut]]
    notes: list[str]
    rows: list[ImportTaskRowOut]


class ImportResultOut(Schema):
    batch: int
    summary: dict[str, Any]


def _batch_out(batch: Any) -> ImportBatchOut:
    table = services.read_batch_table(batch, limit=max(HEAD_ROWS, batch.header_row or 0))
    header = next((cells for n, cells in table.rows if n == batch.header_row), [])
    return ImportBatchOut(
        id=batch.pk,
        program=batch.program_id,
        file_name=batch.original_name,
        status=batch.status,
        version=batch.version,
        sheet=batch.sheet,
        sheets=table.sheets,
        header_row=batch.header_row,
        headers=["" if c is None else str(c) for c in header],
        mapping={k: int(v) for k, v in batch.mapping.items()},
    )


def _preview_out(batch: Any, plan: Plan) -> ImportPreviewOut:
    from .parsing import column_letter

    return ImportPreviewOut(
        batch=batch.pk,
        version=batch.version,
        counts=plan.counts(),
        errors=[
            ImportRowErrorOut(
                row=e.row,
                column=None if e.column is None else column_letter(e.column),
                title=e.title,
                message=e.message,
            )
            for e in plan.errors
        ],
        unresolved={
            name: [
                ImportUnitOut(id=u.pk, name=u.name, parent=u.parent.name if u.parent else None)
                for u in units
            ]
            for name, units in plan.unresolved.items()
        },
        notes=plan.notes,
        rows=[
            ImportTaskRowOut(
                row=t.row,
                action=t.action,
                number=t.number,
                title=t.title,
                group=(f"{t.group.number}. {t.group.name}" if t.group.number else t.group.name)
                if t.group
                else None,
                lead_unit=t.lead.pk if t.lead else None,
                coordinating_units=None
                if t.coordinating is None
                else [u.pk for u in t.coordinating],
                deadline_kind=t.values.get("deadline_kind"),
                deadline=t.values.get("deadline"),
                product=t.values.get("product"),
                product_quantity=t.values.get("product_quantity"),
                product_unit=t.values.get("product_unit"),
                missing=t.missing,
                changes=[list(c) for c in t.changes],
                notes=t.notes,
            )
            for t in plan.tasks
        ],
    )


_ERRORS: dict[int, type[Schema]] = {
    401: ImportErrorOut,
    403: ImportErrorOut,
    404: ImportErrorOut,
    409: ImportErrorOut,
    422: ImportErrorOut,
}


@router.post(
    "/programs/{program_id}/imports",
    response={201: ImportBatchOut, **_ERRORS},
    summary="Upload an annex (XLSX, CSV or DOCX)",
)
def batch_upload(
    request: HttpRequest,
    program_id: int,
    file: File[UploadedFile],
    sheet: Form[str] = "",
) -> Status:
    program = selectors.program_for_import(request.auth, program_id)
    batch = services.batch_create(
        actor=request.auth,
        program=program,
        filename=file.name or "annex",
        content=file.read(),
        sheet=sheet,
    )
    return Status(201, _batch_out(batch))


@router.get("/imports/{batch_id}", response={200: ImportBatchOut, **_ERRORS})
def batch_detail(request: HttpRequest, batch_id: int) -> ImportBatchOut:
    return _batch_out(selectors.batch_get(request.auth, batch_id))


@router.put("/imports/{batch_id}/mapping", response={200: ImportBatchOut, **_ERRORS})
def batch_mapping(request: HttpRequest, batch_id: int, payload: ImportMappingIn) -> ImportBatchOut:
    batch = selectors.batch_get(request.auth, batch_id)
    services.batch_set_mapping(
        actor=request.auth,
        batch=batch,
        mapping=payload.mapping,
        header_row=payload.header_row,
        sheet=payload.sheet,
        version=payload.version,
    )
    return _batch_out(batch)


@router.put("/imports/{batch_id}/resolutions", response={200: ImportPreviewOut, **_ERRORS})
def batch_resolutions(
    request: HttpRequest, batch_id: int, payload: ImportResolveIn
) -> ImportPreviewOut:
    batch = selectors.batch_get(request.auth, batch_id)
    services.batch_resolve(
        actor=request.auth, batch=batch, resolutions=payload.resolutions, version=payload.version
    )
    return _preview_out(batch, services.batch_preview(actor=request.auth, batch=batch))


@router.get(
    "/imports/{batch_id}/preview",
    response={200: ImportPreviewOut, **_ERRORS},
    summary="Dry run: every row as it will be imported, with errors by row and column",
)
def batch_preview(request: HttpRequest, batch_id: int) -> ImportPreviewOut:
    batch = selectors.batch_get(request.auth, batch_id)
    return _preview_out(batch, services.batch_preview(actor=request.auth, batch=batch))


@router.post(
    "/imports/{batch_id}/confirm",
    response={200: ImportResultOut, **_ERRORS},
    summary="Import the previewed rows: all of them or none",
)
def batch_confirm(request: HttpRequest, batch_id: int, payload: ImportConfirmIn) -> ImportResultOut:
    batch = selectors.batch_get(request.auth, batch_id)
    result = services.batch_confirm(
        actor=request.auth,
        batch=batch,
        leave_unresolved=payload.leave_unresolved,
        version=payload.version,
    )
    return ImportResultOut(batch=batch.pk, summary=result.summary())


@router.get("/programs/{program_id}/export.xlsx", response={200: None, **_ERRORS})
def program_export(request: HttpRequest, program_id: int) -> HttpResponse:
    scope = scope_for(request.auth)
    program = program_selectors.program_get(scope, program_id)
    response = HttpResponse(program_export_xlsx(scope, program), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{program.code}.xlsx"'
    return response


@router.get("/import-template.xlsx", response={200: None, **_ERRORS})
def annex_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="tiendo-annex-template.xlsx"'
    return response
