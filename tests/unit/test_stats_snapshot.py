"""The quarter's report reads one snapshot of the desk on two connections at once (store/snapshot.py).

Both connections must see the same database: a contact committed by another program while the report
runs is in every table of the report or in none. The second connection is the report's own: closed
afterwards, never writing, never seeing less than the desk's own open transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from kim_desk.desk import Desk
from kim_desk.stats import tables as t
from kim_desk.stats.periods import Quarter
from kim_desk.store import Store, snapshot
from kim_desk.store.clients import list_clients
from kim_desk.store.connection import OperationalError, connect
from kim_desk.store.contacts import Contact, record_contact

COUNT = "SELECT COUNT(*) FROM contact"
Q3 = Quarter(2026, 3)


class Spy:
    """A connection whose query waits for the other connection's (so both really run at once) and, for the
    second connection, lets another program try to commit a contact just before its snapshot starts."""

    def __init__(self, conn: Any, both: threading.Barrier, before_snapshot: Any = None) -> None:
        self.conn, self.both, self.before_snapshot = conn, both, before_snapshot

    def execute(self, sql: str, *args: Any) -> Any:
        if sql == "BEGIN" and self.before_snapshot is not None:
            self.before_snapshot()
        if sql == COUNT:
            self.both.wait(timeout=30)
        return self.conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


def _other_program(desk: Desk) -> Any:
    conn = connect(desk.store.path, desk.key)
    conn.execute("PRAGMA busy_timeout = 0")
    return conn


def _add_contact(conn: Any, client_id: int) -> None:
    conn.execute(
        "INSERT INTO contact (client_id, contact_on, channel, language, ckey)"
        " VALUES (?, '2026-08-04', 'phone', 'ar', 7)",
        (client_id,),
    )


def test_a_contact_committed_while_the_report_starts_is_in_both_connections_or_in_neither(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = desk.store
    client_id = list_clients(store)[0].id
    assert client_id is not None
    before = store.conn.execute(COUNT).fetchone()[0]
    other = _other_program(desk)
    refused: list[Exception] = []

    def write_now() -> None:  # between the desk's snapshot and the second connection's
        try:
            _add_contact(other, client_id)
        except OperationalError as exc:  # the report holds the write lock: the other program waits
            refused.append(exc)

    both = threading.Barrier(2)
    opened = snapshot.connect_reader
    monkeypatch.setattr(snapshot, "connect_reader", lambda *a, **k: Spy(opened(*a, **k), both, write_now))
    try:
        first, second = snapshot.read_all(Spy(store.conn, both), store.path, desk.key, [COUNT], [COUNT], {})
        assert first[0][0] == second[0][0] == before  # one snapshot: the same contacts on both connections
        assert refused and "locked" in str(refused[0])
        _add_contact(other, client_id)  # once the report is done, the other program's write goes in
        assert store.conn.execute(COUNT).fetchone()[0] == before + 1
    finally:
        other.close()


class Recorder:
    """A connection that notes what it ran. Its first query waits for `hold`, and sets `began` first; once
    it has run "SELECT 'second b'" it sets `release`. So the second connection can be held back (as when
    the machine gives its thread no CPU) after it took its first query, until the desk's has run another."""

    def __init__(
        self, conn: Any, hold: threading.Event, began: threading.Event, release: threading.Event | None = None
    ) -> None:
        self.conn, self.hold, self.began, self.release = conn, hold, began, release
        self.ran: list[str] = []

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.startswith("SELECT '"):
            if not self.ran:
                self.began.set()
                self.hold.wait(timeout=10)
            self.ran.append(sql)
        result = self.conn.execute(sql, *args)
        if self.release is not None and sql == "SELECT 'second b'":
            self.release.set()
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


def test_the_desk_connection_takes_over_queries_the_second_has_not_started(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    released, reader_took_one, unused = threading.Event(), threading.Event(), threading.Event()
    readers: list[Recorder] = []
    opened = snapshot.connect_reader

    def slow_reader(*args: Any, **kwargs: Any) -> Recorder:
        readers.append(Recorder(opened(*args, **kwargs), hold=released, began=reader_took_one))
        return readers[0]

    monkeypatch.setattr(snapshot, "connect_reader", slow_reader)
    ours = Recorder(desk.store.conn, hold=reader_took_one, began=unused, release=released)
    rows = snapshot.read_all(
        ours, desk.store.path, desk.key, ["SELECT 'own'"], ["SELECT 'second a'", "SELECT 'second b'"], {}
    )
    assert [row[0][0] for row in rows] == ["own", "second a", "second b"]  # in order, whoever ran them
    assert ours.ran == ["SELECT 'own'", "SELECT 'second b'"]
    assert readers[0].ran == ["SELECT 'second a'"]


def test_the_report_is_the_same_on_two_connections_as_on_one(desk: Desk) -> None:
    window = t.Window(Q3)
    together = t.count_tables(desk.store, window)
    alone = t.count_tables(Store(conn=desk.store.conn, path=desk.store.path), window)  # no key: one connection
    assert together == alone
    assert sum(tally.count for tally in together["contacts_by_channel"].values()) > 0


def _desk_files_open(path: Path) -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(path)):
            found.append(target)
    return sorted(found)


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_the_second_connection_is_closed_and_the_write_lock_released(desk: Desk) -> None:
    store = desk.store
    t.count_tables(store, t.Window(Q3))
    # SQLite keeps a closed connection's descriptor while another holds POSIX locks on the file (closing
    # it would drop them) and hands it to the next connection: it must not grow report by report
    files = _desk_files_open(store.path)
    for _time in range(3):
        t.count_tables(store, t.Window(Q3))
    assert _desk_files_open(store.path) == files
    assert not store.conn.in_transaction
    other = _other_program(desk)
    try:
        other.execute("BEGIN IMMEDIATE")  # nobody holds the lock any more
        other.execute("ROLLBACK")
    finally:
        other.close()
    desk.close()
    assert _desk_files_open(store.path) == []
    assert [p.name for p in store.path.parent.iterdir() if p.name.startswith(store.path.name + "-")] == []


def test_inside_an_open_transaction_the_report_counts_its_own_writes(desk: Desk) -> None:
    """Freezing counts inside its transaction: a second connection would not see what it wrote."""
    store = desk.store
    client_id = list_clients(store)[0].id
    assert client_id is not None
    window = t.Window(Q3)
    before = sum(tally.count for tally in t.count_tables(store, window)["contacts_by_channel"].values())
    counted: list[int] = []
    with pytest.raises(Undo), store.transaction():
        record_contact(store, Contact(client_id=client_id, contact_on=dt.date(2026, 8, 4), channel="phone"))
        counted += [sum(tally.count for tally in t.count_tables(store, window)["contacts_by_channel"].values())]
        raise Undo
    assert counted == [before + 1]


class Undo(Exception):
    """Rolls the test's transaction back."""


def test_when_another_program_holds_the_write_lock_the_report_reads_on_one_connection(desk: Desk) -> None:
    store = desk.store
    expected = t.count_tables(Store(conn=store.conn, path=store.path), t.Window(Q3))
    other = _other_program(desk)
    try:
        other.execute("BEGIN IMMEDIATE")
        assert t.count_tables(store, t.Window(Q3)) == expected
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert not store.conn.in_transaction


def test_a_failing_query_on_the_second_connection_is_raised_and_leaves_no_lock(desk: Desk) -> None:
    store = desk.store
    with pytest.raises(Exception, match="no such table"):
        store.read_all(["SELECT COUNT(*) FROM contact"], {}, second=["SELECT * FROM no_such_table"])
    assert not store.conn.in_transaction
    other = _other_program(desk)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_the_second_connection_reads_only(desk: Desk) -> None:
    reader = snapshot.connect_reader(desk.store.path, desk.key)
    try:
        assert reader.execute(COUNT).fetchone()[0] > 0
        assert reader.execute("PRAGMA cache_size").fetchone()[0] == -snapshot.READER_CACHE_KIB
        with pytest.raises(Exception, match=r"readonly|read-only|attempt to write"):
            reader.execute("DELETE FROM contact")
    finally:
        reader.close()
