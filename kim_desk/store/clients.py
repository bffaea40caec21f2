"""Clients and their household members."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from kim_desk import validate
from kim_desk.errors import NotFound
from kim_desk.i18n import _
from kim_desk.store import Change, Store, audit
from kim_desk.store.search import reindex_client, unindex_client
from kim_desk.taxonomy import HOUSEHOLD_RELATIONS, MUNICIPALITIES, RESIDENCE_STATUSES


@dataclass
class HouseholdMember:
    family_name: str = ""
    given_names: str = ""
    birth_date: str | None = None
    relation: str = "other"
    id: int | None = None


@dataclass
class Client:
    family_name: str
    municipality: str
    given_names: str = ""
    family_name_orig: str = ""
    given_names_orig: str = ""
    birth_date: str | None = None
    gender: str = ""
    nationality: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    languages: list[str] = field(default_factory=list)
    residence_status: str = ""
    permit_expires: str | None = None
    notes: str = ""
    household: list[HouseholdMember] = field(default_factory=list)
    id: int | None = None
    uid: str = ""
    created_at: str = ""
    updated_at: str = ""

    @property
    def display_name(self) -> str:
        return f"{self.family_name}, {self.given_names}".strip(", ")

    @property
    def preferred_language(self) -> str:
        return self.languages[0] if self.languages else "de"


_COLUMNS = (
    "family_name", "given_names", "family_name_orig", "given_names_orig", "birth_date",
    "gender", "nationality", "street", "postcode", "city", "municipality", "phone", "email",
    "languages", "residence_status", "permit_expires", "notes",
)  # fmt: skip


def _validated(store: Store, client: Client) -> dict[str, Any]:
    validate.check_required("family_name", client.family_name)
    validate.check_code("municipality", client.municipality, dict(MUNICIPALITIES))
    if client.residence_status:
        validate.check_code("residence_status", client.residence_status, dict(RESIDENCE_STATUSES))
    if client.gender not in ("", "f", "m", "d"):
        validate.check_code("gender", client.gender, {})
    birth = validate.parse_date("birth_date", client.birth_date)
    validate.check_birth_date(birth, store.today())
    validate.check_phone(client.phone)
    validate.check_email(client.email)
    validate.check_postcode(client.postcode)
    validate.check_languages(client.languages)
    for member in client.household:
        validate.check_code("household.relation", member.relation, dict(HOUSEHOLD_RELATIONS))
        member.birth_date = validate.parse_date("household.birth_date", member.birth_date)
    values = {name: getattr(client, name) for name in _COLUMNS}
    values["birth_date"] = birth
    values["permit_expires"] = validate.parse_date("permit_expires", client.permit_expires)
    values["languages"] = json.dumps(client.languages)
    for name in ("family_name", "given_names", "family_name_orig", "given_names_orig"):
        values[name] = values[name].strip()
    return values


def _write_household(store: Store, client_id: int, members: list[HouseholdMember]) -> None:
    store.conn.execute("DELETE FROM household_member WHERE client_id = ?", (client_id,))
    for member in members:
        store.conn.execute(
            "INSERT INTO household_member (client_id, family_name, given_names, birth_date, "
            "relation) VALUES (?, ?, ?, ?, ?)",
            (client_id, member.family_name, member.given_names, member.birth_date, member.relation),
        )


def create_client(store: Store, client: Client) -> Change:
    values = _validated(store, client)
    now = store.now_text()
    import uuid  # it imports platform: ~2 ms of every start, for new clients only

    values.update(uid=uuid.uuid4().hex, created_at=now, updated_at=now)
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    with store.transaction():
        cursor = store.conn.execute(f"INSERT INTO client ({names}) VALUES ({marks})", tuple(values.values()))
        client_id = int(cursor.lastrowid)
        _write_household(store, client_id, client.household)
        reindex_client(store, client_id)
        audit.record(store, "create", "client", client_id)
    return Change("client", client_id, "create")


def update_client(store: Store, client: Client) -> Change:
    if client.id is None:
        raise ValueError("update_client needs a stored client")
    values = _validated(store, client)
    values["updated_at"] = store.now_text()
    assignments = ", ".join(f"{name} = ?" for name in values)
    with store.transaction():
        cursor = store.conn.execute(f"UPDATE client SET {assignments} WHERE id = ?", (*values.values(), client.id))
        if cursor.rowcount != 1:
            raise _missing(client.id)
        _write_household(store, client.id, client.household)
        reindex_client(store, client.id)
        audit.record(store, "change", "client", client.id)
    return Change("client", client.id, "update")


def _missing(client_id: int) -> NotFound:
    return NotFound(_("Es gibt keine Klientin / keinen Klienten mit der Nummer {id}.").format(id=client_id))


def client_from_row(row: Any) -> Client:
    data = {name: row[name] for name in _COLUMNS}
    data["languages"] = json.loads(row["languages"] or "[]")
    return Client(
        **data,
        id=int(row["id"]),
        uid=row["uid"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def get_client(store: Store, client_id: int, *, with_household: bool = True) -> Client:
    row = store.one("SELECT * FROM client WHERE id = ?", (client_id,))
    if row is None:
        raise _missing(client_id)
    client = client_from_row(row)
    if with_household:
        client.household = [
            HouseholdMember(
                family_name=member["family_name"],
                given_names=member["given_names"],
                birth_date=member["birth_date"],
                relation=member["relation"],
                id=int(member["id"]),
            )
            for member in store.rows("SELECT * FROM household_member WHERE client_id = ? ORDER BY id", (client_id,))
        ]
    return client


def list_clients(store: Store, limit: int | None = None, offset: int = 0) -> list[Client]:
    sql = "SELECT * FROM client ORDER BY family_name COLLATE NOCASE, given_names, id"
    params: tuple[int, ...] = ()
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = (limit, offset)
    return [client_from_row(row) for row in store.rows(sql, params)]


def count_clients(store: Store) -> int:
    row = store.one("SELECT count(*) FROM client")
    return int(row[0]) if row else 0


def delete_client(store: Store, client_id: int) -> Change:
    """Remove a client with everything that hangs on them (cases, appointments, contacts)."""
    with store.transaction():
        cursor = store.conn.execute("DELETE FROM client WHERE id = ?", (client_id,))
        if cursor.rowcount != 1:
            raise _missing(client_id)
        unindex_client(store, client_id)
        audit.record(store, "delete", "client", client_id)
    return Change("client", client_id, "delete")


def replace(client: Client, **changes: Any) -> Client:
    return dataclasses.replace(client, **changes)
