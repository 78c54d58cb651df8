"""Background jobs: they take ids and call ``pulls``, nothing more."""

from __future__ import annotations

from django_tasks import task

from .models import Dataset
from .pulls import pull_run, pulls_due
from .quality_bridge import remeasure_current


@task()
def pull_dataset(dataset_id: int) -> int | None:
    """Pull one dataset (with its bounded retries); the new version's number, or None."""
    version = pull_run(dataset_id)
    return version.number if version else None


@task()
def pull_due_datasets() -> list[int]:
    """Enqueue a pull for every dataset whose next pull time has passed."""
    ids = pulls_due()
    for dataset_id in ids:
        pull_dataset.enqueue(dataset_id)
    return ids


@task()
def measure_current(dataset_id: int) -> int:
    """Measure the current version again (its rules or schema changed); rules stored."""
    dataset = Dataset.objects.filter(pk=dataset_id).first()
    return remeasure_current(dataset) if dataset else 0
