"""The desk's sync tables: enrolment state, the outbox of frozen reports, the journal.

They live in the (encrypted) desk database, so the desk token never touches a plain
file; schema version 4 creates them (kim_desk/store/schema_v4.py). A report in the
outbox is frozen: it is never rebuilt, so a figure once sent is never sent again with a
different value. Writers call these inside `store.transaction()`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from kim_desk.stats.periods import Quarter, parse_quarter
from kim_desk.stats.report import Frozen
from kim_desk.store import Store


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def get_state(store: Store, key: str, default: Any = None) -> Any:
    row = store.one("SELECT value FROM sync_state WHERE key = ?", (key,))
    return default if row is None else json.loads(row[0])


def is_enrolled(store: Store) -> bool:
    """Whether the desk is enrolled with the district; without importing the sync client (httpx)."""
    return get_state(store, "enrolment") is not None


def set_state(store: Store, key: str, value: Any) -> None:
    store.conn.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value)),
    )


@dataclass(frozen=True)
class OutboxEntry:
    report_id: str
    period: str
    payload: bytes
    content_hash: str
    state: str
    attempts: int
    last_error: str
    queued_at: str
    sent_at: str | None


_ENTRY_COLUMNS = "report_id, period, payload, content_hash, state, attempts, last_error, queued_at, sent_at"


def _entry(row: Any) -> OutboxEntry:
    return OutboxEntry(row[0], row[1], row[2].encode("utf-8"), *row[3:])


def outbox(store: Store, state: str | None = None) -> list[OutboxEntry]:
    sql = f"SELECT {_ENTRY_COLUMNS} FROM sync_outbox"
    rows = (
        store.rows(sql + " WHERE state = ? ORDER BY period", (state,))
        if state
        else store.rows(sql + " ORDER BY period")
    )
    return [_entry(row) for row in rows]


def outbox_entry(store: Store, period: str) -> OutboxEntry | None:
    row = store.one(f"SELECT {_ENTRY_COLUMNS} FROM sync_outbox WHERE period = ?", (period,))
    return None if row is None else _entry(row)


def last_frozen(store: Store, before: Quarter) -> Frozen | None:
    row = store.one(
        "SELECT period, watermarks FROM sync_outbox WHERE period < ? ORDER BY period DESC LIMIT 1", (str(before),)
    )
    if row is None:
        return None
    return Frozen(parse_quarter(row[0]), {k: int(v) for k, v in json.loads(row[1]).items()})


def journal(store: Store, report_id: str, event: str, content_hash: str, detail: str = "") -> None:
    store.conn.execute(
        "INSERT INTO sync_journal (at, report_id, event, content_hash, detail) VALUES (?, ?, ?, ?, ?)",
        (utc_now(), report_id, event, content_hash, detail),
    )


def journal_rows(store: Store, limit: int = 50) -> list[tuple[str, str, str, str, str]]:
    rows = store.rows(
        "SELECT at, report_id, event, content_hash, detail FROM sync_journal ORDER BY id DESC LIMIT ?", (limit,)
    )
    return [(row[0], row[1], row[2], row[3], row[4]) for row in rows]
