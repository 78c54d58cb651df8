"""Checking the chain: finds the first entry that was edited, deleted, reordered or forged."""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass

from .chain import GENESIS, chain_hash, entry_payload, seal
from .models import AuditEntry
from .services import head_file


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None


def audit_verify(*, key: bytes | None = None, batch: int = 5000) -> Verdict:
    prev_hash = GENESIS
    expected_seq = 1
    checked = 0
    last = 0
    start = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=start).order_by("seq")[:batch])
        if not rows:
            break
        for e in rows:
            if e.seq != expected_seq:
                kind = "deleted" if e.seq > expected_seq else "reordered"
                return Verdict(
                    False,
                    checked,
                    f"entry #{expected_seq} is missing ({kind}); next is #{e.seq}",
                    expected_seq,
                )
            if e.prev_hash != prev_hash:
                return Verdict(
                    False,
                    checked,
                    f"entry #{e.seq} does not follow #{e.seq - 1} (reordered or deleted)",
                    e.seq,
                )
            payload = entry_payload(
                seq=e.seq,
                at=e.at,
                actor_id=e.actor_id,
                actor_name=e.actor_name,
                ip=e.ip,
                action=e.action,
                object_type=e.object_type,
                object_id=e.object_id,
                summary=e.summary,
                before=e.before,
                after=e.after,
            )
            if chain_hash(e.prev_hash, payload) != e.hash:
                return Verdict(
                    False,
                    checked,
                    f"entry #{e.seq} was edited (its content no longer matches its hash)",
                    e.seq,
                )
            if not hmac.compare_digest(seal(e.hash, key), e.mac):
                return Verdict(
                    False,
                    checked,
                    f"entry #{e.seq} is forged (its seal does not match the key)",
                    e.seq,
                )
            prev_hash = e.hash
            expected_seq += 1
            checked += 1
            last = e.seq
        start = rows[-1].seq
    path = head_file()
    if path.exists():
        head = json.loads(path.read_text())
        if not hmac.compare_digest(seal(head["hash"], key), head["mac"]):
            return Verdict(
                False, checked, f"the sealed head file {path} is forged", head.get("seq")
            )
        if head["seq"] > last:
            return Verdict(
                False,
                checked,
                f"entries #{last + 1} to #{head['seq']} were deleted (the sealed head is #{head['seq']})",
                last + 1,
            )
        sealed = AuditEntry.objects.filter(seq=head["seq"]).values_list("hash", flat=True).first()
        if sealed != head["hash"]:
            return Verdict(
                False, checked, f"entry #{head['seq']} differs from the sealed head", head["seq"]
            )
    return Verdict(True, checked)
