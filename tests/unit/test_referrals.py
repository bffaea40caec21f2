"""Services, referrals, unmet needs and interpreter requests (DESIGN.md §7)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kim_desk import demo
from kim_desk.errors import CatalogError, NotFound, ValidationError
from kim_desk.privacy.erasure import erase_client
from kim_desk.services import load_services, services_for
from kim_desk.store.referrals import (
    MediatorRequest,
    Referral,
    UnmetNeed,
    list_referrals,
    list_unmet_needs,
    mediator_request_for,
    note_unmet_need,
    refer,
    request_mediator,
    set_outcome,
    waiting_for_answer,
)
from tests.conftest import PASSPHRASE

REQUIRED = {"fit", "patenprojekt", "sprachhelfer", "sprachmittlerpool", "komm_an", "durchstarten",
            "schulische_erstberatung", "integrationskurs", "mbe", "jmd", "auslaenderbehoerde"}  # fmt: skip


def test_the_shipped_services_load_and_name_their_source() -> None:
    services = load_services()
    assert set(services) >= REQUIRED
    for service in services.values():
        assert service.source and service.stand and service.how_to_refer
        # nobody invented a phone number: contact details are either empty or checked
        assert service.contact.phone == ""


def test_a_bad_service_file_is_refused_with_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        'code = "x"\ntitle = "X"\nkind = "magic"\nstand = 2026-12-01\nprovider = "p"\ntarget_group = "t"\n'
        'summary = "s"\nhow_to_refer = "h"\nmunicipalities = ["atlantis"]\nsource = "s"\nlanguages = ["xx"]\n',
        "utf-8",
    )
    with pytest.raises(CatalogError) as error:
        load_services(tmp_path)
    text = str(error.value)
    assert "bad.toml: kind" in text and "bad.toml: municipalities" in text and "bad.toml: languages" in text


def test_services_for_a_municipality_put_the_clients_language_first() -> None:
    services = load_services()
    offers = services_for(services, "ahlen", "de")
    assert offers and all(s.offered_in("ahlen") for s in offers)
    assert "de" in offers[0].languages


def test_referral_outcome_and_follow_up(desk) -> None:  # type: ignore[no-untyped-def]
    store = desk.store
    client_id = int(store.one("SELECT min(id) FROM client")[0])
    today = store.today()
    before = len(list_referrals(store, client_id))
    change = refer(store, Referral(client_id, "fit", today - dt.timedelta(weeks=5)), set(load_services()))
    assert len(list_referrals(store, client_id)) == before + 1
    assert change.id in [r.id for r in waiting_for_answer(store, today)]
    set_outcome(store, change.id, "waiting_list", today)
    assert change.id not in [r.id for r in waiting_for_answer(store, today)]
    with pytest.raises(ValidationError):
        refer(store, Referral(client_id, "no_such_offer", today), set(load_services()))
    with pytest.raises(NotFound):
        set_outcome(store, 10**6, "taken_up", today)
    note_unmet_need(store, UnmetNeed(client_id, "childcare_place", today))
    assert "childcare_place" in [n.category for n in list_unmet_needs(store, client_id)]
    appointment_id = int(store.one("SELECT min(id) FROM appointment")[0])
    request_mediator(store, MediatorRequest(appointment_id, "ar", today))
    request_mediator(store, MediatorRequest(appointment_id, "ar", today, result="came"))
    assert mediator_request_for(store, appointment_id).result == "came"  # type: ignore[union-attr]
    erase_client(store, desk.paths, client_id)
    assert list_referrals(store, client_id) == [] and list_unmet_needs(store, client_id) == []


def test_demo_data_has_referrals_needs_and_interpreter_requests(empty_desk) -> None:  # type: ignore[no-untyped-def]
    summary = demo.generate(empty_desk.store, empty_desk.catalog, clients=80)
    assert summary.referrals > 5 and summary.needs > 2 and summary.mediator_requests > 2
    outcomes = {row[0] for row in empty_desk.store.rows("SELECT DISTINCT outcome FROM referral")}
    assert {"taken_up", "open"} <= outcomes


def test_cli_lists_services_and_records_a_referral(desk, capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kim_desk.commands import main

    root = str(desk.paths.root)
    client_id = int(desk.store.one("SELECT min(id) FROM client")[0])
    desk.close()
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE, "utf-8")
    monkeypatch.setenv("KIM_DESK_PASSPHRASE_FILE", str(secret))
    assert main(["services", "--json", "--municipality", "telgte"]) == 0
    offers = json.loads(capsys.readouterr().out)
    assert {row["code"] for row in offers} >= REQUIRED
    assert all(set(row["contact"]) == {"name", "phone", "email", "address", "url"} for row in offers)  # an object
    assert main(["--data-dir", root, "referral", "add", str(client_id), "--service", "jmd"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", root, "referrals", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"client_id": client_id, "service": "jmd", "outcome": "open"}.items() <= rows[-1].items()
    assert main(["--data-dir", root, "referral", "add", str(client_id), "--service", "nope"]) == 1


def test_the_data_access_export_holds_referrals_needs_and_interpreter_requests(desk, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kim_desk.privacy.export import export_client

    store = desk.store
    appointment = store.one("SELECT id, client_id FROM appointment ORDER BY id LIMIT 1")
    client_id, today = int(appointment["client_id"]), store.today()
    refer(store, Referral(client_id, "sprachmittlerpool", today), set(load_services()))
    note_unmet_need(store, UnmetNeed(client_id, "housing", today))
    request_mediator(store, MediatorRequest(int(appointment["id"]), "fa", today))
    data = json.loads(export_client(store, client_id, tmp_path, catalog=desk.catalog).json_path.read_text("utf-8"))
    assert "sprachmittlerpool" in [row["service_code"] for row in data["referral"]]
    assert "housing" in [row["category"] for row in data["unmet_need"]]
    requests = [r for a in data["appointments"] for r in a.get("mediator_request", [])]
    assert "fa" in [r["language"] for r in requests]
