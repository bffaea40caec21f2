"""Retention: clients are due a set number of years after their last case closed; deletions leave no content."""

from __future__ import annotations

import datetime as dt

import pytest

from kim_desk import retention, settings
from kim_desk.desk import Desk
from kim_desk.errors import KnownError, NotFound, ValidationError
from kim_desk.privacy import journal
from kim_desk.store.cases import change_status, open_case
from kim_desk.store.clients import Client, create_client, get_client
from kim_desk.store.contacts import Contact, record_contact

CLOSED_LONG_AGO = dt.date(2023, 5, 2)  # + 3 years = 2026-05-02, before "today" 2026-11-23
CLOSED_RECENTLY = dt.date(2024, 6, 1)


def _client_with_case(desk: Desk, name: str, closed_on: dt.date | None) -> int:
    client_id = create_client(desk.store, Client(family_name=name, municipality="oelde")).id
    case_id = open_case(desk.store, desk.catalog, client_id, "wohngeld", opened_on=dt.date(2022, 1, 10)).id
    if closed_on is not None:
        change_status(desk.store, desk.catalog, case_id, "closed", on=closed_on)
    return client_id


def _due_ids(desk: Desk) -> set[int]:
    return {d.client_id for d in retention.due_clients(desk.store)}


def test_due_after_the_period_and_only_when_every_case_is_closed(desk: Desk) -> None:
    old = _client_with_case(desk, "Altfall", CLOSED_LONG_AGO)
    recent = _client_with_case(desk, "Neufall", CLOSED_RECENTLY)
    still_open = _client_with_case(desk, "Offen", None)
    both = _client_with_case(desk, "Gemischt", CLOSED_LONG_AGO)
    open_case(desk.store, desk.catalog, both, "kindergeld")

    due = {d.client_id: d for d in retention.due_clients(desk.store)}
    assert old in due and due[old].due_since == dt.date(2026, 5, 2) and due[old].last_activity == CLOSED_LONG_AGO
    assert recent not in due and still_open not in due and both not in due


def test_a_later_consultation_restarts_the_period(desk: Desk) -> None:
    client_id = _client_with_case(desk, "Wiederkehr", CLOSED_LONG_AGO)
    record_contact(desk.store, Contact(client_id, dt.date(2025, 2, 1)))
    assert client_id not in _due_ids(desk)


def test_the_period_is_a_setting(desk: Desk) -> None:
    recent = _client_with_case(desk, "Neufall", CLOSED_RECENTLY)
    assert recent not in _due_ids(desk)
    settings.put(desk.store, "retention_years", 2)
    assert recent in _due_ids(desk)
    settings.put(desk.store, "retention_years", 0)
    with pytest.raises(ValidationError, match="zwischen 1 und 30 Jahren"):
        retention.due_clients(desk.store)


def test_apply_erases_confirmed_clients_and_logs_without_content(desk: Desk) -> None:
    old = _client_with_case(desk, "Altfall", CLOSED_LONG_AGO)
    retention.apply(desk.store, desk.paths, [old], "erase")
    with pytest.raises(NotFound):
        get_client(desk.store, old)
    events = [tuple(r) for r in desk.store.rows("SELECT action, entity, entity_id FROM audit_event")]
    assert ("erase", "client", old) in events
    audit_text = " ".join(str(v) for r in desk.store.rows("SELECT * FROM audit_event") for v in tuple(r))
    assert "Altfall" not in audit_text
    assert [e.action for e in journal.read_journal(desk.paths).erasures] == ["erase"]
    assert old not in _due_ids(desk)


def test_apply_can_anonymise_instead(desk: Desk) -> None:
    old = _client_with_case(desk, "Altfall", CLOSED_LONG_AGO)
    retention.apply(desk.store, desk.paths, [old], "anonymise")
    client = get_client(desk.store, old)
    assert client.family_name == "ANONYM"
    assert desk.store.rows('SELECT count(*) FROM "case" WHERE client_id = ?', (old,))[0][0] == 1
    assert old not in _due_ids(desk)  # anonymised once is done


def test_apply_refuses_a_client_not_yet_due_and_changes_nothing(desk: Desk) -> None:
    old = _client_with_case(desk, "Altfall", CLOSED_LONG_AGO)
    recent = _client_with_case(desk, "Neufall", CLOSED_RECENTLY)
    with pytest.raises(KnownError, match=f"noch nicht abgelaufen für: {recent}"):
        retention.apply(desk.store, desk.paths, [old, recent], "erase")
    assert get_client(desk.store, old).family_name == "Altfall"
    assert get_client(desk.store, recent).family_name == "Neufall"


def test_leap_day_plus_years() -> None:
    assert retention.add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)
    assert retention.add_years(dt.date(2024, 3, 1), 3) == dt.date(2027, 3, 1)
