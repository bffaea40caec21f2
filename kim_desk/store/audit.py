"""Append-only, hash-chained audit trail: who did what to which record, never what it said."""

from __future__ import annotations

import json
from typing import NamedTuple

from kim_desk.fileutil import sha256_hex
from kim_desk.store import Store

GENESIS = "0" * 64
ACTIONS = ("view", "create", "change", "delete", "print", "export", "erase", "unlock", "backup")


def _digest(prev_hash: str, at: str, actor: str, action: str, entity: str, entity_id: int | None) -> str:
    body = json.dumps([prev_hash, at, actor, action, entity, entity_id], separators=(",", ":"))
    return sha256_hex(body.encode("utf-8"))


def record(store: Store, action: str, entity: str, entity_id: int | None = None) -> None:
    """Append one event; call inside the transaction that does the change."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    last = store.one("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1")
    prev_hash = last["hash"] if last else GENESIS
    at = store.clock.now().isoformat(timespec="seconds")
    digest = _digest(prev_hash, at, store.actor, action, entity, entity_id)
    store.conn.execute(
        "INSERT INTO audit_event (at, actor, action, entity, entity_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (at, store.actor, action, entity, entity_id, prev_hash, digest),
    )


class AuditCheck(NamedTuple):
    events: int
    first_bad_id: int | None

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify(store: Store) -> AuditCheck:
    prev_hash = GENESIS
    count = 0
    for row in store.conn.execute("SELECT * FROM audit_event ORDER BY id"):
        count += 1
        expected = _digest(prev_hash, row["at"], row["actor"], row["action"], row["entity"], row["entity_id"])
        if row["prev_hash"] != prev_hash or row["hash"] != expected:
            return AuditCheck(count, int(row["id"]))
        prev_hash = row["hash"]
    return AuditCheck(count, None)
