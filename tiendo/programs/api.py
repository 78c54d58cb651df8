"""Programs, task groups, tasks, progress and evidence over HTTP.

Reads go through ``tiendo.programs.selectors`` with the caller's scope (records outside it are
404), writes through ``tiendo.programs.services``. Schemas and conversions live in
``tiendo.api.program_schemas`` and ``tiendo.api.program_io``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from ninja import File, Form, Query, Router, Status, UploadedFile

from tiendo.api import program_io as io
from tiendo.api import selectors as api_selectors
from tiendo.api.program_schemas import (
    AssignIn,
    ExtensionIn,
    ExtensionOut,
    GroupIn,
    GroupOut,
    HoldIn,
    HoldOut,
    ProgramIn,
    ProgramOut,
    ProgramPatch,
    ProgressIn,
    ProgressOut,
    TaskDetailOut,
    TaskIn,
    TaskListFilters,
    TaskOut,
    TaskPatch,
)
from tiendo.api.schemas import ERROR_STATUSES, ErrorOut, Id, Page, PageIn, page, responses
from tiendo.orgs.scope import Scope, scope_for

from . import selectors, services

router = Router()
logger = logging.getLogger(__name__)


def _caller(request: HttpRequest) -> tuple[Any, Scope]:
    user = request.auth_user  # type: ignore[attr-defined]
    return user, scope_for(user)


# Programs and groups -----------------------------------------------------------------------


@router.get("/programs", response=responses(Page[ProgramOut]), tags=["programs"])
def program_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    """Programs the caller can see."""
    _, scope = _caller(request)
    return page(selectors.program_list(scope), paging, lambda p: io.program_out(scope, p))


@router.get("/programs/{program_id}", response=responses(ProgramOut), tags=["programs"])
def program_detail(request: HttpRequest, program_id: Id) -> dict[str, Any]:
    """One program, with its legal basis and horizon."""
    _, scope = _caller(request)
    return io.program_out(scope, selectors.program_get(scope, program_id))


@router.post("/programs", response=responses(ProgramOut, 201), tags=["programs"])
def program_create(request: HttpRequest, payload: ProgramIn) -> Status:
    """Create a program (committee leaders, standing office, administrators)."""
    user, scope = _caller(request)
    fields = io.program_fields(scope, payload.model_dump())
    program = services.program_create(actor=user, **fields)
    return Status(201, io.program_out(scope, selectors.program_get(scope, program.pk)))


@router.patch("/programs/{program_id}", response=responses(ProgramOut), tags=["programs"])
def program_update(request: HttpRequest, program_id: Id, payload: ProgramPatch) -> dict[str, Any]:
    """Change a program; ``version`` must be the one read, or the answer is 409."""
    user, scope = _caller(request)
    program = selectors.program_get(scope, program_id)
    fields = io.program_fields(scope, payload.model_dump(exclude_unset=True, exclude={"version"}))
    services.program_update(actor=user, program=program, version=payload.version, **fields)
    return io.program_out(scope, selectors.program_get(scope, program.pk))


@router.get("/programs/{program_id}/groups", response=responses(list[GroupOut]), tags=["programs"])
def group_list(request: HttpRequest, program_id: Id) -> list[dict[str, Any]]:
    """The program's task groups as a flat list in tree order, each with its ``parent_id``."""
    _, scope = _caller(request)
    program = selectors.program_get(scope, program_id)
    return [io.group_out(g) for g in selectors.group_list(scope, program)]


@router.post("/programs/{program_id}/groups", response=responses(GroupOut, 201), tags=["programs"])
def group_create(request: HttpRequest, program_id: Id, payload: GroupIn) -> Status:
    """Add a task group, at the top or under ``parent``."""
    user, scope = _caller(request)
    program = selectors.program_get(scope, program_id)
    fields = io.group_fields(program, payload.model_dump())
    group = services.group_create(actor=user, program=program, **fields)
    return Status(201, io.group_out(group))


# Tasks -------------------------------------------------------------------------------------


@router.get("/tasks", response=responses(Page[TaskOut]), tags=["tasks"])
def task_list(
    request: HttpRequest, filters: Query[TaskListFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    """Visible tasks with the filters of the task page; ``count`` is the total of all pages."""
    _, scope = _caller(request)
    tasks, count = selectors.task_list_counted(
        scope,
        selectors.TaskFilters(**filters.model_dump()),
        upto=paging.offset + paging.limit,
    )
    return page(tasks.only(*io.TASK_OUT_COLUMNS), paging, io.task_out, count=count)


@router.get("/tasks/{task_id}", response=responses(TaskDetailOut), tags=["tasks"])
def task_detail(request: HttpRequest, task_id: Id) -> dict[str, Any]:
    _, scope = _caller(request)
    return io.task_detail_out(scope, selectors.task_get(scope, task_id))


@router.post("/tasks", response=responses(TaskDetailOut, 201), tags=["tasks"])
def task_create(request: HttpRequest, payload: TaskIn) -> Status:
    """Create a draft task, or with ``assign: true`` create and assign it (five clears needed)."""
    user, scope = _caller(request)
    data = payload.model_dump()
    program = io.visible_program(scope, data.pop("program"))
    assign = data.pop("assign")
    fields = io.task_fields(scope, program, data)
    task = services.task_create(actor=user, program=program, assign=assign, **fields)
    return Status(201, io.task_detail_out(scope, selectors.task_get(scope, task.pk)))


@router.patch("/tasks/{task_id}", response=responses(TaskDetailOut), tags=["tasks"])
def task_update(request: HttpRequest, task_id: Id, payload: TaskPatch) -> dict[str, Any]:
    """Change a task; ``version`` must be the one read, or the answer is 409."""
    user, scope = _caller(request)
    task = selectors.task_get(scope, task_id)
    data = payload.model_dump(exclude_unset=True, exclude={"version"})
    fields = io.task_fields(scope, task.program, data)
    services.task_update(actor=user, task=task, version=payload.version, **fields)
    return io.task_detail_out(scope, selectors.task_get(scope, task.pk))


@router.post("/tasks/{task_id}/assign", response=responses(TaskDetailOut), tags=["tasks"])
def task_assign(request: HttpRequest, task_id: Id, payload: AssignIn) -> dict[str, Any]:
    """Assign a draft whose five clears are complete."""
    user, scope = _caller(request)
    task = selectors.task_get(scope, task_id)
    services.task_assign(actor=user, task=task, version=payload.version)
    return io.task_detail_out(scope, selectors.task_get(scope, task.pk))


@router.post("/tasks/{task_id}/extensions", response=responses(ExtensionOut, 201), tags=["tasks"])
def task_extend(request: HttpRequest, task_id: Id, payload: ExtensionIn) -> Status:
    """Extend the deadline of an assigned task, with a reason; the original is kept."""
    user, scope = _caller(request)
    task = selectors.task_get(scope, task_id)
    data = io.deadline_fields(payload.model_dump(exclude={"version", "reason"}))
    extension = services.task_extend_deadline(
        actor=user,
        task=task,
        version=payload.version,
        deadline_kind=data.get("deadline_kind") or "",
        deadline=data.get("deadline"),
        reason=payload.reason,
    )
    return Status(201, io.extension_out(extension, task))


@router.post("/tasks/{task_id}/hold", response=responses(HoldOut, 201), tags=["tasks"])
def task_hold(request: HttpRequest, task_id: Id, payload: HoldIn) -> Status:
    """Pause, cancel or resume (``state: ""``) a task, with a reason."""
    user, scope = _caller(request)
    task = selectors.task_get(scope, task_id)
    change = services.task_set_hold(
        actor=user, task=task, version=payload.version, **payload.model_dump(exclude={"version"})
    )
    return Status(201, io.hold_out(change, task))


# Progress and evidence ---------------------------------------------------------------------


@router.get("/tasks/{task_id}/progress", response=responses(Page[ProgressOut]), tags=["progress"])
def progress_list(request: HttpRequest, task_id: Id, paging: Query[PageIn]) -> dict[str, Any]:
    """Progress history of a task, newest first."""
    _, scope = _caller(request)
    task = selectors.task_get(scope, task_id)
    return page(selectors.progress_history(task), paging, io.progress_out)


@router.post("/tasks/{task_id}/progress", response=responses(ProgressOut, 201), tags=["progress"])
def progress_create(request: HttpRequest, task_id: Id, payload: ProgressIn) -> Status:
    """Report progress as JSON (no files; see the ``/upload`` variant for evidence)."""
    user, scope = _caller(request)
    task = selectors.task_get(scope, task_id)
    update = services.progress_submit(actor=user, task=task, **payload.model_dump())
    return Status(201, io.progress_out(update))


@router.post(
    "/tasks/{task_id}/progress/upload", response=responses(ProgressOut, 201), tags=["progress"]
)
def progress_upload(
    request: HttpRequest,
    task_id: Id,
    form: Form[ProgressIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status:
    """Report progress as ``multipart/form-data`` with evidence files (checked by content)."""
    user, scope = _caller(request)
    task = selectors.task_get(scope, task_id)
    update = services.progress_submit(actor=user, task=task, files=files or [], **form.model_dump())
    return Status(201, io.progress_out(update))


@router.get(
    "/evidence/{evidence_id}",
    response=dict.fromkeys(ERROR_STATUSES, ErrorOut),
    url_name="evidence_download",
    tags=["progress"],
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as uploaded",
                # Served with the type it was uploaded with (PDF, image, Word, text...): any.
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def evidence_download(request: HttpRequest, evidence_id: Id) -> FileResponse:
    """Download an evidence file of a task the caller can see."""
    _, scope = _caller(request)
    evidence = api_selectors.evidence_get(scope, evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        # The record exists but its file is gone from storage: say so in the log, answer 404.
        logger.error("Evidence %s: file %s missing from storage", evidence.pk, evidence.file.name)
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
