"""Reading the audit trail: administrators all of it, auditors what concerns their scope."""

import pytest

from tiendo.accounts.models import Role
from tiendo.audit.models import AuditEntry
from tiendo.programs.tests.factories import (
    make_admin,
    make_program,
    make_task,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_provinces():
    a, b = make_unit("A", kind="province"), make_unit("B", kind="province")
    task_a = make_task(program=make_program(owner=a), lead_unit=a)
    task_b = make_task(program=make_program(owner=b), lead_unit=b)
    return a, b, task_a, task_b


def test_an_officer_cannot_read_the_trail(client, two_provinces) -> None:
    client.force_login(make_user(unit=two_provinces[0]))
    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/export.csv").status_code == 404


def test_an_auditor_reads_only_their_scope(client, two_provinces) -> None:
    a, _b, task_a, task_b = two_provinces
    client.force_login(make_user(unit=a, role=Role.AUDITOR))
    page = client.get("/audit/", {"object_type": "programs.task"}).content.decode()
    assert f"programs.task {task_a.pk}" in page
    assert f"programs.task {task_b.pk}" not in page
    export = b"".join(client.get("/audit/export.csv").streaming_content).decode()
    seqs_b = AuditEntry.objects.filter(
        object_type="programs.task", object_id=str(task_b.pk)
    ).values_list("hash", flat=True)
    assert seqs_b
    assert not any(h in export for h in seqs_b)


def test_an_admin_exports_everything_with_hashes(client, two_provinces) -> None:
    client.force_login(make_admin())
    export = b"".join(client.get("/audit/export.csv").streaming_content).decode("utf-8-sig")
    lines = export.strip().splitlines()
    assert lines[0].startswith("seq,at,actor")
    assert len(lines) - 1 == AuditEntry.objects.count()
