"""Writes about the warehouse: publishing a version (files + lineage), and tasks' dataset products.

``publication_create`` runs in three steps like the ingest: check (no lock), write the Parquet
files into the warehouse (no transaction: it can take long; ``warehouse.write_version`` is
atomic by rename), then record the lineage row and its audit entry in one short transaction.
If that transaction fails, the files just written are removed, so the warehouse never holds a
version that the catalogue does not know. Publishing the same version twice is refused (the
directory exists, and ``Publication.version`` is one-to-one).
"""

from __future__ import annotations

import shutil
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tiendo.audit.services import audit_record
from tiendo.core.errors import PermissionDeniedError
from tiendo.orgs.scope import scope_for
from tiendo.programs.models import Task

from . import access
from .models import Dataset, DatasetProduct, DatasetVersion, Publication, warehouse_table_name
from .selectors_warehouse import GOOD_VERSION
from .warehouse import (
    CODE_RE,
    WarehouseError,
    quote_literal,
    version_dir,
    warehouse_root,
    write_version,
)


def table_name(code: str) -> str:
    """The warehouse (and SQL console) name of a dataset code: ``dat-dai`` -> ``dat_dai``;
    ``ValidationError`` when the code names no table (longer than 63 characters)."""
    name = warehouse_table_name(code)
    if not CODE_RE.match(name):
        raise ValidationError(
            {
                "code": _(
                    "The code “%(code)s” cannot name a warehouse table: it may have at most 63 "
                    "characters (61 if it starts with a digit)."
                )
                % {"code": code}
            }
        )
    return name


def _check_manage(actor: Any, dataset: Dataset) -> None:
    if actor is not None and not access.can_manage_dataset(scope_for(actor), dataset):
        raise PermissionDeniedError(
            _("Only the data steward or a maintainer of the owner unit can publish this dataset.")
        )


def _version_to_publish(dataset: Dataset, number: int | None) -> DatasetVersion:
    versions = dataset.versions.all()
    version = (
        versions.filter(status="current").first()
        if number is None
        else versions.filter(number=number).first()
    )
    if version is None:
        raise ValidationError(
            {"number": _("There is no such version to publish.")}
            if number is not None
            else {"number": _("The dataset has no current version to publish yet.")}
        )
    path = version.parquet_file
    if version.status not in GOOD_VERSION or path is None or not path.exists():
        raise ValidationError({"number": _("Only a good version with its data can be published.")})
    if Publication.objects.filter(version=version).exists():
        raise ValidationError(
            {"number": _("Version %(number)d is already published.") % {"number": version.number}}
        )
    return version


def publication_create(
    *,
    actor: Any,
    dataset: Dataset,
    number: int | None = None,
    partition_by: str | None = None,
) -> Publication:
    """Publish version ``number`` (default: the current one) of ``dataset`` to the warehouse,
    partitioned by ``partition_by`` (default: the dataset's declared partition field)."""
    _check_manage(actor, dataset)
    version = _version_to_publish(dataset, number)
    partition = dataset.partition_field if partition_by is None else partition_by
    if partition and not dataset.fields.filter(name=partition).exists():
        raise ValidationError(
            {
                "partition_by": _("“%(field)s” is not a field of this dataset.")
                % {"field": partition}
            }
        )
    table = dataset.table_name  # stored and unique: no other dataset publishes here
    directory = version_dir(table, version.number)
    name = ""
    if (
        directory.exists()
        and not Publication.objects.filter(
            path=directory.relative_to(warehouse_root()).as_posix()
        ).exists()
    ):
        # Files that no publication owns: left by a database restored from a backup or a
        # rolled-back transaction. Never overwritten (another publisher may be writing them):
        # this publication gets a directory of its own.
        name = f"version={version.number}-{uuid.uuid4().hex[:8]}"
    try:
        written = write_version(
            source_sql=f"SELECT * FROM read_parquet({quote_literal(str(version.parquet_file))})",  # noqa: S608
            dataset_code=table,
            version=version.number,
            partition_by=partition,
            directory_name=name,
        )
    except WarehouseError as error:
        raise ValidationError({"number": str(error)}) from error
    try:
        publication = _record(actor=actor, dataset=dataset, version=version, written=written)
    except BaseException:
        shutil.rmtree(written.path, ignore_errors=True)
        raise
    # The "shared" quality dimension depends on publication: measure the version again.
    from .services import quality_measure

    quality_measure(version=version)
    return publication


@transaction.atomic
def _record(*, actor: Any, dataset: Dataset, version: DatasetVersion, written: Any) -> Publication:
    Dataset.objects.select_for_update().filter(pk=dataset.pk).first()
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                dataset=dataset,
                version=version,
                table_name=written.path.parent.name,  # the dataset's directory
                path=written.path.relative_to(warehouse_root()).as_posix(),
                partition_by=written.partition_by,
                row_count=written.row_count,
                file_count=len(written.files),
                checksum=written.checksum,
                source_kind=version.source_kind,
                source_description=version.source_description,
                published_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as error:
        raise ValidationError(
            {"number": _("Version %(number)d is already published.") % {"number": version.number}}
        ) from error
    audit_record(
        actor=actor,
        action="dataset.publish",
        obj=dataset,
        after={
            "version": version.number,
            "table": publication.table_name,
            "path": publication.path,
            "rows": publication.row_count,
            "files": publication.file_count,
            "checksum": publication.checksum,
            "partition_by": publication.partition_by,
            "source": publication.source_description,
        },
    )
    return publication


# --- tasks that deliver a dataset -------------------------------------------------------------


@transaction.atomic
def dataset_product_link(*, actor: Any, task: Task, dataset: Dataset) -> DatasetProduct:
    """Record that ``task`` delivers ``dataset`` (its product). The dataset's maintainers link
    it; the task must be visible to them (the caller resolves it through the task selectors)."""
    _check_manage(actor, dataset)
    product, created = DatasetProduct.objects.get_or_create(
        task=task,
        dataset=dataset,
        defaults={"linked_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    if created:
        audit_record(
            actor=actor,
            action="dataset.product_link",
            obj=dataset,
            after={"task": task.pk, "task_title": str(task)},
        )
    return product


@transaction.atomic
def dataset_product_unlink(*, actor: Any, task: Task, dataset: Dataset) -> None:
    _check_manage(actor, dataset)
    deleted, _rows = DatasetProduct.objects.filter(task=task, dataset=dataset).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="dataset.product_unlink",
            obj=dataset,
            before={"task": task.pk, "task_title": str(task)},
        )
