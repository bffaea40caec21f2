"""Intake checks every table of a report and the district's own protection parameters (4xx, nothing stored)."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from kim_desk.district.app import create_app
from kim_desk.district.store import DistrictStore
from kim_desk.stats.payload import TABLES, PayloadError, canonical_json, validate_payload
from kim_desk.stats.periods import Quarter
from kim_desk.stats.ptable import STANDARD
from kim_desk.stats.report import build_report
from kim_desk.stats.synthetic import plain_store, populate
from tests.asgi import call_app
from tests.unit.test_district_app import App

TODAY = dt.date(2026, 10, 20)
Q3 = Quarter(2026, 3)


@pytest.fixture
def store(tmp_path: Path) -> DistrictStore:
    return DistrictStore(tmp_path / "district.sqlite3")


def enrol(app: App, store: DistrictStore, municipality: str = "ahlen") -> dict[str, Any]:
    _desk, code = store.add_desk(f"Desk {municipality}", municipality)
    answer = app.request("POST", "/api/v1/enrol", json={"code": code, "first_period": "2026Q2"})
    assert answer.status_code == 200
    return dict(answer.json())


def payload_for(desk_id: str, municipality: str = "ahlen", seed: int = 3) -> dict[str, Any]:
    conn = plain_store()
    populate(conn, clients=60, contacts_per_client=2, quarters=[Q3], municipalities=(municipality,), seed=seed)
    return build_report(conn, desk_id=desk_id, municipality=municipality, quarter=Q3, app_version="0.1.0")


def rows(store: DistrictStore) -> tuple[int, int]:
    return (
        store.conn.execute("SELECT COUNT(*) FROM report").fetchone()[0],
        store.conn.execute("SELECT COUNT(*) FROM figure").fetchone()[0],
    )


def cells(payload: dict[str, Any], table: str) -> list[dict[str, Any]]:
    return list(payload["tables"][table]["cells"])


def find(payload: dict[str, Any], table: str, key: list[str]) -> dict[str, Any]:
    return next(cell for cell in payload["tables"][table]["cells"] if cell["key"] == key)


def unknown_municipality(p: dict[str, Any]) -> None:
    cells(p, "cases_by_type_state")[0]["key"][0] = "muenster"


def wildcard_in_a_code(p: dict[str, Any]) -> None:
    cell = next(c for c in cells(p, "cases_by_type_state") if c["key"][1] != "*")
    cell["key"][1] = "wohn*"


def a_code_seen_in_another_dimension(p: dict[str, Any]) -> None:
    cells(p, "contacts_by_language_group")[-1]["key"][0] = "ar"  # a language group, not a municipality


def a_code_that_is_a_list(p: dict[str, Any]) -> None:
    cells(p, "contacts_by_language_group")[-1]["key"][1] = ["ar"]


def a_cell_with_another_field_instead_of_its_value(p: dict[str, Any]) -> None:
    cell = cells(p, "contacts_by_channel")[-1]
    cell["count"] = cell.pop("value")


def second_total_as_a_cell(p: dict[str, Any]) -> None:
    table = p["tables"]["barriers_by_type"]
    table["cells"].append({"key": ["*", "*", "*"], "value": table["total"]})


def duplicate_cell(p: dict[str, Any]) -> None:
    table = p["tables"]["contacts_by_channel"]
    table["cells"].append(dict(table["cells"][-1]))


def total_missing(p: dict[str, Any]) -> None:
    p["tables"]["clients_by_age_band"]["total"] = None


def margin_missing(p: dict[str, Any]) -> None:
    table = p["tables"]["cases_by_type_state"]
    table["cells"] = [c for c in table["cells"] if c["key"] != ["ahlen", "*", "*"]]


def margin_out_of_reach(p: dict[str, Any]) -> None:
    find(p, "cases_by_type_state", ["ahlen", "*", "*"])["value"] += 200


def linked_margins_differ(p: dict[str, Any]) -> None:
    find(p, "contacts_by_channel", ["ahlen", "*"])["value"] += 1


def negative_figure(p: dict[str, Any]) -> None:
    cells(p, "clients_by_age_band")[0]["value"] = -1


def boolean_figure(p: dict[str, Any]) -> None:
    cells(p, "clients_by_age_band")[0]["value"] = True


def suppressed_cell(p: dict[str, Any]) -> None:
    cell = cells(p, "clients_by_age_band")[0]
    cell["value"], cell["suppressed"] = None, True


def other_max_deviation(p: dict[str, Any]) -> None:
    p["protection"]["D"] = 3


def unknown_ptable(p: dict[str, Any]) -> None:
    p["protection"]["ptable"] = "kim-ckm-d3-v1/1"


def no_protection_k_instead(p: dict[str, Any]) -> None:
    del p["protection"]
    p["k"] = 2


def suppression_era_schema(p: dict[str, Any]) -> None:
    p["schema"] = "kim-desk.report/1"


BROKEN: list[Callable[[dict[str, Any]], None]] = [
    unknown_municipality,
    wildcard_in_a_code,
    a_code_seen_in_another_dimension,
    a_code_that_is_a_list,
    a_cell_with_another_field_instead_of_its_value,
    second_total_as_a_cell,
    duplicate_cell,
    total_missing,
    margin_missing,
    margin_out_of_reach,
    linked_margins_differ,
    negative_figure,
    boolean_figure,
    suppressed_cell,
    other_max_deviation,
    unknown_ptable,
    no_protection_k_instead,
    suppression_era_schema,
]


@pytest.fixture(scope="module")
def good_tables() -> dict[str, Any]:
    return payload_for("placeholder")


@pytest.mark.parametrize("breaks", BROKEN, ids=[f.__name__ for f in BROKEN])
def test_an_inconsistent_report_gets_422_and_changes_nothing(
    store: DistrictStore, good_tables: dict[str, Any], breaks: Callable[[dict[str, Any]], None]
) -> None:
    app = App(store)
    desk = enrol(app, store)
    good = {**copy.deepcopy(good_tables), "desk_id": desk["desk_id"], "report_id": f"{desk['desk_id']}:2026Q3"}
    validate_payload(good, protection=STANDARD.params())
    bad = copy.deepcopy(good)
    breaks(bad)
    auth = {"Authorization": f"Bearer {desk['token']}"}
    before = rows(store)
    answer = app.request("POST", "/api/v1/reports", headers=auth, content=json.dumps(bad).encode())
    assert answer.status_code == 422, answer.text
    assert rows(store) == before
    assert app.request("POST", "/api/v1/reports", headers=auth, content=canonical_json(good)).status_code == 201


def test_the_district_refuses_reports_made_with_other_parameters(store: DistrictStore, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    app = App(store)
    desk = enrol(app, store)
    good = payload_for(desk["desk_id"])
    other = {"method": "cell_key", "ptable": "kim-ckm-d5-v1/2", "D": 4, "V": 1.0}
    monkeypatch.setattr(store, "protection", lambda: other)
    auth = {"Authorization": f"Bearer {desk['token']}"}
    answer = app.request("POST", "/api/v1/reports", headers=auth, content=canonical_json(good))
    assert answer.status_code == 422 and rows(store) == (0, 0)
    with pytest.raises(PayloadError, match="protection"):
        validate_payload(good, protection=other)
    with pytest.raises(PayloadError, match="municipality"):
        validate_payload({**good, "municipality": "muenster"}, protection=STANDARD.params())


def test_enrolment_and_every_report_answer_carry_the_districts_parameters(store: DistrictStore) -> None:
    app = App(store)
    desk = enrol(app, store)
    assert desk["protection"] == STANDARD.params() and "k" not in desk
    auth = {"Authorization": f"Bearer {desk['token']}"}
    body = canonical_json(payload_for(desk["desk_id"]))
    for status in (201, 200):  # stored, then already there
        answer = app.request("POST", "/api/v1/reports", headers=auth, content=body)
        assert answer.status_code == status and answer.json()["protection"] == STANDARD.params()


def test_a_desk_refuses_an_enrolment_with_parameters_it_does_not_know() -> None:
    from kim_desk.sync.client import SyncError, _checked_enrolment

    answer = {"desk_id": "d-1", "token": "t", "municipality": "ahlen", "protection": STANDARD.params()}
    assert _checked_enrolment(dict(answer))["protection"] == STANDARD.params()
    with pytest.raises(SyncError, match="aktualisieren"):
        _checked_enrolment({**answer, "protection": {**STANDARD.params(), "ptable": "kim-ckm-future/9"}})


def suppression_era_payload(desk_id: str) -> dict[str, Any]:
    """A report as desks sent them before the cell key method (schema 1, k, suppressed cells)."""
    empty = {name: {"dims": list(spec.dims), "cells": [], "total": 0} for name, spec in TABLES.items()}
    return {
        "schema": "kim-desk.report/1",
        "report_id": f"{desk_id}:2026Q3",
        "desk_id": desk_id,
        "period": "2026Q3",
        "municipality": "beckum",
        "k": 5,
        "app_version": "0.1.0",
        "tables": empty
        | {
            name: {"dims": dims, "cells": cells_, "total": total}
            for name, dims, cells_, total in (
                (
                    "contacts_by_channel",
                    ["municipality", "channel"],
                    [
                        {"key": ["beckum", "phone"], "value": None, "suppressed": True},
                        {"key": ["beckum", "in_person"], "value": 40, "suppressed": False},
                        {"key": ["beckum", "*"], "value": 43, "suppressed": False},
                    ],
                    43,
                ),
                ("cases_by_type_state", ["municipality", "application_type", "state"], [], 0),
            )
        },
    }


def test_reports_of_the_suppression_era_are_still_read(store: DistrictStore, tmp_path: Path) -> None:
    app = App(store)
    old_desk, _code = store.add_desk("Alt Beckum", "beckum")
    assert store.store_report(suppression_era_payload(old_desk.id)) == "stored"
    desk = enrol(app, store)
    new = payload_for(desk["desk_id"])
    auth = {"Authorization": f"Bearer {desk['token']}"}
    assert app.request("POST", "/api/v1/reports", headers=auth, content=canonical_json(new)).status_code == 201

    app.login()
    table = list(csv.reader(io.StringIO(app.request("GET", "/report.csv?period=2026Q3").text)))
    by_key = {(r[1], r[2], r[3]): r[5:] for r in table[1:]}
    assert by_key[("contacts_by_channel", "beckum", "phone")] == ["", "0.0", "1"]  # suppressed then, shown so
    assert by_key[("contacts_by_channel", "beckum", "in_person")] == ["40", "0.0", "0"]  # exact: no noise
    ahlen = find(new, "contacts_by_channel", ["ahlen", "*"])["value"]
    assert by_key[("contacts_by_channel", "ahlen", "*")] == [str(ahlen), "1.0", "0"]
    everyone = new["tables"]["contacts_by_channel"]["total"] + 43
    assert by_key[("contacts_by_channel", "*", "*")] == [str(everyone), "1.0", "0"]

    html = app.request("GET", "/?period=2026Q3").text
    assert "Zellschlüsselverfahren" in html and "± 1" in html
    pdf = app.request("GET", "/report.pdf?period=2026Q3")
    assert pdf.status_code == 200
    (tmp_path / "r.pdf").write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())
    assert "Zellschlüsselverfahren" in words and "± 1" in words
    assert "• gesperrt (nur in Berichten aus der Zeit vor dem Zellschlüsselverfahren)" in words


class ToApp(httpx.BaseTransport):
    def __init__(self, store: DistrictStore) -> None:
        self.app = create_app(store, today=lambda: TODAY)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return call_app(self.app, request)


def test_the_desk_uses_the_parameters_the_district_sends_with_each_answer(
    store: DistrictStore, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from kim_desk.stats import ptable
    from kim_desk.store import open_store
    from kim_desk.sync import state
    from kim_desk.sync.client import make_client
    from kim_desk.sync.service import Backoff, enrol_desk, enrolment, run_sync

    conn = open_store(tmp_path / "desk.db", os.urandom(32), create=True)
    populate(conn, clients=80, contacts_per_client=2, quarters=[Quarter(2026, 2), Q3])
    _desk, code = store.add_desk("Caritas Ahlen", "ahlen", first_period="2026Q2")
    client = make_client("http://127.0.0.1:8765", transport=ToApp(store))
    assert enrol_desk(conn, client, "http://127.0.0.1:8765", code, TODAY).ptable == STANDARD.id

    # The district moves to another p-table (one this desk knows) while Q2 is being sent.
    newer = ptable.PTable("kim-ckm-test/2", STANDARD.max_deviation, STANDARD.variance, STANDARD.rows)
    monkeypatch.setitem(ptable.KNOWN, newer.id, newer)
    original = DistrictStore.store_report

    def store_then_switch(self: DistrictStore, payload: dict[str, Any]) -> str:
        monkeypatch.setattr(store, "protection", newer.params)
        return original(self, payload)

    monkeypatch.setattr(DistrictStore, "store_report", store_then_switch)
    no_sleep = Backoff(attempts=1, sleep=lambda _s: None)
    first = run_sync(conn, client, dt.date(2026, 7, 20), no_sleep)  # Q2 only
    assert first.sent == [f"{enrolment(conn).desk_id}:2026Q2"]  # type: ignore[union-attr]
    assert enrolment(conn).ptable == newer.id  # type: ignore[union-attr]
    second = run_sync(conn, client, TODAY, no_sleep)  # Q3, perturbed with the district's new table
    assert second.sent and not second.refused
    q3 = json.loads(state.outbox_entry(conn, "2026Q3").payload)  # type: ignore[union-attr]
    assert q3["protection"] == newer.params()
