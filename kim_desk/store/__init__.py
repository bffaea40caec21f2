"""The encrypted desk database: one Store object passed to every core function."""

from __future__ import annotations

import contextlib
import datetime as dt
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import sqlcipher3

from kim_desk.clock import Clock, SystemClock
from kim_desk.store.connection import STAGING_NAME, Connection, DatabaseError, connect, database_error, remove_leftovers
from kim_desk.store.migrations import migrate
from kim_desk.store.snapshot import read_all

if TYPE_CHECKING:
    import sqlite_utils


class Change(NamedTuple):
    """What a mutation changed, so a view knows what to redraw."""

    entity: str
    id: int
    action: str  # create | update | delete


class Store:
    def __init__(
        self, conn: Connection, path: Path, clock: Clock | None = None, actor: str = "desk", key: bytes = b""
    ) -> None:
        self.conn = conn
        self.path = path
        self.clock: Clock = clock or SystemClock()
        self.actor = actor
        self._depth = 0  # nesting of transaction(): savepoints inside the outer one
        self._key = key  # for the report's second connection (snapshot.py) only; never in a repr

    @property
    def db(self) -> sqlite_utils.Database:
        import sqlite_utils  # imported on first use: it pulls in click and pluggy, slowing every start

        # Not its defaults: they would switch recursive triggers on for the shared connection and
        # let installed sqlite-utils plugins act on it.
        return sqlite_utils.Database(self.conn, recursive_triggers=False, execute_plugins=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction. Nested use is a savepoint inside the outer one: when the inner
        block fails, only its own writes are undone and the outer block decides what follows."""
        if self._depth or self.conn.in_transaction:
            with self._savepoint():
                yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self._depth = 0
            if self.conn.in_transaction:  # some errors (disk full) have rolled back already
                self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        name = f"kim_desk_{self._depth}"
        self.conn.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            raise
        finally:
            self._depth -= 1
        self.conn.execute(f"RELEASE {name}")

    def rows(self, sql: str, params: Any = ()) -> list[sqlcipher3.Row]:
        return list(self.conn.execute(sql, params).fetchall())

    def each(self, sql: str, params: Any = ()) -> Iterator[sqlcipher3.Row]:
        """Rows one at a time, for a query over every client whose rows are read once and dropped."""
        return iter(self.conn.execute(sql, params))

    def ids(self, sql: str, params: Any = ()) -> array[int]:
        """The first column of every row as a compact array of integers, read row by row: 100,000
        client ids take 0.8 MB instead of the ~13 MB of row objects a fetchall holds for a moment."""
        return array("q", (row[0] for row in self.conn.execute(sql, params)))

    def one(self, sql: str, params: Any = ()) -> sqlcipher3.Row | None:
        row: sqlcipher3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def read_all(self, queries: Sequence[str], params: Any = (), *, second: Sequence[str] = ()) -> list[list[Any]]:
        """The rows of read-only queries, then of `second`, from one snapshot; `second` on a second
        connection at the same time where it can (snapshot.py)."""
        return read_all(self.conn, self.path, self._key, queries, second, params)

    def now_text(self) -> str:
        return self.clock.now().isoformat(timespec="seconds")

    def today(self) -> dt.date:
        return self.clock.today()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()


def open_store(
    path: Path,
    key: bytes,
    *,
    create: bool = False,
    clock: Clock | None = None,
    actor: str = "desk",
) -> Store:
    """Open the database, migrate it, and hand back a Store."""
    conn = connect(path, key, create=create)
    if create:
        path.chmod(0o600)
    try:
        conn.row_factory = sqlcipher3.Row
        migrate(conn)
    except DatabaseError as exc:
        conn.close()
        raise (database_error(exc, path) or exc) from exc
    except BaseException:
        conn.close()
        raise
    if not create and path.name != STAGING_NAME:
        remove_leftovers(path)  # what a killed restore left beside the database
        with contextlib.suppress(*DatabaseError):  # old frames of a killed erasure leave the WAL
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Store(conn=conn, path=path, clock=clock or SystemClock(), actor=actor, key=key)
