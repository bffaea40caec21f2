"""Contacts: one consultation with a client, counted for the statistics."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from kim_desk import validate
from kim_desk.errors import NotFound, ValidationError
from kim_desk.i18n import LANGUAGES, N_, _
from kim_desk.store import Change, Store, audit
from kim_desk.taxonomy import CHANNELS, Code

INTERPRETER_USE = {
    code: Code(code, title)
    for code, title in (
        ("no", N_("Nein")),
        ("yes", N_("Ja")),
        ("needed_none", N_("Nötig, aber keine/r verfügbar")),
    )
}
MAX_MINUTES = 8 * 60
NOTES_LIMIT = 2000
_TOPIC = re.compile(r"^[a-z0-9_.-]{1,48}$")


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
    topics: list[str] = field(default_factory=list)  # application type codes from the catalogue
    interpreter: str = "no"  # INTERPRETER_USE
    appointment_id: int | None = None


def _check(store: Store, contact: Contact) -> None:
    validate.check_code("channel", contact.channel, dict(CHANNELS))
    validate.check_code("language", contact.language, dict(LANGUAGES))
    validate.check_code("interpreter", contact.interpreter, dict(INTERPRETER_USE))
    if not isinstance(contact.contact_on, dt.date):
        raise ValidationError("contact_on", _("Bitte ein Datum angeben."))
    if contact.contact_on > store.today():
        raise ValidationError("contact_on", _("Ein Kontakt kann nicht in der Zukunft liegen."))
    if not 1 <= contact.minutes <= MAX_MINUTES:
        raise ValidationError("minutes", _("Die Dauer muss zwischen 1 Minute und 8 Stunden liegen."))
    for topic in contact.topics:
        if not _TOPIC.match(topic):
            raise ValidationError("topics", _("„{value}“ ist hier nicht zulässig.").format(value=topic))
    if len(contact.notes) > NOTES_LIMIT:
        raise ValidationError("notes", _("Die Notiz ist zu lang (höchstens {n} Zeichen).").format(n=NOTES_LIMIT))
    if store.one("SELECT 1 FROM client WHERE id = ?", (contact.client_id,)) is None:
        raise NotFound(_("Person {id} gibt es nicht.").format(id=contact.client_id))
    if contact.case_id is not None:
        row = store.one('SELECT client_id FROM "case" WHERE id = ?', (contact.case_id,))
        if row is None or int(row["client_id"]) != contact.client_id:
            raise ValidationError("case_id", _("Antrag {id} gehört nicht zu dieser Person.").format(id=contact.case_id))
    if contact.appointment_id is not None:
        row = store.one("SELECT client_id FROM appointment WHERE id = ?", (contact.appointment_id,))
        if row is None or int(row["client_id"]) != contact.client_id:
            raise ValidationError("appointment_id", _("Der Termin gehört nicht zu dieser Person."))


def _values(contact: Contact) -> tuple[Any, ...]:
    return (
        contact.client_id, contact.case_id, contact.contact_on.isoformat(), contact.channel, contact.language,
        contact.minutes, contact.notes, json.dumps(sorted(set(contact.topics))), contact.interpreter,
        contact.appointment_id,
    )  # fmt: skip


def record_contact(store: Store, contact: Contact) -> Change:
    _check(store, contact)
    with store.transaction():
        cursor = store.conn.execute(
            "INSERT INTO contact (client_id, case_id, contact_on, channel, language, minutes, notes, topics, "
            "interpreter, appointment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _values(contact),
        )
        contact_id = int(cursor.lastrowid)
        audit.record(store, "create", "contact", contact_id)
    return Change("contact", contact_id, "create")


def update_contact(store: Store, contact: Contact) -> Change:
    if contact.id is None:
        raise ValueError("update_contact needs a stored contact")
    stored = get_contact(store, contact.id)
    if stored.client_id != contact.client_id:
        raise ValidationError("client_id", _("Ein Kontakt kann nicht einer anderen Person zugeordnet werden."))
    _check(store, contact)
    with store.transaction():
        store.conn.execute(
            "UPDATE contact SET client_id = ?, case_id = ?, contact_on = ?, channel = ?, language = ?, minutes = ?, "
            "notes = ?, topics = ?, interpreter = ?, appointment_id = ? WHERE id = ?",
            (*_values(contact), contact.id),
        )
        audit.record(store, "change", "contact", contact.id)
    return Change("contact", contact.id, "update")


def delete_contact(store: Store, contact_id: int) -> Change:
    with store.transaction():
        cursor = store.conn.execute("DELETE FROM contact WHERE id = ?", (contact_id,))
        if cursor.rowcount != 1:
            raise _missing(contact_id)
        audit.record(store, "delete", "contact", contact_id)
    return Change("contact", contact_id, "delete")


def _missing(contact_id: int) -> NotFound:
    return NotFound(_("Kontakt {id} gibt es nicht.").format(id=contact_id))


def _from_row(row: Any) -> Contact:
    return Contact(
        client_id=int(row["client_id"]), contact_on=dt.date.fromisoformat(row["contact_on"]), channel=row["channel"],
        language=row["language"], minutes=int(row["minutes"]), case_id=row["case_id"], notes=row["notes"],
        id=int(row["id"]), topics=list(json.loads(row["topics"] or "[]")), interpreter=row["interpreter"],
        appointment_id=row["appointment_id"],
    )  # fmt: skip


def get_contact(store: Store, contact_id: int) -> Contact:
    row = store.one("SELECT * FROM contact WHERE id = ?", (contact_id,))
    if row is None:
        raise _missing(contact_id)
    return _from_row(row)


def contact_for_appointment(store: Store, appointment_id: int) -> Contact | None:
    row = store.one("SELECT * FROM contact WHERE appointment_id = ? ORDER BY id LIMIT 1", (appointment_id,))
    return _from_row(row) if row is not None else None


def list_contacts(store: Store, client_id: int | None = None, *, limit: int | None = None) -> list[Contact]:
    """Newest first; all clients when client_id is None."""
    where, params = ("WHERE client_id = ?", [client_id]) if client_id is not None else ("", [])
    sql = f"SELECT * FROM contact {where} ORDER BY contact_on DESC, id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_from_row(row) for row in store.rows(sql, tuple(params))]


def replace(contact: Contact, **changes: Any) -> Contact:
    return dataclasses.replace(contact, **changes)
