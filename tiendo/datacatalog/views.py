"""Catalogue pages: the searchable list, the dataset page, and the forms that change a dataset.

Each view parses, checks access, calls one selector or service and renders; the rules live in
``selectors`` (who sees what), ``access`` (who may change what) and ``services`` (the writes).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiendo.core.errors import ConflictError, PermissionDeniedError
from tiendo.orgs.scope import scope_for
from tiendo.programs.views._common import add_service_errors, forbidden, query_without_page

from . import access, selectors, selectors_warehouse, services, services_warehouse
from .forms import (
    SCHEMA_HELP,
    AccessForm,
    CatalogueFilterForm,
    DatasetForm,
    RollbackForm,
    SchemaForm,
    UploadForm,
)
from .ingest import error_text
from .models import VersionStatus

PAGE_SIZE = 25


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    form = CatalogueFilterForm(request.GET or None, scope=scope)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CatalogueFilters(
        q=data.get("q") or "",
        owner_unit_id=data["owner_unit"].pk if data.get("owner_unit") else None,
        status=data.get("status") or "",
        update_frequency=data.get("update_frequency") or "",
        source_kind=data.get("source_kind") or "",
    )
    rows = selectors.catalogue_list(request.user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "datasets": page.object_list,
        "query": query_without_page(request),
        "can_create": access.can_create_dataset(scope),
        "counts": selectors.catalogue_counts(request.user),
    }
    partial = request.htmx and not request.htmx.boosted  # type: ignore[attr-defined]
    template = "datacatalog/_results.html" if partial else "datacatalog/catalogue.html"
    return render(request, template, context)


def _dataset_page(request: HttpRequest, dataset: Any, **extra: Any) -> HttpResponse:
    scope = scope_for(request.user)
    current = selectors.current_version(dataset)
    versions = list(selectors.dataset_versions(dataset))
    for version in versions:
        version.error_lines = [error_text(e) for e in version.errors[:20]]  # type: ignore[attr-defined]
    context = {
        "dataset": dataset,
        "fields": selectors.dataset_fields(dataset),
        "current": current,
        "versions": versions,
        "history": [v for v in reversed(versions) if v.row_count is not None and not v.error_count],
        "quality": selectors.quality_by_dimension(current),
        "freshness": selectors.freshness(dataset, current),
        "access_list": selectors.dataset_access_list(dataset),
        "attempts": selectors.pull_attempts(dataset),
        "can_manage": access.can_manage_dataset(scope, dataset),
        "upload_form": UploadForm(),
        "access_form": AccessForm(scope=scope),
        "restorable": {VersionStatus.SUPERSEDED, VersionStatus.ROLLED_BACK},
        "publications": list(selectors_warehouse.dataset_publications(dataset)),
        **extra,
    }
    return render(request, "datacatalog/dataset.html", context, status=extra.get("status", 200))


@login_required
def dataset_detail(request: HttpRequest, code: str) -> HttpResponse:
    dataset = selectors.dataset_get(request.user, code)
    return _dataset_page(request, dataset)


@login_required
def dataset_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not access.can_create_dataset(scope):
        return forbidden(request, _("You cannot declare datasets."))
    form = DatasetForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.dataset_create(
                actor=request.user,
                owner_unit=form.cleaned_data["owner_unit"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDeniedError as exc:
            form.add_error("owner_unit", exc.message)
        else:
            messages.success(request, _("The dataset has been declared. Now declare its fields."))
            return redirect("datacatalog:dataset_schema", code=dataset.code)
    status = 400 if form.errors else 200
    return render(request, "datacatalog/dataset_form.html", {"form": form}, status=status)


def _save(form: Any, call: Callable[[], Any]) -> int:
    """Run a versioned edit; the service's errors go onto ``form``. The status to answer with:
    200 saved, 400 refused, 409 someone saved meanwhile (never a silent overwrite)."""
    try:
        call()
    except ValidationError as exc:
        add_service_errors(form, exc)
    except ConflictError as exc:
        form.add_error(None, exc.message)
        return 409
    except PermissionDeniedError as exc:
        form.add_error(None, exc.message)
    return 400 if form.errors else 200


@login_required
def dataset_edit(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request.user)
    dataset = selectors.dataset_get(request.user, code)
    if not access.can_manage_dataset(scope, dataset):
        return forbidden(request, _("You cannot change this dataset."), dataset.get_absolute_url())
    form = DatasetForm(request.POST or None, scope=scope, initial=DatasetForm.initial_for(dataset))
    status = 200
    if request.method == "POST" and form.is_valid():
        status = _save(
            form,
            lambda: services.dataset_update(
                actor=request.user,
                dataset=dataset,
                version=form.cleaned_data["version"],
                owner_unit=form.cleaned_data["owner_unit"],
                **form.service_fields(),
            ),
        )
        if status == 200:
            messages.success(request, _("The dataset has been saved."))
            return redirect(dataset)
    elif form.errors:
        status = 400
    context = {"form": form, "dataset": dataset}
    return render(request, "datacatalog/dataset_form.html", context, status=status)


@login_required
def dataset_schema(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request.user)
    dataset = selectors.dataset_get(request.user, code)
    if not access.can_manage_dataset(scope, dataset):
        return forbidden(request, _("You cannot change this dataset."), dataset.get_absolute_url())
    initial = {
        "schema": SchemaForm.text_for(list(selectors.dataset_fields(dataset))),
        "version": dataset.version,
    }
    form = SchemaForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = _save(
            form,
            lambda: services.dataset_schema_set(
                actor=request.user,
                dataset=dataset,
                version=form.cleaned_data["version"],
                fields=form.cleaned_data["schema"],
            ),
        )
        if status == 200:
            messages.success(request, _("The fields have been saved."))
            return redirect(dataset)
    elif form.errors:
        status = 400
    context = {
        "form": form,
        "dataset": dataset,
        "help": SCHEMA_HELP,
        "code_lists": selectors.code_lists(),
    }
    return render(request, "datacatalog/schema_form.html", context, status=status)


@login_required
@require_POST
def version_upload(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request.user)
    dataset = selectors.dataset_get(request.user, code)
    if not access.can_manage_dataset(scope, dataset):
        return forbidden(request, _("You cannot change this dataset."), dataset.get_absolute_url())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _dataset_page(request, dataset, upload_form=form, status=400)
    upload = form.cleaned_data["file"]
    with _on_disk(upload) as path:
        version = services.version_upload(
            actor=request.user, dataset=dataset, name=upload.name, path=path
        )
    if version.status == VersionStatus.FAILED:
        messages.error(
            request,
            _("Version %(number)s was refused (%(count)s errors); the current data is unchanged.")
            % {"number": version.number, "count": version.error_count},
        )
        return redirect(f"{dataset.get_absolute_url()}#version-{version.number}")
    messages.success(
        request,
        _("Version %(number)s is in: %(rows)s rows.")
        % {"number": version.number, "rows": version.row_count},
    )
    return redirect(dataset)


@contextlib.contextmanager
def _on_disk(upload: Any) -> Any:
    """The uploaded file's path on disk: Django has already streamed a large upload to a
    temporary file; a small one (kept in memory) is written out in chunks."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        yield Path(handle.name)


@login_required
@require_POST
def version_rollback(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request.user)
    dataset = selectors.dataset_get(request.user, code)
    if not access.can_manage_dataset(scope, dataset):
        return forbidden(request, _("You cannot change this dataset."), dataset.get_absolute_url())
    form = RollbackForm(request.POST)
    if form.is_valid():
        try:
            version = services.version_make_current(
                actor=request.user,
                dataset=dataset,
                number=form.cleaned_data["number"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Version %(number)s is current again.") % {"number": version.number}
            )
            return redirect(dataset)
    else:
        messages.error(request, _("Say why the version is changed."))
    return _dataset_page(request, dataset, status=400)


@login_required
@require_POST
def version_publish(request: HttpRequest, code: str) -> HttpResponse:
    """Publish the current version to the shared warehouse (lineage recorded)."""
    scope = scope_for(request.user)
    dataset = selectors.dataset_get(request.user, code)
    if not access.can_manage_dataset(scope, dataset):
        return forbidden(request, _("You cannot change this dataset."), dataset.get_absolute_url())
    try:
        publication = services_warehouse.publication_create(actor=request.user, dataset=dataset)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Version %(number)s is published to the warehouse as table “%(table)s”.")
            % {"number": publication.version.number, "table": publication.table_name},
        )
    return redirect(f"{dataset.get_absolute_url()}#lineage")


@login_required
@require_POST
def access_grant(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request.user)
    dataset = selectors.dataset_get(request.user, code)
    if not access.can_manage_dataset(scope, dataset):
        return forbidden(request, _("You cannot change this dataset."), dataset.get_absolute_url())
    form = AccessForm(request.POST, scope=scope)
    if not form.is_valid():
        return _dataset_page(request, dataset, access_form=form, status=400)
    services.dataset_access_grant(
        actor=request.user, dataset=dataset, unit=form.cleaned_data["unit"]
    )
    messages.success(request, _("The unit may now use this dataset."))
    return redirect(f"{dataset.get_absolute_url()}#access")


@login_required
@require_POST
def access_revoke(request: HttpRequest, code: str, unit_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    dataset = selectors.dataset_get(request.user, code)
    if not access.can_manage_dataset(scope, dataset):
        return forbidden(request, _("You cannot change this dataset."), dataset.get_absolute_url())
    grant = selectors.access_get(dataset, unit_id)
    services.dataset_access_revoke(actor=request.user, dataset=dataset, unit=grant.unit)
    messages.success(request, _("The unit may no longer use this dataset."))
    return redirect(f"{dataset.get_absolute_url()}#access")


@login_required
def measure_rows(request: HttpRequest, code: str, number: int, measure_id: int) -> HttpResponse:
    """The failing rows behind one quality figure."""
    dataset = selectors.dataset_get(request.user, code)
    version = selectors.version_get(dataset, number)
    measure = selectors.measure_get(version, measure_id)
    try:
        number_of_page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        number_of_page = 1
    rows = selectors.failing_rows(version, measure, page=min(number_of_page, 10**6))
    context = {"dataset": dataset, "version": version, "measure": measure, **rows}
    return render(request, "datacatalog/measure_rows.html", context)
