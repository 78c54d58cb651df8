"""The seam between stored versions and the quality engine (``tiendo.datacatalog.quality``).

The engine works on a Parquet path and a rules mapping and returns plain dataclasses; this module
gives it a version's file, the dataset's rules (the YAML text, completed by the declared schema:
required fields and code lists), the shared code lists, the live facts (last update, declared
frequency) and the shared facts (publication, users), and turns the results into rows to store.

A stored measure keeps the engine's rule id (``QualityMeasure.failing_sql``); the failing rows
page asks the engine again with that id, so the list comes from the same predicate that counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.conf import settings
from django.utils import timezone, translation

from .models import CodeList, Dataset, DatasetVersion, QualityMeasure, VersionStatus

if TYPE_CHECKING:
    from .quality.engine import FailingRows
    from .quality.rules import RuleSet, Standard
    from .services import MeasureInput


def rules_mapping(dataset: Dataset) -> dict[str, Any]:
    """The rules of ``dataset``: its YAML, plus ``required``/``code_list`` of declared fields
    that the YAML does not mention, plus the key fields and the declared frequency."""
    loaded = yaml.safe_load(dataset.rules_yaml) if dataset.rules_yaml.strip() else {}
    data: dict[str, Any] = dict(loaded) if isinstance(loaded, Mapping) else {}
    fields = dict(data.get("fields") or {})
    for f in dataset.fields.select_related("code_list").order_by("order", "id"):
        if not (f.required or f.code_list_id):
            continue
        spec = dict(fields.get(f.name) or {})
        if f.required:
            spec.setdefault("required", True)
        if f.code_list_id:
            spec.setdefault("code_list", f.code_list.code)  # type: ignore[union-attr]
        fields[f.name] = spec
    if fields:
        data["fields"] = fields
    if dataset.key_field_list and "key" not in data:
        data["key"] = dataset.key_field_list
    return data


def _rules(dataset: Dataset) -> RuleSet:
    from .quality.rules import parse_rules

    return parse_rules(rules_mapping(dataset))


STANDARDS_DIR = Path(__file__).resolve().parent / "standards"


def standard_files() -> dict[str, Path]:
    """Shared field standards by name: the shipped ones (``standards/*.yaml``), then the site's
    (``settings.TIENDO_DATA_STANDARDS_DIR``), which may replace a shipped one of the same name."""
    found: dict[str, Path] = {}
    site = getattr(settings, "TIENDO_DATA_STANDARDS_DIR", None)
    for folder in (STANDARDS_DIR, Path(site) if site else None):
        if folder is not None and folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                found[path.stem] = path
    return found


def _standards(rules: RuleSet) -> dict[str, Standard]:
    """The standard the rules name, parsed (none when they name none or an unknown one: the
    engine then refuses the rules naming the standard, and says so)."""
    from .quality.rules import parse_standard

    files = standard_files()
    if not rules.standard or rules.standard not in files:
        return {}
    text = files[rules.standard].read_text(encoding="utf-8")
    return {rules.standard: parse_standard(rules.standard, text)}


def _code_lists(rules: RuleSet, standards: dict[str, Standard]) -> dict[str, list[str]]:
    names = {f.code_list for f in rules.fields.values() if f.code_list}
    names |= {c.expected for c in rules.coverage}
    for standard in standards.values():
        names |= {f.code_list for f in standard.fields.values() if f.code_list}
    out: dict[str, list[str]] = {}
    for code_list in CodeList.objects.filter(code__in=names).prefetch_related("items"):
        out[code_list.code] = [item.code for item in code_list.items.all()]
    return out


def _publication(version: DatasetVersion) -> Any:
    from .quality.engine import PublicationFacts

    try:
        from .selectors_warehouse import publication_facts
    except ImportError:  # the warehouse is not installed: nothing is published
        return PublicationFacts(published=False, users=version.dataset.access.count())
    published, users = publication_facts(version)
    return PublicationFacts(published=published, users=users)


def _last_update(version: DatasetVersion) -> dt.date:
    return timezone.localtime(version.created_at).date()


def measure(version: DatasetVersion) -> list[MeasureInput]:
    """Profile ``version`` on the six dimensions; one ``MeasureInput`` per rule."""
    from .quality import engine
    from .quality.labels import describe
    from .services import MeasureInput

    path = version.parquet_file
    if path is None or not path.exists():
        return []
    dataset = version.dataset
    rules = _rules(dataset)
    standards = _standards(rules)  # read and parsed once: the code lists come from it too
    report = engine.profile(
        path,
        rules,
        code_lists=_code_lists(rules, standards),
        standards=standards,
        today=timezone.localdate(),
        last_update=_last_update(version),
        frequency=dataset.update_frequency,
        publication=_publication(version),
    )
    out = []
    for dimension in report.dimensions.values():
        for rule in dimension.rules:
            out.append(
                MeasureInput(
                    dimension=rule.dimension,
                    rule=rule.id,
                    checked=rule.checked,
                    failed=rule.failed,
                    description=_in_site_language(describe, rule),
                    failing_sql=rule.id,
                    engine_score=rule.score,
                )
            )
    return out


def _in_site_language(describe: Any, rule: Any) -> str:
    """The sentence is stored once, in the site's language (the measure runs in a job, with no
    user's language at hand)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(describe(rule))


def failing_rows(
    version: DatasetVersion, measure: QualityMeasure, *, limit: int = 50, offset: int = 0
) -> FailingRows | None:
    """The page of rows behind ``measure`` (None when the data file is gone)."""
    from .quality import engine

    path = version.parquet_file
    if path is None or not path.exists() or not measure.failing_sql:
        return None
    rules = _rules(version.dataset)
    standards = _standards(rules)
    return engine.failing_rows(
        path,
        rules,
        measure.failing_sql,
        code_lists=_code_lists(rules, standards),
        standards=standards,
        today=timezone.localdate(),
        limit=limit,
        offset=offset,
    )


def remeasure_current(dataset: Dataset) -> int:
    """Measure the current version again (after the rules changed); how many rules stored."""
    from .services import quality_measure

    current = dataset.versions.filter(status=VersionStatus.CURRENT).first()
    return quality_measure(version=current) if current else 0
