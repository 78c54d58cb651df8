"""Scheduled pulls: a dataset's rows fetched from a PostgreSQL table or an HTTP/JSON endpoint.

``pull_run(dataset_id)`` tries up to ``PULL_ATTEMPTS`` times with growing waits; every try is a
``PullAttempt``. The rows go through the same streaming ingest as uploads, into a staged Parquet
file, and only a complete, valid pull becomes the current version: a failure midway (network,
database, a bad value) leaves the current version as it was. When every attempt failed the
steward is notified and the failure is audited and shown on the dataset page.

Sources (``Dataset.source_config``):
- PostgreSQL: ``{"dsn_env": "NAME", "table": "schema.table"}``: the connection string is read
  from the environment variable ``NAME`` (never stored in the database); the table is read in a
  read-only transaction through a server-side cursor, so it never sits whole in memory;
- HTTP: ``{"url": "https://...", "results_key": "results", "next_key": "next"}``: the endpoint
  returns a list of objects, or an object whose ``results`` is the list and whose ``next`` is
  the URL of the next page (or null). Only hosts the administrator lists in
  ``settings.TIENDO_PULL_HOSTS`` (environment ``TIENDO_PULL_HOSTS``, comma-separated) are
  fetched, on every page and every redirect: a steward cannot point the server at any other
  address of the intranet (server-side request forgery).

``pulls_due()`` (the ``datacatalog_pulls`` command, or the ``pull_due_datasets`` task) enqueues
one ``pull_dataset`` task per dataset whose ``next_pull_at`` has passed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlparse

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiendo.audit.services import audit_record

from .ingest import RowSource
from .models import Dataset, DatasetVersion, PullAttempt, SourceKind, VersionStatus
from .services import version_ingest

PULL_ATTEMPTS = 3
HTTP_TIMEOUT = 30
MAX_PAGES = 10000
FETCH_ROWS = 5000
TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")


class PullError(Exception):
    """The source could not be read; the message says why, in the user's language."""


def backoff_seconds(attempt: int) -> float:
    """Wait before attempt ``attempt + 1``: base, 2 x base, 4 x base... (base from settings)."""
    base = float(getattr(settings, "TIENDO_PULL_BACKOFF_SECONDS", 5))
    return base * (2 ** (attempt - 1))


# Sources ------------------------------------------------------------------------------------


def postgres_rows(config: dict[str, Any]) -> Iterator[RowSource]:
    """The rows of a PostgreSQL table, read-only, through a server-side cursor."""
    import psycopg
    from psycopg import sql

    env_name = str(config.get("dsn_env", ""))
    table = str(config.get("table", ""))
    dsn = os.environ.get(env_name, "") if env_name else ""
    if not dsn:
        raise PullError(
            _("The connection setting “%(name)s” is not set on the server.") % {"name": env_name}
        )
    if not TABLE_NAME.match(table):
        raise PullError(_("“%(table)s” is not a table name.") % {"table": table})
    identifier = sql.Identifier(*table.split("."))
    try:
        with psycopg.connect(dsn, connect_timeout=HTTP_TIMEOUT) as conn:
            conn.read_only = True
            with conn.transaction(), conn.cursor(name="tiendo_pull") as cursor:
                cursor.itersize = FETCH_ROWS
                cursor.execute(sql.SQL("SELECT * FROM {}").format(identifier))
                header = [d.name for d in cursor.description or []]
                yield RowSource(header=header, rows=_guarded(cursor, psycopg.Error))
    except psycopg.Error as error:
        raise PullError(
            _("The database could not be read: %(error)s") % {"error": str(error).strip()}
        ) from error


def _guarded(rows: Any, errors: type[Exception]) -> Iterator[Any]:
    """``rows``, with a database error met while streaming turned into a ``PullError``."""
    try:
        yield from rows
    except errors as error:
        raise PullError(
            _("The database could not be read: %(error)s") % {"error": str(error).strip()}
        ) from error


def _check_host(url: str) -> None:
    """Refuse any address whose scheme is not http(s) or whose host is not allowed."""
    parts = urlparse(url)
    if parts.scheme not in ("http", "https"):
        raise PullError(_("Only http and https addresses can be pulled."))
    allowed = {h.strip().lower() for h in getattr(settings, "TIENDO_PULL_HOSTS", []) if h.strip()}
    host = (parts.hostname or "").lower()
    if host not in allowed:
        raise PullError(
            _(
                "The host “%(host)s” is not among the hosts the administrator allows pulls from "
                "(TIENDO_PULL_HOSTS)."
            )
            % {"host": host}
        )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an allowed host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        _check_host(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_CheckedRedirects)


def _http_json(url: str) -> Any:
    _check_host(url)
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with _OPENER.open(request, timeout=HTTP_TIMEOUT) as response:
            return json.load(response)
    except OSError as error:
        raise PullError(
            _("The address could not be read: %(error)s") % {"error": str(error)}
        ) from error
    except ValueError as error:
        raise PullError(_("The address did not return JSON.")) from error


def http_rows(config: dict[str, Any]) -> Iterator[RowSource]:
    """The objects of a JSON endpoint, page after page; the header is the first object's keys."""
    url = str(config.get("url", ""))
    results_key = str(config.get("results_key") or "results")
    next_key = str(config.get("next_key") or "next")

    def pages() -> Iterator[list[dict[str, Any]]]:
        next_url: str | None = url
        seen = 0
        while next_url and seen < MAX_PAGES:
            data = _http_json(next_url)
            seen += 1
            if isinstance(data, list):
                yield data
                return
            if not isinstance(data, dict) or not isinstance(data.get(results_key), list):
                raise PullError(
                    _("The answer is neither a list nor an object with “%(key)s”.")
                    % {"key": results_key}
                )
            yield data[results_key]
            following = data.get(next_key)
            next_url = urljoin(next_url, following) if following else None

    page_iter = pages()
    first = next(page_iter, [])
    objects = [o for o in first if isinstance(o, dict)]
    header = list(objects[0].keys()) if objects else []

    def rows() -> Iterator[list[Any]]:
        for page in _chain(first, page_iter):
            for obj in page:
                if not isinstance(obj, dict):
                    raise PullError(_("Every item of the answer must be an object."))
                yield [obj.get(name) for name in header]

    yield RowSource(header=header, rows=rows())


def _chain(first: list[Any], rest: Iterator[list[Any]]) -> Iterator[list[Any]]:
    yield first
    yield from rest


SOURCES = {SourceKind.POSTGRES: postgres_rows, SourceKind.HTTP: http_rows}


# The run ------------------------------------------------------------------------------------


def _describe(dataset: Dataset) -> str:
    config = dataset.source_config or {}
    if dataset.source_kind == SourceKind.POSTGRES:
        return f"postgres:{config.get('table', '')}"
    return str(config.get("url", ""))[:500]


def pull_once(dataset: Dataset) -> DatasetVersion:
    """One try: read the source into a new version. Raises ``PullError`` if it did not become
    a good version (the failed version, if any, keeps its errors)."""
    reader = SOURCES.get(dataset.source_kind)  # type: ignore[call-overload]
    if reader is None:
        raise PullError(_("This dataset is not pulled: its data arrives by upload."))
    for source in reader(dataset.source_config or {}):
        version = version_ingest(
            actor=None,
            dataset=dataset,
            source=source,
            source_kind=dataset.source_kind,
            source_description=_describe(dataset),
        )
        if version.status == VersionStatus.FAILED:
            first = version.errors[0]["message"] if version.errors else ""
            raise PullError(
                _("The pulled rows are not valid (%(count)s errors; first: %(first)s)")
                % {"count": version.error_count, "first": first}
            )
        return version
    raise PullError(_("The source returned nothing."))


def pull_run(dataset_id: int, *, attempts: int = PULL_ATTEMPTS) -> DatasetVersion | None:
    """Pull ``dataset_id`` now, retrying up to ``attempts`` times; returns the new version, or
    None when every attempt failed (then the steward is told)."""
    dataset = Dataset.objects.select_related("steward").get(pk=dataset_id)
    last_error = ""
    for attempt in range(1, attempts + 1):
        record = PullAttempt.objects.create(
            dataset=dataset, started_at=timezone.now(), attempt=attempt
        )
        try:
            version = pull_once(dataset)
        except PullError as error:
            last_error = str(error)
            record.error = last_error
            record.finished_at = timezone.now()
            record.save(update_fields=["error", "finished_at"])
            if attempt < attempts:
                time.sleep(backoff_seconds(attempt))
            continue
        record.ok = True
        record.version = version
        record.finished_at = timezone.now()
        record.save(update_fields=["ok", "version", "finished_at"])
        _schedule_next(dataset)
        return version
    _report_failure(dataset, attempts, last_error)
    _schedule_next(dataset)
    return None


def _schedule_next(dataset: Dataset) -> None:
    if dataset.pull_every_hours:
        Dataset.objects.filter(pk=dataset.pk).update(
            next_pull_at=timezone.now() + dt.timedelta(hours=dataset.pull_every_hours)
        )


@transaction.atomic
def _report_failure(dataset: Dataset, attempts: int, error: str) -> None:
    audit_record(
        actor=None,
        action="dataset.pull_failed",
        obj=dataset,
        summary=error[:500],
        after={"attempts": attempts, "error": error[:2000]},
    )
    if dataset.steward_id is None:
        return
    from tiendo.reminders.models import NotificationKind
    from tiendo.reminders.services import notify

    notify(
        actor=None,
        recipients=[dataset.steward],
        kind=NotificationKind.NOTICE,
        message=gettext_lazy(
            "The scheduled pull of the dataset “%(name)s” failed %(attempts)s times: %(error)s"
        ),
        params={"name": dataset.name, "attempts": attempts, "error": error[:300]},
        target_url=dataset.get_absolute_url(),
        target_label=gettext_lazy("Open the dataset"),
        dedupe_key=f"datacatalog-pull:{dataset.pk}:{timezone.now():%Y-%m-%dT%H:%M}",
    )


def pulls_due(now: dt.datetime | None = None) -> list[int]:
    """Ids of the pulled datasets whose next pull time has passed (enqueued by the caller)."""
    now = now or timezone.now()
    return list(
        Dataset.objects.filter(
            Q(next_pull_at__isnull=True) | Q(next_pull_at__lte=now),
            source_kind__in=[SourceKind.POSTGRES, SourceKind.HTTP],
            pull_every_hours__isnull=False,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
