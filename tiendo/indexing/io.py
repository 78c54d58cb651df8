"""Read and write frameworks as YAML and XLSX, with errors that say where the problem is.

YAML keeps the tree nested (``root`` with ``children``); XLSX keeps one row per node with a
``parent`` column, which is what people edit in spreadsheets. Both produce a ``FrameworkSpec``
that ``validate`` checks before anything is saved (``services.framework_import``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from . import automatic, expressions
from .engine import FrameworkSpec, NodeSpec
from .methods import Aggregation, Method

NODE_COLUMNS = [
    "code",
    "parent",
    "name",
    "name_vi",
    "group",
    "weight",
    "max_points",
    "method",
    "aggregation",
    "source",
    "measure",
    "evidence",
    "params",
]
META_KEYS = ["code", "version", "name", "name_vi", "year", "description", "merge_level",
             "unit_kinds", "rank_decimals"]  # fmt: skip


def _number(value: Any, where: str, field: str, *, allow_none: bool = True) -> float | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationError(
            _("%(where)s: “%(field)s” is required.") % {"where": where, "field": field}
        )
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValidationError(
            _("%(where)s: “%(field)s” must be a number, not “%(value)s”.")
            % {"where": where, "field": field, "value": value}
        ) from None


def _node(data: Mapping[str, Any], parent: str | None, where: str) -> NodeSpec:
    code = str(data.get("code") or "").strip()
    if not code:
        raise ValidationError(_("%(where)s: every node needs a code.") % {"where": where})
    name = str(data.get("name") or "").strip()
    if not name:
        raise ValidationError(_("%(where)s: “name” is required.") % {"where": where})
    params = data.get("params") or {}
    if isinstance(params, str):
        try:
            params = json.loads(params)
        except json.JSONDecodeError:
            raise ValidationError(
                _("%(where)s: “params” is not valid JSON.") % {"where": where}
            ) from None
    if not isinstance(params, dict):
        raise ValidationError(_("%(where)s: “params” must be a mapping.") % {"where": where})
    is_group = bool(data.get("children")) or str(data.get("group", "")).lower() in {
        "1", "true", "yes", "x"}  # fmt: skip
    weight = _number(data.get("weight"), where, "weight")
    return NodeSpec(
        code=code,
        name=name,
        name_vi=str(data.get("name_vi") or ""),
        parent=parent,
        is_group=is_group,
        weight=1.0 if weight is None else weight,
        max_points=_number(data.get("max_points"), where, "max_points"),
        method=str(data.get("method") or Method.POINTS),
        params=params,
        aggregation=str(data.get("aggregation") or Aggregation.SUM),
        source=str(data.get("source") or ""),
        unit=str(data.get("measure") or ""),
        evidence=str(data.get("evidence") or ""),
    )


def _meta(data: Mapping[str, Any], nodes: list[NodeSpec]) -> FrameworkSpec:
    where = _("Framework")
    for key in ("code", "name", "version"):
        if not data.get(key):
            raise ValidationError(
                _("%(where)s: “%(field)s” is required.") % {"where": where, "field": key}
            )
    kinds = data.get("unit_kinds") or []
    if isinstance(kinds, str):
        kinds = [k.strip() for k in kinds.split(",") if k.strip()]
    version = _number(data.get("version"), where, "version", allow_none=False)
    year = _number(data.get("year"), where, "year")
    return FrameworkSpec(
        code=str(data["code"]).strip(),
        name=str(data["name"]).strip(),
        name_vi=str(data.get("name_vi") or ""),
        version=int(version or 0),
        year=int(year) if year else None,
        description=str(data.get("description") or ""),
        merge_level=int(_number(data.get("merge_level"), where, "merge_level") or 1),
        unit_kinds=tuple(str(k) for k in kinds),
        rank_decimals=int(_number(data.get("rank_decimals"), where, "rank_decimals") or 2),
        nodes=tuple(nodes),
    )


def validate(spec: FrameworkSpec) -> FrameworkSpec:
    """Check the whole tree; raise ``ValidationError`` naming the node at fault."""
    codes = [n.code for n in spec.nodes]
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValidationError(_("The code “%(code)s” is used twice.") % {"code": code})
        seen.add(code)
    roots = [n for n in spec.nodes if n.parent is None]
    if len(roots) != 1:
        raise ValidationError(_("A framework has exactly one root node."))
    indicator_codes = {n.code for n in spec.nodes if not n.is_group}
    for node in spec.nodes:
        where = _("Node “%(code)s”") % {"code": node.code}
        if node.parent is not None and node.parent not in seen:
            raise ValidationError(
                _("%(where)s: unknown parent “%(parent)s”.")
                % {"where": where, "parent": node.parent}
            )
        if node.weight < 0 or (node.max_points is not None and node.max_points < 0):
            raise ValidationError(
                _("%(where)s: weights and points cannot be negative.") % {"where": where}
            )
        if node.is_group:
            if node.aggregation not in Aggregation.ALL:
                raise ValidationError(
                    _("%(where)s: unknown aggregation “%(value)s”; use one of %(allowed)s.")
                    % {
                        "where": where,
                        "value": node.aggregation,
                        "allowed": ", ".join(Aggregation.ALL),
                    }
                )
            continue
        _validate_method(node, where, indicator_codes)
        if node.source and automatic.get_source(node.source) is None:
            raise ValidationError(
                _("%(where)s: unknown automatic source “%(value)s”; use one of %(allowed)s.")
                % {
                    "where": where,
                    "value": node.source,
                    "allowed": ", ".join(s.name for s in automatic.registered_sources()),
                }
            )
    if not spec.children(spec.root.code):
        raise ValidationError(_("The framework has no indicators."))
    return spec


def _validate_method(node: NodeSpec, where: str, indicator_codes: set[str]) -> None:
    params = node.params
    if node.method not in Method.ALL:
        raise ValidationError(
            _("%(where)s: unknown method “%(value)s”; use one of %(allowed)s.")
            % {"where": where, "value": node.method, "allowed": ", ".join(Method.ALL)}
        )
    if node.method == Method.RATIO and float(params.get("target", 100)) <= 0:
        raise ValidationError(_("%(where)s: the target must be positive.") % {"where": where})
    if node.method == Method.BANDS:
        bands = params.get("bands")
        if (
            not isinstance(bands, list)
            or not bands
            or not all(isinstance(b, dict) and "min" in b and "points" in b for b in bands)
        ):
            raise ValidationError(
                _("%(where)s: “bands” must be a list of {min, points}.") % {"where": where}
            )
    if node.method == Method.MINMAX and ("lo" in params) != ("hi" in params):
        raise ValidationError(
            _("%(where)s: give both goalposts lo and hi, or neither.") % {"where": where}
        )
    if (
        node.method == Method.MINMAX
        and "lo" in params
        and float(params["lo"]) >= float(params["hi"])
    ):
        raise ValidationError(_("%(where)s: lo must be below hi.") % {"where": where})
    if node.method == Method.FORMULA:
        expression = str(params.get("expression") or "")
        try:
            used = expressions.names(expression)
        except expressions.FormulaError as exc:
            raise ValidationError(f"{where}: {exc}") from None
        unknown = used - indicator_codes
        if unknown:
            raise ValidationError(
                _("%(where)s: the formula uses unknown indicators: %(codes)s.")
                % {"where": where, "codes": ", ".join(sorted(unknown))}
            )


# --- YAML -------------------------------------------------------------------------------------


def from_yaml(text: str | bytes) -> FrameworkSpec:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise ValidationError(
            _("The YAML file is not valid near line %(line)s.") % {"line": line}
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("root"), dict):
        raise ValidationError(_("The YAML file needs the framework fields and a “root” node."))
    nodes: list[NodeSpec] = []

    def walk(raw: Mapping[str, Any], parent: str | None, where: str) -> None:
        node = _node(raw, parent, where)
        nodes.append(node)
        children = raw.get("children") or []
        if not isinstance(children, list):
            raise ValidationError(_("%(where)s: “children” must be a list.") % {"where": where})
        for i, child in enumerate(children, start=1):
            if not isinstance(child, dict):
                raise ValidationError(
                    _("%(where)s: child %(n)s is not a mapping.") % {"where": where, "n": i}
                )
            walk(child, node.code, f"{where} > {child.get('code') or i}")

    walk(data["root"], None, str(data["root"].get("code") or "root"))
    return validate(_meta(data, nodes))


def _node_dict(spec: FrameworkSpec, node: NodeSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"code": node.code, "name": node.name}
    if node.name_vi:
        out["name_vi"] = node.name_vi
    if node.weight != 1:
        out["weight"] = node.weight
    if node.max_points is not None:
        out["max_points"] = node.max_points
    if node.is_group:
        out["aggregation"] = node.aggregation
        out["children"] = [_node_dict(spec, c) for c in spec.children(node.code)]
        return out
    out["method"] = node.method
    for key, value in (("params", dict(node.params)), ("source", node.source),
                       ("measure", node.unit), ("evidence", node.evidence)):  # fmt: skip
        if value:
            out[key] = value
    return out


def to_yaml(spec: FrameworkSpec) -> str:
    data: dict[str, Any] = {
        "code": spec.code,
        "version": spec.version,
        "name": spec.name,
        "name_vi": spec.name_vi,
        "year": spec.year,
        "description": spec.description,
        "merge_level": spec.merge_level,
        "unit_kinds": list(spec.unit_kinds),
        "rank_decimals": spec.rank_decimals,
        "root": _node_dict(spec, spec.root),
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


# --- XLSX -------------------------------------------------------------------------------------


def to_xlsx(spec: FrameworkSpec) -> bytes:
    book = Workbook()
    meta = book.active
    meta.title = "framework"
    meta.append(["key", "value"])
    for key in META_KEYS:
        value = getattr(spec, key)
        meta.append([key, ", ".join(value) if isinstance(value, tuple) else value])
    sheet = book.create_sheet("nodes")
    sheet.append(NODE_COLUMNS)
    for node in spec.nodes:
        sheet.append([
            node.code, node.parent or "", node.name, node.name_vi, "yes" if node.is_group else "",
            node.weight, node.max_points, "" if node.is_group else node.method,
            node.aggregation if node.is_group else "", node.source, node.unit, node.evidence,
            json.dumps(dict(node.params), ensure_ascii=False) if node.params else "",
        ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def from_xlsx(data: bytes) -> FrameworkSpec:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("The file is not a readable XLSX workbook.")) from None
    if "framework" not in book.sheetnames or "nodes" not in book.sheetnames:
        raise ValidationError(_("The workbook needs the sheets “framework” and “nodes”."))
    meta = {
        str(k): v for k, v, *_rest in book["framework"].iter_rows(min_row=2, values_only=True) if k
    }
    rows = list(book["nodes"].iter_rows(values_only=True))
    if not rows:
        raise ValidationError(_("The sheet “nodes” is empty."))
    header = [str(h or "").strip() for h in rows[0]]
    missing = [c for c in ("code", "parent", "name") if c not in header]
    if missing:
        raise ValidationError(
            _("Sheet “nodes”, row 1: missing columns %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    nodes: list[NodeSpec] = []
    for number, row in enumerate(rows[1:], start=2):
        raw = dict(zip(header, row, strict=False))
        if not any(v not in (None, "") for v in raw.values()):
            continue
        where = _("Sheet “nodes”, row %(row)s") % {"row": number}
        try:
            node = _node(raw, str(raw.get("parent") or "").strip() or None, where)
        except ValidationError as exc:
            column = _column_of(exc, header)
            if column:
                raise ValidationError(
                    _("%(message)s (column %(column)s)")
                    % {"message": exc.messages[0], "column": column}
                ) from None
            raise
        nodes.append(node)
    return validate(_meta(meta, nodes))


def _column_of(exc: ValidationError, header: list[str]) -> str:
    message = exc.messages[0]
    for index, name in enumerate(header):
        if f"“{name}”" in message:
            return chr(ord("A") + index) if index < 26 else str(index + 1)
    return ""
