"""Read-only queries on one snapshot of the database, on two connections at once where possible.

The quarter's report runs a handful of independent grouping queries. SQLite lets go of the GIL
while it steps, so a second connection to the same file (same key, opened here and closed again)
runs half of them on the machine's other core. Both must read the same state of the database: the
desk's connection takes the write lock (BEGIN IMMEDIATE) before the second one starts reading, so
no commit can land between the two snapshots; the lock is held until both are done (~0.5 s at
district scale; other writers wait through busy_timeout). Where that cannot be done (a transaction
is already open, no key, the lock is taken, the second connection does not open) the queries run
one after the other on the desk's connection, inside one read transaction.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlcipher3

from kim_desk.store.connection import Connection, DatabaseError, quiet

# The second connection's page cache, for one report: 8 MiB was as fast as 24 MiB at district scale
# (its queries read their pages in order) and adds less to the app's peak memory.
READER_CACHE_KIB = 8 * 1024


def connect_reader(path: Path, key: bytes, cache_kib: int = READER_CACHE_KIB) -> Connection:
    """A read-only connection to an open desk database (WAL: its -wal and -shm exist already)."""
    conn = sqlcipher3.connect(
        path.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False, isolation_level=None
    )
    try:
        quiet(conn)
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        for pragma in (
            "PRAGMA query_only = ON",
            "PRAGMA busy_timeout = 5000",  # as the desk's: a reader may have to wait out a checkpoint's start
            "PRAGMA temp_store = MEMORY",
            f"PRAGMA cache_size = -{cache_kib}",
        ):
            conn.execute(pragma)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


@contextlib.contextmanager
def _read_transaction(conn: Connection) -> Iterator[None]:
    """One snapshot for every query inside (no-op inside an open transaction: it is one already)."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def _write_lock(conn: Connection) -> bool:
    """Take the write lock without waiting for it; False when another connection holds it."""
    timeout = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except DatabaseError:
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {timeout}")
    return True


def _run(conn: Connection, queries: Sequence[str], params: Any) -> list[list[Any]]:
    return [conn.execute(sql, params).fetchall() for sql in queries]


def read_all(
    conn: Connection, path: Path, key: bytes, queries: Sequence[str], second: Sequence[str], params: Any
) -> list[list[Any]]:
    """The rows of `queries` and then of `second`, all from one snapshot; `second` runs on a second
    connection at the same time where it can. Choose `second` by the pages it reads: the second
    connection starts with an empty page cache, and every page it reads is decrypted again."""
    reader = None
    if key and second and not conn.in_transaction:
        with contextlib.suppress(*DatabaseError):
            reader = connect_reader(path, key, READER_CACHE_KIB)
    if reader is None:
        with _read_transaction(conn):
            return _run(conn, [*queries, *second], params)
    try:
        if not _write_lock(conn):
            with _read_transaction(conn):
                return _run(conn, [*queries, *second], params)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM sqlite_master").fetchone()  # its snapshot starts: no commit since ours
            return _parallel(conn, reader, queries, second, params)
        finally:
            if reader.in_transaction:
                reader.execute("ROLLBACK")
            conn.execute("ROLLBACK")  # nothing was written: lets the writers in again
    finally:
        reader.close()


Jobs = deque[tuple[int, str]]


def _parallel(
    conn: Connection, reader: Connection, queries: Sequence[str], second: Sequence[str], params: Any
) -> list[list[Any]]:
    """Each connection runs its own queries, then takes the other's last ones not started yet: on a busy
    machine the second one may get little CPU, and the desk's connection does not wait for it idle."""
    results: list[list[Any]] = [[] for _query in [*queries, *second]]
    ours: Jobs = deque(enumerate(queries))
    theirs: Jobs = deque(enumerate(second, start=len(queries)))
    failed: list[BaseException] = []

    def work() -> None:
        try:
            _work(reader, theirs, ours, params, results)
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread, which raises it
            failed.append(exc)

    helper = threading.Thread(target=work, name="kim-desk-reader", daemon=True)
    helper.start()
    try:
        _work(conn, ours, theirs, params, results)
    except BaseException:
        ours.clear()  # the helper starts nothing more
        theirs.clear()
        raise
    finally:
        helper.join()
    if failed:
        raise failed[0]
    return results


def _work(conn: Connection, own: Jobs, other: Jobs, params: Any, results: list[list[Any]]) -> None:
    while True:
        try:  # deque's popleft and pop are atomic: each query runs once
            index, sql = own.popleft()
        except IndexError:
            try:
                index, sql = other.pop()
            except IndexError:
                return
        results[index] = conn.execute(sql, params).fetchall()
