"""Index pages: parse, check access (selectors and ``access``), one service or selector, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiendo.core.errors import ConflictError, PermissionDeniedError, validation_messages
from tiendo.orgs.models import UnitKind
from tiendo.orgs.scope import scope_for

from . import access, io, selectors, services
from .assessment_io import assessment_xlsx, parse_assessment_xlsx
from .charts import radar_svg
from .export import emulation_xlsx, league_xlsx
from .models import AssessmentState, FrameworkNode, PeriodState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def tie_rule(decimals: int) -> str:
    return _(
        "Ties: units whose totals are equal when rounded to %(decimals)s decimals share the same "
        "rank, and the next rank is skipped (standard competition ranking: 1, 2, 2, 4)."
    ) % {"decimals": decimals}


def emulation_rule(weight: float) -> str:
    return _(
        "Emulation score = %(index)s %% × index score (share of the maximum) + %(tasks)s %% × "
        "share of the unit's tasks due in the period that were completed on time; a unit with no "
        "task due is scored on the index alone. Ranked with ties sharing a rank (1, 2, 2, 4)."
    ) % {"index": round(weight * 100), "tasks": round((1 - weight) * 100)}


def _file(content: bytes | str, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _int(raw: str | None) -> int:
    """A form's integer field; garbage is 0 (an id that matches nothing, a stale version)."""
    try:
        return int(raw or 0)
    except ValueError:
        return 0


def _fail(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for field_messages in validation_messages(error).values():
            for message in field_messages:
                messages.error(request, message)
    else:
        messages.error(request, getattr(error, "message", str(error)))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    context = {
        "frameworks": selectors.visible_frameworks(scope),
        "periods": selectors.visible_periods(scope),
        "can_manage": access.can_manage_frameworks(scope),
        "sources": selectors.automatic_sources(),
    }
    return render(request, "indexing/home.html", context)


@login_required
def framework_detail(request: HttpRequest, framework_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    framework = selectors.framework_get(scope, framework_id)
    nodes = selectors.framework_nodes(framework)
    spec = framework.spec()
    rows = [(n, spec.depth(n.code), spec.scale(n.code)) for n in nodes]
    context = {
        "framework": framework,
        "rows": rows,
        "indicator_count": sum(1 for n in nodes if not n.is_group),
        "can_manage": access.can_manage_frameworks(scope),
        "periods": selectors.visible_periods(scope).filter(framework=framework),
    }
    return render(request, "indexing/framework_detail.html", context)


@login_required
def framework_export(request: HttpRequest, framework_id: int, fmt: str) -> HttpResponse:
    framework = selectors.framework_get(scope_for(request.user), framework_id)
    name = f"{framework.code}-{framework.version}"
    if fmt == "yaml":
        return _file(io.to_yaml(framework.spec()), f"{name}.yaml", "application/yaml")
    if fmt == "xlsx":
        return _file(io.to_xlsx(framework.spec()), f"{name}.xlsx", XLSX)
    raise Http404


@login_required
@require_POST
def framework_import(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Choose a YAML or XLSX file."))
        data = upload.read()
        is_xlsx = (upload.name or "").lower().endswith(".xlsx")
        spec = io.from_xlsx(data) if is_xlsx else io.from_yaml(data)
        framework = services.framework_import(spec=spec, actor=request.user)
    except (ValidationError, ConflictError, PermissionDeniedError) as error:
        _fail(request, error)
        return redirect("indexing:home")
    messages.success(request, _("Framework imported."))
    return redirect("indexing:framework_detail", framework.pk)


@login_required
@require_POST
def period_open(request: HttpRequest, framework_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    framework = selectors.framework_get(scope, framework_id)
    try:
        starts_on = dt.date.fromisoformat(request.POST.get("starts_on", ""))
        ends_on = dt.date.fromisoformat(request.POST.get("ends_on", ""))
    except ValueError:
        messages.error(request, _("Enter valid dates (YYYY-MM-DD)."))
        return redirect("indexing:framework_detail", framework.pk)
    previous_id = _int(request.POST.get("previous"))
    previous = selectors.period_get(scope, previous_id) if previous_id else None
    try:
        period = services.period_open(
            framework=framework,
            name=request.POST.get("name", "").strip() or str(framework),
            starts_on=starts_on,
            ends_on=ends_on,
            previous=previous,
            actor=request.user,
        )
    except (ValidationError, PermissionDeniedError) as error:
        _fail(request, error)
        return redirect("indexing:framework_detail", framework.pk)
    return redirect("indexing:period_detail", period.pk)


@login_required
def period_detail(request: HttpRequest, period_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    period = selectors.period_get(scope, period_id)
    context = {
        "period": period,
        "assessments": selectors.visible_assessments(scope, period),
        "is_committee": access.is_committee(scope, period),
        "States": PeriodState,
    }
    return render(request, "indexing/period_detail.html", context)


@login_required
@require_POST
def period_action(request: HttpRequest, period_id: int) -> HttpResponse:
    period = selectors.period_get(scope_for(request.user), period_id)
    action = request.POST.get("action")
    version = _int(request.POST.get("version"))
    try:
        if action == "approve":
            services.period_approve(period=period, actor=request.user, version=version)
        elif action == "publish":
            services.period_publish(period=period, actor=request.user, version=version)
        else:
            raise ValidationError(_("Unknown action."))
    except (ValidationError, ConflictError, PermissionDeniedError) as error:
        _fail(request, error)
    return redirect("indexing:period_detail", period.pk)


@login_required
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    assessment = selectors.assessment_get(scope, assessment_id)
    period = assessment.period
    spec = period.framework.spec()
    values = selectors.current_values(assessment)
    if request.GET.get("format") == "xlsx":
        manual = [n for n in selectors.framework_nodes(period.framework) if n.is_manual]
        name = f"assessment-{assessment.pk}.xlsx"
        return _file(assessment_xlsx(manual, values), name, XLSX)
    rows = [
        (node, spec.depth(node.code), values.get(node.pk))
        for node in selectors.framework_nodes(period.framework)
    ]
    editable = period.state == PeriodState.OPEN
    context = {
        "assessment": assessment,
        "period": period,
        "rows": rows,
        "can_enter": editable
        and assessment.state in services.EDITABLE
        and access.can_self_assess(scope, assessment.unit),
        "can_submit": editable
        and assessment.state in services.EDITABLE
        and access.can_submit(scope, assessment.unit),
        "can_review": editable
        and assessment.state == AssessmentState.SUBMITTED
        and access.is_reviewer(scope, period, assessment.unit),
        "history": selectors.value_history(assessment)[:200],
    }
    return render(request, "indexing/assessment_detail.html", context)


@login_required
def evidence_download(request: HttpRequest, value_id: int) -> FileResponse:
    """An evidence file, only to those who may see the assessment it belongs to (else 404)."""
    entry = selectors.value_get(scope_for(request.user), value_id)
    if not entry.evidence_file:
        raise Http404
    name = entry.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(entry.evidence_file.open("rb"), as_attachment=True, filename=name)


def _node(assessment: Any, request: HttpRequest) -> FrameworkNode:
    node = FrameworkNode.objects.filter(
        framework_id=assessment.period.framework_id, pk=_int(request.POST.get("node"))
    ).first()
    if node is None:
        raise ValidationError({"node": _("Choose an indicator of this framework.")})
    return node


def _value(raw: str | None) -> float | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        raise ValidationError({"value": _("Enter a number.")}) from None


@login_required
@require_POST
def assessment_action(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.assessment_get(scope_for(request.user), assessment_id)
    action = request.POST.get("action")
    version = _int(request.POST.get("version"))
    user, post = request.user, request.POST
    try:
        if action == "enter":
            services.value_enter(
                assessment=assessment,
                node=_node(assessment, request),
                value=_value(post.get("value")),
                evidence_note=post.get("evidence_note", ""),
                evidence_file=request.FILES.get("evidence_file"),
                actor=user,
                version=version,
            )
        elif action == "adjust":
            services.value_adjust(
                assessment=assessment,
                node=_node(assessment, request),
                value=_value(post.get("value")),
                reason=post.get("reason", ""),
                actor=user,
                version=version,
            )
        elif action == "upload":
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationError(_("Choose the filled XLSX sheet."))
            manual = [
                n for n in selectors.framework_nodes(assessment.period.framework) if n.is_manual
            ]
            services.values_enter_many(
                assessment=assessment,
                values=parse_assessment_xlsx(upload.read(), manual),
                actor=user,
                version=version,
            )
        elif action == "refresh":
            services.assessment_refresh_automatic(assessment=assessment, actor=user)
        elif action == "submit":
            services.assessment_submit(assessment=assessment, actor=user, version=version)
        elif action == "return":
            services.assessment_return(
                assessment=assessment, reason=post.get("reason", ""), actor=user, version=version
            )
        elif action == "verify":
            services.assessment_verify(assessment=assessment, actor=user, version=version)
        else:
            raise ValidationError(_("Unknown action."))
    except (ValidationError, ConflictError, PermissionDeniedError) as error:
        _fail(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("indexing:assessment_detail", assessment.pk)


def _pillar_labels(spec: Any) -> list[tuple[str, str]]:
    return [(n.code, selectors.node_label(n)) for n in spec.main_indicators()]


@login_required
def results(request: HttpRequest, period_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    period = selectors.period_get(scope, period_id)
    kind = request.GET.get("kind") or None
    if kind and kind not in UnitKind.values:
        kind = None
    rows = selectors.league_table(scope, period, kind=kind)
    spec = period.framework.spec()
    pillars = _pillar_labels(spec)
    if request.GET.get("format") == "xlsx":
        content = league_xlsx(rows, [name for _code, name in pillars], tie_rule(spec.rank_decimals))
        return _file(content, f"results-{period.pk}.xlsx", XLSX)
    kinds = selectors.period_unit_kinds(period)
    context = {
        "period": period,
        "rows": rows,
        "pillars": pillars,
        "kind": kind,
        "kinds": [(k, UnitKind(k).label) for k in kinds],
        "tie_rule": tie_rule(spec.rank_decimals),
        "root_code": spec.root.code,
        "published": period.state == PeriodState.PUBLISHED,
    }
    return render(request, "indexing/results.html", context)


def _unit_tree(data: dict[str, Any]) -> list[tuple[Any, int, float, float]]:
    spec, scores = data["spec"], data["scores"]
    return [
        (n, spec.depth(n.code), scores.get(n.code, 0.0), spec.scale(n.code)) for n in spec.nodes
    ]


def _radar_axes(spec: Any) -> list[Any]:
    """The main indicators that carry points, or the level below the root's children."""
    axes = [n for n in spec.main_indicators() if spec.scale(n.code) > 0]
    if len(axes) < 3:
        axes = [n for n in spec.nodes if spec.depth(n.code) == 2 and spec.scale(n.code) > 0]
    return axes


def _axis_labels(spec: Any) -> list[str]:
    return [selectors.node_label(n) for n in _radar_axes(spec)]


def _shares(data: dict[str, Any]) -> list[float]:
    spec, scores = data["spec"], data["scores"]
    out = []
    for p in _radar_axes(spec):
        scale = spec.scale(p.code)
        out.append(scores[p.code] / scale if scale else 0.0)
    return out


@login_required
def unit_result(request: HttpRequest, period_id: int, unit_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    period = selectors.period_get(scope, period_id)
    data = selectors.unit_scores(scope, period, unit_id)
    labels = _axis_labels(data["spec"])
    shares = _shares(data)
    context = {
        "period": period,
        "unit": data["unit"],
        "tree": _unit_tree(data),
        "radar": radar_svg(labels, [(data["unit"].name, shares)]),
        "radar_data": {
            "labels": labels,
            "series": [{"name": data["unit"].name, "values": [round(s, 4) for s in shares]}],
        },
    }
    return render(request, "indexing/unit_result.html", context)


@login_required
def compare(request: HttpRequest, period_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    period = selectors.period_get(scope, period_id)
    try:
        a_id, b_id = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        raise Http404 from None
    a, b = selectors.unit_scores(scope, period, a_id), selectors.unit_scores(scope, period, b_id)
    labels = _axis_labels(a["spec"])
    rows = [
        (n, depth, score, b["scores"].get(n.code, 0.0), score - b["scores"].get(n.code, 0.0), scale)
        for n, depth, score, scale in _unit_tree(a)
    ]
    series = [(a["unit"].name, _shares(a)), (b["unit"].name, _shares(b))]
    context = {
        "period": period,
        "a": a["unit"],
        "b": b["unit"],
        "rows": rows,
        "radar": radar_svg(labels, series),
        "radar_data": {
            "labels": labels,
            "series": [{"name": n, "values": [round(s, 4) for s in v]} for n, v in series],
        },
    }
    return render(request, "indexing/compare.html", context)


@login_required
def explain(request: HttpRequest, period_id: int, unit_id: int, code: str) -> HttpResponse:
    scope = scope_for(request.user)
    period = selectors.period_get(scope, period_id)
    context = {"period": period, **selectors.explain(scope, period, unit_id, code)}
    return render(request, "indexing/explain.html", context)


@login_required
def emulation(request: HttpRequest, period_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    period = selectors.period_get(scope, period_id)
    rows = selectors.emulation_ranking(scope, period)
    rule = emulation_rule(period.emulation_index_weight)
    if request.GET.get("format") == "xlsx":
        return _file(emulation_xlsx(rows, rule), f"emulation-{period.pk}.xlsx", XLSX)
    context = {"period": period, "rows": rows, "rule": rule}
    return render(request, "indexing/emulation.html", context)
