"""Writes of the data catalogue: datasets, schema, sharing, versions (ingest, rollback), quality.

Every function is keyword-only, checks the actor's right, runs in a transaction and appends an
audit entry. Ingest is the exception to "one transaction": reading a large file takes long, so
``version_ingest`` runs in three steps — reserve a staged version (short transaction), stream the
rows into a new Parquet file (no transaction, no lock), then publish or fail it (short
transaction, dataset row locked). Until the last step the current version is untouched; a
malformed file leaves a ``failed`` version with its row/column errors and nothing else.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from tiendo.audit.services import audit_record, snapshot
from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.orgs.models import Unit
from tiendo.orgs.scope import scope_for

from . import access
from .ingest import FieldSpec, IngestError, IngestResult, RowSource, ingest_rows, open_rows
from .models import (
    CodeList,
    CodeListItem,
    Dataset,
    DatasetAccess,
    DatasetField,
    DatasetStatus,
    DatasetVersion,
    FieldType,
    QualityDimension,
    QualityMeasure,
    SourceKind,
    VersionStatus,
)

log = logging.getLogger(__name__)

DATASET_FIELDS = (
    "code",
    "name",
    "description",
    "owner_unit",
    "steward",
    "legal_basis",
    "classification",
    "update_frequency",
    "status",
    "source_kind",
    "source_config",
    "pull_every_hours",
    "rules_yaml",
    "key_fields",
    "partition_field",
)


def catalogue_dir() -> Path:
    """Where version files live (``TIENDO_CATALOGUE_DIR``, by default ``DATA_DIR/catalogue``)."""
    return Path(getattr(settings, "TIENDO_CATALOGUE_DIR", settings.DATA_DIR / "catalogue"))


def _deny(message: str) -> None:
    raise PermissionDeniedError(message)


def _check_manage(actor: Any, dataset: Dataset) -> None:
    if actor is not None and not access.can_manage_dataset(scope_for(actor), dataset):
        _deny(_("Only the data steward or a maintainer of the owner unit can change this dataset."))


def _check_clearance(actor: Any, classification: int) -> None:
    scope = scope_for(actor)
    if classification > scope.clearance and not scope.is_admin:
        raise ValidationError(
            {"classification": _("You cannot classify a record above your own clearance.")}
        )


def _bump_version(dataset: Dataset, version: int | None) -> None:
    """Optimistic concurrency: save only if nobody saved since ``version`` was read."""
    if version is None:
        return
    updated = Dataset.objects.filter(pk=dataset.pk, version=version).update(
        version=F("version") + 1
    )
    if not updated:
        raise ConflictError(
            _(
                "Someone else changed this record after you opened it. Reload it and apply your changes again."
            )
        )
    dataset.version = version + 1


def _check_rules(text: str) -> None:
    """The quality rules must parse; every problem is reported at once, in the user's language."""
    if not text.strip():
        return
    from .quality.rules import RuleError, parse_rules

    try:
        rules = parse_rules(text)
    except RuleError as error:
        raise ValidationError({"rules_yaml": [str(p) for p in error.problems]}) from None
    from .quality_bridge import standard_files

    known = standard_files()
    if rules.standard and rules.standard not in known:
        raise ValidationError(
            {
                "rules_yaml": _(
                    "standard: no shared standard is named “%(name)s” (known: %(known)s)."
                )
                % {"name": rules.standard, "known": ", ".join(sorted(known)) or "—"}
            }
        )


# Datasets -----------------------------------------------------------------------------------


def _claim_table_name(actor: Any, dataset: Dataset, *, published: bool = False) -> None:
    """Set ``dataset.table_name`` from its code, or refuse the code: it names no warehouse table
    (too long), or the table of another dataset (``dan-cu`` and ``dan_cu`` are one table).

    The other dataset is named only if ``actor`` may use it; otherwise the message says that
    some dataset holds the name, which the unique code already reveals, and nothing more.
    ``published``: the dataset is in the warehouse under its current name, which cannot change.
    """
    from .selectors import usable_datasets
    from .services_warehouse import table_name

    if not dataset.code:
        return  # "this field is required" comes from full_clean
    name = table_name(dataset.code)
    if published and name != dataset.table_name:
        raise ValidationError(
            {
                "code": _(
                    "This dataset is published in the warehouse as the table “%(table)s”: its "
                    "code can change only to one that keeps that table name."
                )
                % {"table": dataset.table_name}
            }
        )
    clash = Dataset.objects.filter(table_name=name).exclude(pk=dataset.pk).first()
    if clash is not None:
        visible = actor is None or usable_datasets(actor).filter(pk=clash.pk).exists()
        values = {"code": dataset.code, "table": name, "name": clash.name, "other": clash.code}
        raise ValidationError(
            {
                "code": (
                    _(
                        "The code “%(code)s” gives the warehouse table “%(table)s”, which is the "
                        "table of the dataset “%(name)s” (code “%(other)s”): choose another code."
                    )
                    if visible
                    else _(
                        "The code “%(code)s” gives the warehouse table “%(table)s”, which another "
                        "dataset already uses: choose another code."
                    )
                )
                % values
            }
        )
    dataset.table_name = name


def _save_claiming(actor: Any, dataset: Dataset) -> None:
    """Save; a declaration of the same table that committed meanwhile (a race the check above
    could not see) fails on the unique constraint and is reported like any clash."""
    try:
        with transaction.atomic():
            dataset.save()
    except IntegrityError:
        _claim_table_name(actor, dataset)  # now sees the other, committed dataset: names it
        raise


@transaction.atomic
def dataset_create(*, actor: Any, owner_unit: Unit, **fields: Any) -> Dataset:
    """Declare a dataset owned by ``owner_unit`` (the actor maintains that unit's data)."""
    if not access.can_create_dataset(scope_for(actor), owner_unit.path):
        _deny(_("You can only declare datasets of your own units."))
    dataset = Dataset(
        owner_unit=owner_unit,
        owner_unit_path=owner_unit.path,
        **{k: v for k, v in fields.items() if k in DATASET_FIELDS and k != "owner_unit"},
    )
    _check_clearance(actor, dataset.classification)
    _check_rules(dataset.rules_yaml)
    _claim_table_name(actor, dataset)
    dataset.full_clean()
    _save_claiming(actor, dataset)
    audit_record(actor=actor, action="dataset.create", obj=dataset, after=snapshot(dataset))
    return dataset


@transaction.atomic
def dataset_update(*, actor: Any, dataset: Dataset, version: int | None, **fields: Any) -> Dataset:
    """Change the metadata; ``version`` is the one the user read (stale -> ``ConflictError``)."""
    _check_manage(actor, dataset)
    before = snapshot(dataset)
    for name, value in fields.items():
        if name in DATASET_FIELDS:
            setattr(dataset, name, value)
    if dataset.code != before.get("code"):
        _claim_table_name(actor, dataset, published=dataset.publications.exists())
    if "owner_unit" in fields:
        if not access.can_create_dataset(scope_for(actor), dataset.owner_unit.path):
            _deny(_("You can only declare datasets of your own units."))
        dataset.owner_unit_path = dataset.owner_unit.path
    if "classification" in fields:
        _check_clearance(actor, dataset.classification)
    _check_rules(dataset.rules_yaml)
    dataset.full_clean()
    _bump_version(dataset, version)
    _save_claiming(actor, dataset)
    audit_record(
        actor=actor, action="dataset.update", obj=dataset, before=before, after=snapshot(dataset)
    )
    if (
        before.get("rules_yaml") != dataset.rules_yaml
        or before.get("key_fields") != dataset.key_fields
    ):
        _remeasure_later(dataset)
    return dataset


def _remeasure_later(dataset: Dataset) -> None:
    """The figures of the current version follow its rules: measure again after commit, on the
    task queue (a large version takes a while)."""
    from .tasks import measure_current

    dataset_id = dataset.pk
    transaction.on_commit(lambda: measure_current.enqueue(dataset_id))


@dataclass(frozen=True)
class FieldInput:
    name: str
    type: str = FieldType.TEXT
    required: bool = False
    label: str = ""
    code_list: str = ""  # code of a CodeList, or ""
    description: str = ""


@transaction.atomic
def dataset_schema_set(
    *, actor: Any, dataset: Dataset, version: int | None, fields: Sequence[FieldInput]
) -> list[DatasetField]:
    """Replace the declared fields (the schema) of ``dataset``; checked on the next version."""
    _check_manage(actor, dataset)
    errors: list[str] = []
    seen: set[str] = set()
    lists = {c.code: c for c in CodeList.objects.filter(code__in={f.code_list for f in fields})}
    rows = []
    for position, item in enumerate(fields, start=1):
        name = item.name.strip()
        if not name:
            errors.append(_("Line %(line)s: the field has no name.") % {"line": position})
            continue
        if name.lower() in seen:
            errors.append(
                _("Line %(line)s: the field “%(name)s” is declared twice.")
                % {"line": position, "name": name}
            )
        seen.add(name.lower())
        if item.type not in FieldType.values:
            errors.append(
                _("Line %(line)s: unknown type “%(type)s” (use one of: %(types)s).")
                % {"line": position, "type": item.type, "types": ", ".join(FieldType.values)}
            )
        code_list = None
        if item.code_list:
            code_list = lists.get(item.code_list)
            if code_list is None:
                errors.append(
                    _("Line %(line)s: there is no code list “%(code)s”.")
                    % {"line": position, "code": item.code_list}
                )
        rows.append(
            DatasetField(
                dataset=dataset,
                name=name[:100],
                label=item.label[:255],
                type=item.type,
                required=item.required,
                code_list=code_list,
                description=item.description,
                order=position,
            )
        )
    if errors:
        raise ValidationError({"schema": errors})
    before = [f.name for f in dataset.fields.all()]
    _bump_version(dataset, version)
    dataset.fields.all().delete()
    created = DatasetField.objects.bulk_create(rows)
    _remeasure_later(dataset)
    audit_record(
        actor=actor,
        action="dataset.schema",
        obj=dataset,
        before={"fields": before},
        after={"fields": [f"{f.name}:{f.type}{'!' if f.required else ''}" for f in rows]},
    )
    return created


@transaction.atomic
def dataset_access_grant(*, actor: Any, dataset: Dataset, unit: Unit) -> DatasetAccess:
    """Let ``unit`` (and the units below it) use ``dataset``."""
    _check_manage(actor, dataset)
    grant, created = DatasetAccess.objects.get_or_create(
        dataset=dataset, unit=unit, defaults={"granted_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action="dataset.access_grant",
            obj=dataset,
            after={"unit": unit.pk, "unit_name": unit.name},
        )
    return grant


@transaction.atomic
def dataset_access_revoke(*, actor: Any, dataset: Dataset, unit: Unit) -> None:
    _check_manage(actor, dataset)
    deleted, _rows = DatasetAccess.objects.filter(dataset=dataset, unit=unit).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="dataset.access_revoke",
            obj=dataset,
            before={"unit": unit.pk, "unit_name": unit.name},
        )


# Code lists ----------------------------------------------------------------------------------


@transaction.atomic
def codelist_from_units(*, actor: Any, code: str, name: str, root: Unit) -> CodeList:
    """A code list of the administrative units under ``root`` (their codes and names), the
    shared list that address fields of every dataset should use. Reloading replaces the items."""
    scope = scope_for(actor)
    if not (scope.is_admin or access.can_create_dataset(scope, root.path)):
        _deny(_("You can only load the units of your own part of the tree."))
    code_list, _created = CodeList.objects.get_or_create(code=code, defaults={"name": name})
    code_list.items.all().delete()
    units = Unit.objects.filter(path__startswith=root.path).select_related("parent")
    CodeListItem.objects.bulk_create(
        CodeListItem(
            code_list=code_list,
            code=u.code,
            label=u.name,
            parent_code=u.parent.code if u.parent is not None else "",
        )
        for u in units
    )
    audit_record(
        actor=actor,
        action="codelist.load_units",
        obj=code_list,
        after={"root": root.pk, "items": code_list.items.count()},
    )
    return code_list


# Versions ------------------------------------------------------------------------------------


def field_specs(dataset: Dataset) -> list[FieldSpec]:
    return [
        FieldSpec(name=f.name, type=f.type, label=f.label)
        for f in dataset.fields.order_by("order", "id")
    ]


@transaction.atomic
def _version_reserve(
    *, actor: Any, dataset: Dataset, source_kind: str, source_description: str
) -> DatasetVersion:
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DatasetVersion.objects.create(
        dataset=locked,
        number=number,
        status=VersionStatus.STAGED,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        source_kind=source_kind,
        source_description=source_description[:500],
    )
    version.parquet_path = f"{dataset.code}/v{number}.parquet"
    version.save(update_fields=["parquet_path"])
    return version


@transaction.atomic
def _version_fail(
    *, actor: Any, version: DatasetVersion, result: IngestResult | None, message: str
) -> None:
    version.status = VersionStatus.FAILED
    if result is not None:
        version.errors = result.errors
        version.error_count = result.error_count
        version.row_count = result.row_count
    else:
        version.errors = [{"row": "", "column": "", "field": "", "message": message}]
        version.error_count = 1
    version.parquet_path = ""
    version.save(update_fields=["status", "errors", "error_count", "row_count", "parquet_path"])
    audit_record(
        actor=actor,
        action="dataset.version_failed",
        obj=version.dataset,
        after={"version": version.number, "errors": version.error_count, "message": message},
    )


@transaction.atomic
def _version_publish(
    *, actor: Any, version: DatasetVersion, result: IngestResult
) -> DatasetVersion:
    dataset = Dataset.objects.select_for_update().get(pk=version.dataset_id)
    current = dataset.versions.filter(status=VersionStatus.CURRENT).first()
    version.row_count = result.row_count
    version.checksum = result.checksum
    version.error_count = 0
    version.errors = []
    if result.ignored_columns:
        version.note = _("Columns not in the schema, not kept: %(columns)s") % {
            "columns": ", ".join(result.ignored_columns)
        }
    # A slower upload that started earlier must not replace a newer current version.
    if current is None or current.number < version.number:
        if current is not None:
            current.status = VersionStatus.SUPERSEDED
            current.save(update_fields=["status"])
        version.status = VersionStatus.CURRENT
    else:
        version.status = VersionStatus.SUPERSEDED
    version.save()
    if version.status == VersionStatus.CURRENT and dataset.status != DatasetStatus.LIVE:
        Dataset.objects.filter(pk=dataset.pk).update(status=DatasetStatus.LIVE)
    audit_record(
        actor=actor,
        action="dataset.version_publish",
        obj=dataset,
        after={
            "version": version.number,
            "status": version.status,
            "rows": version.row_count,
            "checksum": version.checksum,
            "source": version.source_description,
        },
    )
    return version


def version_ingest(
    *,
    actor: Any,
    dataset: Dataset,
    source: RowSource,
    source_kind: str,
    source_description: str,
) -> DatasetVersion:
    """Stream ``source`` into a new version of ``dataset``; publish it as current if every row is
    valid, else record it as failed with its row/column errors. Returns the version either way."""
    _check_manage(actor, dataset)
    version = _version_reserve(
        actor=actor,
        dataset=dataset,
        source_kind=source_kind,
        source_description=source_description,
    )
    target = catalogue_dir() / version.parquet_path
    try:
        result = ingest_rows(source, field_specs(dataset), target)
    except IngestError as error:
        _version_fail(actor=actor, version=version, result=None, message=error.message)
        return version
    except BaseException:
        target.unlink(missing_ok=True)
        _version_fail(
            actor=actor, version=version, result=None, message=_("The ingest was interrupted.")
        )
        raise
    if not result.ok:
        _version_fail(
            actor=actor,
            version=version,
            result=result,
            message=_("%(count)s errors") % {"count": result.error_count},
        )
        return version
    try:
        version = _version_publish(actor=actor, version=version, result=result)
    except BaseException:
        target.unlink(missing_ok=True)
        _version_fail(
            actor=actor, version=version, result=None, message=_("The version could not be saved.")
        )
        raise
    quality_measure(version=version)
    return version


def version_upload(*, actor: Any, dataset: Dataset, name: str, path: str | Path) -> DatasetVersion:
    """A new version from an uploaded file (CSV, XLSX or Parquet) at ``path`` on disk."""
    _check_manage(actor, dataset)
    try:
        with open_rows(name, path) as source:
            return version_ingest(
                actor=actor,
                dataset=dataset,
                source=source,
                source_kind=SourceKind.UPLOAD,
                source_description=name,
            )
    except IngestError as error:
        version = _version_reserve(
            actor=actor,
            dataset=dataset,
            source_kind=SourceKind.UPLOAD,
            source_description=name,
        )
        _version_fail(actor=actor, version=version, result=None, message=error.message)
        return version


@transaction.atomic
def version_make_current(
    *, actor: Any, dataset: Dataset, number: int, reason: str
) -> DatasetVersion:
    """Roll back (or forward) to version ``number``: it becomes current again; the version that
    was current is marked rolled back. The reason is required and kept in the audit trail."""
    _check_manage(actor, dataset)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the version is changed.")})
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    target = locked.versions.filter(number=number).first()
    if target is None:
        raise ValidationError({"number": _("There is no such version.")})
    if target.status == VersionStatus.CURRENT:
        raise ValidationError({"number": _("This version is already the current one.")})
    path = target.parquet_file
    if target.status not in (VersionStatus.SUPERSEDED, VersionStatus.ROLLED_BACK) or not (
        path and path.exists()
    ):
        raise ValidationError(
            {"number": _("Only a good earlier version with its data can be made current.")}
        )
    current = locked.versions.filter(status=VersionStatus.CURRENT).first()
    if current is not None:
        current.status = VersionStatus.ROLLED_BACK
        current.save(update_fields=["status"])
    target.status = VersionStatus.CURRENT
    target.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="dataset.version_rollback",
        obj=locked,
        summary=reason,
        before={"current": current.number if current else None},
        after={"current": target.number, "reason": reason},
    )
    return target


# Quality -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureInput:
    """One measured rule, as stored (the quality engine's results are copied into these)."""

    dimension: str
    rule: str
    checked: int
    failed: int
    description: str = ""
    failing_sql: str = ""  # the quality engine's rule id, to list the failing rows again
    sample: tuple[dict[str, Any], ...] = ()
    engine_score: float | None = None  # when the engine scores otherwise (live: days late)

    @property
    def score(self) -> Decimal | None:
        if self.engine_score is not None:
            return Decimal(str(self.engine_score)).quantize(Decimal("0.01"))
        if self.checked <= 0:
            return None
        return (Decimal(100) * (self.checked - self.failed) / self.checked).quantize(
            Decimal("0.01")
        )


def _ratio(checked: int, failed: int) -> Decimal | None:
    return MeasureInput(dimension="", rule="", checked=checked, failed=failed).score


@transaction.atomic
def quality_store(*, version: DatasetVersion, measures: Iterable[MeasureInput]) -> int:
    """Replace the stored quality measures of ``version``."""
    rows = []
    for m in measures:
        if m.dimension not in QualityDimension.values:
            raise ValueError(f"unknown quality dimension {m.dimension!r}")
        checked = max(int(m.checked), 0)
        failed = min(max(int(m.failed), 0), checked)
        rows.append(
            QualityMeasure(
                version=version,
                dimension=m.dimension,
                rule=m.rule[:255],
                description=m.description[:500],
                checked=checked,
                failed=failed,
                score=m.score if m.engine_score is not None else _ratio(checked, failed),
                failing_sql=m.failing_sql,
                sample=list(m.sample)[:20],
            )
        )
    version.quality.all().delete()
    QualityMeasure.objects.bulk_create(rows)
    return len(rows)


def quality_measure(*, version: DatasetVersion) -> int:
    """Measure ``version`` with the quality engine and store the figures. A rule that does not
    fit the file (a field it names is missing) is noted on the version; any other failure of the
    engine is logged: the version stays published either way, its quality unmeasured."""
    from . import quality_bridge
    from .quality.rules import RuleError

    try:
        measures = quality_bridge.measure(version)
    except RuleError as error:
        note = _("Quality not measured: %(problems)s") % {
            "problems": "; ".join(str(p) for p in error.problems)
        }
        DatasetVersion.objects.filter(pk=version.pk).update(note=note[:2000])
        return 0
    except Exception:  # the engine must never undo a good ingest; the log says what broke
        log.exception("quality measure failed for %s", version)
        return 0
    return quality_store(version=version, measures=measures)


def remove_version_files(dataset: Dataset) -> None:
    """Delete the Parquet files of ``dataset`` (used by tests and when a dataset is dropped)."""
    shutil.rmtree(catalogue_dir() / dataset.code, ignore_errors=True)
