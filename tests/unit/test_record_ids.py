"""Record ids are never given twice (schema v11): an erased client's number stays the erased client's.

The audit trail, a frozen report's watermarks, a printed sheet and a counsellor's memory name
records by id; before v11 SQLite handed the newest erased client's id to the next new client.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from kim_desk import demo
from kim_desk.backup import create_backup, restore_backup
from kim_desk.catalog import load_catalog
from kim_desk.clock import FixedClock
from kim_desk.desk import Desk
from kim_desk.privacy.erasure import erase_client
from kim_desk.store import Store, audit, migrations, open_store, schema_v11
from kim_desk.store.cases import open_case
from kim_desk.store.clients import Client, create_client, get_client
from kim_desk.store.connection import connect
from kim_desk.store.contacts import Contact, delete_contact, list_contacts, record_contact
from kim_desk.store.search import search_clients
from tests.conftest import TODAY
from tests.unit.test_migration_fixtures import schema

KEY = bytes(range(32))


def _new_client(store: Store, name: str) -> int:
    return create_client(store, Client(family_name=name, municipality="ahlen")).id


def test_an_erased_newest_client_keeps_its_id_to_itself(empty_desk: Desk) -> None:
    store = empty_desk.store
    _new_client(store, "Haddad")
    erased = _new_client(store, "Kovalenko")
    case = open_case(store, empty_desk.catalog, erased, "wohngeld")
    erase_client(store, empty_desk.paths, erased)
    newcomer = _new_client(store, "Tesfaye")
    assert newcomer > erased
    assert get_client(store, newcomer).family_name == "Tesfaye"
    assert open_case(store, empty_desk.catalog, newcomer, "wohngeld").id > case.id
    # what the audit trail says about the erased number is still about the erased client only
    events = store.rows("SELECT action FROM audit_event WHERE entity = 'client' AND entity_id = ?", (erased,))
    assert [row[0] for row in events] == ["create", "erase"]


def test_a_deleted_newest_contact_keeps_its_id(empty_desk: Desk) -> None:
    store = empty_desk.store
    client_id = _new_client(store, "Haddad")
    first = record_contact(store, Contact(client_id, TODAY.date())).id
    delete_contact(store, first)
    second = record_contact(store, Contact(client_id, TODAY.date())).id
    assert second > first
    assert [contact.id for contact in list_contacts(store, client_id)] == [second]


def test_every_table_that_hangs_on_a_client_counts_its_ids_up(empty_desk: Desk) -> None:
    """Also the tables added later: whatever references a client (directly or through a case,
    an appointment …) must never hand out an id twice."""
    store = empty_desk.store
    tables = [str(row[0]) for row in store.rows("SELECT name FROM sqlite_master WHERE type = 'table'")]
    hanging = {"client"}
    while True:
        more = {
            table
            for table in tables
            if table not in hanging
            and any(str(key[2]) in hanging for key in store.rows(f"PRAGMA foreign_key_list({json.dumps(table)})"))
        }
        if not more:
            break
        hanging |= more
    assert {"case", "contact", "appointment", "referral", "mediator_request", "checklist_item"} <= hanging
    plain = {
        table
        for table in hanging
        if "AUTOINCREMENT" not in str(store.one("SELECT sql FROM sqlite_master WHERE name = ?", (table,))[0])
    }
    assert plain == set()


# -- the migration on a populated version-10 desk (the one before it)


def _v10_desk(path: Path) -> Store:
    conn = connect(path, KEY, create=True)
    conn.row_factory = sqlcipher3.Row
    migrations.migrate(conn, target=10)
    assert migrations.schema_version(conn) == 10
    return Store(conn=conn, path=path, clock=FixedClock(TODAY))


def _every_row(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    names = [
        str(row[0])
        for row in store.rows(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: sorted((tuple(row) for row in store.rows(f'SELECT * FROM "{name}"')), key=repr) for name in names}


@pytest.fixture
def v10_store(tmp_path: Path) -> Store:
    store = _v10_desk(tmp_path / "desk.db")
    demo.generate(store, load_catalog(), clients=40)
    newest = int(store.rows("SELECT MAX(id) FROM client")[0][0])
    erase_client(store, None, newest)  # the audit trail knows a higher client id than the rows
    # a report frozen when there were more contacts than now (the newest were deleted since)
    store.conn.execute(
        "INSERT INTO sync_outbox (report_id, period, payload, content_hash, watermarks, queued_at)"
        " VALUES ('r1', '2026Q3', '{}', 'x', ?, '2026-10-01T00:00:00')",
        (json.dumps({"contact": 5000, "barrier": 1, "case_status_change": 2}),),
    )
    return store


def test_the_migration_keeps_every_row_search_and_the_audit_trail(v10_store: Store, tmp_path: Path) -> None:
    store = v10_store
    before = _every_row(store)
    assert before["referral"] and before["unmet_need"] and before["mediator_request"] and before["household_member"]
    erased = int(
        store.rows("SELECT MAX(entity_id) FROM audit_event WHERE entity = 'client' AND action = 'erase'")[0][0]
    )
    haddad = store.rows("SELECT id, family_name FROM client ORDER BY id LIMIT 1")[0]
    hits_before = [hit.client_id for hit in search_clients(store, haddad[1])]

    assert migrations.migrate(store.conn, target=11) == [11]

    assert _every_row(store) == before  # no row lost, changed or cascaded away
    assert store.rows("PRAGMA foreign_key_check") == []
    assert store.rows("PRAGMA foreign_keys")[0][0] == 1
    assert [hit.client_id for hit in search_clients(store, haddad[1])] == hits_before
    check = audit.verify(store)
    assert check.ok and check.events == len(before["audit_event"])
    sequence = {str(row[0]): int(row[1]) for row in store.rows("SELECT name, seq FROM sqlite_sequence")}
    assert sequence["client"] == erased  # seeded from the audit trail, above every stored client
    assert sequence["contact"] == 5000  # seeded from the frozen report's watermark
    audited = [row[5] for row in before["audit_event"] if row[4] == "case" and row[5] is not None]
    assert sequence["case"] == max(row[0] for row in before["case"] + [(id_,) for id_ in audited])

    migrations.migrate(store.conn)  # the versions after 11, then it is a fresh desk's schema
    fresh = open_store(tmp_path / "fresh.db", KEY, create=True)
    try:
        assert schema(store) == schema(fresh)
    finally:
        fresh.close()

    # the rebuilt tables still work: new ids above everything seen, record keys, cascades
    newcomer = _new_client(store, "Neu")
    assert newcomer == erased + 1
    assert store.rows("SELECT ckey FROM client WHERE id = ?", (newcomer,))[0][0] is not None
    contact = record_contact(store, Contact(newcomer, TODAY.date())).id
    assert contact == 5001
    victim = int(store.rows("SELECT client_id FROM referral ORDER BY id LIMIT 1")[0][0])
    assert store.rows("SELECT count(*) FROM contact WHERE client_id = ?", (victim,))[0][0] > 0
    erase_client(store, None, victim)
    for table in ("contact", "case", "appointment", "referral", "unmet_need", "household_member"):
        assert store.rows(f'SELECT count(*) FROM "{table}" WHERE client_id = ?', (victim,))[0][0] == 0
    assert store.rows("PRAGMA foreign_key_check") == []
    store.close()


def test_a_failed_migration_changes_nothing_and_keeps_foreign_keys_on(
    v10_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = v10_store
    before = _every_row(store)
    schema_before = schema(store)
    real = schema_v11._rebuild

    def fail_at_contact(conn: Any, table: str, seed: int) -> None:
        real(conn, table, seed)
        if table == "contact":
            raise RuntimeError("disk pulled")

    monkeypatch.setattr(schema_v11, "_rebuild", fail_at_contact)
    with pytest.raises(RuntimeError, match="disk pulled"):
        migrations.migrate(store.conn)
    assert migrations.schema_version(store.conn) == 10
    assert _every_row(store) == before
    assert schema(store) == schema_before
    assert store.rows("PRAGMA foreign_keys")[0][0] == 1
    store.close()


def test_a_restore_does_not_give_out_the_ids_of_people_created_and_erased_after_the_backup(desk: Desk) -> None:
    """The backup never knew the client made and erased after it; the database it replaces did."""
    info = create_backup(desk.store, desk.paths, desk.key)
    later = _new_client(desk.store, "Später")
    erase_client(desk.store, desk.paths, later)
    desk.close()
    restore_backup(desk.paths, info, desk.key)
    store = open_store(desk.paths.database, desk.key)
    try:
        assert store.one("SELECT 1 FROM client WHERE id = ?", (later,)) is None
        assert _new_client(store, "Neu") > later
    finally:
        store.close()


def test_a_restore_over_a_database_it_cannot_read_still_works(desk: Desk) -> None:
    info = create_backup(desk.store, desk.paths, desk.key)
    desk.close()
    desk.paths.database.write_bytes(b"\0" * 8192)  # damaged: the reason one restores
    for side in desk.paths.database.parent.glob(desk.paths.database.name + "-*"):
        side.unlink()
    result = restore_backup(desk.paths, info, desk.key)
    assert result.clients == 60
