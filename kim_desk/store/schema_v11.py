"""Schema version 11: record ids are never used twice (AUTOINCREMENT).

Without AUTOINCREMENT SQLite hands out max(id) + 1, so after the newest client was erased the
next new client got the erased one's number, and everything that still named that number (the
audit trail, a report's watermarks, a printed sheet, a counsellor's "client 17") pointed at
another person. The record tables are rebuilt the way SQLite documents for changing a table
(new table, copy, drop, rename; foreign keys off, see migrations.py), their indexes and every
trigger and view made again from the SQL the database holds, so later columns and triggers
come along. Each table's sequence starts above the highest id ever used: the rows, the audit
trail's events and the watermarks of frozen reports can each know a higher one than the rows.
"""

from __future__ import annotations

import json
import re

from kim_desk.store.connection import Connection
from kim_desk.store.ids import raise_sequences

# The tables whose rows erasure, retention or a delete removes and whose ids are seen elsewhere.
TABLES = (
    "client",
    "household_member",
    "case",
    "case_status_change",
    "checklist_item",
    "appointment",
    "contact",
    "barrier",
    "referral",
    "unmet_need",
    "mediator_request",
)
_ID_COLUMN = re.compile(r"\bid\s+INTEGER\s+PRIMARY\s+KEY\b(?!\s+AUTOINCREMENT)", re.IGNORECASE)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _schema(conn: Connection, kind: str, table: str | None = None) -> list[tuple[str, str]]:
    sql = "SELECT name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL"
    params: tuple[str, ...] = (kind,)
    if table is not None:
        sql += " AND tbl_name = ?"
        params += (table,)
    return [(str(row[0]), str(row[1])) for row in conn.execute(sql + " ORDER BY rowid", params)]


def _highest_ids(conn: Connection) -> dict[str, int]:
    """Per table the highest id the audit trail and the frozen reports' watermarks know."""
    highest: dict[str, int] = {}
    for entity, top in conn.execute("SELECT entity, MAX(entity_id) FROM audit_event GROUP BY entity"):
        if top is not None:
            highest[str(entity)] = int(top)
    for (text,) in conn.execute("SELECT watermarks FROM sync_outbox"):
        try:
            marks = json.loads(text)
        except ValueError:
            continue
        for table, mark in marks.items() if isinstance(marks, dict) else ():
            if isinstance(mark, int):
                highest[table] = max(highest.get(table, 0), mark)
    return highest


def _rebuild(conn: Connection, table: str, seed: int) -> None:
    [(_name, create)] = _schema(conn, "table", table)
    body, count = _ID_COLUMN.subn("id INTEGER PRIMARY KEY AUTOINCREMENT", create[create.index("(") :], count=1)
    if count != 1:
        raise RuntimeError(f"schema v11: no plain integer id column in table {table}")
    indexes = _schema(conn, "index", table)
    columns = ", ".join(_quoted(str(row[1])) for row in conn.execute(f"PRAGMA table_info({_quoted(table)})"))
    staging = _quoted(f"_v11_{table}")
    conn.execute(f"CREATE TABLE {staging} {body}")
    conn.execute(f"INSERT INTO {staging} ({columns}) SELECT {columns} FROM {_quoted(table)}")
    conn.execute(f"DROP TABLE {_quoted(table)}")
    conn.execute(f"ALTER TABLE {staging} RENAME TO {_quoted(table)}")
    for _index, sql in indexes:
        conn.execute(sql)
    raise_sequences(conn, {table: seed})  # the copy has counted up to the highest stored id already


def migrate_v11(conn: Connection) -> None:
    """Rebuild the record tables with AUTOINCREMENT; runs with foreign keys off (migrations.py)."""
    highest = _highest_ids(conn)
    # Triggers and views name the tables in their bodies: drop them all, make them again at the end.
    views, triggers = _schema(conn, "view"), _schema(conn, "trigger")
    for name, _sql in triggers:
        conn.execute(f"DROP TRIGGER {_quoted(name)}")
    for name, _sql in views:
        conn.execute(f"DROP VIEW {_quoted(name)}")
    present = {str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in TABLES:
        if table in present:
            _rebuild(conn, table, highest.get(table, 0))
    for _name, sql in views + triggers:
        conn.execute(sql)
