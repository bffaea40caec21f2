"""Desks written by the old code of every earlier schema version open, migrate and keep their data.

tests/fixtures/desk_v1.db, desk_v2.db and desk_v3.db were made by tests/fixtures/make_old_desks.py
running the code of the commit that introduced that version (v3: the code before schema v4); v2 and
v3 hold the sync tables that the old code created on demand, with reports sent, already there and
waiting.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import httpx
import pytest

from kim_desk.clock import FixedClock
from kim_desk.store import Store, audit, open_store
from kim_desk.store.appointments import list_appointments
from kim_desk.store.cases import list_cases
from kim_desk.store.clients import get_client, list_clients
from kim_desk.store.connection import connect
from kim_desk.store.contacts import list_contacts
from kim_desk.store.migrations import LATEST_VERSION, schema_version
from kim_desk.store.search import search_clients
from kim_desk.sync import state
from kim_desk.sync.service import Backoff, enrolment, run_sync

FIXTURES = Path(__file__).parent.parent / "fixtures"
KEY = bytes(range(32))  # tests/fixtures/make_old_desks.py
TODAY = dt.datetime(2026, 10, 20, 10, 0)
NAMES = ["Haddad, Amira", "Kovalenko, Olena", "Tesfaye, Selam", "Yilmaz, Mehmet"]


def schema(store: Store) -> list[tuple[str, str, str]]:
    """Every table, index, trigger and view, its SQL without comments and spacing differences."""
    rows = store.rows("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")
    return [(row[0], row[1], _plain_sql(row[2])) for row in rows]


def _plain_sql(sql: str) -> str:
    code = " ".join(line.split("--", 1)[0] for line in sql.splitlines())
    return re.sub(r"\s+", " ", code).replace("( ", "(").replace(" )", ")").strip()


@pytest.fixture(scope="module")
def fresh_schema(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, str]]:
    store = open_store(tmp_path_factory.mktemp("fresh") / "desk.db", KEY, create=True)
    try:
        return schema(store)
    finally:
        store.close()


def old_desk(version: int, tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    shutil.copyfile(FIXTURES / f"desk_v{version}.db", path)
    conn = connect(path, KEY)  # opened without migrating: the file is what that version wrote
    try:
        assert schema_version(conn) == version
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    assert ("sync_outbox" in tables) == (version >= 2)
    return path


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_old_desk_keeps_its_records_search_and_audit_trail(version: int, tmp_path: Path, fresh_schema) -> None:
    store = open_store(old_desk(version, tmp_path), KEY, clock=FixedClock(TODAY))
    try:
        assert schema_version(store.conn) == LATEST_VERSION
        clients = list_clients(store)
        assert [client.display_name for client in clients] == NAMES
        haddad = get_client(store, clients[0].id or 0)
        assert haddad.family_name_orig == "حداد" and haddad.languages == ["ar", "de"]
        assert [member.given_names for member in haddad.household] == ["Kind0"]
        assert [get_client(store, hit.client_id).family_name for hit in search_clients(store, "Hadad")] == ["Haddad"]
        assert [get_client(store, hit.client_id).family_name for hit in search_clients(store, "Коваленко")] == [
            "Kovalenko"
        ]
        cases = list_cases(store)
        assert sorted(case.status for case in cases) == ["collecting", "collecting", "planned", "submitted"]
        assert sum(len(list_contacts(store, client.id or 0)) for client in clients) == 12
        assert [a.starts_at.day for a in list_appointments(store)] == [21, 22, 23, 24]
        check = audit.verify(store)
        assert check.ok and check.events == 33
        assert schema(store) == fresh_schema
    finally:
        store.close()


@pytest.mark.parametrize("version", [2, 3])
def test_the_old_sync_tables_keep_their_reports_and_sending_goes_on(version: int, tmp_path: Path) -> None:
    store = open_store(old_desk(version, tmp_path), KEY, clock=FixedClock(TODAY))
    try:
        enrolled = enrolment(store)
        assert enrolled is not None and enrolled.desk_id == "desk-old" and enrolled.first_period == "2026Q1"
        before = state.outbox(store)
        assert [(e.period, e.state, e.attempts) for e in before] == [
            ("2026Q1", "sent", 0),
            ("2026Q2", "sent", 0),
            ("2026Q3", "queued", 1),
        ]
        assert [row[2] for row in reversed(state.journal_rows(store))] == [
            *["queued"] * 3,
            "sent",
            "already",
            "error",
        ]
        received: list[dict] = []

        def district(request: httpx.Request) -> httpx.Response:
            received.append(json.loads(request.content))
            return httpx.Response(201, json={"status": "stored"})

        with httpx.Client(base_url="http://127.0.0.1:9", transport=httpx.MockTransport(district)) as client:
            summary = run_sync(store, client, TODAY.date(), Backoff(attempts=1))
        assert summary.queued == [] and summary.sent == ["desk-old:2026Q3"]
        # The waiting report goes out exactly as the old code froze it.
        assert [json.loads(before[2].payload)] == received
        assert [e.state for e in state.outbox(store)] == ["sent"] * 3
    finally:
        store.close()


def test_a_v3_desk_without_the_later_status_history_index_gets_it(tmp_path: Path, fresh_schema) -> None:
    """An early v3 build created only the contact index; v4 adds the other one."""
    path = old_desk(3, tmp_path)
    conn = connect(path, KEY)
    conn.execute("DROP INDEX case_status_change_timeline")
    conn.close()
    store = open_store(path, KEY)
    try:
        assert schema(store) == fresh_schema
    finally:
        store.close()
