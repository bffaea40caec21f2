"""Clients, cases with checklists and deadlines, appointments, barriers and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from kim_desk.desk import Desk
from kim_desk.errors import KnownError, ValidationError
from kim_desk.store import audit
from kim_desk.store.appointments import Appointment, conflicts, create_appointment, list_appointments
from kim_desk.store.cases import add_barrier, change_status, get_case, open_case, set_checklist_state
from kim_desk.store.clients import Client, HouseholdMember, create_client, get_client
from kim_desk.store.contacts import Contact, list_contacts, record_contact


def _client(desk: Desk, **values: object) -> int:
    data = {"family_name": "Haddad", "given_names": "Rana", "municipality": "beckum", **values}
    return create_client(desk.store, Client(**data)).id  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"family_name": "  "}, "family_name"),
        ({"municipality": "münster"}, "municipality"),
        ({"birth_date": "2030-01-01"}, "birth_date"),
        ({"birth_date": "31.02.1990"}, "birth_date"),
        ({"phone": "call me"}, "phone"),
        ({"email": "no-at-sign"}, "email"),
        ({"postcode": "592"}, "postcode"),
        ({"languages": ["xx"]}, "languages"),
    ],
)
def test_invalid_client_data_names_the_field(empty_desk: Desk, values: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _client(empty_desk, **values)
    assert caught.value.field == field
    assert empty_desk.store.rows("SELECT * FROM client") == []


def test_client_with_household_round_trips(empty_desk: Desk) -> None:
    client_id = _client(
        empty_desk,
        family_name_orig="حداد",
        given_names_orig="رنا",
        birth_date="1988-04-02",
        languages=["ar", "de"],
        household=[HouseholdMember("Haddad", "Omar", "2019-06-01", "child")],
    )
    client = get_client(empty_desk.store, client_id)
    assert (client.family_name_orig, client.preferred_language) == ("حداد", "ar")
    assert [(m.given_names, m.relation) for m in client.household] == [("Omar", "child")]


def test_kindergeld_case_lifecycle_with_checklist_and_deadlines(empty_desk: Desk) -> None:
    store, catalog = empty_desk.store, empty_desk.catalog
    case_id = open_case(store, catalog, _client(empty_desk), "kindergeld").id
    case = get_case(store, case_id)
    assert [item.code for item in case.checklist][:2] == ["geburtsurkunde", "steuer_id_eltern"]
    # the six months of retroactive payment are no deadline of the case: nothing is due before it is submitted
    assert (case.deadline, case.deadline_kind) == (None, "")
    for item in case.checklist:
        set_checklist_state(store, item.id, "present")
    change_status(store, catalog, case_id, "collecting")
    change_status(store, catalog, case_id, "documents_complete")
    change_status(store, catalog, case_id, "submitted", on=dt.date(2026, 11, 23))
    case = get_case(store, case_id)
    assert (case.submitted_on, case.deadline, case.deadline_kind) == ("2026-11-23", "2027-01-04", "decision_expected")
    assert case.missing_documents == []
    with pytest.raises(ValidationError, match="Ergebnis"):
        change_status(store, catalog, case_id, "decided")
    change_status(store, catalog, case_id, "decided", on=dt.date(2026, 11, 23), outcome="rejected")
    case = get_case(store, case_id)
    # one month, counted from the decision until the day the notice arrived is entered
    assert (case.outcome, case.deadline_kind, case.deadline) == ("rejected", "objection", "2026-12-23")
    assert case.deadline_latest == "2026-12-23"
    history = [
        row["status"]
        for row in store.rows("SELECT status FROM case_status_change WHERE case_id = ? ORDER BY id", (case_id,))
    ]
    assert history == ["planned", "collecting", "documents_complete", "submitted", "decided"]


def test_impossible_status_jump_is_refused(empty_desk: Desk) -> None:
    case_id = open_case(empty_desk.store, empty_desk.catalog, _client(empty_desk), "wohngeld").id
    with pytest.raises(KnownError, match="kann nicht"):
        change_status(empty_desk.store, empty_desk.catalog, case_id, "decided", outcome="approved")
    assert get_case(empty_desk.store, case_id).status == "planned"


def test_permit_deadline_counts_back_from_expiry(empty_desk: Desk) -> None:
    client_id = _client(empty_desk, permit_expires="2027-03-01")
    case = get_case(
        empty_desk.store,
        open_case(empty_desk.store, empty_desk.catalog, client_id, "aufenthaltstitel_verlaengerung").id,
    )
    # recommended eight weeks before; the legal limit is the expiry itself (§ 81 Abs. 4 AufenthG)
    assert (case.deadline, case.deadline_kind, case.deadline_latest) == ("2027-01-04", "apply", "2027-03-01")


def test_barrier_from_the_taxonomy_only(empty_desk: Desk) -> None:
    case_id = open_case(empty_desk.store, empty_desk.catalog, _client(empty_desk), "kindergeld").id
    add_barrier(empty_desk.store, case_id, "digital_only")
    with pytest.raises(ValidationError):
        add_barrier(empty_desk.store, case_id, "bad_weather")
    assert [b.code for b in get_case(empty_desk.store, case_id).barriers] == ["digital_only"]


def test_double_booking_is_reported(empty_desk: Desk) -> None:
    client_id = _client(empty_desk)
    first = Appointment(client_id, dt.datetime(2026, 11, 24, 10, 0), 60, counsellor="Frau Schulte")
    create_appointment(empty_desk.store, first)
    overlapping = Appointment(client_id, dt.datetime(2026, 11, 24, 10, 30), 30, counsellor="Frau Schulte")
    later = Appointment(client_id, dt.datetime(2026, 11, 24, 11, 0), 30, counsellor="Frau Schulte")
    assert [a.starts_at.hour for a in conflicts(empty_desk.store, overlapping)] == [10]
    assert conflicts(empty_desk.store, later) == []
    day = list_appointments(empty_desk.store, dt.date(2026, 11, 24), dt.date(2026, 11, 25))
    assert [a.starts_at for a in day] == [dt.datetime(2026, 11, 24, 10, 0)]


def test_contacts_are_listed_newest_first(empty_desk: Desk) -> None:
    client_id = _client(empty_desk)
    record_contact(empty_desk.store, Contact(client_id, dt.date(2026, 10, 1), language="ar"))
    record_contact(empty_desk.store, Contact(client_id, dt.date(2026, 11, 1), channel="phone"))
    assert [c.contact_on.month for c in list_contacts(empty_desk.store, client_id)] == [11, 10]


def test_audit_trail_has_no_content_and_detects_tampering(empty_desk: Desk) -> None:
    client_id = _client(empty_desk, family_name="Zzyzxcanary")
    open_case(empty_desk.store, empty_desk.catalog, client_id, "kindergeld")
    rows = empty_desk.store.rows("SELECT * FROM audit_event")
    assert [(r["action"], r["entity"]) for r in rows] == [("create", "client"), ("create", "case")]
    assert all("Zzyzxcanary" not in " ".join(map(str, tuple(r))) for r in rows)
    assert audit.verify(empty_desk.store).ok
    empty_desk.store.conn.execute("UPDATE audit_event SET action = 'view' WHERE id = 1")
    check = audit.verify(empty_desk.store)
    assert (check.ok, check.first_bad_id) == (False, 1)
