"""Cases: one application of one type for one client, with checklist, deadlines and barriers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kim_desk import validate
from kim_desk.catalog import ApplicationType, Catalog, DeadlineSpec
from kim_desk.deadlines import due_date
from kim_desk.errors import KnownError, NotFound, ValidationError
from kim_desk.i18n import _
from kim_desk.store import Change, Store, audit
from kim_desk.taxonomy import BARRIERS, CASE_STATUSES, CASE_TRANSITIONS, CHECKLIST_STATES, OUTCOMES


class ChecklistItem(NamedTuple):
    id: int
    code: str
    label: str
    required: bool
    state: str
    position: int


class Barrier(NamedTuple):
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
    moved_in_on: str | None = None
    notice_received_on: str | None = None
    period_ends_on: str | None = None
    deadline_latest: str | None = None
    checklist: list[ChecklistItem] = field(default_factory=list)
    barriers: list[Barrier] = field(default_factory=list)

    @property
    def missing_documents(self) -> list[ChecklistItem]:
        return [item for item in self.checklist if item.state == "missing" and item.required]


def _not_found(case_id: int) -> NotFound:
    return NotFound(_("Es gibt keinen Antrag mit der Nummer {id}.").format(id=case_id))


# The events a case records itself (the permit's expiry is the client's), as columns of "case".
ANCHOR_COLUMNS = {"moved_in": "moved_in_on", "notice_received": "notice_received_on", "period_ends": "period_ends_on"}
_ACTION_ANCHORS = ("moved_in", "permit_expires", "period_ends")  # the deadline asks to apply: done once submitted


class Due(NamedTuple):
    """A deadline of a case with its date."""

    spec: DeadlineSpec
    date: dt.date
    done: bool = False  # what it asks for is done, or its time is over
    stand_in: bool = False  # counted from a stand-in event: the decision date for the notice, today for the month


def _anchors(case: Mapping[str, Any], permit_expires: str | None, today: dt.date) -> dict[str, tuple[dt.date, bool]]:
    """Event -> (date, counted from a stand-in). Missing events are left out."""
    found: dict[str, tuple[dt.date, bool]] = {}

    def put(anchor: str, value: Any, stand_in: bool = False) -> None:
        if value and anchor not in found:
            found[anchor] = (dt.date.fromisoformat(str(value)[:10]), stand_in)

    for anchor, column in ANCHOR_COLUMNS.items():
        put(anchor, case.get(column))
    put("permit_expires", permit_expires)
    put("submitted", case.get("submitted_on"))
    put("decided", case.get("decided_on"))
    put("opened", case.get("opened_on"))
    # the notice arrives on or after the decision: counting from the decision is never too late
    put("notice_received", case.get("decided_on"), stand_in=True)
    put("application_month", case.get("submitted_on"))
    put("application_month", today, stand_in=True)  # not yet submitted: if it is submitted this month
    return found


def case_deadlines(
    app_type: ApplicationType, case: Mapping[str, Any], permit_expires: str | None, today: dt.date
) -> list[Due]:
    """Every deadline of the type whose event is known, with its date, in catalogue order."""
    anchors = _anchors(case, permit_expires, today)
    result = []
    for spec in app_type.deadlines:
        if spec.anchor not in anchors:
            continue
        event, stand_in = anchors[spec.anchor]
        date = due_date(event, spec.length, align=spec.align, working_day=spec.working_day)
        if spec.kind == "expected":
            done = bool(case.get("decided_on"))
        elif spec.anchor in _ACTION_ANCHORS:
            done = bool(case.get("submitted_on"))
        elif spec.anchor == "notice_received":
            done = date < today
        else:
            done = False
        result.append(Due(spec, date, done, stand_in))
    return result


def next_due(
    app_type: ApplicationType, case: Mapping[str, Any], permit_expires: str | None, today: dt.date
) -> tuple[Due, Due | None] | None:
    """The next date to act on and the legal limit of the same action (if it has one)."""
    open_dues = [d for d in case_deadlines(app_type, case, permit_expires, today) if not d.done]
    candidates: list[tuple[Due, Due | None]] = []
    for code in dict.fromkeys(d.spec.code for d in open_dues):
        group = {d.spec.kind: d for d in open_dues if d.spec.code == code}
        if "retroactive" in group:
            continue
        legal = group.get("legal")
        recommended = group.get("recommended")
        first = recommended if recommended and (recommended.date >= today or legal is None) else legal
        first = first or next(iter(group.values()))
        candidates.append((first, legal))
    if not candidates:
        return None
    return min(candidates, key=lambda pair: (pair[0].date, pair[0].spec.code))


def next_deadline(
    app_type: ApplicationType, case: Mapping[str, Any], permit_expires: str | None, today: dt.date
) -> tuple[str | None, str]:
    """The next date to act on (a recommendation where there is one) and its code."""
    found = next_due(app_type, case, permit_expires, today)
    return (found[0].date.isoformat(), found[0].spec.code) if found else (None, "")


def _deadline_columns(
    app_type: ApplicationType, case: Mapping[str, Any], permit_expires: str | None, today: dt.date
) -> tuple[str | None, str, str | None]:
    found = next_due(app_type, case, permit_expires, today)
    if found is None:
        return None, "", None
    first, legal = found
    return first.date.isoformat(), first.spec.code, legal.date.isoformat() if legal else None


def open_case(
    store: Store,
    catalog: Catalog,
    client_id: int,
    type_code: str,
    opened_on: dt.date | None = None,
    authority_ref: str = "",
    anchors: Mapping[str, str | None] | None = None,
) -> Change:
    """Open a case; `anchors` may give the events its deadlines count from (moved_in_on, ...)."""
    if anchors and set(anchors) - set(ANCHOR_COLUMNS.values()):
        raise ValueError(f"unknown anchor columns: {sorted(set(anchors) - set(ANCHOR_COLUMNS.values()))}")
    app_type = catalog.get(type_code)
    client = store.one("SELECT permit_expires FROM client WHERE id = ?", (client_id,))
    if client is None:
        raise NotFound(_("Es gibt keine Klientin / keinen Klienten mit der Nummer {id}.").format(id=client_id))
    opened = (opened_on or store.today()).isoformat()
    dates = {column: validate.parse_date(column, value) for column, value in (anchors or {}).items()}
    dates["opened_on"] = opened
    deadline, kind, latest = _deadline_columns(app_type, dates, client["permit_expires"], store.today())
    now = store.now_text()
    with store.transaction():
        cursor = store.conn.execute(
            'INSERT INTO "case" (client_id, type_code, status, opened_on, moved_in_on, notice_received_on, '
            "period_ends_on, deadline, deadline_kind, deadline_latest, authority_ref, created_at, updated_at) "
            "VALUES (?, ?, 'planned', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (client_id, type_code, dates["opened_on"], dates.get("moved_in_on"), dates.get("notice_received_on"),
             dates.get("period_ends_on"), deadline, kind, latest, authority_ref, now, now),
        )  # fmt: skip
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
        deadline, kind, latest = _deadline_columns(app_type, values, row["permit_expires"], store.today())
        store.conn.execute(
            'UPDATE "case" SET status = ?, outcome = ?, submitted_on = ?, decided_on = ?, closed_on = ?, '
            "deadline = ?, deadline_kind = ?, deadline_latest = ?, updated_at = ? WHERE id = ?",
            (status, values["outcome"], values["submitted_on"], values["decided_on"], values["closed_on"],
             deadline, kind, latest, store.now_text(), case_id),
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


def set_anchor_dates(store: Store, catalog: Catalog, case_id: int, **dates: str | None) -> Change:
    """Record the events deadlines count from (moved_in_on, notice_received_on, period_ends_on; ISO
    dates, None clears) and compute the case's deadline again."""
    unknown = set(dates) - set(ANCHOR_COLUMNS.values())
    if unknown:
        raise ValueError(f"unknown anchor columns: {sorted(unknown)}")
    parsed = {column: validate.parse_date(column, value) for column, value in dates.items()}
    arrived = parsed.get("notice_received_on")
    if arrived and arrived > store.today().isoformat():
        # a typo in the year would count the objection period from a day that has not come
        raise ValidationError("notice_received_on", _("Ein Bescheid kann nicht in der Zukunft angekommen sein."))
    with store.transaction():
        row = store.one(
            'SELECT c.*, k.permit_expires FROM "case" c JOIN client k ON k.id = c.client_id WHERE c.id = ?',
            (case_id,),
        )
        if row is None:
            raise _not_found(case_id)
        values = {**dict(row), **parsed}
        deadline, kind, latest = _deadline_columns(
            catalog.get(row["type_code"]), values, row["permit_expires"], store.today()
        )
        store.conn.execute(
            'UPDATE "case" SET moved_in_on = ?, notice_received_on = ?, period_ends_on = ?, deadline = ?, '
            "deadline_kind = ?, deadline_latest = ?, updated_at = ? WHERE id = ?",
            (values["moved_in_on"], values["notice_received_on"], values["period_ends_on"], deadline, kind, latest,
             store.now_text(), case_id),
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
