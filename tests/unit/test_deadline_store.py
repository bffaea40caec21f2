"""Deadlines of stored cases: the events a counsellor enters, the dates on the handout and on Today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kim_desk.desk import Desk
from kim_desk.documents import render
from kim_desk.documents.adapter import document_data
from kim_desk.errors import ValidationError
from kim_desk.store import migrations
from kim_desk.store.cases import change_status, get_case, open_case, set_anchor_dates
from kim_desk.store.clients import Client, create_client
from kim_desk.views.lists import today_overview
from tests.unit.documents_support import pdf_text

# the desk's clock says Monday 23.11.2026


def _client(desk: Desk, **values: object) -> int:
    data = {"family_name": "Haddad", "given_names": "Rana", "municipality": "beckum", **values}
    return create_client(desk.store, Client(**data)).id  # type: ignore[arg-type]


def test_registration_date_counts_from_the_move_in_date_not_the_opening(empty_desk: Desk, tmp_path: Path) -> None:
    store, catalog = empty_desk.store, empty_desk.catalog
    case_id = open_case(store, catalog, _client(empty_desk), "wohnsitz_anmeldung").id
    assert get_case(store, case_id).deadline is None  # no move-in date yet: no date made up
    # moved in ten days before the case was opened: two weeks from the move, Friday 27.11.2026
    set_anchor_dates(store, catalog, case_id, moved_in_on="2026-11-13")
    case = get_case(store, case_id)
    assert (case.moved_in_on, case.deadline, case.deadline_latest) == ("2026-11-13", "2026-11-27", "2026-11-27")
    text = pdf_text(render("next-steps", document_data(store, catalog, case_id=case_id), "de", tmp_path / "n.pdf"))
    assert "Spätestens am 27. November 2026 (Freitag): Wohnsitz beim Bürgerbüro anmelden" in text
    assert "(§ 17 Abs. 1 BMG, Stand 1. Dezember 2026)" in text
    today = today_overview(store, catalog, dt.date(2026, 11, 23))
    row = next(d for d in today.deadlines if d.case_id == case_id)
    assert (row.due, row.latest, row.recommended) == ("2026-11-27", "2026-11-27", "")


def test_permit_renewal_handout_and_today_show_recommended_and_latest(empty_desk: Desk, tmp_path: Path) -> None:
    store, catalog = empty_desk.store, empty_desk.catalog
    client_id = _client(empty_desk, permit_expires="2026-12-31")
    case_id = open_case(store, catalog, client_id, "aufenthaltstitel_verlaengerung").id
    text = pdf_text(render("next-steps", document_data(store, catalog, case_id=case_id), "de", tmp_path / "n.pdf"))
    # eight weeks before 31.12.2026 is Thursday 05.11.2026, already past: the latest date alone remains
    assert "Empfohlen bis" not in text
    assert "Spätestens am 31. Dezember 2026 (Donnerstag): Verlängerung bei der Ausländerbehörde beantragen" in text
    client_id = _client(empty_desk, permit_expires="2027-01-15")
    case_id = open_case(store, catalog, client_id, "aufenthaltstitel_verlaengerung").id
    text = pdf_text(render("next-steps", document_data(store, catalog, case_id=case_id), "de", tmp_path / "m.pdf"))
    assert "Empfohlen bis 20. November 2026" not in text  # passed three days ago
    case = get_case(store, case_id)
    assert (case.deadline, case.deadline_latest) == ("2027-01-15", "2027-01-15")
    client_id = _client(empty_desk, permit_expires="2027-01-29")
    case_id = open_case(store, catalog, client_id, "aufenthaltstitel_verlaengerung").id
    text = pdf_text(render("next-steps", document_data(store, catalog, case_id=case_id), "de", tmp_path / "o.pdf"))
    assert "Empfohlen bis 4. Dezember 2026 (Freitag): Verlängerung bei der Ausländerbehörde beantragen" in text
    assert "Spätestens am 29. Januar 2027 (Freitag)" in text
    rows = [d for d in today_overview(store, catalog, dt.date(2026, 11, 23)).deadlines if d.case_id == case_id]
    assert [(d.due, d.recommended, d.latest) for d in rows] == [("2026-12-04", "2026-12-04", "2027-01-29")]


def test_objection_counts_from_the_notice_once_entered(empty_desk: Desk) -> None:
    store, catalog = empty_desk.store, empty_desk.catalog
    case_id = open_case(store, catalog, _client(empty_desk), "wohngeld").id
    for status in ("collecting", "documents_complete", "submitted"):
        change_status(store, catalog, case_id, status, on=dt.date(2026, 10, 1))
    change_status(store, catalog, case_id, "decided", on=dt.date(2026, 10, 28), outcome="rejected")
    assert get_case(store, case_id).deadline == "2026-11-30"  # from the decision: 28.11. is a Saturday
    set_anchor_dates(store, catalog, case_id, notice_received_on="2026-11-03")
    case = get_case(store, case_id)
    assert (case.deadline_kind, case.deadline) == ("objection", "2026-12-03")
    with pytest.raises(ValidationError, match="Zukunft"):
        set_anchor_dates(store, catalog, case_id, notice_received_on="2027-11-03")  # the year mistyped
    assert get_case(store, case_id).notice_received_on == "2026-11-03"


def test_migration_7_adds_the_anchor_columns(empty_desk: Desk) -> None:
    columns = {row[1] for row in empty_desk.store.conn.execute('PRAGMA table_info("case")')}
    assert {"moved_in_on", "notice_received_on", "period_ends_on", "deadline_latest"} <= columns
    assert migrations.LATEST_VERSION >= 7


def test_today_lists_the_legal_limit_once_the_recommendation_has_passed(empty_desk: Desk) -> None:
    store, catalog = empty_desk.store, empty_desk.catalog
    client_id = _client(empty_desk, permit_expires="2027-01-29")
    case_id = open_case(store, catalog, client_id, "aufenthaltstitel_verlaengerung").id
    # weeks later, the stored next date (04.12.2026) has passed; the expiry is within two weeks
    rows = [d for d in today_overview(store, catalog, dt.date(2027, 1, 20)).deadlines if d.case_id == case_id]
    assert [(d.due, d.recommended, d.latest) for d in rows] == [("2027-01-29", "", "2027-01-29")]


def test_steps_that_state_a_rule_print_their_legal_basis(empty_desk: Desk, tmp_path: Path) -> None:
    store, catalog = empty_desk.store, empty_desk.catalog
    case_id = open_case(store, catalog, _client(empty_desk), "wohngeld").id
    text = pdf_text(render("next-steps", document_data(store, catalog, case_id=case_id), "de", tmp_path / "n.pdf"))
    assert "nicht für die Zeit davor. (§ 25 Abs. 2 WoGG)" in text
    assert "danach neu beantragen" not in text


def test_a_case_stored_before_migration_7_keeps_its_data_and_gains_the_anchor_columns(tmp_path: Path) -> None:
    from kim_desk.store import open_store
    from kim_desk.store.connection import connect

    path, key = tmp_path / "old.db", b"\x07" * 32
    conn = connect(path, key, create=True)
    migrations.migrate(conn, target=3)
    conn.execute(
        "INSERT INTO client (id, uid, family_name, municipality, permit_expires, created_at, updated_at) "
        "VALUES (1, 'u1', 'Haddad', 'beckum', '2027-03-01', 'x', 'x')"
    )
    insert = (
        'INSERT INTO "case" (id, client_id, type_code, opened_on, decided_on, deadline, deadline_kind, created_at, '
        "updated_at) VALUES (?, 1, ?, '2026-01-05', ?, ?, ?, 'x', 'x')"
    )
    conn.execute(insert, (1, "aufenthaltstitel_verlaengerung", None, "2027-01-04", "apply_before_expiry"))
    conn.execute(insert, (2, "wohnsitz_anmeldung", None, "2026-01-19", "registration_due"))  # opened + 14 days
    conn.execute(insert, (3, "wohngeld", "2027-02-01", "2027-03-03", "objection"))  # decided + 30 days
    conn.close()
    store = open_store(path, key)
    assert migrations.schema_version(store.conn) == migrations.LATEST_VERSION
    permit, registration, objection = (get_case(store, case_id) for case_id in (1, 2, 3))
    assert (permit.opened_on, permit.deadline, permit.deadline_kind, permit.deadline_latest, permit.moved_in_on) == (
        "2026-01-05", "2027-01-04", "apply", "2027-03-01", None,
    )  # fmt: skip
    assert (registration.deadline, registration.deadline_kind) == (None, "")  # no date made up from the opening
    # one month from 01.02.2027 ends on Monday 01.03.2027: 30 days (03.03.) would print a date too late
    assert (objection.deadline, objection.deadline_latest) == ("2027-03-01", "2027-03-01")
    store.close()
