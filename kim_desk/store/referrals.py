"""Referrals to local offers, unmet needs and language-mediator requests (DESIGN.md §7).

Notes stay on the desk; the report counts only codes (service, outcome, need category, language, result).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from kim_desk import validate
from kim_desk.errors import NotFound
from kim_desk.i18n import LANGUAGES, _
from kim_desk.store import Change, Store, audit
from kim_desk.taxonomy import MEDIATOR_RESULTS, REFERRAL_OUTCOMES, UNMET_NEEDS


class Referral(NamedTuple):
    client_id: int
    service_code: str
    referred_on: dt.date
    outcome: str = "open"
    outcome_on: dt.date | None = None
    case_id: int | None = None
    notes: str = ""
    id: int | None = None


class UnmetNeed(NamedTuple):
    client_id: int
    category: str
    noted_on: dt.date
    notes: str = ""
    id: int | None = None


class MediatorRequest(NamedTuple):
    appointment_id: int
    language: str
    requested_on: dt.date
    result: str = "requested"
    id: int | None = None


def _referral(r: Any) -> Referral:
    return Referral(
        client_id=int(r["client_id"]),
        service_code=r["service_code"],
        referred_on=dt.date.fromisoformat(r["referred_on"]),
        outcome=r["outcome"],
        outcome_on=dt.date.fromisoformat(r["outcome_on"]) if r["outcome_on"] else None,
        case_id=r["case_id"],
        notes=r["notes"],
        id=int(r["id"]),
    )


def refer(store: Store, referral: Referral, known_services: set[str]) -> Change:
    """Record that a client was sent to an offer; `known_services` are the codes of forms/services."""
    validate.check_code("service_code", referral.service_code, dict.fromkeys(known_services))
    validate.check_code("outcome", referral.outcome, dict(REFERRAL_OUTCOMES))
    with store.transaction():
        cursor = store.conn.execute(
            "INSERT INTO referral (client_id, case_id, service_code, referred_on, outcome, outcome_on, notes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (referral.client_id, referral.case_id, referral.service_code, referral.referred_on.isoformat(),
             referral.outcome, referral.outcome_on.isoformat() if referral.outcome_on else None, referral.notes),
        )  # fmt: skip
        referral_id = int(cursor.lastrowid)
        audit.record(store, "create", "referral", referral_id)
    return Change("referral", referral_id, "create")


def set_outcome(store: Store, referral_id: int, outcome: str, on: dt.date) -> Change:
    validate.check_code("outcome", outcome, dict(REFERRAL_OUTCOMES))
    with store.transaction():
        cursor = store.conn.execute(
            "UPDATE referral SET outcome = ?, outcome_on = ? WHERE id = ?",
            (outcome, None if outcome == "open" else on.isoformat(), referral_id),
        )
        if cursor.rowcount != 1:
            raise NotFound(_("Es gibt keine Vermittlung Nr. {id}.").format(id=referral_id))
        audit.record(store, "change", "referral", referral_id)
    return Change("referral", referral_id, "update")


def get_referral(store: Store, referral_id: int) -> Referral:
    row = store.one("SELECT * FROM referral WHERE id = ?", (referral_id,))
    if row is None:
        raise NotFound(_("Es gibt keine Vermittlung Nr. {id}.").format(id=referral_id))
    return _referral(row)


def list_referrals(store: Store, client_id: int | None = None) -> list[Referral]:
    if client_id is None:
        rows = store.rows("SELECT * FROM referral ORDER BY referred_on, id")
    else:
        rows = store.rows("SELECT * FROM referral WHERE client_id = ? ORDER BY referred_on DESC, id DESC", (client_id,))
    return [_referral(row) for row in rows]


def waiting_for_answer(store: Store, today: dt.date, weeks: int = 4) -> list[Referral]:
    """Referrals still open after `weeks`: Today asks the counsellor to follow them up."""
    cutoff = (today - dt.timedelta(weeks=weeks)).isoformat()
    rows = store.rows(
        "SELECT * FROM referral WHERE outcome = 'open' AND referred_on <= ? ORDER BY referred_on, id", (cutoff,)
    )
    return [_referral(row) for row in rows]


def note_unmet_need(store: Store, need: UnmetNeed) -> Change:
    validate.check_code("category", need.category, dict(UNMET_NEEDS))
    with store.transaction():
        cursor = store.conn.execute(
            "INSERT INTO unmet_need (client_id, category, noted_on, notes) VALUES (?, ?, ?, ?)",
            (need.client_id, need.category, need.noted_on.isoformat(), need.notes),
        )
        need_id = int(cursor.lastrowid)
        audit.record(store, "create", "unmet_need", need_id)
    return Change("unmet_need", need_id, "create")


def list_unmet_needs(store: Store, client_id: int | None = None) -> list[UnmetNeed]:
    sql = "SELECT * FROM unmet_need" + (" WHERE client_id = ?" if client_id is not None else "")
    rows = store.rows(sql + " ORDER BY noted_on, id", () if client_id is None else (client_id,))
    return [
        UnmetNeed(int(r["client_id"]), r["category"], dt.date.fromisoformat(r["noted_on"]), r["notes"], int(r["id"]))
        for r in rows
    ]


def request_mediator(store: Store, request: MediatorRequest) -> Change:
    """Ask the district's pool for an interpreter for an appointment (one request per appointment)."""
    validate.check_code("language", request.language, dict(LANGUAGES))
    validate.check_code("result", request.result, dict(MEDIATOR_RESULTS))
    with store.transaction():
        cursor = store.conn.execute(
            "INSERT INTO mediator_request (appointment_id, language, result, requested_on) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(appointment_id) DO UPDATE SET language = excluded.language, result = excluded.result",
            (request.appointment_id, request.language, request.result, request.requested_on.isoformat()),
        )
        row = store.one("SELECT id FROM mediator_request WHERE appointment_id = ?", (request.appointment_id,))
        request_id = int(row["id"]) if row else int(cursor.lastrowid)
        audit.record(store, "change", "mediator_request", request_id)
    return Change("mediator_request", request_id, "update")


def mediator_request_for(store: Store, appointment_id: int) -> MediatorRequest | None:
    row = store.one("SELECT * FROM mediator_request WHERE appointment_id = ?", (appointment_id,))
    if row is None:
        return None
    return MediatorRequest(
        int(row["appointment_id"]), row["language"], dt.date.fromisoformat(row["requested_on"]), row["result"],
        int(row["id"]),
    )  # fmt: skip


def withdraw_mediator_request(store: Store, appointment_id: int) -> Change | None:
    """No interpreter needed after all (ticked by mistake): the request is not counted. None when there was none."""
    with store.transaction():
        row = store.one("SELECT id FROM mediator_request WHERE appointment_id = ?", (appointment_id,))
        if row is None:
            return None
        store.conn.execute("DELETE FROM mediator_request WHERE id = ?", (int(row["id"]),))
        audit.record(store, "delete", "mediator_request", int(row["id"]))
    return Change("mediator_request", int(row["id"]), "delete")
