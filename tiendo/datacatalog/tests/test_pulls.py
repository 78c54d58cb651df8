"""Pulls: an HTTP/JSON endpoint served by a local thread, a PostgreSQL table of the test
database, retries with backoff, failure recorded and reported, never half-applied."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from tiendo.accounts.models import Role
from tiendo.audit.models import AuditEntry
from tiendo.programs.tests.factories import make_unit, make_user
from tiendo.reminders.models import Notification

from ..models import PullAttempt, SourceKind, VersionStatus
from ..pulls import pull_run, pulls_due
from ..services import FieldInput
from .catalog_factories import make_dataset

FIELDS = [FieldInput(name="ma", type="text"), FieldInput(name="so_luong", type="integer")]
PAGES: dict[str, Any] = {
    "/list": [{"ma": "A", "so_luong": 1}, {"ma": "B", "so_luong": 2}],
    "/paged/1": {"results": [{"ma": "A", "so_luong": 1}], "next": "/paged/2"},
    "/paged/2": {"results": [{"ma": "B", "so_luong": 2}, {"ma": "C", "so_luong": 3}], "next": None},
    "/bad-value": {"results": [{"ma": "A", "so_luong": "nhiều"}]},
    "/half": {"results": [{"ma": "A", "so_luong": 1}], "next": "/missing"},
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/elsewhere":  # a redirect to a host the administrator did not allow
            self.send_response(302)
            self.send_header("Location", "http://10.255.255.1/secret")
            self.end_headers()
            return
        if self.path not in PAGES:
            self.send_response(500)
            self.end_headers()
            return
        body = json.dumps(PAGES[self.path]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _no_wait(settings: Any) -> None:
    settings.TIENDO_PULL_BACKOFF_SECONDS = 0


def _dataset(url: str) -> Any:
    dept = make_unit("Sở Kế hoạch")
    steward = make_user(unit=dept, role=Role.UNIT_OFFICER)
    return make_dataset(
        actor=steward,
        owner=dept,
        fields=FIELDS,
        steward=steward,
        source_kind=SourceKind.HTTP,
        source_config={"url": url},
        pull_every_hours=24,
    )


@pytest.mark.django_db
def test_http_pull_of_a_list(server: str) -> None:
    dataset = _dataset(server + "/list")
    version = pull_run(dataset.pk)
    assert version is not None
    assert (version.status, version.row_count) == (VersionStatus.CURRENT, 2)
    assert list(dataset.pull_attempts.values_list("attempt", "ok")) == [(1, True)]
    dataset.refresh_from_db()
    assert dataset.next_pull_at is not None
    assert pulls_due() == []


@pytest.mark.django_db
def test_http_pull_follows_pages(server: str) -> None:
    dataset = _dataset(server + "/paged/1")
    version = pull_run(dataset.pk)
    assert version is not None
    assert version.row_count == 3


@pytest.mark.django_db
def test_failing_endpoint_is_retried_recorded_reported_and_changes_nothing(server: str) -> None:
    # given a dataset with a good current version
    dataset = _dataset(server + "/list")
    good = pull_run(dataset.pk)
    # when the endpoint breaks on its second page
    dataset.source_config = {"url": server + "/half"}
    dataset.save()
    assert pull_run(dataset.pk, attempts=3) is None
    # then three failed attempts are recorded with the reason
    failed = list(PullAttempt.objects.filter(dataset=dataset, ok=False).order_by("attempt"))
    assert [a.attempt for a in failed] == [1, 2, 3]
    assert "500" in failed[0].error
    # and the good version is still current, the failed ones hold no data
    good.refresh_from_db()
    assert good.status == VersionStatus.CURRENT
    assert not dataset.versions.filter(status=VersionStatus.FAILED).exclude(parquet_path="")
    assert list(good.parquet_file.parent.iterdir()) == [good.parquet_file]
    # and the steward is told, the failure audited
    assert Notification.objects.filter(recipient=dataset.steward).count() == 1
    assert AuditEntry.objects.filter(action="dataset.pull_failed").count() == 1


@pytest.mark.django_db
def test_a_bad_value_in_a_pull_is_a_failed_attempt(server: str) -> None:
    dataset = _dataset(server + "/bad-value")
    assert pull_run(dataset.pk, attempts=1) is None
    attempt = PullAttempt.objects.get(dataset=dataset)
    assert "nhiều" in attempt.error
    assert not dataset.versions.filter(status=VersionStatus.CURRENT).exists()


@pytest.mark.django_db
def test_a_non_http_address_is_refused() -> None:
    dataset = _dataset("file:///etc/passwd")
    assert pull_run(dataset.pk, attempts=1) is None
    assert "http" in PullAttempt.objects.get(dataset=dataset).error


@pytest.mark.django_db
def test_a_host_the_administrator_did_not_allow_is_refused(server: str, settings: Any) -> None:
    settings.TIENDO_PULL_HOSTS = ["data.example.gov.vn"]
    dataset = _dataset(server + "/list")
    assert pull_run(dataset.pk, attempts=1) is None
    assert "127.0.0.1" in PullAttempt.objects.get(dataset=dataset).error
    assert "TIENDO_PULL_HOSTS" in PullAttempt.objects.get(dataset=dataset).error
    assert not dataset.versions.filter(status=VersionStatus.CURRENT).exists()


@pytest.mark.django_db
def test_a_redirect_to_a_host_not_allowed_is_not_followed(server: str) -> None:
    dataset = _dataset(server + "/elsewhere")
    assert pull_run(dataset.pk, attempts=1) is None
    assert "10.255.255.1" in PullAttempt.objects.get(dataset=dataset).error
    assert (
        not dataset.versions.exists()
        or not dataset.versions.filter(status=VersionStatus.CURRENT).exists()
    )


@pytest.mark.django_db
def test_the_command_pulls_due_datasets(server: str) -> None:
    dataset = _dataset(server + "/list")
    assert pulls_due() == [dataset.pk]
    call_command("datacatalog_pulls", "--now")
    assert dataset.versions.get().status == VersionStatus.CURRENT


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL table is pulled")
@pytest.mark.django_db(transaction=True)
def test_postgres_table_pull(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a table in the test database, committed so another connection sees it
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE pull_source (ma text, so_luong integer)")
        cursor.execute(
            "INSERT INTO pull_source SELECT 'M' || g, g FROM generate_series(1, 12000) g"
        )
    try:
        s = connection.settings_dict
        dsn = f"host={s['HOST']} port={s['PORT'] or 5432} dbname={s['NAME']} user={s['USER']}"
        if s["PASSWORD"]:
            dsn += f" password={s['PASSWORD']}"
        monkeypatch.setenv("TIENDO_TEST_PULL_DSN", dsn)
        dept = make_unit("Sở Tài nguyên")
        officer = make_user(unit=dept)
        dataset = make_dataset(
            actor=officer,
            owner=dept,
            fields=FIELDS,
            source_kind=SourceKind.POSTGRES,
            source_config={"dsn_env": "TIENDO_TEST_PULL_DSN", "table": "public.pull_source"},
        )
        # when it is pulled
        version = pull_run(dataset.pk)
        # then every row arrives (streamed through a server-side cursor)
        assert version is not None
        assert version.row_count == 12000
        # and a missing table is a recorded failure
        dataset.source_config = {"dsn_env": "TIENDO_TEST_PULL_DSN", "table": "no_such_table"}
        dataset.save()
        assert pull_run(dataset.pk, attempts=1) is None
        assert "no_such_table" in dataset.pull_attempts.filter(ok=False).get().error
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE pull_source")
