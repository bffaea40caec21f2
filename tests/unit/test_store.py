"""The encrypted store on disk: header, PRAGMAs, migrations, refusal of newer files, canaries."""

from __future__ import annotations

import hashlib

import pytest

from kim_desk.desk import Desk, open_desk
from kim_desk.errors import DatabaseTooNew, NotADatabase
from kim_desk.paths import DataPaths
from kim_desk.store import migrations, open_store
from kim_desk.store.clients import Client, create_client
from kim_desk.store.connection import connect
from tests.conftest import PASSPHRASE, all_bytes, always


def test_database_is_encrypted_and_pragmas_are_set(desk: Desk) -> None:
    assert desk.paths.database.read_bytes()[:16] != b"SQLite format 3\x00"
    conn = desk.store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION


def test_planted_name_is_not_in_any_file(desk: Desk) -> None:
    canary = "Zzyzxquorbeth"
    create_client(
        desk.store,
        Client(
            family_name=canary,
            given_names="Canary",
            municipality="ahlen",
            family_name_orig="Ззизкворбет",
            phone="0151 4242424",
        ),
    )
    # while the WAL still holds the write, and after the checkpoint
    for _ in range(2):
        data = all_bytes(desk.paths.root)
        assert canary.encode() not in data
        assert "Ззизкворбет".encode() not in data
        assert b"4242424" not in data
        desk.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_wrong_key_is_not_a_database(desk_paths: DataPaths) -> None:
    with pytest.raises(NotADatabase, match="anderen Datenbank"):
        connect(desk_paths.database, b"\x01" * 32)


def test_migration_from_empty_file_runs_every_step(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(tmp_path / "new.db", b"\x02" * 32, create=True)
    tables = {row[0] for row in store.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"client", "case", "appointment", "contact", "barrier", "audit_event", "client_search"} <= tables
    assert migrations.schema_version(store.conn) == migrations.LATEST_VERSION
    store.close()


def test_failed_migration_leaves_database_at_previous_version(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def broken(conn) -> None:  # type: ignore[no-untyped-def]
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk pulled")

    path = tmp_path / "m.db"
    open_store(path, b"\x03" * 32, create=True).close()
    latest = migrations.LATEST_VERSION
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (latest + 1, broken)])
    monkeypatch.setattr(migrations, "LATEST_VERSION", latest + 1)
    with pytest.raises(RuntimeError, match="disk pulled"):
        open_store(path, b"\x03" * 32)
    conn = connect(path, b"\x03" * 32)
    assert migrations.schema_version(conn) == latest
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    conn.close()


def test_newer_database_is_refused_and_left_unchanged(desk_paths: DataPaths) -> None:
    desk = open_desk(desk_paths, always(PASSPHRASE))
    desk.store.conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 5}")
    desk.close()
    before = hashlib.sha256(desk_paths.database.read_bytes()).hexdigest()
    with pytest.raises(DatabaseTooNew, match="neueren Version"):
        open_desk(desk_paths, always(PASSPHRASE))
    assert hashlib.sha256(desk_paths.database.read_bytes()).hexdigest() == before


def test_sqlite_utils_works_on_the_keyed_connection(desk: Desk) -> None:
    assert desk.store.db["client"].count == 60
    assert "municipality" in desk.store.db["client"].columns_dict


def test_a_failed_inner_transaction_undoes_only_its_own_writes(desk: Desk) -> None:
    store = desk.store
    before = store.rows("SELECT key FROM setting ORDER BY key")
    with store.transaction() as conn:
        conn.execute("INSERT INTO setting (key, value) VALUES ('outer', '1')")
        with pytest.raises(RuntimeError), store.transaction():
            conn.execute("INSERT INTO setting (key, value) VALUES ('inner', '1')")
            raise RuntimeError("the inner step fails")
        with store.transaction():
            conn.execute("INSERT INTO setting (key, value) VALUES ('second', '1')")
    keys = {row[0] for row in store.rows("SELECT key FROM setting")} - {row[0] for row in before}
    assert keys == {"outer", "second"}
    assert not store.conn.in_transaction
    with pytest.raises(RuntimeError), store.transaction() as conn:  # the outer one fails: all of it goes
        conn.execute("INSERT INTO setting (key, value) VALUES ('gone', '1')")
        with store.transaction():
            conn.execute("INSERT INTO setting (key, value) VALUES ('gone too', '1')")
        raise RuntimeError("the outer step fails")
    assert store.one("SELECT count(*) FROM setting WHERE key LIKE 'gone%'")[0] == 0
