"""The desk's sync tables: enrolment state, the outbox of frozen reports, the journal.

They live in the (encrypted) desk database, so the desk token never touches a plain
file. Created on demand so this module needs no migration step of the store.
A report in the outbox is frozen: it is never rebuilt, so a figure once sent is never
sent again with a different value.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from kim_desk.stats.periods import Quarter, parse_quarter
from kim_desk.stats.report import Frozen

SYNC_SCHEMA = """
CREATE TABLE IF NOT EXISTS sync_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL                    -- JSON
);
CREATE TABLE IF NOT EXISTS sync_outbox (
    report_id TEXT PRIMARY KEY,
    period TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,                 -- canonical JSON, frozen
    content_hash TEXT NOT NULL,
    watermarks TEXT NOT NULL,              -- JSON {table: last id counted}
    state TEXT NOT NULL DEFAULT 'queued',  -- queued / sent / refused
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    queued_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE TABLE IF NOT EXISTS sync_journal (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    report_id TEXT NOT NULL,
    event TEXT NOT NULL,                   -- queued / sent / already / refused / error
    content_hash TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
"""


def ensure_sync_tables(conn: Any) -> None:
    with transaction(conn):
        for statement in SYNC_SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)


@contextmanager
def transaction(conn: Any) -> Iterator[None]:
    """One explicit transaction, whatever the connection's isolation mode."""
    if conn.in_transaction:  # join the caller's transaction
        conn.execute("SAVEPOINT sync")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO sync")
            conn.execute("RELEASE sync")
            raise
        conn.execute("RELEASE sync")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def get_state(conn: Any, key: str, default: Any = None) -> Any:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return default if row is None else json.loads(row[0])


def set_state(conn: Any, key: str, value: Any) -> None:
    conn.execute(
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


def outbox(conn: Any, state: str | None = None) -> list[OutboxEntry]:
    sql = f"SELECT {_ENTRY_COLUMNS} FROM sync_outbox"
    rows = (
        conn.execute(sql + " WHERE state = ? ORDER BY period", (state,))
        if state
        else conn.execute(sql + " ORDER BY period")
    )
    return [_entry(row) for row in rows]


def outbox_entry(conn: Any, period: str) -> OutboxEntry | None:
    row = conn.execute(f"SELECT {_ENTRY_COLUMNS} FROM sync_outbox WHERE period = ?", (period,)).fetchone()
    return None if row is None else _entry(row)


def last_frozen(conn: Any, before: Quarter) -> Frozen | None:
    row = conn.execute(
        "SELECT period, watermarks FROM sync_outbox WHERE period < ? ORDER BY period DESC LIMIT 1",
        (str(before),),
    ).fetchone()
    if row is None:
        return None
    return Frozen(parse_quarter(row[0]), {k: int(v) for k, v in json.loads(row[1]).items()})


def journal(conn: Any, report_id: str, event: str, content_hash: str, detail: str = "") -> None:
    conn.execute(
        "INSERT INTO sync_journal (at, report_id, event, content_hash, detail) VALUES (?, ?, ?, ?, ?)",
        (utc_now(), report_id, event, content_hash, detail),
    )


def journal_rows(conn: Any, limit: int = 50) -> list[tuple[str, str, str, str, str]]:
    rows = conn.execute(
        "SELECT at, report_id, event, content_hash, detail FROM sync_journal ORDER BY id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [tuple(row) for row in rows]
