"""Read-only queries the pages run on the database worker. Plain data out, no Qt in here."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from kim_desk.catalog import Catalog
from kim_desk.i18n import N_
from kim_desk.store import Store
from kim_desk.store.appointments import Appointment, list_appointments
from kim_desk.store.referrals import Referral, UnmetNeed, list_referrals, list_unmet_needs
from kim_desk.store.search import search_clients
from kim_desk.taxonomy import CASE_STATUSES
from kim_desk.views.referrals import FollowUp, follow_ups

if TYPE_CHECKING:  # the client, case and contact records: imported when a file is opened, not for the first window
    from kim_desk.store.cases import Case, ChecklistItem
    from kim_desk.store.clients import Client
    from kim_desk.store.contacts import Contact

DEADLINE_DAYS = 14
OVERDUE_DAYS = 30  # older overdue deadlines are in Applications ("Nur überfällige"), not on Today
# How long a case may wait before Today lists it: for documents, and for a decision.
WAITING_FOR_DOCUMENTS_DAYS = 28
WAITING_FOR_DECISION_DAYS = 42
SEARCH_LIMIT = 200
LIST_LIMIT = 300  # rows of one Today list; more is not readable, and costs the window its speed
CASE_LIST_LIMIT = 2000  # open applications listed at once; the filters narrow the rest


class ClientRow(NamedTuple):
    family_name: str
    given_names: str
    birth_date: str
    municipality: str
    languages: tuple[str, ...]
    permit_expires: str
    family_name_orig: str = ""
    given_names_orig: str = ""


def client_ids(store: Store, text: str) -> Sequence[int]:
    """Ids for the client table: the best search hits, or everyone in name order (a compact array)."""
    if text.strip():
        return [hit.client_id for hit in search_clients(store, text, limit=SEARCH_LIMIT)]
    return store.ids("SELECT id FROM client ORDER BY family_name COLLATE NOCASE, given_names, id")


def client_rows(store: Store, ids: Sequence[int]) -> dict[int, ClientRow]:
    marks = ", ".join("?" for _ in ids)
    rows = store.rows(
        "SELECT id, family_name, given_names, birth_date, municipality, languages, permit_expires, "
        f"family_name_orig, given_names_orig FROM client WHERE id IN ({marks})",
        list(ids),
    )
    return {
        int(row["id"]): ClientRow(
            row["family_name"],
            row["given_names"],
            row["birth_date"] or "",
            row["municipality"],
            tuple(json.loads(row["languages"] or "[]")),
            row["permit_expires"] or "",
            row["family_name_orig"] or "",
            row["given_names_orig"] or "",
        )
        for row in rows
    }


def case_records(store: Store) -> list[dict[str, object]]:
    """Every application with its dates, for `kim-desk cases`."""
    sql = (
        "SELECT id, client_id, type_code, status, outcome, opened_on, submitted_on, decided_on, closed_on, "
        'deadline, deadline_kind FROM "case" ORDER BY id'
    )
    return [dict(row) for row in store.rows(sql)]


def appointment_records(store: Store) -> list[dict[str, object]]:
    """Every appointment in time order, for `kim-desk appointments`."""
    sql = (
        "SELECT id, client_id, case_id, starts_at, duration_min, place, counsellor, status FROM appointment "
        "ORDER BY starts_at, id"
    )
    return [dict(row) for row in store.rows(sql)]


def contact_records(store: Store) -> list[dict[str, object]]:
    """Every contact in date order, for `kim-desk contacts` (codes only, no notes)."""
    sql = (
        "SELECT id, client_id, case_id, appointment_id, contact_on, channel, language, minutes, topics, interpreter "
        "FROM contact ORDER BY contact_on, id"
    )
    rows = [dict(row) for row in store.rows(sql)]
    for row in rows:
        row["topics"] = json.loads(str(row["topics"] or "[]"))
    return rows


def client_names(store: Store, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = store.rows(f"SELECT id, family_name, given_names FROM client WHERE id IN ({marks})", sorted(ids))
    return {int(r["id"]): f"{r['family_name']}, {r['given_names']}".strip(", ") for r in rows}


class Booked(NamedTuple):
    appointment: Appointment
    client_name: str
    interpreter: bool = False  # an interpreter was requested: the pool's sheet can be printed


def with_interpreter(store: Store, appointment_ids: set[int]) -> set[int]:
    """Those of `appointment_ids` that carry an interpreter request."""
    if not appointment_ids:
        return set()
    marks = ",".join("?" * len(appointment_ids))
    rows = store.rows(
        f"SELECT appointment_id FROM mediator_request WHERE appointment_id IN ({marks})", tuple(appointment_ids)
    )
    return {int(r["appointment_id"]) for r in rows}


def appointments_between(store: Store, start: dt.date, end: dt.date) -> list[Booked]:
    found = list_appointments(store, start, end)
    names = client_names(store, {a.client_id for a in found})
    asked = with_interpreter(store, {a.id for a in found if a.id is not None})
    return [Booked(a, names.get(a.client_id, ""), a.id in asked) for a in found]


class Deadline(NamedTuple):
    due: str
    kind: str  # German source label (catalogue or fixed), translate when shown
    client_id: int
    client_name: str
    case_id: int | None = None
    type_code: str = ""
    recommended: str = ""  # "Empfohlen bis" (ISO date), where the deadline has a recommendation still ahead
    latest: str = ""  # "Spätestens am" (ISO date): the legal limit


class Stalled(NamedTuple):
    case_id: int
    client_id: int
    client_name: str
    type_code: str
    status: str
    since: str
    days: int


class TodayData(NamedTuple):
    appointments: list[Booked]
    deadlines: list[Deadline]
    stalled: list[Stalled]
    follow_ups: list[FollowUp]  # referrals without an answer for 4 weeks


PERMIT_EXPIRY = N_("Aufenthaltstitel läuft ab")


def today_overview(store: Store, catalog: Catalog, today: dt.date) -> TodayData:
    appointments = appointments_between(store, today, today + dt.timedelta(days=1))
    deadlines: list[Deadline] = []
    horizon = (today + dt.timedelta(days=DEADLINE_DAYS)).isoformat()
    # the names are joined to the LIMIT's rows only: joining first read a client page per case in range
    for row in store.rows(
        "SELECT c.*, k.family_name, k.given_names FROM (SELECT id, client_id, type_code, deadline, deadline_kind, "
        "deadline_latest FROM \"case\" WHERE status != 'closed' AND deadline IS NOT NULL "
        "AND (deadline BETWEEN ? AND ? OR deadline_latest BETWEEN ? AND ?) ORDER BY deadline, id LIMIT ?) c "
        "JOIN client k ON k.id = c.client_id ORDER BY c.deadline, c.id",
        ((today - dt.timedelta(days=OVERDUE_DAYS)).isoformat(), horizon, today.isoformat(), horizon, LIST_LIMIT),
    ):
        app_type = catalog.types.get(row["type_code"])
        spec = app_type.deadline(row["deadline_kind"]) if app_type else None
        name = f"{row['family_name']}, {row['given_names']}"
        label = spec.label if spec else row["deadline_kind"]
        latest = row["deadline_latest"] or ""
        # a recommendation that has passed gives way to the legal limit still ahead
        due = latest if latest and row["deadline"] < today.isoformat() <= latest else row["deadline"]
        recommended = due if latest and due < latest else ""
        deadlines.append(
            Deadline(due, label, int(row["client_id"]), name, int(row["id"]), row["type_code"],
                     recommended, latest)
        )  # fmt: skip
    for row in store.rows(
        "SELECT id, family_name, given_names, permit_expires FROM client WHERE permit_expires IS NOT NULL "
        "AND permit_expires >= ? AND permit_expires <= ? ORDER BY permit_expires, id LIMIT ?",
        (today.isoformat(), horizon, LIST_LIMIT),
    ):
        name = f"{row['family_name']}, {row['given_names']}"
        deadlines.append(
            Deadline(row["permit_expires"], PERMIT_EXPIRY, int(row["id"]), name, latest=row["permit_expires"])
        )
    deadlines.sort(key=lambda d: (d.due, d.client_name))
    del deadlines[LIST_LIMIT:]
    return TodayData(appointments, deadlines, stalled_cases(store, today), follow_ups(store, today))


def stalled_cases(store: Store, today: dt.date) -> list[Stalled]:
    """Open cases waiting for documents or for a decision longer than allowed, longest first."""
    documents_since = (today - dt.timedelta(days=WAITING_FOR_DOCUMENTS_DAYS)).isoformat()
    decision_since = (today - dt.timedelta(days=WAITING_FOR_DECISION_DAYS)).isoformat()
    # One pass over the cases in id order (the status index made one pass per status, each evicting
    # the page cache of the one before), names joined to the LIMIT's rows only: ~50,000 pages read
    # and decrypted at 100,000 clients became ~7,600.
    rows = store.rows(
        "SELECT w.*, k.family_name, k.given_names FROM (SELECT * FROM (SELECT c.id, c.client_id, c.type_code, "
        "c.status, (SELECT max(changed_on) FROM case_status_change s WHERE s.case_id = c.id) AS since "
        "FROM \"case\" c WHERE +c.status IN ('planned', 'collecting', 'submitted', 'waiting')) "
        "WHERE since < CASE WHEN status IN ('planned', 'collecting') THEN ? ELSE ? END "
        "ORDER BY since, id LIMIT ?) w JOIN client k ON k.id = w.client_id ORDER BY w.since, w.id",
        (documents_since, decision_since, LIST_LIMIT),
    )
    return [
        Stalled(
            int(row["id"]),
            int(row["client_id"]),
            f"{row['family_name']}, {row['given_names']}",
            row["type_code"],
            row["status"],
            row["since"],
            (today - dt.date.fromisoformat(row["since"])).days,
        )
        for row in rows
    ]


class CaseRow(NamedTuple):
    case_id: int
    client_id: int
    client_name: str
    type_code: str
    status: str
    opened_on: str
    deadline: str
    missing: int

    def overdue(self, today: dt.date) -> bool:
        return bool(self.deadline) and self.deadline < today.isoformat()


class CaseQuery(NamedTuple):
    """Filter and order of the open-applications list; run as SQL so 100,000 clients stay fast."""

    type_code: str | None = None
    status: str | None = None
    overdue_on: str | None = None  # ISO date: only deadlines before it
    order: int = 3  # column of the list (see ORDER_BY)
    descending: bool = False


_STATUS_RANK = "CASE c.status " + " ".join(f"WHEN '{code}' THEN {n}" for n, code in enumerate(CASE_STATUSES)) + " END"
ORDER_BY = {
    0: ("k.family_name COLLATE NOCASE", "k.given_names"),
    1: ("c.type_code",),
    2: (_STATUS_RANK,),
    3: ("c.deadline IS NULL", "c.deadline"),
    4: ("c.deadline IS NULL", "c.deadline"),
    5: ("missing",),
    6: ("c.opened_on",),
}


def open_case_rows(store: Store, query: CaseQuery | None = None) -> list[CaseRow]:
    query = query or CaseQuery()
    conditions, params = ["c.status != 'closed'"], []
    if query.type_code:
        conditions.append("c.type_code = ?")
        params.append(query.type_code)
    if query.status:
        conditions.append("c.status = ?")
        params.append(query.status)
    if query.overdue_on:
        conditions.append("c.deadline IS NOT NULL AND c.deadline < ?")
        params.append(query.overdue_on)
    direction = " DESC" if query.descending else ""
    order = ", ".join(part + direction for part in ORDER_BY.get(query.order, ORDER_BY[3]))
    rows = store.rows(
        "SELECT c.id, c.client_id, c.type_code, c.status, c.opened_on, c.deadline, k.family_name, k.given_names, "
        "(SELECT count(*) FROM checklist_item i WHERE i.case_id = c.id AND i.state = 'missing' AND i.required) "
        f'AS missing FROM "case" c JOIN client k ON k.id = c.client_id WHERE {" AND ".join(conditions)} '
        f"ORDER BY {order}, c.id LIMIT ?",
        [*params, CASE_LIST_LIMIT],
    )
    return [
        CaseRow(
            int(r["id"]),
            int(r["client_id"]),
            f"{r['family_name']}, {r['given_names']}",
            r["type_code"],
            r["status"],
            r["opened_on"],
            r["deadline"] or "",
            int(r["missing"]),
        )
        for r in rows
    ]


class ClientFile(NamedTuple):
    client: Client
    cases: list[Case]
    appointments: list[Appointment]
    contacts: list[Contact]
    referrals: list[Referral]
    needs: list[UnmetNeed]
    interpreter: set[int]  # appointment ids with an interpreter request


def client_file(store: Store, client_id: int) -> ClientFile:
    from kim_desk.store.cases import list_cases
    from kim_desk.store.clients import get_client
    from kim_desk.store.contacts import list_contacts

    appointments = list_appointments(store, client_id=client_id)
    return ClientFile(
        get_client(store, client_id),
        list_cases(store, client_id=client_id),
        appointments,
        list_contacts(store, client_id),
        list_referrals(store, client_id),
        list_unmet_needs(store, client_id),
        with_interpreter(store, {a.id for a in appointments if a.id is not None}),
    )


class CaseFile(NamedTuple):
    case: Case
    client_name: str
    history: list[tuple[str, str]]  # (status, changed_on)
    permit_expires: str | None = None  # the client's: the renewal deadlines count from it


def case_file(store: Store, case_id: int) -> CaseFile:
    from kim_desk.store.cases import get_case

    case = get_case(store, case_id)
    names = client_names(store, {case.client_id})
    history = [
        (r["status"], r["changed_on"])
        for r in store.rows(
            "SELECT status, changed_on FROM case_status_change WHERE case_id = ? ORDER BY id", (case_id,)
        )
    ]
    permit = store.one("SELECT permit_expires FROM client WHERE id = ?", (case.client_id,))
    return CaseFile(case, names.get(case.client_id, ""), history, permit["permit_expires"] if permit else None)


def checklist_label(catalog: Catalog, type_code: str, item: ChecklistItem) -> str:
    """The German source label of a checklist item (catalogue item or a custom one)."""
    if item.label:
        return item.label
    app_type = catalog.types.get(type_code)
    doc = app_type.document(item.code) if app_type else None
    return doc.label if doc else item.code
