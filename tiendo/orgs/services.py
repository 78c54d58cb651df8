"""Writes to the organisation tree. Every change keeps paths consistent in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from tiendo.audit.services import audit_record, snapshot
from tiendo.core.fields import TreePathField, in_subtree

from .models import Unit, UnitChange, UnitChangeKind


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    head: Any = None,
    short_name: str = "",
    active_from: dt.date | None = None,
    actor: Any = None,
) -> Unit:
    if parent is not None and parent.closed_on is not None:
        raise ValidationError({"parent": _("A unit cannot be created under a closed unit.")})
    # The path needs the id: insert with a unique placeholder, then set it.
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        head=head,
        short_name=short_name,
        active_from=active_from,
        path=f"~new~{code}",
        depth=0 if parent is None else parent.depth + 1,
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    audit_record(actor=actor, action="unit.create", obj=unit, after=snapshot(unit))
    return unit


def unit_path_copies() -> list[tuple[type[Model], str]]:
    """Every column, in every installed app, that copies a unit's path for scope checks: by
    convention a ``TreePathField`` whose name ends in ``unit_path`` (a task's
    ``lead_unit_path``, a dataset's ``owner_unit_path``, a consultation recipient's or an
    indicator row's ``unit_path``...). A move rewrites them all, so that no copy keeps a
    subtree's old place: a stale copy would show a record to the old ancestors' users and
    hide it from the new ones."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, TreePathField) and field.name.endswith("unit_path")
    ]


def _repath_subtree(*, old_path: str, new_path: str, depth_delta: int) -> None:
    """Rewrite the paths of a subtree (units and every table that copies a unit path)."""
    # programs depends on orgs, not the reverse
    from tiendo.programs.models import TaskCoordination
    from tiendo.programs.services import coordinations_refresh

    start = len(old_path) + 1

    def moved(column: str) -> dict[str, Concat]:
        return {column: Concat(Value(new_path), Substr(column, start, Length(column)))}

    Unit.objects.filter(in_subtree("path", old_path)).update(
        **moved("path"), depth=F("depth") + depth_delta
    )
    for model, column in unit_path_copies():
        model._base_manager.filter(in_subtree(column, old_path)).update(**moved(column))
    # A coordination also keeps how deep its two paths agree (``TaskCoordination``): the
    # paths were rewritten above, the depths are recomputed here.
    coordinations_refresh(
        TaskCoordination.objects.filter(
            in_subtree("unit_path", new_path) | in_subtree("lead_unit_path", new_path)
        )
    )


@transaction.atomic
def unit_move(
    *, unit: Unit, new_parent: Unit, effective_on: dt.date, actor: Any = None, note: str = ""
) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_parent = Unit.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(unit.path):
        raise ValidationError(
            {"parent": _("A unit cannot be moved under itself or its own sub-units.")}
        )
    old_path = unit.path
    new_path = f"{new_parent.path}{unit.pk}/"
    from tiendo.programs.models import Task  # programs depends on orgs, not the reverse
    from tiendo.programs.services import summary_maintain

    moved = set(
        Task.objects.filter(in_subtree("lead_unit_path", old_path))
        .values_list("lead_unit_path", flat=True)
        .distinct()
    )
    _repath_subtree(
        old_path=old_path, new_path=new_path, depth_delta=new_parent.depth + 1 - unit.depth
    )
    # The dashboards' summary: the moved tasks leave their old ancestors, join the new ones.
    summary_maintain(unit_paths=moved | {new_path + p[len(old_path) :] for p in moved})
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    audit_record(
        actor=actor,
        action="unit.move",
        obj=unit,
        before={"path": old_path},
        after={"path": new_path},
    )
    UnitChange.objects.create(
        unit=unit,
        kind=UnitChangeKind.MOVED,
        effective_on=effective_on,
        target=new_parent,
        previous_path=old_path,
        note=note,
        recorded_by=actor,
    )
    unit.refresh_from_db()
    return unit


@transaction.atomic
def unit_merge(
    *, source: Unit, target: Unit, effective_on: dt.date, actor: Any = None, note: str = ""
) -> Unit:
    """Merge ``source`` into ``target`` from ``effective_on``.

    The source is closed (not deleted), its sub-units move under the target, and its open
    tasks move to the target; progress already reported stays attributed to the source,
    because each progress update records the unit that reported it.
    """
    from tiendo.programs.services import tasks_transfer_unit

    source = Unit.objects.select_for_update().get(pk=source.pk)
    target = Unit.objects.get(pk=target.pk)
    if source.pk == target.pk or target.path.startswith(source.path):
        raise ValidationError(
            {"target": _("A unit cannot be merged into itself or its own sub-unit.")}
        )
    if source.closed_on is not None:
        raise ValidationError({"source": _("This unit is already closed.")})
    if target.closed_on is not None:
        raise ValidationError({"target": _("A unit cannot be merged into a closed unit.")})
    for child in Unit.objects.filter(parent=source, closed_on__isnull=True):
        unit_move(unit=child, new_parent=target, effective_on=effective_on, actor=actor, note=note)
    tasks_transfer_unit(source=source, target=target, effective_on=effective_on, actor=actor)
    Unit.objects.filter(pk=source.pk).update(closed_on=effective_on, merged_into=target)
    audit_record(
        actor=actor,
        action="unit.merge",
        obj=source,
        summary=note[:500],
        after={"merged_into": target.pk, "effective_on": str(effective_on)},
    )
    UnitChange.objects.create(
        unit=source,
        kind=UnitChangeKind.MERGED,
        effective_on=effective_on,
        target=target,
        previous_path=source.path,
        note=note,
        recorded_by=actor,
    )
    source.refresh_from_db()
    return source


@transaction.atomic
def unit_close(*, unit: Unit, effective_on: dt.date, actor: Any = None, note: str = "") -> Unit:
    from tiendo.programs.models import Task

    if Unit.objects.filter(parent=unit, closed_on__isnull=True).exists():
        raise ValidationError(_("Close or merge the sub-units of this unit first."))
    if Task.objects.open().filter(lead_unit=unit).exists():
        raise ValidationError(
            _("This unit still leads open tasks: merge it into another unit instead.")
        )
    Unit.objects.filter(pk=unit.pk).update(closed_on=effective_on)
    audit_record(
        actor=actor,
        action="unit.close",
        obj=unit,
        summary=note[:500],
        after={"closed_on": str(effective_on)},
    )
    UnitChange.objects.create(
        unit=unit,
        kind=UnitChangeKind.CLOSED,
        effective_on=effective_on,
        note=note,
        recorded_by=actor,
    )
    unit.refresh_from_db()
    return unit
