"""Record ids are given out once: the counters SQLite keeps for AUTOINCREMENT tables (schema v11).

A restored backup counts from where the backup stood; the database it replaces may have given
out higher ids since (to people erased after the backup, too), so the restore carries them over.
"""

from __future__ import annotations

from kim_desk.store.connection import Connection, OperationalError


def sequences(conn: Connection) -> dict[str, int]:
    """The highest id each AUTOINCREMENT table has given out; {} before schema v11."""
    try:
        rows = conn.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
    except OperationalError:  # no such table: nothing counted yet
        return {}
    return {str(name): int(seq) for name, seq in rows if seq is not None}


def raise_sequences(conn: Connection, highest: dict[str, int]) -> None:
    """Let each counting table go on above `highest[table]` (never lowers a counter)."""
    counting = {
        str(row[0])
        for row in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        if "AUTOINCREMENT" in str(row[1]).upper()
    }
    for table, top in highest.items():
        if table not in counting or top <= sequences(conn).get(table, 0):
            continue
        conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, int(top)))
