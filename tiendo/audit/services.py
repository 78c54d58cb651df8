"""Recording audit entries. Call ``audit_record`` inside the transaction of the change it records."""

from __future__ import annotations

import contextvars
import fcntl
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .chain import audit_key, chain_hash, entry_payload, seal
from .models import AuditEntry, AuditHead

# Where the current request came from, set by ``AuditContextMiddleware``.
request_ip: contextvars.ContextVar[str] = contextvars.ContextVar("tiendo_request_ip", default="")


def head_file() -> Path:
    return Path(getattr(settings, "TIENDO_AUDIT_HEAD_FILE", settings.DATA_DIR / "audit-head.json"))


def _write_head_file(seq: int, hash_: str) -> None:
    """Keep the sealed chain head outside the database too, so that deleting the newest
    entries (which leaves a valid shorter chain) is detected."""
    path = head_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            try:
                if json.loads(path.read_text())["seq"] >= seq:
                    return
            except (ValueError, KeyError):
                pass
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"seq": seq, "hash": hash_, "mac": seal(hash_)}))
        os.replace(tmp, path)


def snapshot(
    obj: models.Model, fields: list[str] | tuple[str, ...] | None = None
) -> dict[str, Any]:
    """The concrete field values of ``obj`` (foreign keys as ids), for before/after."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in ("created_at", "updated_at"):
            continue
        data[field.attname] = field.value_from_object(obj)
    return json.loads(json.dumps(data, default=str))


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one entry to the chain. Runs in the caller's transaction: rolled back with it."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_name = str(actor) if actor_id else ""
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().get_or_create(id=1)[0]
        seq = head.seq + 1
        at = timezone.now()
        fields = {
            "seq": seq,
            "at": at,
            "actor_id": actor_id,
            "actor_name": actor_name[:200],
            "ip": request_ip.get()[:64],
            "action": action[:64],
            "object_type": object_type[:64],
            "object_id": str(object_id)[:64],
            "summary": summary[:500],
            "before": before,
            "after": after,
        }
        digest = chain_hash(head.hash, entry_payload(**fields))
        entry = AuditEntry.objects.create(
            **fields, prev_hash=head.hash, hash=digest, mac=seal(digest)
        )
        AuditHead.objects.filter(id=1).update(seq=seq, hash=digest)
        transaction.on_commit(lambda: _write_head_file(seq, digest))
    return entry


def audit_record_many(*, actor: Any, entries: Sequence[dict[str, Any]]) -> int:
    """Append one entry per item of ``entries`` (keys as ``audit_record``'s: ``action``,
    ``obj`` or ``object_type``/``object_id``, ``summary``, ``before``, ``after``), in order,
    for bulk writes (imports). The head is locked once and the entries are inserted in
    batches; each entry is hashed and sealed exactly as ``audit_record`` would, so the chain
    reads the same to ``audit-verify`` as if they had been recorded one by one."""
    if not entries:
        return 0
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_name = (str(actor) if actor_id else "")[:200]
    ip = request_ip.get()[:64]
    key = audit_key()  # read once: sealing 100,000 entries must not read the key file each time
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().get_or_create(id=1)[0]
        seq, digest = head.seq, head.hash
        at = timezone.now()
        rows = []
        for item in entries:
            obj = item.get("obj")
            object_type = item.get("object_type", "")
            object_id = item.get("object_id", "")
            if obj is not None:
                object_type = object_type or obj._meta.label_lower
                object_id = object_id or obj.pk
            seq += 1
            fields = {
                "seq": seq,
                "at": at,
                "actor_id": actor_id,
                "actor_name": actor_name,
                "ip": ip,
                "action": item["action"][:64],
                "object_type": object_type[:64],
                "object_id": str(object_id)[:64],
                "summary": item.get("summary", "")[:500],
                "before": item.get("before"),
                "after": item.get("after"),
            }
            prev, digest = digest, chain_hash(digest, entry_payload(**fields))
            rows.append(AuditEntry(**fields, prev_hash=prev, hash=digest, mac=seal(digest, key)))
        AuditEntry.objects.bulk_create(rows, batch_size=2000)
        AuditHead.objects.filter(id=1).update(seq=seq, hash=digest)
        last_seq, last_digest = seq, digest
        transaction.on_commit(lambda: _write_head_file(last_seq, last_digest))
    return len(rows)
