"""Appointments with clients; double bookings are reported, not silently allowed."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from kim_desk import validate
from kim_desk.errors import NotFound, ValidationError
from kim_desk.i18n import _
from kim_desk.store import Change, Store, audit
from kim_desk.taxonomy import APPOINTMENT_STATUSES


class Appointment(NamedTuple):
    client_id: int
    starts_at: dt.datetime
    duration_min: int = 30
    place: str = ""
    counsellor: str = ""
    topic: str = ""
    status: str = "planned"
    case_id: int | None = None
    id: int | None = None

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_min)


def _from_row(row: Any) -> Appointment:
    get = row.__getitem__
    return Appointment(
        client_id=int(get("client_id")), starts_at=dt.datetime.fromisoformat(get("starts_at")),
        duration_min=int(get("duration_min")), place=get("place"), counsellor=get("counsellor"),
        topic=get("topic"), status=get("status"), case_id=get("case_id"), id=int(get("id")),
    )  # fmt: skip


def _check(appointment: Appointment) -> None:
    validate.check_code("status", appointment.status, dict(APPOINTMENT_STATUSES))
    if not 5 <= appointment.duration_min <= 8 * 60:
        raise ValidationError("duration_min", _("Die Dauer muss zwischen 5 Minuten und 8 Stunden liegen."))


def conflicts(store: Store, appointment: Appointment) -> list[Appointment]:
    """Planned appointments of the same counsellor that overlap this one."""
    day_start = appointment.starts_at.replace(hour=0, minute=0, second=0)
    rows = store.rows(
        "SELECT * FROM appointment WHERE starts_at >= ? AND starts_at < ? AND status = 'planned' "
        "AND counsellor = ? AND id IS NOT ?",
        (day_start.isoformat(timespec="minutes"), (day_start + dt.timedelta(days=1)).isoformat(timespec="minutes"),
         appointment.counsellor, appointment.id),
    )  # fmt: skip
    others = [_from_row(row) for row in rows]
    return [o for o in others if o.starts_at < appointment.ends_at and appointment.starts_at < o.ends_at]


def create_appointment(store: Store, appointment: Appointment) -> Change:
    _check(appointment)
    now = store.now_text()
    with store.transaction():
        if store.one("SELECT 1 FROM client WHERE id = ?", (appointment.client_id,)) is None:
            raise NotFound(
                _("Es gibt keine Klientin / keinen Klienten mit der Nummer {id}.").format(id=appointment.client_id)
            )
        cursor = store.conn.execute(
            "INSERT INTO appointment (client_id, case_id, starts_at, duration_min, place, counsellor, topic, "
            "status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (appointment.client_id, appointment.case_id, appointment.starts_at.isoformat(timespec="minutes"),
             appointment.duration_min, appointment.place, appointment.counsellor, appointment.topic,
             appointment.status, now, now),
        )  # fmt: skip
        appointment_id = int(cursor.lastrowid)
        audit.record(store, "create", "appointment", appointment_id)
    return Change("appointment", appointment_id, "create")


def update_appointment(store: Store, appointment: Appointment) -> Change:
    if appointment.id is None:
        raise ValueError("update_appointment needs a stored appointment")
    _check(appointment)
    with store.transaction():
        cursor = store.conn.execute(
            "UPDATE appointment SET case_id = ?, starts_at = ?, duration_min = ?, place = ?, counsellor = ?, "
            "topic = ?, status = ?, updated_at = ? WHERE id = ?",
            (appointment.case_id, appointment.starts_at.isoformat(timespec="minutes"), appointment.duration_min,
             appointment.place, appointment.counsellor, appointment.topic, appointment.status, store.now_text(),
             appointment.id),
        )  # fmt: skip
        if cursor.rowcount != 1:
            raise _missing(appointment.id)
        audit.record(store, "change", "appointment", appointment.id)
    return Change("appointment", appointment.id, "update")


def _missing(appointment_id: int) -> NotFound:
    return NotFound(_("Es gibt keinen Termin mit der Nummer {id}.").format(id=appointment_id))


def get_appointment(store: Store, appointment_id: int) -> Appointment:
    row = store.one("SELECT * FROM appointment WHERE id = ?", (appointment_id,))
    if row is None:
        raise _missing(appointment_id)
    return _from_row(row)


def list_appointments(
    store: Store,
    start: dt.date | None = None,
    end: dt.date | None = None,
    client_id: int | None = None,
) -> list[Appointment]:
    """Appointments with start <= day < end (either bound optional), in time order."""
    conditions, params = [], []
    if start is not None:
        conditions.append("starts_at >= ?")
        params.append(start.isoformat())
    if end is not None:
        conditions.append("starts_at < ?")
        params.append(end.isoformat())
    if client_id is not None:
        conditions.append("client_id = ?")
        params.append(str(client_id))
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    return [_from_row(row) for row in store.rows(f"SELECT * FROM appointment{where} ORDER BY starts_at, id", params)]
