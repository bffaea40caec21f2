"""The district database's own numbered migrations (PRAGMA user_version), like the desk's.

Each step runs once, in order, inside one exclusive transaction; a file newer than this
program is refused rather than misread. Version 1 is the schema the service shipped with
(created without a version number), so old files upgrade in place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from kim_desk.errors import KnownError
from kim_desk.i18n import _


class DistrictTooNew(KnownError):
    pass


def _script(conn: sqlite3.Connection, script: str) -> None:
    """executescript() would commit the migration's transaction: one statement at a time."""
    for statement in script.split(";"):
        lines = [line.split("--")[0] for line in statement.splitlines()]
        if "".join(lines).strip():
            conn.execute("\n".join(lines))


def _v1(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        CREATE TABLE IF NOT EXISTS desk (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            municipality TEXT NOT NULL,
            first_period TEXT,
            code_hash TEXT UNIQUE,             -- NULL once used
            token_hash TEXT UNIQUE,            -- NULL until enrolled
            created_at TEXT NOT NULL,
            enrolled_at TEXT
        );
        CREATE TABLE IF NOT EXISTS report (
            report_id TEXT PRIMARY KEY,
            desk_id TEXT NOT NULL REFERENCES desk(id),
            period TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            payload TEXT NOT NULL,
            received_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS report_period ON report(period);
        CREATE TABLE IF NOT EXISTS figure (
            report_id TEXT NOT NULL REFERENCES report(report_id),
            period TEXT NOT NULL,
            tbl TEXT NOT NULL,
            key TEXT NOT NULL,                 -- JSON list of codes, "*" = total
            value INTEGER                      -- NULL = suppressed by the desk
        );
        CREATE INDEX IF NOT EXISTS figure_period ON figure(period, tbl);
        CREATE TABLE IF NOT EXISTS setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    )


def _v2(conn: sqlite3.Connection) -> None:
    """Expiring codes, revoked desks, staff accounts and their sessions."""
    conn.execute("ALTER TABLE desk ADD COLUMN code_expires_at TEXT")
    conn.execute("ALTER TABLE desk ADD COLUMN revoked_at TEXT")
    # Codes handed out before codes expired get the usual 14 days from the upgrade on.
    conn.execute(
        "UPDATE desk SET code_expires_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '+14 days')"
        " WHERE code_hash IS NOT NULL"
    )
    conn.execute("CREATE TABLE account (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at TEXT NOT NULL)")
    conn.execute(
        "CREATE TABLE session (token_hash TEXT PRIMARY KEY,"
        " account TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE, expires_at TEXT NOT NULL)"
    )


def _v3(conn: sqlite3.Connection) -> None:
    """The content pack each desk last said it has installed (GET /api/v1/content?installed=N), and
    each report's noise variance V as a column (the district picture sums it per cell; read from the
    JSON for every figure, it cost seconds per quarter)."""
    conn.execute("ALTER TABLE desk ADD COLUMN content_version INTEGER")
    conn.execute("ALTER TABLE desk ADD COLUMN content_asked_at TEXT")
    conn.execute("ALTER TABLE report ADD COLUMN noise_variance REAL")  # NULL: suppression era, exact figures
    conn.execute("UPDATE report SET noise_variance = json_extract(payload, '$.protection.V')")
    conn.execute("CREATE INDEX figure_cell ON figure(tbl, key, period)")


STEPS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3]
SCHEMA_VERSION = len(STEPS)


def _refuse_newer(found: int) -> None:
    if found > SCHEMA_VERSION:
        raise DistrictTooNew(
            _(
                "Die Datenbank des Kreisdienstes stammt von einer neueren Version (Schema {found}, "
                "dieses Programm kennt {known}). Bitte aktualisieren Sie kim-district."
            ).format(found=found, known=SCHEMA_VERSION)
        )


def check_not_newer(path: Path) -> None:
    """Before anything touches the file (even switching it to WAL): refuse a file from a newer program."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _refuse_newer(int(conn.execute("PRAGMA user_version").fetchone()[0]))
    finally:
        conn.close()


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file to SCHEMA_VERSION; returns the version found before."""
    conn.execute("BEGIN EXCLUSIVE")
    try:
        found = int(conn.execute("PRAGMA user_version").fetchone()[0])
        _refuse_newer(found)
        for number in range(found, SCHEMA_VERSION):
            STEPS[number](conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return found
