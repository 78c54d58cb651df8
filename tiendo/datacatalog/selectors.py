"""Reads of the data catalogue, always through the user's scope.

A user may use (see, query, download) a dataset when
- they are an administrator, or
- the dataset's owner unit lies in their scope (a unit they belong to, or below it), or
- the dataset is shared (``DatasetAccess``) with one of their units or a unit above it, or
- they are its data steward;
and in every case only if their clearance reaches the dataset's classification.

``usable_datasets(user)`` is the one rule: the catalogue pages, the API, the SQL console and the
warehouse start from it, so a dataset outside it is simply absent (404 by code).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tiendo.orgs.scope import Scope, scope_for

from .models import (
    FREQUENCY_DAYS,
    CodeList,
    Dataset,
    DatasetAccess,
    DatasetField,
    DatasetStatus,
    DatasetVersion,
    PullAttempt,
    QualityDimension,
    QualityMeasure,
    VersionStatus,
)


def _ancestor_ids(paths: tuple[str, ...]) -> set[int]:
    """Ids of every unit on the given tree paths (``/1/7/42/`` -> 1, 7, 42)."""
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def usable_q(scope: Scope) -> Q:
    """The visibility rule above as a filter on ``Dataset`` rows."""
    cleared = Q(classification__lte=scope.clearance)
    if scope.is_admin:
        return cleared
    if not scope.is_authenticated:
        return Q(pk__in=[])
    reach = Q(steward_id=scope.user_id)
    if scope.unit_paths:
        reach |= scope.subtree_q("owner_unit_path")
        above = _ancestor_ids(tuple(path for _, path, _ in scope.memberships))
        shared = DatasetAccess.objects.filter(unit_id__in=sorted(above)).values("dataset_id")
        reach |= Q(pk__in=shared)
    return cleared & reach


def usable_datasets(user: Any) -> QuerySet[Dataset]:
    """Every dataset ``user`` may use (the rule in this module's docstring)."""
    return Dataset.objects.filter(usable_q(scope_for(user)))


def dataset_get(user: Any, code: str) -> Dataset:
    """The dataset ``code`` if ``user`` may use it, else ``Http404`` (existence does not leak)."""
    dataset = (
        usable_datasets(user).select_related("owner_unit", "steward").filter(code=code).first()
    )
    if dataset is None:
        raise Http404
    return dataset


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    owner_unit_id: int | None = None
    status: str = ""
    update_frequency: str = ""
    source_kind: str = ""


def catalogue_list(user: Any, filters: CatalogueFilters) -> QuerySet[Dataset]:
    """The catalogue page: usable datasets matching the search (name, description, code, owner
    unit, field names and labels) and filters, with their current version's row count."""
    rows = usable_datasets(user)
    if filters.q:
        term = filters.q.strip()
        in_fields = DatasetField.objects.filter(
            Q(name__icontains=term) | Q(label__icontains=term)
        ).values("dataset_id")
        rows = rows.filter(
            Q(name__icontains=term)
            | Q(code__icontains=term)
            | Q(description__icontains=term)
            | Q(owner_unit__name__icontains=term)
            | Q(owner_unit__short_name__icontains=term)
            | Q(pk__in=in_fields)
        )
    if filters.owner_unit_id:
        rows = rows.filter(owner_unit_id=filters.owner_unit_id)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.update_frequency:
        rows = rows.filter(update_frequency=filters.update_frequency)
    if filters.source_kind:
        rows = rows.filter(source_kind=filters.source_kind)
    current = Q(versions__status=VersionStatus.CURRENT)
    return (
        rows.select_related("owner_unit", "steward")
        .annotate(
            current_rows=Max("versions__row_count", filter=current),
            current_number=Max("versions__number", filter=current),
            last_version_at=Max("versions__created_at", filter=current),
        )
        .order_by("name", "id")
    )


def dataset_fields(dataset: Dataset) -> QuerySet[DatasetField]:
    return dataset.fields.select_related("code_list").order_by("order", "id")


def dataset_versions(dataset: Dataset) -> QuerySet[DatasetVersion]:
    return dataset.versions.select_related("created_by").order_by("-number")


def current_version(dataset: Dataset) -> DatasetVersion | None:
    return dataset.versions.filter(status=VersionStatus.CURRENT).first()


def version_get(dataset: Dataset, number: int) -> DatasetVersion:
    version = dataset.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def dataset_access_list(dataset: Dataset) -> QuerySet[DatasetAccess]:
    return dataset.access.select_related("unit").order_by("unit__path")


def pull_attempts(dataset: Dataset, limit: int = 10) -> list[PullAttempt]:
    return list(dataset.pull_attempts.order_by("-started_at", "-id")[:limit])


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    label: str
    score: Decimal | None
    checked: int
    failed: int
    rules: list[QualityMeasure]


def quality_by_dimension(version: DatasetVersion | None) -> list[DimensionScore]:
    """The six dimensions of ``version``, each the share of passing checks over its rules
    (``None`` when nothing was measured for that dimension)."""
    measures = list(version.quality.order_by("dimension", "rule")) if version else []
    out = []
    for dimension in QualityDimension:
        rules = [m for m in measures if m.dimension == dimension.value]
        checked = sum(m.checked for m in rules)
        failed = sum(m.failed for m in rules)
        scored = [m.score for m in rules if m.score is not None]
        score = (
            (sum(scored, Decimal(0)) / len(scored)).quantize(Decimal("0.01")) if scored else None
        )
        out.append(
            DimensionScore(
                dimension=dimension.value,
                label=str(dimension.label),
                score=score,
                checked=checked,
                failed=failed,
                rules=rules,
            )
        )
    return out


def measure_get(version: DatasetVersion, measure_id: int) -> QualityMeasure:
    measure = version.quality.filter(pk=measure_id).first()
    if measure is None:
        raise Http404
    return measure


def catalogue_counts(user: Any) -> dict[str, int]:
    """How many usable datasets per status (planned, building, live)."""
    counts = dict(usable_datasets(user).values_list("status").annotate(n=Count("id")).order_by())
    return {s.value: counts.get(s.value, 0) for s in DatasetStatus}


def access_get(dataset: Dataset, unit_id: int) -> DatasetAccess:
    grant = dataset.access.select_related("unit").filter(unit_id=unit_id).first()
    if grant is None:
        raise Http404
    return grant


def code_lists() -> QuerySet[CodeList]:
    return CodeList.objects.annotate(size=Count("items")).order_by("code")


@dataclass(frozen=True)
class Freshness:
    """Whether a dataset is "live": its last version against its declared update frequency."""

    last_update: dt.datetime | None
    due: dt.datetime | None
    late_days: int
    live: bool | None  # None: no rhythm declared (ad hoc) or nothing published yet


def freshness(
    dataset: Dataset, current: DatasetVersion | None, now: dt.datetime | None = None
) -> Freshness:
    now = now or timezone.now()
    last = (
        dataset.versions.filter(
            status__in=[VersionStatus.CURRENT, VersionStatus.SUPERSEDED]
        ).aggregate(last=Max("created_at"))["last"]
        if current is not None
        else None
    )
    days = FREQUENCY_DAYS.get(dataset.update_frequency)
    if last is None or days is None:
        return Freshness(last_update=last, due=None, late_days=0, live=None)
    due = last + dt.timedelta(days=days)
    late = max((now - due).days, 0) if now > due else 0
    return Freshness(last_update=last, due=due, late_days=late, live=now <= due)


def failing_rows(
    version: DatasetVersion, measure: QualityMeasure, *, page: int = 1, per_page: int = 50
) -> dict[str, Any]:
    """The rows behind a quality figure, from the quality engine with the same predicate that
    counted them (a page of ``per_page``); the stored sample when the engine has no rule id."""
    from . import quality_bridge

    found = quality_bridge.failing_rows(
        version, measure, limit=per_page, offset=(max(page, 1) - 1) * per_page
    )
    if found is not None:
        return {
            "columns": list(found.columns),
            "rows": [list(r) for r in found.rows],
            "total": found.total,
            "page": max(page, 1),
            "pages": max((found.total + per_page - 1) // per_page, 1),
        }
    sample = [row for row in measure.sample if isinstance(row, dict)]
    columns: list[str] = []
    for row in sample:
        for key in row:
            if key not in columns:
                columns.append(key)
    return {
        "columns": columns,
        "rows": [[row.get(c) for c in columns] for row in sample],
        "total": measure.failed,
        "page": 1,
        "pages": 1,
    }
