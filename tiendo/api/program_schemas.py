"""Input and output schemas of programs, task groups, tasks and progress.

Inputs list only what a caller may set: ``assigned_at``, ``completed_on``, progress facts,
``hold_state`` and version bumps are not there, and unknown fields are ignored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tiendo.core.deadlines import DeadlineKind
from tiendo.core.models import Classification
from tiendo.programs.models import HoldState, ProgramKind, TaskKind
from tiendo.programs.status import TaskStatus

from .schemas import Id, NoNul, Ref, Text

Str20 = Annotated[str, Field(max_length=20), NoNul]
Str50 = Annotated[str, Field(max_length=50), NoNul]
Str100 = Annotated[str, Field(max_length=100), NoNul]
Str200 = Annotated[str, Field(max_length=200), NoNul]
Str255 = Annotated[str, Field(max_length=255), NoNul]
Str500 = Annotated[str, Field(max_length=500), NoNul]
Str1000 = Annotated[str, Field(max_length=1000), NoNul]
Year = Annotated[int, Field(ge=1900, le=2200)]
Quantity = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Position = Annotated[int, Field(ge=0, le=2**31 - 1)]

# Programs ----------------------------------------------------------------------------------


class ProgramIn(Schema):
    code: Str50 = Field(pattern=r"^[-a-zA-Z0-9_]+$")
    name: Str500
    kind: ProgramKind = ProgramKind.PLAN
    description: Text = ""
    owner_unit: Id
    standing_office: Id | None = None
    decision_number: Str100 = ""
    decision_date: dt.date | None = None
    issuer: Str255 = ""
    start_year: Year | None = None
    end_year: Year | None = None
    vision_year: Year | None = None
    classification: Classification = Classification.PUBLIC


class ProgramPatch(Schema):
    version: Version
    code: Str50 | None = Field(None, pattern=r"^[-a-zA-Z0-9_]+$")
    name: Str500 | None = None
    kind: ProgramKind | None = None
    description: Text | None = None
    owner_unit: Id | None = None
    standing_office: Id | None = None
    decision_number: Str100 | None = None
    decision_date: dt.date | None = None
    issuer: Str255 | None = None
    start_year: Year | None = None
    end_year: Year | None = None
    vision_year: Year | None = None
    classification: Classification | None = None


class ProgramOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    description: str
    owner_unit: Ref
    standing_office: Ref | None
    decision_number: str
    decision_date: dt.date | None
    issuer: str
    legal_basis: str
    start_year: int | None
    end_year: int | None
    vision_year: int | None
    classification: int
    version: int
    can_manage: bool


class GroupIn(Schema):
    name: Str500
    number: Str20 = ""
    parent: Id | None = None
    position: Position = 0


class GroupOut(Schema):
    id: int
    program_id: int
    parent_id: int | None
    number: str
    name: str
    position: int
    depth: int


# Tasks -------------------------------------------------------------------------------------


class DeadlineFields(Schema):
    """Either ``deadline_text`` as officials write it ("Quý II/2024") or kind plus date."""

    deadline_text: Str100 | None = None
    deadline_kind: DeadlineKind | None = None
    deadline: dt.date | None = None


class TaskFields(DeadlineFields):
    group: Id | None = None
    number: Str20 = ""
    kind: TaskKind = TaskKind.TASK
    title: Str1000 = ""
    description: Text = ""
    lead_unit: Id | None = None
    coordinating_units: list[Id] = Field(default_factory=list, max_length=500)
    accountable_leader: Id | None = None
    assignee: Id | None = None
    start_date: dt.date | None = None
    product: Str1000 = ""
    product_quantity: Quantity | None = None
    product_unit: Str100 = ""
    classification: Classification = Classification.PUBLIC


class TaskIn(TaskFields):
    program: Id
    assign: bool = False


class TaskPatch(DeadlineFields):
    version: Version
    group: Id | None = None
    number: Str20 | None = None
    kind: TaskKind | None = None
    title: Str1000 | None = None
    description: Text | None = None
    lead_unit: Id | None = None
    coordinating_units: list[Id] | None = Field(None, max_length=500)
    accountable_leader: Id | None = None
    assignee: Id | None = None
    start_date: dt.date | None = None
    product: Str1000 | None = None
    product_quantity: Quantity | None = None
    product_unit: Str100 | None = None
    classification: Classification | None = None


class ProgramRef(Schema):
    id: int
    code: str
    name: str


class TaskOut(Schema):
    id: int
    program: ProgramRef
    group_id: int | None
    number: str
    kind: str
    kind_label: str
    title: str
    lead_unit: Ref | None
    assignee: Ref | None
    status: str
    status_label: str
    deadline_kind: str
    deadline: dt.date | None
    deadline_label: str
    original_deadline_kind: str
    original_deadline: dt.date | None
    deadline_extended: bool
    product_quantity: Decimal | None
    product_unit: str
    latest_percent: int | None
    latest_quantity: Decimal | None
    latest_progress_on: dt.date | None
    started_on: dt.date | None
    completed_on: dt.date | None
    hold_state: str
    classification: int
    assigned_at: dt.datetime | None
    missing_clears: list[str]
    version: int


class TaskDetailOut(TaskOut):
    description: str
    product: str
    start_date: dt.date | None
    accountable_leader: Ref | None
    coordinating_units: list[Ref]
    can_edit: bool
    can_report_progress: bool


class TaskListFilters(Schema):
    program: Id | None = None
    group: Id | None = None
    unit: Id | None = None
    kind: TaskKind | None = None
    status: TaskStatus | None = None
    overdue: bool | None = None
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    assignee: Id | None = None
    q: Str200 | None = None


class AssignIn(Schema):
    version: Version


class ExtensionIn(DeadlineFields):
    version: Version
    reason: Text


class ExtensionOut(Schema):
    id: int
    task_id: int
    previous_kind: str
    previous_deadline: dt.date | None
    new_kind: str
    new_deadline: dt.date | None
    new_deadline_label: str
    reason: str
    approved_by: Ref
    created_at: dt.datetime
    task_version: int


class HoldIn(Schema):
    version: Version
    state: HoldState = Field(description="paused, cancelled, or an empty string to resume")
    reason: Text
    effective_on: dt.date | None = None


class HoldOut(Schema):
    id: int
    task_id: int
    state: str
    reason: str
    effective_on: dt.date
    approved_by: Ref
    task_version: int


# Progress ----------------------------------------------------------------------------------


class ProgressIn(Schema):
    as_of: dt.date
    percent: Annotated[int, Field(ge=0, le=100)]
    achieved_quantity: Quantity | None = None
    narrative: Text = ""
    difficulties: Text = ""
    proposals: Text = ""


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    url: str


class ProgressOut(Schema):
    id: int
    task_id: int
    as_of: dt.date
    percent: int
    achieved_quantity: Decimal | None
    narrative: str
    difficulties: str
    proposals: str
    unit: Ref | None
    reported_by: Ref
    created_at: dt.datetime
    evidence: list[EvidenceOut]
