"""Hashing and sealing of audit entries: pure functions, shared by writing and verifying."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def entry_payload(
    *,
    seq: int,
    at: dt.datetime,
    actor_id: int | None,
    actor_name: str,
    ip: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: str,
    before: Any,
    after: Any,
) -> str:
    return canonical(
        {
            "seq": seq,
            "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor": actor_id,
            "actor_name": actor_name,
            "ip": ip,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "summary": summary,
            # Stored JSON may come back re-serialised: hash a canonical form of it.
            "before": json.loads(canonical(before)),
            "after": json.loads(canonical(after)),
        }
    )


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def audit_key() -> bytes:
    """The sealing key, kept outside the database.

    ``TIENDO_AUDIT_KEY`` in production (from a secret store); otherwise a key file created once
    in the data directory, readable by the application's user only.
    """
    key = os.environ.get("TIENDO_AUDIT_KEY")
    if key:
        return key.encode()
    path = Path(getattr(settings, "TIENDO_AUDIT_KEY_FILE", settings.DATA_DIR / "audit.key"))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()


def seal(hash_: str, key: bytes | None = None) -> str:
    return hmac.new(key or audit_key(), hash_.encode(), hashlib.sha256).hexdigest()
