"""From the rows of an annex to a plan: what each row will create or change, and what is wrong.

Start here: ``build_plan(table, mapping, header_row, program, scope, matcher)``. It reads only;
``services.batch_confirm`` carries the plan out. The same function serves the preview, the
confirm, the CLI dry run and the API, so what the user saw is what gets written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from hashlib import sha256
from types import SimpleNamespace
from typing import Any

from django.utils.translation import gettext as _

from tiendo.core.deadlines import Deadline, deadline_label
from tiendo.core.fields import in_subtree
from tiendo.core.text import fold
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import Scope
from tiendo.programs import selectors
from tiendo.programs.models import Program, Task, TaskGroup
from tiendo.programs.services import missing_clears

from .matching import UnitMatcher, matching_root
from .parsing import (
    FIELDS,
    RawTable,
    clean,
    column_letter,
    extract_quantity,
    is_exact_title,
    parse_deadline_cell,
    parse_quantity_cell,
)

_ROMAN = re.compile(r"^(?:phan\s+|muc\s+)?([ivxlc]+)\s*[.):\-]?(?:\s+(.+))?$")
_GROUP_PREFIX = re.compile(r"^(?:phần|mục)?\s*[ivxlc]+\s*[.):\-]?\s*", re.IGNORECASE)
# "2.1", and "II.1" as stored when numbers restart in each group (so exports import again).
_TASK_NUMBER = re.compile(r"^(?:[ivxlc]+\.)?\d+(?:\.\d+)*\.?$")
# Group numerals are capitals ("II", "Phần II"); lower-case "c" or "i" are items under a task.
_GROUP_NUMERAL = re.compile(r"^(?:(?i:phần|mục|phan|muc)\s+)?[IVXLC]+\s*(?:[.):\-]|\s|$)")
_SUB_LETTER = re.compile(r"^([a-z])\s*[.)]?$")
_COLUMN_INDEXES = re.compile(r"^\(?\d{1,2}\)?$")


class Action:
    CREATE = "create"  # a new task or group
    UPDATE = "update"  # an existing task or group, with ``changes``
    UNCHANGED = "unchanged"  # already as in the file
    ERROR = "error"  # cannot be imported as written; see ``errors``


@dataclass
class CellError:
    row: int
    column: int | None  # 0-based; None when the error concerns the whole row
    title: str
    message: str

    def __str__(self) -> str:
        if self.column is None:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column %(column)s (%(title)s): %(message)s") % {
            "row": self.row,
            "column": column_letter(self.column),
            "title": self.title,
            "message": self.message,
        }


@dataclass
class GroupPlan:
    row: int
    number: str
    name: str
    action: str = Action.CREATE
    existing: TaskGroup | None = None
    tasks: int = 0


@dataclass
class TaskPlan:
    row: int
    number: str
    title: str
    group: GroupPlan | None = None
    values: dict[str, Any] = field(default_factory=dict)  # Task field -> new value
    coordinating: list[Unit] | None = None  # None: column not mapped, leave as is
    deadline: Deadline | None = None
    action: str = Action.CREATE
    existing: Task | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, old, new
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def lead(self) -> Unit | None:
        return self.values.get("lead_unit")


@dataclass
class Plan:
    header_row: int | None
    headers: list[str]
    mapping: dict[str, int]
    groups: list[GroupPlan] = field(default_factory=list)
    tasks: list[TaskPlan] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Agency names to settle in the review step: name -> candidate units (empty: none found).
    unresolved: dict[str, list[Unit]] = field(default_factory=dict)
    skipped_rows: int = 0
    untouched: int = 0  # tasks of the program that the file does not mention

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        actions = Counter(t.action for t in self.tasks)
        return {
            "rows": len(self.tasks),
            "create": actions[Action.CREATE],
            "update": actions[Action.UPDATE],
            "unchanged": actions[Action.UNCHANGED],
            "errors": len(self.errors),
            "groups_new": sum(1 for g in self.groups if g.action == Action.CREATE),
            "drafts_incomplete": sum(1 for t in self.tasks if t.missing),
            "unresolved": len(self.unresolved),
            "skipped": self.skipped_rows,
            "untouched": self.untouched,
        }

    def missing_breakdown(self) -> list[tuple[str, int]]:
        """How many tasks lack each clear, most frequent first."""
        counter = Counter(m for t in self.tasks for m in t.missing)
        return counter.most_common()


def build_plan(
    table: RawTable,
    *,
    mapping: dict[str, int],
    header_row: int | None,
    program: Program,
    scope: Scope,
    matcher: UnitMatcher,
) -> Plan:
    headers = next((list(map(clean, cells)) for n, cells in table.rows if n == header_row), [])
    plan = Plan(header_row=header_row, headers=headers, mapping=mapping)
    reader = _RowReader(plan, mapping, headers)
    current: GroupPlan | None = None
    seen_numbers: dict[str, int] = {}
    last_top = ""
    for number, cells in table.rows:
        if header_row is not None and number <= header_row:
            continue
        kind = reader.classify(cells)
        if kind == "skip":
            plan.skipped_rows += 1
            continue
        if kind == "group":
            current = reader.group(number, cells)
            plan.groups.append(current)
            continue
        task = reader.task(number, cells, matcher, plan, last_top)
        if task.number and "." not in task.number:
            last_top = task.number
        task.group = current
        if current is not None:
            current.tasks += 1
        plan.tasks.append(task)
    _drop_stray_groups(plan)
    _qualify_restarted_numbers(plan)
    for task in plan.tasks:
        if not task.number:
            continue
        if task.number in seen_numbers:
            task.errors.append(
                CellError(
                    task.row,
                    mapping.get("number"),
                    reader.title_of("number"),
                    _("number %(number)s is already used on row %(other)s.")
                    % {"number": task.number, "other": seen_numbers[task.number]},
                )
            )
        else:
            seen_numbers[task.number] = task.row
    _compare_with_existing(plan, program, scope)
    for task in plan.tasks:
        if task.errors:
            task.action = Action.ERROR
            plan.errors.extend(task.errors)
    plan.errors.sort(key=lambda e: (e.row, e.column or 0))
    return plan


class _RowReader:
    def __init__(self, plan: Plan, mapping: dict[str, int], headers: list[str]) -> None:
        self.plan, self.mapping, self.headers = plan, mapping, headers

    def title_of(self, name: str) -> str:
        index = self.mapping.get(name)
        if index is not None and index < len(self.headers) and self.headers[index]:
            return self.headers[index]
        return str(FIELDS[name])

    def raw(self, cells: list[Any], name: str) -> Any:
        index = self.mapping.get(name)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def text(self, cells: list[Any], name: str) -> str:
        return clean(self.raw(cells, name))

    def classify(self, cells: list[Any]) -> str:
        texts = [clean(c) for c in cells]
        filled = [t for t in texts if t]
        if not filled:
            return "skip"
        if len(filled) >= 3 and all(_COLUMN_INDEXES.match(t) for t in filled):
            return "skip"  # the "(1) (2) (3)" row under the header
        if len(filled) >= 3 and sum(1 for t in filled if len(t) < 80 and is_exact_title(t)) >= 3:
            return "skip"  # the header repeated (printed tables repeat it on each page)
        number = fold(self.text(cells, "number"))
        if (
            _ROMAN.match(number)
            and _GROUP_NUMERAL.match(self.text(cells, "number"))
            and not _TASK_NUMBER.match(number)
        ):
            return "group"
        if len(set(filled)) == 1 and not _TASK_NUMBER.match(fold(filled[0])):
            return "group"  # a heading merged across the table, without a numeral
        return "task"

    def group(self, row: int, cells: list[Any]) -> GroupPlan:
        number_text = self.text(cells, "number")
        title = self.text(cells, "title")
        match = _ROMAN.match(fold(number_text))
        numeral = ""
        if match:
            numeral = match[1].upper()
            if not title and match[2]:
                # "I. Chính quyền số" in the number cell: the name keeps its accents.
                title = _GROUP_PREFIX.sub("", number_text)
        if not title:
            title = next((clean(c) for c in cells if clean(c) and clean(c) != number_text), "")
            if not numeral and not title:
                title = number_text
        return GroupPlan(row=row, number=numeral, name=title[:500])

    def task(
        self, row: int, cells: list[Any], matcher: UnitMatcher, plan: Plan, last_top: str
    ) -> TaskPlan:
        number = self.text(cells, "number").rstrip(".")
        title = self.text(cells, "title")
        task = TaskPlan(row=row, number=number, title=title)
        col = self.mapping.get
        if not number:
            task.errors.append(
                CellError(
                    row,
                    col("number"),
                    self.title_of("number"),
                    _(
                        "the number is missing; tasks are matched by number when a plan is imported again."
                    ),
                )
            )
        elif m := _SUB_LETTER.match(number.lower()):
            task.number = f"{last_top}.{m[1]}" if last_top else number
        elif not _TASK_NUMBER.match(number.lower()):
            task.errors.append(
                CellError(
                    row,
                    col("number"),
                    self.title_of("number"),
                    _("“%(value)s” is not a task number such as 3 or 2.1.") % {"value": number},
                )
            )
        if len(task.number) > 20:
            task.errors.append(
                CellError(row, col("number"), self.title_of("number"), _("the number is too long."))
            )
        if not title:
            task.errors.append(
                CellError(row, col("title"), self.title_of("title"), _("the task is not named."))
            )
        elif len(title) > 1000:
            task.errors.append(
                CellError(
                    row,
                    col("title"),
                    self.title_of("title"),
                    _("the task name is longer than 1,000 characters."),
                )
            )
        task.values["title"] = title[:1000]
        task.values["number"] = task.number
        self._agencies(task, cells, matcher, plan)
        self._deadline(task, cells)
        self._product(task, cells)
        if "description" in self.mapping:
            task.values["description"] = self.text(cells, "description")
        return task

    def _agencies(self, task: TaskPlan, cells: list[Any], matcher: UnitMatcher, plan: Plan) -> None:
        if "lead" in self.mapping:
            found = matcher.match(self.text(cells, "lead"))
            self._collect(found, plan)
            units = list(found.units)
            lead = units[0] if len(units) == 1 else None
            if len(units) > 1:
                task.notes.append(
                    _(
                        "The lead agency names %(count)s units; the task needs one lead unit, so they are added as coordinating units. Choose the lead unit after the import."
                    )
                    % {"count": len(units)}
                )
            task.values["lead_unit"] = lead
            extra = units if lead is None else []
        else:
            extra = []
        if "coordinating" in self.mapping:
            found = matcher.match(self.text(cells, "coordinating"))
            self._collect(found, plan)
            lead = task.values.get("lead_unit")
            task.coordinating = [
                u for u in [*extra, *found.units] if lead is None or u.pk != lead.pk
            ]
            if found.vague:
                task.notes.append(
                    _("“%(phrase)s” names no particular unit and is not recorded.")
                    % {"phrase": ", ".join(found.vague)}
                )
        elif extra:
            task.coordinating = extra

    @staticmethod
    def _collect(found: Any, plan: Plan) -> None:
        for name in found.unmatched:
            plan.unresolved.setdefault(name, [])
        for name, units in found.ambiguous.items():
            plan.unresolved.setdefault(name, units)

    def _deadline(self, task: TaskPlan, cells: list[Any]) -> None:
        if "deadline" not in self.mapping:
            return
        try:
            task.deadline = parse_deadline_cell(self.raw(cells, "deadline"))
        except ValueError as exc:
            task.errors.append(
                CellError(task.row, self.mapping["deadline"], self.title_of("deadline"), str(exc))
            )
            return
        task.values["deadline_kind"] = task.deadline.kind if task.deadline else ""
        task.values["deadline"] = task.deadline.due if task.deadline else None

    def _product(self, task: TaskPlan, cells: list[Any]) -> None:
        product = self.text(cells, "product") if "product" in self.mapping else None
        if product is not None:
            if len(product) > 1000:
                task.errors.append(
                    CellError(
                        task.row,
                        self.mapping["product"],
                        self.title_of("product"),
                        _("the product is longer than 1,000 characters."),
                    )
                )
            task.values["product"] = product[:1000]
        quantity: Decimal | None = None
        unit = ""
        if "quantity" in self.mapping:
            try:
                quantity = parse_quantity_cell(self.raw(cells, "quantity"))
            except ValueError as exc:
                task.errors.append(
                    CellError(
                        task.row, self.mapping["quantity"], self.title_of("quantity"), str(exc)
                    )
                )
        if "unit_of_measure" in self.mapping:
            unit = self.text(cells, "unit_of_measure")[:100]
        if product and (quantity is None or not unit):
            found_quantity, found_unit = extract_quantity(product)
            if quantity is None and found_quantity is not None:
                quantity = found_quantity
                unit = unit or found_unit
        if quantity is not None and quantity >= Decimal(10) ** 12:
            quantity = None
        # An absent quantity never wipes one entered in tiendo after an earlier import.
        if quantity is not None:
            task.values["product_quantity"] = quantity
            task.values["product_unit"] = unit


def _drop_stray_groups(plan: Plan) -> None:
    """A heading without a numeral and without tasks is a note under the table, not a group."""
    kept = []
    for group in plan.groups:
        if not group.number and group.tasks == 0:
            plan.notes.append(
                _("Row %(row)s is outside the table and was ignored: “%(text)s”.")
                % {"row": group.row, "text": group.name[:80]}
            )
            plan.skipped_rows += 1
        else:
            kept.append(group)
    plan.groups = kept


def _qualify_restarted_numbers(plan: Plan) -> None:
    """Numbers that restart in each group (I: 1, 2; II: 1, 2) become "I.1", "II.1".

    Re-import matches tasks by number within a program, so the number must be unique there.
    """
    numbers = Counter(t.number for t in plan.tasks if t.number)
    repeats = {n for n, c in numbers.items() if c > 1}
    if not repeats:
        return
    per_group = Counter((t.group.row if t.group else 0, t.number) for t in plan.tasks)
    if any(c > 1 for c in per_group.values()) or any(
        t.group is None or not t.group.number for t in plan.tasks if t.number in repeats
    ):
        return  # real duplicates: reported as errors
    for task in plan.tasks:
        if task.number and task.group is not None:
            task.number = f"{task.group.number}.{task.number}"
            task.values["number"] = task.number
    plan.notes.append(
        _(
            "Task numbers restart in each group, so they are stored with the group's numeral (II.1, II.2, ...)."
        )
    )


def _label(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Unit | TaskGroup):
        return str(value)
    return str(value) if value != "" else "—"


def _compare_with_existing(plan: Plan, program: Program, scope: Scope) -> None:
    groups = list(selectors.group_list(scope, program))
    by_number = {g.number: g for g in groups if g.number}
    by_name = {fold(g.name): g for g in groups}
    for group in plan.groups:
        found = by_number.get(group.number) if group.number else by_name.get(fold(group.name))
        if found is not None:
            group.existing = found
            group.action = Action.UNCHANGED if found.name == group.name else Action.UPDATE
    has_groups = bool(plan.groups)
    tasks = {
        t.number: t
        for t in selectors.visible_tasks(scope)
        .filter(program=program)
        .select_related("group", "lead_unit")
        .prefetch_related("coordinating_units")
    }
    mentioned = set()
    for task in plan.tasks:
        existing = tasks.get(task.number)
        if existing is None:
            task.missing = _missing_for(task, program)
            continue
        mentioned.add(task.number)
        task.existing = existing
        _diff(task, existing, has_groups)
        task.action = Action.UPDATE if task.changes else Action.UNCHANGED
        task.missing = _missing_for(task, program, existing)
        if not existing.is_draft:
            if task.deadline is not None and (
                existing.deadline_kind,
                existing.deadline,
            ) != (task.deadline.kind, task.deadline.due):
                task.errors.append(
                    CellError(
                        task.row,
                        plan.mapping.get("deadline"),
                        plan.headers[plan.mapping["deadline"]]
                        if plan.mapping.get("deadline") is not None
                        and plan.mapping["deadline"] < len(plan.headers)
                        else str(FIELDS["deadline"]),
                        _(
                            "task %(number)s is already assigned: its deadline changes only by an extension, with a reason."
                        )
                        % {"number": task.number},
                    )
                )
            elif task.missing:
                task.errors.append(
                    CellError(
                        task.row,
                        None,
                        "",
                        _(
                            "task %(number)s is already assigned and would lose its five clears: %(missing)s."
                        )
                        % {"number": task.number, "missing": "; ".join(task.missing)},
                    )
                )
    plan.untouched = sum(1 for number in tasks if number not in mentioned)


def _diff(task: TaskPlan, existing: Task, has_groups: bool) -> None:
    labels = {
        "title": _("task"),
        "lead_unit": _("lead agency"),
        "product": _("product"),
        "product_quantity": _("quantity"),
        "product_unit": _("unit of measure"),
        "description": _("notes"),
    }
    for name, label in labels.items():
        if name not in task.values:
            continue
        old, new = getattr(existing, name), task.values[name]
        if name == "product_quantity" and old is not None and new is not None:
            same = Decimal(old) == Decimal(new)
        else:
            same = old == new
        if not same:
            task.changes.append((str(label), _label(old), _label(new)))
    if "deadline_kind" in task.values:
        new_kind, new_due = task.values["deadline_kind"], task.values["deadline"]
        if (existing.deadline_kind, existing.deadline) != (new_kind, new_due):
            old_text = (
                deadline_label(existing.deadline_kind, existing.deadline)
                if existing.deadline_kind
                else "—"
            )
            new_text = deadline_label(new_kind, new_due) if new_kind else "—"
            task.changes.append((_("completion time"), old_text, new_text))
    if task.coordinating is not None:
        old_ids = {u.pk for u in existing.coordinating_units.all()}
        new_ids = {u.pk for u in task.coordinating}
        if old_ids != new_ids:
            old_names = ", ".join(sorted(str(u) for u in existing.coordinating_units.all()))
            new_names = ", ".join(sorted(str(u) for u in task.coordinating))
            task.changes.append((_("coordinating agencies"), old_names or "—", new_names or "—"))
    if has_groups:
        new_group = task.group
        old_number = existing.group.number if existing.group else ""
        old_name = existing.group.name if existing.group else ""
        new_number = new_group.number if new_group else ""
        new_name = new_group.name if new_group else ""
        if (old_number or fold(old_name)) != (new_number or fold(new_name)):
            task.changes.append(
                (
                    _("task group"),
                    _label(existing.group),
                    f"{new_number}. {new_name}" if new_number else new_name or "—",
                )
            )


# The fields ``missing_clears`` reads, with a new task's defaults.
_CLEAR_FIELDS = (
    "title",
    "assignee_id",
    "lead_unit_id",
    "accountable_leader_id",
    "deadline_kind",
    "product",
    "product_quantity",
    "product_unit",
)


@cache
def _new_task_defaults() -> dict[str, Any]:
    fields = {f.attname: f for f in Task._meta.concrete_fields}
    return {name: fields[name].get_default() for name in _CLEAR_FIELDS}


def _missing_for(task: TaskPlan, program: Program, existing: Task | None = None) -> list[str]:
    """The clears the task will still lack once imported, checked on a copy of the fields
    ``missing_clears`` reads (a model instance per row cost more than the whole check)."""
    if existing is not None:
        probe = SimpleNamespace(**{name: getattr(existing, name) for name in _CLEAR_FIELDS})
    else:
        probe = SimpleNamespace(**_new_task_defaults())
    for name, value in task.values.items():
        if name in ("lead_unit",):
            probe.lead_unit_id = value.pk if value else None
        elif name not in ("number", "deadline", "description"):
            setattr(probe, name, value)
    lead = task.values.get("lead_unit")
    if existing is None and lead is not None and lead.head_id:
        probe.accountable_leader_id = lead.head_id
    return missing_clears(probe)  # type: ignore[arg-type]


# Keeping a plan between the preview and the confirm ------------------------------------------
#
# The preview stores its plan (``dump_plan``) with the batch; the confirm loads it
# (``load_plan``) instead of reading the file and planning again, but only while nothing the
# plan was built from has changed: the batch's version (mapping, sheet, agency answers) and
# ``plan_state`` (the program's tasks and groups, the units names are matched against). Any
# difference and the confirm plans afresh, as it always did.

PLAN_FORMAT = 2


def plan_state(program: Program, scope: Scope) -> str:
    """A digest of everything outside the file and the batch that ``build_plan`` reads."""
    digest = sha256()
    tasks = (
        selectors.visible_tasks(scope)
        .filter(program=program)
        .order_by("pk")
        .values_list("pk", "number", "version", "updated_at")
    )
    for task_row in tasks.iterator(chunk_size=5000):
        digest.update(repr(task_row).encode())
    digest.update(b"|groups|")
    for group_row in (
        selectors.group_list(scope, program)
        .order_by("pk")
        .values_list("pk", "number", "name", "position", "updated_at")
    ):
        digest.update(repr(group_row).encode())
    digest.update(b"|units|")
    root = matching_root(program)
    units = (
        Unit.objects.filter(in_subtree("path", root.path))
        .order_by("pk")
        .values_list(
            "pk", "name", "short_name", "kind", "parent_id", "head_id", "closed_on", "updated_at"
        )
    )
    for unit_row in units:
        digest.update(repr(unit_row).encode())
    return digest.hexdigest()


_VALUE_KEYS = (
    "title",
    "number",
    "deadline_kind",
    "product",
    "product_unit",
    "description",
)


_KEPT_KEYS = {*_VALUE_KEYS, "lead_unit", "deadline", "product_quantity"}


def dump_plan(plan: Plan) -> dict[str, Any]:
    """What the confirm needs of a plan, as JSON: unit, group and task ids instead of rows."""
    tasks = []
    for t in plan.tasks:
        if unknown := t.values.keys() - _KEPT_KEYS:
            # A new task field must be kept too, or the confirm would drop it silently.
            raise ValueError(f"dump_plan does not know how to keep {sorted(unknown)}")
        values = {k: t.values[k] for k in _VALUE_KEYS if k in t.values}
        if "lead_unit" in t.values:
            values["lead_unit"] = t.values["lead_unit"].pk if t.values["lead_unit"] else None
        if "deadline" in t.values:
            due = t.values["deadline"]
            values["deadline"] = due.isoformat() if due else None
        if "product_quantity" in t.values:
            values["product_quantity"] = str(t.values["product_quantity"])
        tasks.append(
            [
                t.row,
                t.number,
                t.group.row if t.group else None,
                t.action,
                t.existing.pk if t.existing else None,
                values,
                None if t.coordinating is None else [u.pk for u in t.coordinating],
                t.missing,
                len(t.errors),
                [list(c) for c in t.changes],
                t.notes,
                [t.deadline.kind, t.deadline.due.isoformat() if t.deadline.due else None]
                if t.deadline
                else None,
            ]
        )
    return {
        "format": PLAN_FORMAT,
        "header_row": plan.header_row,
        "headers": plan.headers,
        "mapping": plan.mapping,
        "groups": [
            [g.row, g.number, g.name, g.action, g.existing.pk if g.existing else None, g.tasks]
            for g in plan.groups
        ],
        "tasks": tasks,
        "errors": [[e.row, e.column, e.title, e.message] for e in plan.errors],
        "notes": plan.notes,
        "unresolved": {name: [u.pk for u in units] for name, units in plan.unresolved.items()},
        "skipped_rows": plan.skipped_rows,
        "untouched": plan.untouched,
    }


def load_plan(data: dict[str, Any], program: Program, scope: Scope) -> Plan | None:
    """The plan ``dump_plan`` kept, with its units, groups and tasks read again (in ``scope``);
    None when one of them is gone (the caller then plans afresh)."""
    if data.get("format") != PLAN_FORMAT:
        return None
    tasks_data = data["tasks"]
    unit_ids: set[int] = set()
    for t in tasks_data:
        if t[5].get("lead_unit"):
            unit_ids.add(t[5]["lead_unit"])
        unit_ids.update(t[6] or ())
    for ids in data["unresolved"].values():
        unit_ids.update(ids)
    units = Unit.objects.select_related("head", "parent").in_bulk(unit_ids)
    group_ids = [g[4] for g in data["groups"] if g[4] is not None]
    groups_by_id = {g.pk: g for g in selectors.group_list(scope, program).filter(pk__in=group_ids)}
    task_ids = [t[4] for t in tasks_data if t[4] is not None]
    existing = {}
    if task_ids:
        existing = (
            selectors.visible_tasks(scope)
            .filter(program=program)
            .select_related("group", "lead_unit")
            .prefetch_related("coordinating_units")
            .in_bulk(task_ids)
        )
    if (
        len(units) != len(unit_ids)
        or len(existing) != len(task_ids)
        or len(groups_by_id) != len(group_ids)
    ):
        return None
    plan = Plan(
        header_row=data["header_row"],
        headers=data["headers"],
        mapping=data["mapping"],
        errors=[CellError(*e) for e in data["errors"]],
        notes=data["notes"],
        unresolved={n: [units[i] for i in ids] for n, ids in data["unresolved"].items()},
        skipped_rows=data["skipped_rows"],
        untouched=data["untouched"],
    )
    errors_by_row: dict[int, list[CellError]] = {}
    for error in plan.errors:
        errors_by_row.setdefault(error.row, []).append(error)
    groups: dict[int, GroupPlan] = {}
    for row, number, name, action, existing_id, count in data["groups"]:
        group = GroupPlan(
            row=row,
            number=number,
            name=name,
            action=action,
            existing=groups_by_id.get(existing_id) if existing_id is not None else None,
            tasks=count,
        )
        groups[row] = group
        plan.groups.append(group)
    for (
        row,
        number,
        group_row,
        action,
        existing_id,
        raw,
        coordinating,
        missing,
        errors,
        changes,
        notes,
        deadline,
    ) in tasks_data:
        values: dict[str, Any] = {k: raw[k] for k in _VALUE_KEYS if k in raw}
        if "lead_unit" in raw:
            values["lead_unit"] = units[raw["lead_unit"]] if raw["lead_unit"] else None
        if "deadline" in raw:
            values["deadline"] = dt.date.fromisoformat(raw["deadline"]) if raw["deadline"] else None
        if "product_quantity" in raw:
            values["product_quantity"] = Decimal(raw["product_quantity"])
        task = TaskPlan(
            row=row,
            number=number,
            title=values.get("title", ""),
            group=groups.get(group_row) if group_row is not None else None,
            values=values,
            coordinating=None if coordinating is None else [units[i] for i in coordinating],
            action=action,
            existing=existing.get(existing_id) if existing_id is not None else None,
            missing=missing,
            changes=[tuple(c) for c in changes],
            notes=notes,
        )
        if deadline:
            due = dt.date.fromisoformat(deadline[1]) if deadline[1] else None
            task.deadline = Deadline(deadline[0], due)
        if errors:
            task.errors = errors_by_row.get(row, [])
        plan.tasks.append(task)
    return plan
