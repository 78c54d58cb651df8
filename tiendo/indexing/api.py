"""The index over HTTP: the same services and selectors as the pages, so the same figures."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tiendo.api.schemas import Id, responses, text
from tiendo.orgs.models import UnitKind
from tiendo.orgs.scope import scope_for

from . import io, selectors, services
from .models import Assessment, FrameworkNode, Period
from .views import XLSX, emulation_rule, tie_rule

router = Router(tags=["index"])


def _scope(request: HttpRequest) -> Any:
    return scope_for(request.auth_user)  # type: ignore[attr-defined]


def _user(request: HttpRequest) -> Any:
    return request.auth_user  # type: ignore[attr-defined]


class FrameworkOut(Schema):
    id: int
    code: str
    version: int
    name: str
    name_vi: str
    year: int | None
    indicator_count: int


class NodeOut(Schema):
    code: str
    parent: str | None
    name: str
    name_vi: str
    is_group: bool
    weight: float
    max_points: float | None
    scale: float
    method: str
    aggregation: str
    params: dict[str, Any]
    source: str


class FrameworkDetailOut(FrameworkOut):
    nodes: list[NodeOut]


class FrameworkIn(Schema):
    yaml: text(500_000)  # type: ignore[valid-type]


class PeriodOut(Schema):
    id: int
    framework_id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    state: str
    previous_id: int | None
    version: int


class PeriodIn(Schema):
    name: text(200)  # type: ignore[valid-type]
    starts_on: dt.date
    ends_on: dt.date
    previous_id: Id | None = None
    unit_ids: list[Id] | None = None


class VersionIn(Schema):
    version: int


class ReasonIn(Schema):
    version: int
    reason: text(5000)  # type: ignore[valid-type]


class ValueIn(Schema):
    version: int
    code: text(50)  # type: ignore[valid-type]
    value: float | None
    evidence_note: text(5000) = ""  # type: ignore[valid-type]


class AdjustIn(Schema):
    version: int
    code: text(50)  # type: ignore[valid-type]
    value: float | None
    reason: text(5000)  # type: ignore[valid-type]


class ValueOut(Schema):
    code: str
    value: float | None
    kind: str
    reason: str
    evidence_note: str
    records: list[int]
    entered_by: str | None
    entered_at: dt.datetime


class AssessmentOut(Schema):
    id: int
    period_id: int
    unit_id: int
    unit: str
    state: str
    state_reason: str
    version: int


class AssessmentDetailOut(AssessmentOut):
    values: list[ValueOut]
    history: list[ValueOut]


class LeagueRowOut(Schema):
    rank: int | None
    unit_id: int
    unit: str
    kind: str
    total: float
    scale: float
    pillars: dict[str, float]
    previous_total: float | None
    previous_rank: int | None
    change: float | None


class ResultsOut(Schema):
    period_id: int
    published: bool
    tie_rule: str
    rows: list[LeagueRowOut]


class EmulationRowOut(Schema):
    rank: int
    unit_id: int
    unit: str
    leader: str | None
    index_share: float
    tasks_share: float | None
    score: float
    task_ids: list[int]


class EmulationOut(Schema):
    period_id: int
    rule: str
    rows: list[EmulationRowOut]


class ExplainOut(Schema):
    unit_id: int
    code: str
    name: str
    trace: dict[str, Any]
    rule: str  # the method or aggregation in words, in the reader's language
    arithmetic: str  # the computation with this unit's figures
    history: list[ValueOut]


def _framework_out(f: Any) -> dict[str, Any]:
    return {
        "id": f.pk,
        "code": f.code,
        "version": f.version,
        "name": f.name,
        "name_vi": f.name_vi,
        "year": f.year,
        "indicator_count": f.nodes.filter(is_group=False).count(),
    }


def _value_out(v: Any) -> dict[str, Any]:
    return {
        "code": v.node.code,
        "value": v.value,
        "kind": v.kind,
        "reason": v.reason_display,
        "evidence_note": v.evidence_note,
        "records": v.records,
        "entered_by": str(v.entered_by) if v.entered_by else None,
        "entered_at": v.entered_at,
    }


def _assessment_out(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "period_id": a.period_id,
        "unit_id": a.unit_id,
        "unit": a.unit.name,
        "state": a.state,
        "state_reason": a.state_reason,
        "version": a.version,
    }


@router.get("/index/frameworks", response=responses(list[FrameworkOut]))
def framework_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_framework_out(f) for f in selectors.visible_frameworks(_scope(request))]


@router.post("/index/frameworks", response=responses(FrameworkOut, 201))
def framework_import(request: HttpRequest, payload: FrameworkIn) -> Status:
    """Import a framework from its YAML text (a new version; existing versions never change)."""
    spec = io.from_yaml(payload.yaml)
    return Status(201, _framework_out(services.framework_import(spec=spec, actor=_user(request))))


@router.get("/index/frameworks/{framework_id}", response=responses(FrameworkDetailOut))
def framework_detail(request: HttpRequest, framework_id: Id) -> dict[str, Any]:
    framework = selectors.framework_get(_scope(request), framework_id)
    spec = framework.spec()
    nodes = [
        {
            "code": n.code,
            "parent": n.parent,
            "name": n.name,
            "name_vi": n.name_vi,
            "is_group": n.is_group,
            "weight": n.weight,
            "max_points": n.max_points,
            "scale": spec.scale(n.code),
            "method": "" if n.is_group else n.method,
            "aggregation": n.aggregation if n.is_group else "",
            "params": dict(n.params),
            "source": n.source,
        }
        for n in spec.nodes
    ]
    return {**_framework_out(framework), "nodes": nodes}


@router.get("/index/frameworks/{framework_id}/export", response=responses(None))
def framework_export(
    request: HttpRequest, framework_id: Id, format: Literal["yaml", "xlsx"] = "yaml"
) -> HttpResponse:
    framework = selectors.framework_get(_scope(request), framework_id)
    if format == "xlsx":
        return HttpResponse(io.to_xlsx(framework.spec()), content_type=XLSX)
    return HttpResponse(io.to_yaml(framework.spec()), content_type="application/yaml")


def _period_out(p: Period) -> dict[str, Any]:
    return {
        "id": p.pk,
        "framework_id": p.framework_id,
        "name": p.name,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "state": p.state,
        "previous_id": p.previous_id,
        "version": p.version,
    }


@router.get("/index/periods", response=responses(list[PeriodOut]))
def period_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_period_out(p) for p in selectors.visible_periods(_scope(request))]


@router.post("/index/frameworks/{framework_id}/periods", response=responses(PeriodOut, 201))
def period_open(request: HttpRequest, framework_id: Id, payload: PeriodIn) -> Status:
    scope = _scope(request)
    framework = selectors.framework_get(scope, framework_id)
    previous = selectors.period_get(scope, payload.previous_id) if payload.previous_id else None
    units = None
    if payload.unit_ids is not None:
        from tiendo.orgs.models import Unit

        units = list(Unit.objects.filter(pk__in=payload.unit_ids, closed_on__isnull=True))
        if len(units) != len(set(payload.unit_ids)):
            raise ValidationError({"unit_ids": _("Some units do not exist or are closed.")})
    period = services.period_open(
        framework=framework,
        name=payload.name,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        previous=previous,
        units=units,
        actor=_user(request),
    )
    return Status(201, _period_out(period))


@router.get("/index/periods/{period_id}", response=responses(PeriodOut))
def period_detail(request: HttpRequest, period_id: Id) -> dict[str, Any]:
    return _period_out(selectors.period_get(_scope(request), period_id))


def _period_step(request: HttpRequest, period_id: int, step: Any, version: int) -> dict[str, Any]:
    period = selectors.period_get(_scope(request), period_id)
    step(period=period, actor=_user(request), version=version)
    period.refresh_from_db()
    return _period_out(period)


@router.post("/index/periods/{period_id}/approve", response=responses(PeriodOut))
def period_approve(request: HttpRequest, period_id: Id, payload: VersionIn) -> dict[str, Any]:
    """The committee approves a period whose assessments are all verified."""
    return _period_step(request, period_id, services.period_approve, payload.version)


@router.post("/index/periods/{period_id}/publish", response=responses(PeriodOut))
def period_publish(request: HttpRequest, period_id: Id, payload: VersionIn) -> dict[str, Any]:
    """The committee publishes approved results: scores and ranks are frozen."""
    return _period_step(request, period_id, services.period_publish, payload.version)


@router.get("/index/periods/{period_id}/assessments", response=responses(list[AssessmentOut]))
def assessment_list(request: HttpRequest, period_id: Id) -> list[dict[str, Any]]:
    scope = _scope(request)
    period = selectors.period_get(scope, period_id)
    return [_assessment_out(a) for a in selectors.visible_assessments(scope, period)]


def _assessment_detail(a: Assessment) -> dict[str, Any]:
    values = sorted(selectors.current_values(a).values(), key=lambda v: v.node.position)
    history = selectors.value_history(a)
    return {
        **_assessment_out(a),
        "values": [_value_out(v) for v in values],
        "history": [_value_out(v) for v in history],
    }


@router.get("/index/assessments/{assessment_id}", response=responses(AssessmentDetailOut))
def assessment_detail(request: HttpRequest, assessment_id: Id) -> dict[str, Any]:
    """Current value of each indicator (latest entry) and the full history, newest first."""
    return _assessment_detail(selectors.assessment_get(_scope(request), assessment_id))


def _node(a: Assessment, code: str) -> FrameworkNode:
    node = FrameworkNode.objects.filter(framework_id=a.period.framework_id, code=code).first()
    if node is None:
        raise ValidationError({"code": _("Unknown indicator code “%(code)s”.") % {"code": code}})
    return node


@router.post("/index/assessments/{assessment_id}/values", response=responses(AssessmentDetailOut))
def value_enter(request: HttpRequest, assessment_id: Id, payload: ValueIn) -> dict[str, Any]:
    a = selectors.assessment_get(_scope(request), assessment_id)
    services.value_enter(
        assessment=a,
        node=_node(a, payload.code),
        value=payload.value,
        evidence_note=payload.evidence_note,
        actor=_user(request),
        version=payload.version,
    )
    return _assessment_detail(a)


@router.post(
    "/index/assessments/{assessment_id}/adjustments", response=responses(AssessmentDetailOut)
)
def value_adjust(request: HttpRequest, assessment_id: Id, payload: AdjustIn) -> dict[str, Any]:
    a = selectors.assessment_get(_scope(request), assessment_id)
    services.value_adjust(
        assessment=a,
        node=_node(a, payload.code),
        value=payload.value,
        reason=payload.reason,
        actor=_user(request),
        version=payload.version,
    )
    return _assessment_detail(a)


@router.post("/index/assessments/{assessment_id}/refresh", response=responses(AssessmentDetailOut))
def assessment_refresh(request: HttpRequest, assessment_id: Id) -> dict[str, Any]:
    a = selectors.assessment_get(_scope(request), assessment_id)
    services.assessment_refresh_automatic(assessment=a, actor=_user(request))
    return _assessment_detail(a)


@router.post("/index/assessments/{assessment_id}/submit", response=responses(AssessmentOut))
def assessment_submit(
    request: HttpRequest, assessment_id: Id, payload: VersionIn
) -> dict[str, Any]:
    a = selectors.assessment_get(_scope(request), assessment_id)
    services.assessment_submit(assessment=a, actor=_user(request), version=payload.version)
    return _assessment_out(a)


@router.post("/index/assessments/{assessment_id}/verify", response=responses(AssessmentOut))
def assessment_verify(
    request: HttpRequest, assessment_id: Id, payload: VersionIn
) -> dict[str, Any]:
    a = selectors.assessment_get(_scope(request), assessment_id)
    services.assessment_verify(assessment=a, actor=_user(request), version=payload.version)
    return _assessment_out(a)


@router.post("/index/assessments/{assessment_id}/return", response=responses(AssessmentOut))
def assessment_return(request: HttpRequest, assessment_id: Id, payload: ReasonIn) -> dict[str, Any]:
    a = selectors.assessment_get(_scope(request), assessment_id)
    services.assessment_return(
        assessment=a, reason=payload.reason, actor=_user(request), version=payload.version
    )
    return _assessment_out(a)


@router.get("/index/periods/{period_id}/results", response=responses(ResultsOut))
def results(request: HttpRequest, period_id: Id, kind: UnitKind | None = None) -> dict[str, Any]:
    """League table: ranks, totals, main indicators, change against the previous period."""
    scope = _scope(request)
    period = selectors.period_get(scope, period_id)
    rows = selectors.league_table(scope, period, kind=kind)
    return {
        "period_id": period.pk,
        "published": period.state == "published",
        "tie_rule": tie_rule(period.framework.rank_decimals),
        "rows": [
            {
                "rank": r.rank,
                "unit_id": r.unit.pk,
                "unit": r.unit.name,
                "kind": r.unit.kind,
                "total": r.total,
                "scale": r.scale,
                "pillars": {c: s for c, s, _sc in r.pillars},
                "previous_total": r.previous_total,
                "previous_rank": r.previous_rank,
                "change": r.change,
            }
            for r in rows
        ],
    }


@router.get(
    "/index/periods/{period_id}/units/{unit_id}/explain/{code}", response=responses(ExplainOut)
)
def explain(request: HttpRequest, period_id: Id, unit_id: Id, code: str) -> dict[str, Any]:
    """How a score was obtained: inputs, method, formula, weights, intermediate values, history."""
    scope = _scope(request)
    period = selectors.period_get(scope, period_id)
    data = selectors.explain(scope, period, unit_id, code)
    trace = dict(data["trace"])
    if "merged_from" in trace:
        trace["merged_from"] = [
            {"unit_id": m["unit"], "score": m["score"]} for m in trace["merged_from"]
        ]
    return {
        "unit_id": unit_id,
        "code": code,
        "name": data["node"].name,
        "trace": trace,
        "rule": f"{data['rule'].label}: {data['rule'].text}",
        "arithmetic": data["rule"].arithmetic,
        "history": [_value_out(v) for v in data["history"]],
    }


@router.get("/index/periods/{period_id}/emulation", response=responses(EmulationOut))
def emulation(request: HttpRequest, period_id: Id) -> dict[str, Any]:
    scope = _scope(request)
    period = selectors.period_get(scope, period_id)
    rows = selectors.emulation_ranking(scope, period)
    return {
        "period_id": period.pk,
        "rule": emulation_rule(period.emulation_index_weight),
        "rows": [
            {
                "rank": r.rank,
                "unit_id": r.unit.pk,
                "unit": r.unit.name,
                "leader": str(r.unit.head) if r.unit.head_id else None,
                "index_share": r.index_share,
                "tasks_share": r.tasks_share,
                "score": r.score,
                "task_ids": r.records,
            }
            for r in rows
        ],
    }
