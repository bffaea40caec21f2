"""Cases: one application of one type for one client, with checklist, deadlines and barriers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kim_desk import validate
from kim_desk.catalog import ApplicationType, Catalog
from kim_desk.errors import KnownError, NotFound, ValidationError
from kim_desk.i18n import _
from kim_desk.store import Change, Store, audit
from kim_desk.taxonomy import BARRIERS, CASE_STATUSES, CASE_TRANSITIONS, CHECKLIST_STATES, OUTCOMES


@dataclass
class ChecklistItem:
    id: int
    code: str
    label: str
    required: bool
    state: str
    position: int


@dataclass
class Barrier:
    id: int
    code: str
    noted_on: str
    resolved_on: str | None
    notes: str


@dataclass
class Case:
    id: int
    client_id: int
    type_code: str
    status: str
    outcome: str | None
    opened_on: str
    submitted_on: str | None
    decided_on: str | None
    closed_on: str | None
    deadline: str | None
    deadline_kind: str
    authority_ref: str
    next_steps: str
    notes: str
    checklist: list[ChecklistItem] = field(default_factory=list)
    barriers: list[Barrier] = field(default_factory=list)

    @property
    def missing_documents(self) -> list[ChecklistItem]:
        return [item for item in self.checklist if item.state == "missing" and item.required]


def _not_found(case_id: int) -> NotFound:
    return NotFound(_("Es gibt keinen Antrag mit der Nummer {id}.").format(id=case_id))


def next_deadline(
    app_type: ApplicationType, case: dict[str, Any], permit_expires: str | None, today: dt.date
) -> tuple[str | None, str]:
    """The earliest deadline of the type that is still ahead (or overdue while the case is open)."""
    anchors = {
        "opened": case.get("opened_on"),
        "submitted": case.get("submitted_on"),
        "decided": case.get("decided_on"),
        "permit_expires": permit_expires,
    }
    candidates: list[tuple[str, str]] = []
    for spec in app_type.deadlines:
        anchor = anchors.get(spec.after)
        if not anchor:
            continue
        due = dt.date.fromisoformat(anchor) + dt.timedelta(days=spec.days)
        # a deadline whose anchor has moved on (decision after 'decision expected') is done
        if spec.code == "decision_expected" and case.get("decided_on"):
            continue
        if spec.code in (
            "retroactive_limit",
            "registration_due",
            "apply_before_expiry",
        ) and case.get("submitted_on"):
            continue
        if spec.code == "objection" and due < today:
            continue
        candidates.append((due.isoformat(), spec.code))
    if not candidates:
        return None, ""
    due_text, code = min(candidates)
    return due_text, code


def open_case(
    store: Store,
    catalog: Catalog,
    client_id: int,
    type_code: str,
    opened_on: dt.date | None = None,
    authority_ref: str = "",
) -> Change:
    app_type = catalog.get(type_code)
    client = store.one("SELECT permit_expires FROM client WHERE id = ?", (client_id,))
    if client is None:
        raise NotFound(_("Es gibt keine Klientin / keinen Klienten mit der Nummer {id}.").format(id=client_id))
    opened = (opened_on or store.today()).isoformat()
    deadline, kind = next_deadline(app_type, {"opened_on": opened}, client["permit_expires"], store.today())
    now = store.now_text()
    with store.transaction():
        cursor = store.conn.execute(
            'INSERT INTO "case" (client_id, type_code, status, opened_on, deadline, deadline_kind, '
            "authority_ref, created_at, updated_at) VALUES (?, ?, 'planned', ?, ?, ?, ?, ?, ?)",
            (client_id, type_code, opened, deadline, kind, authority_ref, now, now),
        )
        case_id = int(cursor.lastrowid)
        store.conn.execute(
            "INSERT INTO case_status_change (case_id, status, changed_on) VALUES (?, 'planned', ?)",
            (case_id, opened),
        )
        for position, doc in enumerate(app_type.documents):
            store.conn.execute(
                "INSERT INTO checklist_item (case_id, code, required, state, position) VALUES (?, ?, ?, 'missing', ?)",
                (case_id, doc.code, int(doc.required), position),
            )
        audit.record(store, "create", "case", case_id)
    return Change("case", case_id, "create")


def get_case(store: Store, case_id: int) -> Case:
    row = store.one('SELECT * FROM "case" WHERE id = ?', (case_id,))
    if row is None:
        raise _not_found(case_id)
    values = dict(zip(row.keys(), tuple(row), strict=True))  # a Row iterates its values, not its keys
    internal = {"created_at", "updated_at", "ckey"}  # ckey: the record key of the statistics (schema v5)
    case = Case(**{name: value for name, value in values.items() if name not in internal})
    case.checklist = [
        ChecklistItem(
            id=int(item["id"]),
            code=item["code"],
            label=item["label"],
            required=bool(item["required"]),
            state=item["state"],
            position=int(item["position"]),
        )
        for item in store.rows("SELECT * FROM checklist_item WHERE case_id = ? ORDER BY position, id", (case_id,))
    ]
    case.barriers = [
        Barrier(int(b["id"]), b["code"], b["noted_on"], b["resolved_on"], b["notes"])
        for b in store.rows("SELECT * FROM barrier WHERE case_id = ? ORDER BY noted_on, id", (case_id,))
    ]
    return case


def list_cases(store: Store, client_id: int | None = None, open_only: bool = False) -> list[Case]:
    sql = 'SELECT id FROM "case"'
    conditions, params = [], []
    if client_id is not None:
        conditions.append("client_id = ?")
        params.append(client_id)
    if open_only:
        conditions.append("status != 'closed'")
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += " ORDER BY opened_on DESC, id DESC"
    return [get_case(store, int(row[0])) for row in store.rows(sql, params)]


def set_checklist_state(store: Store, item_id: int, state: str) -> Change:
    validate.check_code("state", state, dict(CHECKLIST_STATES))
    with store.transaction():
        row = store.one("SELECT case_id FROM checklist_item WHERE id = ?", (item_id,))
        if row is None:
            raise NotFound(_("Diesen Eintrag der Checkliste gibt es nicht."))
        store.conn.execute(
            "UPDATE checklist_item SET state = ?, updated_on = ? WHERE id = ?",
            (state, store.today().isoformat(), item_id),
        )
        _touch(store, int(row["case_id"]))
        audit.record(store, "change", "checklist_item", item_id)
    return Change("case", int(row["case_id"]), "update")


def add_checklist_item(store: Store, case_id: int, label: str, required: bool = True) -> Change:
    validate.check_required("label", label)
    with store.transaction():
        get_case(store, case_id)
        position = store.one(
            "SELECT coalesce(max(position), -1) + 1 FROM checklist_item WHERE case_id = ?",
            (case_id,),
        )
        cursor = store.conn.execute(
            "INSERT INTO checklist_item (case_id, code, label, required, state, position) "
            "VALUES (?, 'custom', ?, ?, 'missing', ?)",
            (case_id, label.strip(), int(required), int(position[0]) if position else 0),
        )
        audit.record(store, "create", "checklist_item", int(cursor.lastrowid))
    return Change("case", case_id, "update")


def change_status(
    store: Store,
    catalog: Catalog,
    case_id: int,
    status: str,
    on: dt.date | None = None,
    outcome: str | None = None,
) -> Change:
    """Move a case along its lifecycle; dates of submission/decision/closing follow."""
    validate.check_code("status", status, dict(CASE_STATUSES))
    if outcome is not None:
        validate.check_code("outcome", outcome, dict(OUTCOMES))
    day = (on or store.today()).isoformat()
    with store.transaction():
        row = store.one(
            'SELECT c.*, k.permit_expires FROM "case" c JOIN client k ON k.id = c.client_id WHERE c.id = ?',
            (case_id,),
        )
        if row is None:
            raise _not_found(case_id)
        current = row["status"]
        if status != current and status not in CASE_TRANSITIONS[current]:
            raise KnownError(
                _("Ein Antrag im Stand „{current}“ kann nicht auf „{new}“ gesetzt werden.").format(
                    current=_(CASE_STATUSES[current].title), new=_(CASE_STATUSES[status].title)
                )
            )
        if status == "decided" and outcome is None and row["outcome"] is None:
            raise ValidationError("outcome", _("Bitte das Ergebnis der Entscheidung angeben."))
        values = dict(row)
        if status == "submitted" and not values["submitted_on"]:
            values["submitted_on"] = day
        if status == "decided":
            values["decided_on"] = day
            values["outcome"] = outcome or row["outcome"]
        if status == "closed":
            values["closed_on"] = day
        elif values["closed_on"]:
            values["closed_on"] = None
        app_type = catalog.get(row["type_code"])
        deadline, kind = next_deadline(app_type, values, row["permit_expires"], store.today())
        store.conn.execute(
            'UPDATE "case" SET status = ?, outcome = ?, submitted_on = ?, decided_on = ?, closed_on = ?, '
            "deadline = ?, deadline_kind = ?, updated_at = ? WHERE id = ?",
            (status, values["outcome"], values["submitted_on"], values["decided_on"], values["closed_on"],
             deadline, kind, store.now_text(), case_id),
        )  # fmt: skip
        store.conn.execute(
            "INSERT INTO case_status_change (case_id, status, changed_on) VALUES (?, ?, ?)",
            (case_id, status, day),
        )
        audit.record(store, "change", "case", case_id)
    return Change("case", case_id, "update")


def update_case_text(store: Store, case_id: int, *, next_steps: str | None = None, notes: str | None = None,
                     authority_ref: str | None = None) -> Change:  # fmt: skip
    with store.transaction():
        case = get_case(store, case_id)
        store.conn.execute(
            'UPDATE "case" SET next_steps = ?, notes = ?, authority_ref = ?, updated_at = ? WHERE id = ?',
            (case.next_steps if next_steps is None else next_steps, case.notes if notes is None else notes,
             case.authority_ref if authority_ref is None else authority_ref, store.now_text(), case_id),
        )  # fmt: skip
        audit.record(store, "change", "case", case_id)
    return Change("case", case_id, "update")


def add_barrier(store: Store, case_id: int, code: str, noted_on: dt.date | None = None, notes: str = "") -> Change:
    validate.check_code("barrier", code, dict(BARRIERS))
    with store.transaction():
        get_case(store, case_id)
        cursor = store.conn.execute(
            "INSERT INTO barrier (case_id, code, noted_on, notes) VALUES (?, ?, ?, ?)",
            (case_id, code, (noted_on or store.today()).isoformat(), notes),
        )
        _touch(store, case_id)
        audit.record(store, "create", "barrier", int(cursor.lastrowid))
    return Change("case", case_id, "update")


def resolve_barrier(store: Store, barrier_id: int, on: dt.date | None = None) -> Change:
    with store.transaction():
        row = store.one("SELECT case_id FROM barrier WHERE id = ?", (barrier_id,))
        if row is None:
            raise NotFound(_("Dieses Hindernis gibt es nicht."))
        store.conn.execute(
            "UPDATE barrier SET resolved_on = ? WHERE id = ?",
            ((on or store.today()).isoformat(), barrier_id),
        )
        audit.record(store, "change", "barrier", barrier_id)
    return Change("case", int(row["case_id"]), "update")


def _touch(store: Store, case_id: int) -> None:
    store.conn.execute('UPDATE "case" SET updated_at = ? WHERE id = ?', (store.now_text(), case_id))
