"""Writes of the assessment cycle: import a framework, open a period, self-assess, verify,
adjust, return, approve, publish. Every write is atomic and checks the caller's right first.

Concurrent edits use the ``version`` pattern: the caller sends the version it loaded, and a
write against an older version raises ``ConflictError`` instead of overwriting.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for

from . import access, automatic
from .engine import FrameworkSpec, rank_units
from .io import validate
from .methods import Method
from .models import (
    Assessment,
    AssessmentState,
    Framework,
    FrameworkNode,
    IndicatorValue,
    Period,
    PeriodState,
    Result,
    ValueKind,
)

EDITABLE = (AssessmentState.DRAFT, AssessmentState.RETURNED)


@transaction.atomic
def framework_import(*, spec: FrameworkSpec, actor: Any) -> Framework:
    """Save a validated framework as a new version; an existing version is never replaced."""
    if not access.can_manage_frameworks(scope_for(actor)):
        raise PermissionDeniedError(_("Only the committee or an administrator can add frameworks."))
    validate(spec)
    if Framework.objects.filter(code=spec.code, version=spec.version).exists():
        raise ConflictError(
            _("Version %(version)s of “%(code)s” already exists: give the new one another version.")
            % {"version": spec.version, "code": spec.code}
        )
    framework = Framework.objects.create(
        code=spec.code,
        version=spec.version,
        name=spec.name,
        name_vi=spec.name_vi,
        year=spec.year,
        description=spec.description,
        unit_kinds=list(spec.unit_kinds),
        merge_level=spec.merge_level,
        rank_decimals=spec.rank_decimals,
        created_by=actor,
    )
    saved: dict[str, FrameworkNode] = {}
    for position, node in enumerate(spec.nodes):
        saved[node.code] = FrameworkNode.objects.create(
            framework=framework,
            parent=saved[node.parent] if node.parent else None,
            code=node.code,
            name=node.name,
            name_vi=node.name_vi,
            position=position,
            is_group=node.is_group,
            weight=node.weight,
            max_points=node.max_points,
            method="" if node.is_group else node.method,
            params=dict(node.params),
            aggregation=node.aggregation if node.is_group else "",
            source=node.source,
            measure=node.unit,
            evidence=node.evidence,
        )
    return framework


@transaction.atomic
def period_open(
    *,
    framework: Framework,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    actor: Any,
    committee: Unit | None = None,
    units: list[Unit] | None = None,
    previous: Period | None = None,
    emulation_index_weight: float = 0.7,
) -> Period:
    """Open a period with one assessment per unit (default: open units of the framework's kinds)."""
    if not access.can_manage_frameworks(scope_for(actor)):
        raise PermissionDeniedError(_("Only the committee or an administrator can open a period."))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The period cannot end before it starts.")})
    if not 0 <= emulation_index_weight <= 1:
        raise ValidationError(
            {"emulation_index_weight": _("The weight of the index must be between 0 and 1.")}
        )
    period = Period.objects.create(
        framework=framework,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        committee=committee,
        previous=previous,
        opened_by=actor,
        emulation_index_weight=emulation_index_weight,
    )
    if units is None:
        units = list(Unit.objects.filter(kind__in=framework.unit_kinds, closed_on__isnull=True))
    Assessment.objects.bulk_create([Assessment(period=period, unit=u) for u in units])
    return period


def _bump(assessment: Assessment, version: int, **changes: Any) -> None:
    updated = Assessment.objects.filter(pk=assessment.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise ConflictError(
            _(
                "This assessment was changed by someone else since you opened it. Reload it and try again."
            )
        )
    assessment.refresh_from_db()


def _check_value(node: FrameworkNode, value: float | None) -> None:
    if value is None:
        return
    if not math.isfinite(value):
        raise ValidationError({"value": _("Enter a number.")})
    if node.method == Method.YES_NO and value not in (0, 1):
        raise ValidationError({"value": _("This indicator takes 1 (yes) or 0 (no).")})
    if node.measure == "%" and not 0 <= value <= 100:
        raise ValidationError({"value": _("A percentage must be between 0 and 100.")})


def _node_of(assessment: Assessment, node: FrameworkNode) -> FrameworkNode:
    if node.framework_id != assessment.period.framework_id or node.is_group:
        raise ValidationError({"node": _("This indicator is not part of the period's framework.")})
    return node


@transaction.atomic
def value_enter(
    *,
    assessment: Assessment,
    node: FrameworkNode,
    value: float | None,
    actor: Any,
    version: int,
    evidence_note: str = "",
    evidence_file: Any = None,
) -> IndicatorValue:
    """Self-assessment of a manual indicator, with evidence."""
    if not access.can_self_assess(scope_for(actor), assessment.unit):
        raise PermissionDeniedError(_("Only the unit's officers and leaders can self-assess."))
    if assessment.state not in EDITABLE or assessment.period.state != PeriodState.OPEN:
        raise ValidationError(_("This assessment is not open for self-assessment."))
    node = _node_of(assessment, node)
    if not node.is_manual:
        raise ValidationError({"node": _("This indicator is computed automatically.")})
    _check_value(node, value)
    if value and not (evidence_note.strip() or evidence_file):
        raise ValidationError({"evidence_note": _("Give the evidence for this value.")})
    _bump(assessment, version)
    return IndicatorValue.objects.create(
        assessment=assessment,
        node=node,
        value=value,
        kind=ValueKind.SELF,
        evidence_note=evidence_note.strip(),
        evidence_file=evidence_file or "",
        entered_by=actor,
    )


@transaction.atomic
def values_enter_many(
    *,
    assessment: Assessment,
    values: Mapping[FrameworkNode, tuple[float | None, str]],
    actor: Any,
    version: int,
) -> list[IndicatorValue]:
    """Self-assessment of many indicators at once ((value, evidence) per indicator): all or none."""
    if not access.can_self_assess(scope_for(actor), assessment.unit):
        raise PermissionDeniedError(_("Only the unit's officers and leaders can self-assess."))
    if assessment.state not in EDITABLE or assessment.period.state != PeriodState.OPEN:
        raise ValidationError(_("This assessment is not open for self-assessment."))
    rows = []
    for node, (value, evidence) in values.items():
        _node_of(assessment, node)
        if not node.is_manual:
            raise ValidationError({"node": _("This indicator is computed automatically.")})
        try:
            _check_value(node, value)
        except ValidationError as error:
            raise ValidationError(f"{node.code}: {' '.join(error.messages)}") from None
        if value and not evidence.strip():
            raise ValidationError(
                _("%(code)s: give the evidence for this value.") % {"code": node.code}
            )
        rows.append(
            IndicatorValue(
                assessment=assessment,
                node=node,
                value=value,
                kind=ValueKind.SELF,
                evidence_note=evidence.strip(),
                entered_by=actor,
            )
        )
    _bump(assessment, version)
    return IndicatorValue.objects.bulk_create(rows)


@transaction.atomic
def assessment_refresh_automatic(*, assessment: Assessment, actor: Any) -> list[IndicatorValue]:
    """Recompute the automatic indicators; a new entry is added only when the value changed."""
    scope = scope_for(actor)
    if not (
        access.can_self_assess(scope, assessment.unit)
        or access.is_reviewer(scope, assessment.period, assessment.unit)
    ):
        raise PermissionDeniedError(_("You cannot recompute this assessment."))
    if assessment.period.state != PeriodState.OPEN:
        raise ValidationError(_("The period is closed: its values are final."))
    if assessment.state == AssessmentState.VERIFIED:
        # A verified assessment must not change under the reviewer's signature.
        raise ValidationError(_("This assessment is verified: its values are final."))
    from .selectors import current_values

    current = current_values(assessment)
    added = []
    for node in FrameworkNode.objects.filter(framework_id=assessment.period.framework_id).exclude(
        source=""
    ):
        result = automatic.compute_source(node.source, assessment.unit, assessment.period)
        previous = current.get(node.pk)
        if (
            previous is not None
            and previous.value == result.value
            and previous.records == result.records
        ):
            continue
        added.append(
            IndicatorValue.objects.create(
                assessment=assessment,
                node=node,
                value=result.value,
                kind=ValueKind.AUTOMATIC,
                reason=result.note,
                records=result.records,
                entered_by=actor,
            )
        )
    Assessment.objects.filter(pk=assessment.pk).update(version=F("version") + 1)
    assessment.refresh_from_db()
    return added


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor: Any, version: int) -> Assessment:
    if not access.can_submit(scope_for(actor), assessment.unit):
        raise PermissionDeniedError(_("Only the unit's leader can submit the self-assessment."))
    if assessment.state not in EDITABLE or assessment.period.state != PeriodState.OPEN:
        raise ValidationError(_("Only a self-assessment in progress or returned can be submitted."))
    from .selectors import current_values

    values = current_values(assessment)
    missing = [
        n.code
        for n in FrameworkNode.objects.filter(framework_id=assessment.period.framework_id)
        if n.is_manual and n.pk not in values
    ]
    if missing:
        raise ValidationError(
            _("Enter every indicator before submitting; missing: %(codes)s.")
            % {"codes": ", ".join(missing[:20]) + ("…" if len(missing) > 20 else "")}
        )
    _bump(
        assessment,
        version,
        state=AssessmentState.SUBMITTED,
        submitted_by=actor,
        submitted_at=timezone.now(),
        state_reason="",
    )
    return assessment


def _require_reviewer(assessment: Assessment, actor: Any) -> None:
    if not access.is_reviewer(scope_for(actor), assessment.period, assessment.unit):
        raise PermissionDeniedError(_("Only a reviewer can verify assessments."))
    if assessment.state != AssessmentState.SUBMITTED or assessment.period.state != PeriodState.OPEN:
        raise ValidationError(
            _("Only a submitted assessment can be verified, adjusted or returned.")
        )


@transaction.atomic
def value_adjust(
    *,
    assessment: Assessment,
    node: FrameworkNode,
    value: float | None,
    reason: str,
    actor: Any,
    version: int,
) -> IndicatorValue:
    """A reviewer's correction of any indicator value; the reason is mandatory."""
    _require_reviewer(assessment, actor)
    node = _node_of(assessment, node)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    _check_value(node, value)
    _bump(assessment, version)
    return IndicatorValue.objects.create(
        assessment=assessment,
        node=node,
        value=value,
        kind=ValueKind.ADJUSTMENT,
        reason=reason.strip(),
        entered_by=actor,
    )


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, reason: str, actor: Any, version: int
) -> Assessment:
    _require_reviewer(assessment, actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the assessment is returned.")})
    _bump(assessment, version, state=AssessmentState.RETURNED, state_reason=reason.strip())
    return assessment


@transaction.atomic
def assessment_verify(*, assessment: Assessment, actor: Any, version: int) -> Assessment:
    _require_reviewer(assessment, actor)
    _bump(
        assessment,
        version,
        state=AssessmentState.VERIFIED,
        verified_by=actor,
        verified_at=timezone.now(),
        state_reason="",
    )
    return assessment


def _bump_period(period: Period, version: int, **changes: Any) -> None:
    updated = Period.objects.filter(pk=period.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise ConflictError(_("This period was changed by someone else. Reload it and try again."))
    period.refresh_from_db()


@transaction.atomic
def period_approve(*, period: Period, actor: Any, version: int) -> Period:
    if not access.is_committee(scope_for(actor), period):
        raise PermissionDeniedError(_("Only the committee can approve the results."))
    if period.state != PeriodState.OPEN:
        raise ValidationError(_("Only an open period can be approved."))
    pending = period.assessments.exclude(state=AssessmentState.VERIFIED).count()
    if pending:
        raise ValidationError(
            _("%(count)s assessment(s) are not verified yet.") % {"count": pending}
        )
    _bump_period(
        period, version, state=PeriodState.APPROVED, approved_by=actor, approved_at=timezone.now()
    )
    return period


@transaction.atomic
def period_publish(*, period: Period, actor: Any, version: int) -> int:
    """Freeze the results of an approved period: scores at every node and ranks of the groups."""
    if not access.is_committee(scope_for(actor), period):
        raise PermissionDeniedError(_("Only the committee can publish the results."))
    if period.state != PeriodState.APPROVED:
        raise ValidationError(_("Only approved results can be published."))
    from .selectors import period_compute

    computed = period_compute(period)
    spec = computed.spec
    nodes = {n.code: n for n in FrameworkNode.objects.filter(framework_id=period.framework_id)}
    ranks = {
        node.code: rank_units(
            {u: computed.result.scores[u][node.code] for u in computed.ranked_units},
            decimals=spec.rank_decimals,
        )
        for node in spec.nodes
        if node.is_group
    }
    rows = [
        Result(
            period=period,
            unit_id=unit_id,
            node=nodes[code],
            score=score,
            scale=spec.scale(code),
            rank=ranks.get(code, {}).get(unit_id),
        )
        for unit_id, scores in computed.result.scores.items()
        for code, score in scores.items()
    ]
    Result.objects.filter(period=period).delete()
    Result.objects.bulk_create(rows, batch_size=2000)
    _bump_period(
        period,
        version,
        state=PeriodState.PUBLISHED,
        published_by=actor,
        published_at=timezone.now(),
    )
    return len(rows)
