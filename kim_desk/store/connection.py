"""Opening the SQLCipher database with a raw 256-bit key and the house PRAGMAs."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlcipher3

from kim_desk.errors import DatabaseMissing, NotADatabase, StorageError
from kim_desk.i18n import _

# sqlcipher3 has its own exception classes; catch both families everywhere.
DatabaseError: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher3.DatabaseError)
OperationalError: tuple[type[Exception], ...] = (
    sqlite3.OperationalError,
    sqlcipher3.OperationalError,
)
IntegrityError: tuple[type[Exception], ...] = (sqlite3.IntegrityError, sqlcipher3.IntegrityError)

Connection = Any  # sqlcipher3.Connection has no type stubs


def connect(path: Path, key: bytes, *, create: bool = False) -> Connection:
    """Open (or with create=True make) the keyed database; wrong key → NotADatabase."""
    if len(key) != 32:
        raise ValueError("the database key must be 32 bytes")
    if not create and not path.exists():
        raise DatabaseMissing(_("Die Datenbank {path} fehlt.").format(path=path))
    try:
        conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    except DatabaseError as exc:
        raise StorageError(
            _("Die Datenbank {path} kann nicht geöffnet werden ({reason}).").format(path=path, reason=exc)
        ) from exc
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseError as exc:
        conn.close()
        raise NotADatabase(
            _(
                "Die Datei {path} lässt sich mit diesem Schlüssel nicht öffnen: "
                "falscher Schlüssel oder beschädigte Datei."
            ).format(path=path)
        ) from exc
    try:
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = FULL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 5000",
            "PRAGMA secure_delete = ON",
            "PRAGMA temp_store = MEMORY",
            # every page read from disk is decrypted: a 64 MiB cache keeps the hot pages decrypted
            "PRAGMA cache_size = -65536",
        ):
            conn.execute(pragma)
    except DatabaseError as exc:
        conn.close()
        raise StorageError(
            _("Die Datenbank {path} kann nicht eingerichtet werden ({reason}).").format(path=path, reason=exc)
        ) from exc
    return conn


def split_sql(script: str) -> list[str]:
    """Split a schema script into statements (executescript would commit early)."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.splitlines():
        code = line.split("--", 1)[0].rstrip()
        if not code:
            continue
        current.append(code)
        candidate = "\n".join(current)
        if code.endswith(";") and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            current = []
    if current:
        statements.append("\n".join(current))
    return statements
