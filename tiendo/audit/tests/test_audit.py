"""The audit trail: recorded, append-only, and any tampering is named by audit-verify."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tiendo.audit import triggers
from tiendo.audit.chain import chain_hash, entry_payload, seal
from tiendo.audit.models import AuditEntry
from tiendo.audit.services import audit_record, head_file
from tiendo.audit.verify import audit_verify
from tiendo.programs.services import progress_submit
from tiendo.programs.tests.factories import make_program, make_task, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_head_file():
    head_file().unlink(missing_ok=True)
    yield
    head_file().unlink(missing_ok=True)


def entries(n: int) -> list[AuditEntry]:
    user = make_user()
    with transaction.atomic():
        return [
            audit_record(
                actor=user, action="test.write", object_type="x", object_id=i, after={"i": i}
            )
            for i in range(n)
        ]


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_task_change_is_recorded_with_before_and_after() -> None:
    unit = make_unit()
    task = make_task(program=make_program(owner=unit), lead_unit=unit)
    progress_submit(actor=task.assignee, task=task, as_of=dt.date(2024, 1, 2), percent=40)
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == ["task.create", "task.assign", "progress.submit"]
    update = AuditEntry.objects.get(action="progress.submit")
    assert update.actor == task.assignee
    assert update.after["percent"] == 40
    assert audit_verify().ok


def test_an_intact_chain_verifies() -> None:
    entries(5)
    verdict = audit_verify()
    assert verdict.ok
    assert verdict.checked == AuditEntry.objects.count()
    call_command("audit-verify")


def test_an_edited_entry_is_named() -> None:
    rows = entries(5)
    raw("UPDATE audit_auditentry SET summary = %s WHERE seq = %s", ["changed", rows[2].seq])
    verdict = audit_verify()
    assert not verdict.ok
    assert verdict.seq == rows[2].seq
    assert "edited" in verdict.problem
    with pytest.raises(CommandError, match=f"#{rows[2].seq} was edited"):
        call_command("audit-verify")


def test_a_deleted_entry_is_named() -> None:
    rows = entries(5)
    raw("DELETE FROM audit_auditentry WHERE seq = %s", [rows[1].seq])
    verdict = audit_verify()
    assert not verdict.ok
    assert verdict.seq == rows[1].seq
    assert "missing" in verdict.problem


def test_deleting_the_newest_entries_is_detected_by_the_sealed_head(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        rows = entries(4)
    raw("DELETE FROM audit_auditentry WHERE seq >= %s", [rows[2].seq])
    verdict = audit_verify()
    assert not verdict.ok
    assert "deleted" in verdict.problem
    assert json.loads(head_file().read_text())["seq"] == rows[-1].seq


def test_reordered_entries_are_named() -> None:
    rows = entries(4)
    a, b = rows[1], rows[2]
    raw("UPDATE audit_auditentry SET seq = -1 WHERE seq = %s", [a.seq])
    raw("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [a.seq, b.seq])
    raw("UPDATE audit_auditentry SET seq = %s WHERE seq = -1", [b.seq])
    verdict = audit_verify()
    assert not verdict.ok
    assert verdict.seq == a.seq


def test_a_forged_entry_with_a_recomputed_hash_is_caught_by_the_seal() -> None:
    # Given a database administrator who rewrites an entry AND recomputes its hash chain,
    # but does not have the key kept outside the database
    rows = entries(3)
    last = AuditEntry.objects.get(seq=rows[-1].seq)
    payload = entry_payload(
        seq=last.seq,
        at=last.at,
        actor_id=last.actor_id,
        actor_name=last.actor_name,
        ip=last.ip,
        action=last.action,
        object_type=last.object_type,
        object_id=last.object_id,
        summary="forged",
        before=last.before,
        after=last.after,
    )
    forged_hash = chain_hash(last.prev_hash, payload)
    raw(
        "UPDATE audit_auditentry SET summary = %s, hash = %s, mac = %s WHERE seq = %s",
        ["forged", forged_hash, seal(forged_hash, b"not-the-key"), last.seq],
    )
    verdict = audit_verify()
    assert not verdict.ok
    assert verdict.seq == last.seq
    assert "forged" in verdict.problem or "sealed head" in verdict.problem


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_auditentry SET summary = 'x'", "DELETE FROM audit_auditentry"]
)
def test_the_database_refuses_update_and_delete(statement: str) -> None:
    entries(2)
    triggers.install(
        connection
    )  # as the migration does outside tests (DDL rolled back after the test)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(statement, [])
    assert AuditEntry.objects.count() >= 2


def test_refused_access_is_recorded(client) -> None:
    unit = make_unit()
    other = make_unit()
    task = make_task(program=make_program(owner=other), lead_unit=other)
    user = make_user(unit=unit)
    client.force_login(user)
    response = client.get(f"/tasks/{task.pk}/")
    assert response.status_code == 404
    entry = AuditEntry.objects.filter(action="access.refused").latest("seq")
    assert entry.actor == user
    assert f"/tasks/{task.pk}/" in entry.summary
