"""Contacts: one consultation with a client, counted for the statistics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kim_desk import validate
from kim_desk.i18n import LANGUAGES
from kim_desk.store import Change, Store, audit
from kim_desk.taxonomy import CHANNELS


@dataclass
class Contact:
    client_id: int
    contact_on: dt.date
    channel: str = "in_person"
    language: str = "de"
    minutes: int = 30
    case_id: int | None = None
    notes: str = ""
    id: int | None = None


def record_contact(store: Store, contact: Contact) -> Change:
    validate.check_code("channel", contact.channel, dict(CHANNELS))
    validate.check_code("language", contact.language, dict(LANGUAGES))
    with store.transaction():
        cursor = store.conn.execute(
            "INSERT INTO contact (client_id, case_id, contact_on, channel, language, minutes, notes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (contact.client_id, contact.case_id, contact.contact_on.isoformat(), contact.channel,
             contact.language, contact.minutes, contact.notes),
        )  # fmt: skip
        contact_id = int(cursor.lastrowid)
        audit.record(store, "create", "contact", contact_id)
    return Change("contact", contact_id, "create")


def list_contacts(store: Store, client_id: int) -> list[Contact]:
    return [
        Contact(
            client_id=int(row["client_id"]),
            contact_on=dt.date.fromisoformat(row["contact_on"]),
            channel=row["channel"],
            language=row["language"],
            minutes=int(row["minutes"]),
            case_id=row["case_id"],
            notes=row["notes"],
            id=int(row["id"]),
        )
        for row in store.rows(
            "SELECT * FROM contact WHERE client_id = ? ORDER BY contact_on DESC, id DESC",
            (client_id,),
        )
    ]
