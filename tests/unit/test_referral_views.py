"""What the pages show of referrals: an offer's facts (unknown details say so), Today's follow-ups, withdrawing
an interpreter request (kim_desk/views/referrals.py, store/referrals.py)."""

from __future__ import annotations

import datetime as dt

from kim_desk.services import Contact, load_services
from kim_desk.store.appointments import Appointment, create_appointment
from kim_desk.store.audit import verify
from kim_desk.store.clients import Client, create_client
from kim_desk.store.referrals import (
    MediatorRequest,
    Referral,
    mediator_request_for,
    refer,
    request_mediator,
    set_outcome,
    withdraw_mediator_request,
)
from kim_desk.views import referrals
from kim_desk.views.lists import client_file, today_overview
from tests.conftest import TODAY

DAY = TODAY.date()


def test_facts_say_not_known_and_never_invent_a_detail() -> None:
    service = load_services()["fit"]
    shown = referrals.facts(service._replace(contact=Contact(name="KIM", phone="02581 53-0")))
    assert shown["phone"] == "02581 53-0" and shown["contact_name"] == "KIM"
    assert shown["email"] == shown["address"] == shown["url"] == "nicht bekannt"
    assert shown["languages"] == "nicht bekannt"  # the catalogue names none
    assert shown["provider"] == service.provider
    assert shown["stand"].strip("\u2068\u2069") == service.stand.strftime("%d.%m.%Y")
    assert referrals.facts(service._replace(languages=("ar", "fa")))["languages"] == "العربية, فارسی"


def test_follow_ups_are_open_referrals_older_than_four_weeks(empty_desk) -> None:  # type: ignore[no-untyped-def]
    store = empty_desk.store
    known = set(load_services())
    client_id = create_client(store, Client(family_name="Okafor", given_names="Grace", municipality="ahlen")).id
    old = refer(store, Referral(client_id, "mbe", DAY - dt.timedelta(weeks=4)), known).id
    refer(store, Referral(client_id, "fit", DAY - dt.timedelta(weeks=4) + dt.timedelta(days=1)), known)
    answered = refer(store, Referral(client_id, "jmd", DAY - dt.timedelta(weeks=9)), known).id
    set_outcome(store, answered, "no_place", DAY)
    assert referrals.follow_ups(store, DAY) == [
        referrals.FollowUp(old, client_id, "Okafor, Grace", "mbe", DAY - dt.timedelta(weeks=4))
    ]
    assert [f.referral_id for f in today_overview(store, empty_desk.catalog, DAY).follow_ups] == [old]
    file = client_file(store, client_id)
    assert sorted(r.service_code for r in file.referrals) == ["fit", "jmd", "mbe"]


def test_offers_for_a_client_put_their_language_first(empty_desk) -> None:  # type: ignore[no-untyped-def]
    store = empty_desk.store
    client_id = create_client(store, Client(family_name="Haddad", municipality="telgte", languages=["ar"])).id
    catalogue = load_services()
    catalogue["fit"] = catalogue["fit"]._replace(languages=("ar",))
    catalogue["mbe"] = catalogue["mbe"]._replace(municipalities=("ahlen",))
    offers = referrals.offers_for(store, catalogue, client_id)
    assert (offers.municipality, offers.language) == ("telgte", "ar")
    codes = [s.code for s in offers.services]
    assert codes[0] == "fit" and "mbe" not in codes  # not offered in Telgte


def test_withdrawing_an_interpreter_request(empty_desk) -> None:  # type: ignore[no-untyped-def]
    store = empty_desk.store
    client_id = create_client(store, Client(family_name="Haddad", municipality="ahlen")).id
    appointment_id = create_appointment(store, Appointment(client_id, TODAY + dt.timedelta(days=1))).id
    assert withdraw_mediator_request(store, appointment_id) is None  # nothing to take back
    request_mediator(store, MediatorRequest(appointment_id, "fa", DAY))
    change = withdraw_mediator_request(store, appointment_id)
    assert change is not None and (change.entity, change.action) == ("mediator_request", "delete")
    assert mediator_request_for(store, appointment_id) is None
    audit = verify(store)
    assert audit.ok and store.one("SELECT action FROM audit_event ORDER BY id DESC LIMIT 1")["action"] == "delete"
