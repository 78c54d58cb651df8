"""Reads about the warehouse: publications (lineage), the SQL console's tables, and the figures
of the catalogue used by the dashboard and the index engine.

Everything starts from ``selectors.usable_datasets(user)`` (or ``usable_q`` with a system scope
for the index engine), so a dataset outside the user's reach is absent from every list and
count. A figure and its list come from one function (``catalogue_facts``): the count is the
length of the list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiendo.core.fields import in_subtree
from tiendo.orgs.scope import Scope

from .models import (
    Dataset,
    DatasetAccess,
    DatasetVersion,
    Publication,
    QualityMeasure,
    VersionStatus,
)
from .quality.scores import AD_HOC, LiveStatus, liveness, overall_score
from .selectors import usable_datasets, usable_q
from .warehouse import warehouse_root

# A dataset whose overall quality is below this is flagged on the dashboard.
QUALITY_THRESHOLD = 80.0
GOOD_VERSION = (VersionStatus.CURRENT, VersionStatus.SUPERSEDED, VersionStatus.ROLLED_BACK)


def publication_dir(publication: Publication) -> Path:
    return warehouse_root() / publication.path


def dataset_publications(dataset: Dataset) -> QuerySet[Publication]:
    """The dataset's lineage in the warehouse, newest first."""
    return dataset.publications.select_related("version", "published_by").order_by(
        "-published_at", "-id"
    )


def current_publication(dataset: Dataset) -> Publication | None:
    """The publication of the dataset's current version (None: the current data is not in the
    warehouse, e.g. never published, or rolled back to a version that never was)."""
    return (
        Publication.objects.filter(dataset=dataset, version__status=VersionStatus.CURRENT)
        .select_related("version", "published_by")
        .first()
    )


def console_publications(user: Any) -> list[Publication]:
    """The tables the SQL console exposes to ``user``: the current version of every dataset
    they may use, when it is published."""
    return list(
        Publication.objects.filter(
            dataset__in=usable_datasets(user), version__status=VersionStatus.CURRENT
        )
        .select_related("dataset", "dataset__owner_unit", "version", "published_by")
        .order_by("table_name")
    )


def console_tables(publications: list[Publication]) -> dict[str, Path]:
    return {p.table_name: publication_dir(p) for p in publications}


def publication_facts(version: DatasetVersion) -> tuple[bool, int]:
    """For the quality engine's "shared" dimension: is the version published, and how many
    units other than the owner may use the dataset."""
    published = Publication.objects.filter(version=version).exists()
    users = DatasetAccess.objects.filter(dataset_id=version.dataset_id).count()
    return published, users


# --- catalogue figures (dashboard tile, index sources) ----------------------------------------


@dataclass(frozen=True)
class DatasetFacts:
    """What the dashboard and the index say about one dataset, computed once."""

    dataset: Dataset
    built: bool  # has data: a good version exists (by the day asked)
    version_number: int | None
    last_update: dt.date | None
    live_status: str
    published: bool
    quality: float | None

    @property
    def not_live(self) -> bool:
        return self.built and self.live_status in (LiveStatus.OVERDUE, LiveStatus.NEVER)

    @property
    def low_quality(self) -> bool:
        return self.quality is not None and self.quality < QUALITY_THRESHOLD


FIGURES = {
    "total": _("Datasets in the catalogue"),
    "planned": _("Planned, not built"),
    "built": _("Built"),
    "not_live": _("Not live (update overdue)"),
    "unpublished": _("Built, current data not in the warehouse"),
    "published": _("Current data published"),
    "low_quality": _("Quality below 80/100"),
    "measured": _("With a measured quality"),
}


def _subtree_q(unit: Any | None) -> Q:
    return Q() if unit is None else in_subtree("owner_unit_path", unit.path)


# What the facts read of a dataset when only the figures are wanted (the dashboard's tile).
FACT_COLUMNS = ("id", "name", "created_at", "update_frequency")


def catalogue_facts(
    datasets: QuerySet[Dataset], *, on: dt.date | None = None, counts_only: bool = False
) -> list[DatasetFacts]:
    """Facts about ``datasets`` as they stood at the end of day ``on`` (default: today).

    Three queries whatever the number of datasets: the datasets, their versions up to ``on``,
    the quality measures of those versions (none but the first when there is no dataset).
    "The version" of a dataset is its current version when ``on`` is today, else its latest
    good version created by then. ``counts_only``: the datasets are read with the columns the
    facts need (``FACT_COLUMNS``), not for showing (no owner unit, other fields deferred).
    """
    today = timezone.localdate()
    on = on or today
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))
    datasets = datasets.filter(created_at__lt=end).order_by("name", "id")
    if counts_only:
        datasets = datasets.only(*FACT_COLUMNS)
    else:
        datasets = datasets.select_related("owner_unit")
    rows = list(datasets)
    if not rows:
        return []
    versions = (
        DatasetVersion.objects.filter(
            dataset__in=[d.pk for d in rows], status__in=GOOD_VERSION, created_at__lt=end
        )
        .annotate(published_at=Max("publication__published_at"))
        .values("id", "dataset_id", "number", "status", "created_at", "published_at")
        .order_by("dataset_id", "number")
    )
    chosen: dict[int, Any] = {}
    for v in versions:
        if on >= today:
            if v["status"] == VersionStatus.CURRENT:
                chosen[v["dataset_id"]] = v
        else:
            chosen[v["dataset_id"]] = v  # ordered by number: the latest wins
    scores: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    measures = QualityMeasure.objects.filter(
        version_id__in=[v["id"] for v in chosen.values()], score__isnull=False
    ).values_list("version_id", "dimension", "score")
    for version_id, dimension, score in measures:
        if score is not None:
            scores[version_id][dimension].append(float(score))
    out = []
    for dataset in rows:
        version = chosen.get(dataset.pk)
        last = timezone.localtime(version["created_at"]).date() if version else None
        frequency = dataset.update_frequency or AD_HOC
        quality = None
        if version and scores.get(version["id"]):
            by_dimension = {d: sum(s) / len(s) for d, s in scores[version["id"]].items()}
            quality = overall_score(by_dimension)
        published_at = version["published_at"] if version else None
        out.append(
            DatasetFacts(
                dataset=dataset,
                built=version is not None,
                version_number=version["number"] if version else None,
                last_update=last,
                live_status=liveness(last, frequency, on).status,
                published=published_at is not None and published_at < end,
                quality=quality,
            )
        )
    return out


def figure_rows(facts: list[DatasetFacts], figure: str) -> list[DatasetFacts]:
    """The datasets behind one figure (the figure is the length of this list)."""
    tests = {
        "total": lambda f: True,
        "planned": lambda f: not f.built,
        "built": lambda f: f.built,
        "not_live": lambda f: f.not_live,
        "unpublished": lambda f: f.built and not f.published,
        "published": lambda f: f.published,
        "low_quality": lambda f: f.low_quality,
        "measured": lambda f: f.quality is not None,
    }
    if figure not in tests:
        raise KeyError(figure)
    return [f for f in facts if tests[figure](f)]


@dataclass(frozen=True)
class CatalogueTile:
    unit: Any | None
    counts: dict[str, int]
    average_quality: float | None


def catalogue_tile(user: Any, unit: Any | None) -> CatalogueTile:
    """The dashboard's data tile: the user's usable datasets owned in ``unit``'s subtree."""
    facts = catalogue_facts(usable_datasets(user).filter(_subtree_q(unit)), counts_only=True)
    counts = {name: len(figure_rows(facts, name)) for name in FIGURES}
    return CatalogueTile(unit=unit, counts=counts, average_quality=average_quality(facts))


def average_quality(facts: list[DatasetFacts]) -> float | None:
    measured = [f.quality for f in facts if f.quality is not None]
    return round(sum(measured) / len(measured), 2) if measured else None


def catalogue_figure_list(user: Any, unit: Any | None, figure: str) -> list[DatasetFacts]:
    """The list behind a figure of ``catalogue_tile`` (same datasets, same rule)."""
    return figure_rows(catalogue_facts(usable_datasets(user).filter(_subtree_q(unit))), figure)


def unit_facts(scope: Scope, unit: Any, on: dt.date) -> list[DatasetFacts]:
    """For the index engine: every dataset owned in ``unit``'s subtree, seen with ``scope``."""
    return catalogue_facts(Dataset.objects.filter(usable_q(scope) & _subtree_q(unit)), on=on)


def task_datasets(user: Any, task: Any) -> QuerySet[Dataset]:
    """The datasets ``task`` delivers as its product, among those ``user`` may use."""
    return usable_datasets(user).filter(products__task=task).order_by("name", "id")
