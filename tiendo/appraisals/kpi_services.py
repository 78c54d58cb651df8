"""Writes of indicators: define, set targets, report actual values. Atomic, audited, checked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.audit.services import audit_record, snapshot
from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.core.fields import in_subtree
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for
from tiendo.programs.access import can_manage_program
from tiendo.programs.files import check_upload
from tiendo.programs.models import Program, Task

from .access import can_act_for
from .kpi_selectors import program_root
from .models import Indicator, IndicatorActual, IndicatorTarget


def _manage(actor: Any, program: Program) -> None:
    if not can_manage_program(scope_for(actor), program):
        raise PermissionDeniedError(
            _("Only the program's committee or standing office can do this.")
        )


@transaction.atomic
def indicator_create(
    *,
    actor: Any,
    program: Program,
    code: str,
    name: str,
    unit_of_measure: str,
    direction: str = "higher",
    aggregation: str = "sum",
    baseline: Decimal | None = None,
    task: Task | None = None,
) -> Indicator:
    """A program's indicator, or a task's own (a pilot model's KPI) when ``task`` is given."""
    _manage(actor, program)
    if task is not None and task.program_id != program.pk:
        raise ValidationError({"task": _("The task belongs to another program.")})
    indicator = Indicator(
        program=program, task=task, code=code.strip(), name=name.strip(),
        unit_of_measure=unit_of_measure.strip(), direction=direction, aggregation=aggregation,
        baseline=baseline,
    )  # fmt: skip
    indicator.full_clean()
    indicator.save()
    audit_record(actor=actor, action="indicator.create", obj=indicator, after=snapshot(indicator))
    return indicator


@transaction.atomic
def indicator_set_target(
    *,
    actor: Any,
    indicator: Indicator,
    unit: Unit,
    period_end: dt.date,
    target: Decimal,
    weight: Decimal = Decimal(1),
) -> IndicatorTarget:
    """Set (or change) the target of ``unit`` for the period ending on ``period_end``."""
    _manage(actor, indicator.program)
    row = IndicatorTarget.objects.filter(
        indicator=indicator, unit=unit, period_end=period_end
    ).first()
    before = snapshot(row) if row else None
    row = row or IndicatorTarget(indicator=indicator, unit=unit, period_end=period_end)
    row.unit_path, row.target, row.weight = unit.path, target, weight
    row.full_clean()
    row.save()
    audit_record(
        actor=actor, action="indicator.target", obj=row, before=before, after=snapshot(row),
        summary=_("Target of %(code)s for %(unit)s: %(value)s")
        % {"code": indicator.code, "unit": unit.name, "value": target},
    )  # fmt: skip
    return row


def latest_value_id(indicator: Indicator, unit: Unit, period_end: dt.date) -> int:
    """The id of the value of ``unit`` for the period that counts today (0: none yet)."""
    row = (
        IndicatorActual.objects.filter(indicator=indicator, unit=unit, period_end=period_end)
        .order_by("-measured_on", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    return row or 0


@transaction.atomic
def indicator_report(
    *,
    actor: Any,
    indicator: Indicator,
    unit: Unit,
    period_end: dt.date,
    measured_on: dt.date,
    value: Decimal,
    source: str = "",
    evidence: UploadedFile | None = None,
    seen: int | None = None,
) -> IndicatorActual:
    """Record a value measured for ``unit``; earlier values stay (as-of figures use them).

    ``seen`` is the id of the unit's latest value for the period when the reporter opened the
    form (0: none). If somebody reported since, the value is refused (``ConflictError``) rather
    than silently replacing theirs; ``None`` skips the check."""
    if not (
        can_act_for(scope_for(actor), unit)
        or can_manage_program(scope_for(actor), indicator.program)
    ):
        raise PermissionDeniedError(
            _("Only the unit itself or the program's managers report its values.")
        )
    root = program_root(indicator.program)
    if (
        unit.closed_on is not None
        or not Unit.objects.filter(in_subtree("path", root.path), pk=unit.pk).exists()
    ):
        # Same words for a unit of another tree as for none, so that no unit name leaks.
        raise ValidationError({"unit": _("Choose an open unit of the program's unit tree.")})
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("The date cannot be in the future.")})
    if evidence is not None:
        check_upload(evidence)
    # Reports of one indicator are taken one after the other, so the check below is reliable.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    if seen is not None and latest_value_id(indicator, unit, period_end) != seen:
        raise ConflictError(
            _(
                "Somebody reported a value of %(unit)s for this period after you opened the "
                "page. Reload it, check their value and enter yours again if it is still needed."
            )
            % {"unit": unit.name}
        )
    row = IndicatorActual(
        indicator=indicator, unit=unit, unit_path=unit.path, period_end=period_end,
        measured_on=measured_on, value=value, source=source.strip(), reported_by=actor,
    )  # fmt: skip
    if evidence is not None:
        row.evidence = evidence
    row.full_clean()
    row.save()
    audit_record(
        actor=actor, action="indicator.report", obj=row,
        after=snapshot(row, ["indicator", "unit", "period_end", "measured_on", "value", "source"]),
    )  # fmt: skip
    return row
