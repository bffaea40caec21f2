"""Erasure leaves no trace of a client: not in rows, the search index, free pages, the WAL, logs or restored backups."""

from __future__ import annotations

import errno
import json
import logging
import os
import subprocess
from pathlib import Path

import pytest

from kim_desk import vault
from kim_desk.backup import create_backup, list_backups, restore_backup
from kim_desk.clock import FixedClock
from kim_desk.desk import Desk, open_desk
from kim_desk.errors import NotFound, StorageError
from kim_desk.fileutil import storage_error
from kim_desk.i18n import translator
from kim_desk.logs import setup_logging
from kim_desk.privacy import journal
from kim_desk.privacy.erasure import anonymise_client, erase_client
from kim_desk.privacy.export import export_client
from kim_desk.store.cases import list_cases, open_case
from kim_desk.store.clients import Client, HouseholdMember, create_client, get_client
from kim_desk.store.contacts import Contact, record_contact
from kim_desk.store.search import search_clients
from tests.conftest import PASSPHRASE, TODAY, all_bytes, always
from tests.unit.sqlcipher_pages import all_plaintext

CANARY = "Quezzarowicz"
CANARY_GIVEN = "Zyvellina"


def _key(desk: Desk) -> bytes:
    return vault.unlock(desk.paths, always(PASSPHRASE), None).key


def _plant(desk: Desk) -> int:
    change = create_client(
        desk.store,
        Client(
            family_name=CANARY,
            given_names=CANARY_GIVEN,
            family_name_orig="Кеззарович",
            municipality="ahlen",
            birth_date="1988-04-02",
            phone="0171 5550199",
            notes=f"{CANARY} bringt Unterlagen",
            languages=["uk", "de"],
            household=[HouseholdMember(family_name=CANARY, given_names="Olek", relation="child")],
        ),
    )
    case = open_case(desk.store, desk.catalog, change.id, desk.catalog.sorted()[0].code)
    record_contact(desk.store, Contact(change.id, TODAY.date(), notes=f"Gespräch mit {CANARY}", case_id=case.id))
    return change.id


def _text_of_every_table(desk: Desk) -> str:
    """All text the decrypted database holds, FTS shadow tables included."""
    tables = [row[0] for row in desk.store.rows("SELECT name FROM sqlite_master WHERE type = 'table'")]
    parts = []
    for table in tables:
        for row in desk.store.rows(f'SELECT * FROM "{table}"'):
            parts.extend(str(value) for value in tuple(row))
    return "\n".join(parts)


def _traces(text: bytes) -> list[str]:
    lowered = text.lower()
    return [word for word in (CANARY, CANARY_GIVEN, "Кеззарович") if word.lower().encode() in lowered]


def test_erasure_leaves_no_remnant_in_rows_index_pages_wal_or_logs(desk: Desk) -> None:
    setup_logging(desk.paths.logs)
    key = _key(desk)
    client_id = _plant(desk)
    # the decryption of raw pages sees the canary before erasure, so its silence afterwards means something
    assert CANARY in _traces(all_plaintext(desk.paths.database, key))
    assert search_clients(desk.store, CANARY)[0].client_id == client_id

    erase_client(desk.store, desk.paths, client_id)

    assert _traces(all_plaintext(desk.paths.database, key)) == []
    wal = desk.paths.database.with_name("desk.db-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert CANARY not in _text_of_every_table(desk)
    assert CANARY_GIVEN not in _text_of_every_table(desk)
    assert search_clients(desk.store, CANARY) == []
    assert desk.store.rows("SELECT count(*) FROM household_member WHERE client_id = ?", (client_id,))[0][0] == 0
    assert list_cases(desk.store, client_id=client_id) == []
    assert desk.store.rows("SELECT count(*) FROM contact WHERE client_id = ?", (client_id,))[0][0] == 0
    with pytest.raises(NotFound):
        get_client(desk.store, client_id)
    logging.getLogger("kim_desk").handlers[0].flush()
    assert _traces(all_bytes(desk.paths.root)) == []  # logs, journal, vault, encrypted files
    assert (desk.paths.logs / "kim-desk.log").read_text("utf-8").count('"client_erased"') == 1
    setup_logging(None)


def test_erasure_is_recorded_without_a_name(desk: Desk) -> None:
    client_id = _plant(desk)
    uid = get_client(desk.store, client_id).uid
    erase_client(desk.store, desk.paths, client_id)
    recorded = journal.read_journal(desk.paths)
    assert [(e.uid, e.action) for e in recorded.erasures] == [(uid, "erase")]
    assert CANARY not in journal.journal_path(desk.paths).read_text("utf-8")
    assert [tuple(r) for r in desk.store.rows("SELECT uid, action FROM erasure")] == [(uid, "erase")]
    last = desk.store.one("SELECT action, entity, entity_id FROM audit_event ORDER BY id DESC LIMIT 1")
    assert last is not None and tuple(last) == ("erase", "client", client_id)


def test_restoring_an_older_backup_erases_the_client_again(desk: Desk) -> None:
    key = _key(desk)
    client_id = _plant(desk)
    backup = create_backup(desk.store, desk.paths, key)  # made while the client was still there
    erase_client(desk.store, desk.paths, client_id)
    desk.close()

    result = restore_backup(desk.paths, list_backups(desk.paths)[0], key)

    assert result.erasures_applied == 1
    assert backup.counts["client"] == result.clients + 1
    assert _traces(all_plaintext(desk.paths.database, key)) == []
    reopened = open_desk(desk.paths, always(PASSPHRASE), keyring=None, clock=FixedClock(TODAY))
    try:
        assert search_clients(reopened.store, CANARY) == []
        assert CANARY not in _text_of_every_table(reopened)
        assert reopened.store.rows("SELECT count(*) FROM client")[0][0] == result.clients
    finally:
        reopened.close()
    # no copy of the replaced database stays behind
    assert sorted(p.name for p in desk.paths.root.iterdir() if p.name.startswith("desk.db")) == ["desk.db"]
    desk.store = open_desk(desk.paths, always(PASSPHRASE), keyring=None).store  # the fixture closes it


def test_erasing_an_unknown_client_changes_nothing(desk: Desk) -> None:
    before = desk.store.rows("SELECT count(*) FROM client")[0][0]
    with pytest.raises(NotFound):
        erase_client(desk.store, desk.paths, 999_999)
    assert desk.store.rows("SELECT count(*) FROM client")[0][0] == before
    assert journal.read_journal(desk.paths).erasures == []


def test_anonymising_keeps_the_coded_history_but_no_person(desk: Desk) -> None:
    key = _key(desk)
    client_id = _plant(desk)
    cases_before = [(c.type_code, c.status) for c in list_cases(desk.store, client_id=client_id)]
    anonymise_client(desk.store, desk.paths, client_id)
    client = get_client(desk.store, client_id)
    assert (client.family_name, client.given_names, client.birth_date, client.phone) == ("ANONYM", "", None, "")
    assert client.municipality == "ahlen"
    assert client.household == []
    assert [(c.type_code, c.status) for c in list_cases(desk.store, client_id=client_id)] == cases_before
    assert _traces(all_plaintext(desk.paths.database, key)) == []


def test_export_holds_everything_about_the_client_as_json_and_pdf(desk: Desk, tmp_path: Path) -> None:
    client_id = _plant(desk)
    files = export_client(desk.store, client_id, tmp_path / "out", catalog=desk.catalog)

    data = json.loads(files.json_path.read_text("utf-8"))
    assert data["client"]["family_name"] == CANARY
    assert data["client"]["phone"] == "0171 5550199"
    assert [m["given_names"] for m in data["household"]] == ["Olek"]
    assert len(data["cases"]) == 1 and data["cases"][0]["checklist"]
    assert data["contacts"][0]["notes"] == f"Gespräch mit {CANARY}"
    assert ("create", "client", client_id) in [(e["action"], e["entity"], e["entity_id"]) for e in data["access_log"]]
    assert CANARY not in files.json_path.name and CANARY not in files.pdf_path.name
    assert files.language == "uk"

    text = subprocess.run(["pdftotext", str(files.pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Auskunft über Ihre gespeicherten Daten" in text
    # German label beside the client's language where a translation exists
    flat = " ".join(text.split())
    uk = translator("uk").gettext
    assert f"Familienname / {uk('Familienname')}: {CANARY}" in flat
    assert f"Geburtsdatum / {uk('Geburtsdatum')}: 02.04.1988" in flat
    assert "Кеззарович" in text
    assert desk.catalog.sorted()[0].title in text
    last = desk.store.one("SELECT action, entity_id FROM audit_event ORDER BY id DESC LIMIT 1")
    assert last is not None and tuple(last) == ("export", client_id)


def test_export_pdf_speaks_the_clients_language(desk: Desk, tmp_path: Path) -> None:
    from kim_desk.documents.wording import DictCatalogue

    client_id = _plant(desk)
    catalogue = DictCatalogue(
        {"Auskunft über Ihre gespeicherten Daten": "Довідка про ваші збережені дані", "Familienname": "Прізвище"}
    )
    files = export_client(desk.store, client_id, tmp_path, lang="uk", catalogue=catalogue)
    text = subprocess.run(["pdftotext", str(files.pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Довідка про ваші збережені дані" in text
    assert f"Familienname / Прізвище: {CANARY}" in text


def test_read_only_data_folder_stops_erasure_before_anything_changes(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_id = _plant(desk)

    def read_only(path: Path, *_args: object) -> None:
        raise storage_error(OSError(errno.EROFS, os.strerror(errno.EROFS)), path)

    monkeypatch.setattr(journal, "write_atomic", read_only)
    with pytest.raises(StorageError, match="Keine Schreibberechtigung"):
        erase_client(desk.store, desk.paths, client_id)
    monkeypatch.undo()
    assert get_client(desk.store, client_id).family_name == CANARY
    assert desk.store.rows("SELECT count(*) FROM erasure")[0][0] == 0


def test_export_finds_every_table_about_the_client_from_the_schema(desk: Desk, tmp_path: Path) -> None:
    """A table a later migration adds (referring to the client or to a case) is exported without
    the export being told; reading through sqlite-utils leaves the shared connection as it was."""
    client_id = _plant(desk)
    with desk.store.transaction() as conn:
        conn.execute(
            "CREATE TABLE planted_offer (id INTEGER PRIMARY KEY, client_id INTEGER REFERENCES client(id), offer TEXT)"
        )
        conn.execute(
            'CREATE TABLE case_note (id INTEGER PRIMARY KEY, case_id INTEGER REFERENCES "case"(id), note TEXT)'
        )
        conn.execute("INSERT INTO planted_offer (client_id, offer) VALUES (?, 'Sprachmittlerpool')", (client_id,))
        conn.execute(
            "INSERT INTO planted_offer (client_id, offer) SELECT min(id), 'not hers' FROM client WHERE id != ?",
            (client_id,),
        )
        case_id = desk.store.one('SELECT id FROM "case" WHERE client_id = ?', (client_id,))[0]
        conn.execute("INSERT INTO case_note (case_id, note) VALUES (?, 'Bescheid kommt')", (case_id,))
    files = export_client(desk.store, client_id, tmp_path, catalog=desk.catalog)
    data = json.loads(files.json_path.read_text("utf-8"))
    assert [row["offer"] for row in data["planted_offer"]] == ["Sprachmittlerpool"]
    assert [row["note"] for row in data["cases"][0]["case_note"]] == ["Bescheid kommt"]
    assert data["cases"][0]["status_changes"] and "case_note" not in data
    assert desk.store.one("PRAGMA recursive_triggers")[0] == 0
