"""Contacts: recorded, edited, deleted, checked; the v6 columns; the command line."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kim_desk import vault
from kim_desk.commands import main
from kim_desk.desk import Desk
from kim_desk.errors import NotFound, ValidationError
from kim_desk.logs import setup_logging
from kim_desk.paths import DataPaths
from kim_desk.store import migrations, open_store
from kim_desk.store.cases import list_cases
from kim_desk.store.clients import list_clients
from kim_desk.store.connection import connect
from kim_desk.store.contacts import (
    Contact,
    delete_contact,
    get_contact,
    list_contacts,
    record_contact,
    update_contact,
)
from tests.conftest import PASSPHRASE


def test_record_edit_delete_with_topics_and_interpreter(desk: Desk) -> None:
    store = desk.store
    client = list_clients(store, limit=1)[0]
    case = list_cases(store, client_id=client.id)[0]
    change = record_contact(store, Contact(client.id, dt.date(2026, 11, 2), channel="video", language="ar",
                                           minutes=20, case_id=case.id, topics=["kindergeld"],
                                           interpreter="needed_none"))  # fmt: skip
    stored = get_contact(store, change.id)
    assert (stored.channel, stored.topics, stored.interpreter, stored.case_id) == (
        "video", ["kindergeld"], "needed_none", case.id)  # fmt: skip
    stored.minutes = 40
    stored.topics = []
    assert update_contact(store, stored).action == "update"
    assert (get_contact(store, change.id).minutes, get_contact(store, change.id).topics) == (40, [])
    assert delete_contact(store, change.id).action == "delete"
    assert change.id not in [c.id for c in list_contacts(store, client.id)]
    with pytest.raises(NotFound):
        delete_contact(store, change.id)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contact_on": dt.date(2026, 11, 24)}, "contact_on"),  # tomorrow
        ({"minutes": 0}, "minutes"),
        ({"interpreter": "maybe"}, "interpreter"),
        ({"channel": "pigeon"}, "channel"),
        ({"topics": ["Kindergeld!"]}, "topics"),
        ({"case_id": -1}, "case_id"),
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_stored(desk: Desk, changes: dict, field: str) -> None:  # type: ignore[type-arg]
    store = desk.store
    client = list_clients(store, limit=1)[0]
    before = len(list_contacts(store))
    contact = Contact(client.id, dt.date(2026, 11, 23))
    for key, value in changes.items():
        setattr(contact, key, value)
    with pytest.raises(ValidationError) as caught:
        record_contact(store, contact)
    assert caught.value.field == field
    assert len(list_contacts(store)) == before


def test_a_case_of_another_client_is_refused(desk: Desk) -> None:
    store = desk.store
    first, second = list_clients(store, limit=2)
    other_case = list_cases(store, client_id=second.id)[0]
    with pytest.raises(ValidationError):
        record_contact(store, Contact(first.id, dt.date(2026, 11, 23), case_id=other_case.id))


def test_contacts_of_schema_3_keep_their_rows_after_migration_6(tmp_path: Path) -> None:
    path, key = tmp_path / "old.db", b"k" * 32
    conn = connect(path, key, create=True)
    migrations.migrate(conn, target=3)  # a database of an earlier release, with one contact
    conn.execute("INSERT INTO client (uid, family_name, municipality, created_at, updated_at) "
                 "VALUES ('u', 'A', 'ahlen', 'x', 'x')")  # fmt: skip
    conn.execute(
        "INSERT INTO contact (client_id, contact_on, channel, language) VALUES (1, '2026-01-05', 'phone', 'ar')"
    )
    conn.close()
    store = open_store(path, key)
    try:
        assert migrations.schema_version(store.conn) == migrations.LATEST_VERSION
        [old] = list_contacts(store, 1)
        assert (old.channel, old.language, old.topics, old.interpreter, old.appointment_id) == (
            "phone", "ar", [], "no", None)  # fmt: skip
    finally:
        store.close()


@pytest.fixture
def kim(desk_paths: DataPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., int]]:
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE, "utf-8")
    monkeypatch.setenv("KIM_DESK_PASSPHRASE_FILE", str(secret))
    monkeypatch.setattr(vault, "SystemKeyring", lambda: None)
    yield lambda *args: main([*args, "--data-dir", str(desk_paths.root)])
    setup_logging(None)


def test_command_line_adds_lists_and_deletes(kim: Callable[..., int], capsys: pytest.CaptureFixture[str]) -> None:
    assert kim("contacts", "--json") == 0
    before = json.loads(capsys.readouterr().out)
    assert kim("contact", "add", "1", "--channel", "outreach", "--minutes", "50", "--date", "2026-11-20",
               "--topic", "kindergeld", "--interpreter", "yes") == 0  # fmt: skip
    assert "erfasst" in capsys.readouterr().out
    assert kim("contacts", "--json") == 0
    after = json.loads(capsys.readouterr().out)
    [new] = [row for row in after if row["id"] not in {r["id"] for r in before}]
    assert (new["client_id"], new["channel"], new["minutes"], new["contact_on"], new["topics"], new["interpreter"]) == (
        1, "outreach", 50, "2026-11-20", ["kindergeld"], "yes")  # fmt: skip
    assert "notes" not in new  # free text stays out of listings
    # refused, one line, nothing stored
    assert kim("contact", "add", "1", "--channel", "phone", "--topic", "no_such_type") != 0
    assert kim("contact", "add", "999999", "--channel", "phone") != 0
    assert kim("contact", "add", "1", "--channel", "phone", "--date", "20.11.2026") != 0
    capsys.readouterr()
    assert kim("contacts", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == len(after)
    assert kim("contact", "delete", str(new["id"])) == 0
    capsys.readouterr()
    assert kim("contacts", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == len(before)
