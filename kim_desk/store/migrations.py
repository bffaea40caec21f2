"""Numbered schema migrations, each in one exclusive transaction, on PRAGMA user_version."""

from __future__ import annotations

from collections.abc import Callable

from kim_desk.errors import DatabaseTooNew
from kim_desk.i18n import _
from kim_desk.store.connection import Connection, split_sql
from kim_desk.store.schema_v1 import SCHEMA_V1
from kim_desk.store.schema_v2 import SCHEMA_V2
from kim_desk.store.schema_v3 import SCHEMA_V3
from kim_desk.store.schema_v4 import SCHEMA_V4
from kim_desk.store.schema_v5 import SCHEMA_V5
from kim_desk.store.schema_v6 import SCHEMA_V6
from kim_desk.store.schema_v7 import migrate_v7
from kim_desk.store.schema_v9 import SCHEMA_V9
from kim_desk.store.schema_v10 import SCHEMA_V10
from kim_desk.store.schema_v11 import migrate_v11
from kim_desk.store.schema_v12 import SCHEMA_V12
from kim_desk.store.schema_v13 import SCHEMA_V13


def _run_script(script: str) -> Callable[[Connection], None]:
    def step(conn: Connection) -> None:
        for statement in split_sql(script):
            conn.execute(statement)

    return step


MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _run_script(SCHEMA_V1)),
    (2, _run_script(SCHEMA_V2)),
    (3, _run_script(SCHEMA_V3)),
    (4, _run_script(SCHEMA_V4)),
    (5, _run_script(SCHEMA_V5)),
    (6, _run_script(SCHEMA_V6)),
    (7, migrate_v7),
    (9, _run_script(SCHEMA_V9)),
    (10, _run_script(SCHEMA_V10)),
    (11, migrate_v11),
    (12, _run_script(SCHEMA_V12)),
    (13, _run_script(SCHEMA_V13)),
]
LATEST_VERSION = MIGRATIONS[-1][0]
# Steps that rebuild tables run with foreign keys off, as SQLite prescribes: with them on, dropping
# the old table would cascade into every dependent row. Their keys are checked before the commit.
REBUILDS = {11}


def schema_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection, target: int | None = None) -> list[int]:
    """Bring the database up to `target` (default: the latest); returns the versions applied."""
    target = LATEST_VERSION if target is None else target
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise DatabaseTooNew(
            _(
                "Die Datenbank stammt aus einer neueren Version von KIM Desk (Schema {found}, "
                "diese Version kennt bis {known}). Bitte installieren Sie die neuere Version; "
                "die Datenbank bleibt unverändert."
            ).format(found=current, known=LATEST_VERSION)
        )
    applied: list[int] = []
    for version, step in MIGRATIONS:
        if version <= current or version > target:
            continue
        _apply(conn, version, step)
        applied.append(version)
    return applied


def _foreign_key_faults(conn: Connection) -> set[tuple[object, ...]]:
    return {tuple(row) for row in conn.execute("PRAGMA foreign_key_check")}


def _apply(conn: Connection, version: int, step: Callable[[Connection], None]) -> None:
    rebuild = version in REBUILDS
    keys_on = bool(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    if rebuild:
        conn.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction does this take effect
    try:
        conn.execute("BEGIN EXCLUSIVE")
        try:
            before = _foreign_key_faults(conn) if rebuild else set()
            step(conn)
            if rebuild and _foreign_key_faults(conn) - before:
                raise RuntimeError(f"schema v{version} broke a foreign key")
            conn.execute(f"PRAGMA user_version = {int(version)}")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        if rebuild and keys_on:
            conn.execute("PRAGMA foreign_keys = ON")
