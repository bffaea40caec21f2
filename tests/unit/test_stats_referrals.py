"""Referrals, unmet needs and interpreter requests in the quarterly report (schema report/3)."""

from __future__ import annotations

import copy
import sqlite3
from typing import Any

import pytest

from kim_desk.stats import tables
from kim_desk.stats.payload import SCHEMA_TABLES, TABLES, PayloadError, validate_payload
from kim_desk.stats.periods import Quarter
from kim_desk.stats.ptable import STANDARD
from kim_desk.stats.render import describe
from kim_desk.stats.report import Frozen, build_report, window_for
from kim_desk.stats.synthetic import plain_schema
from kim_desk.store import Store
from kim_desk.views import crosstab

Q3 = Quarter(2026, 3)
NEW = ("referrals_by_service_outcome", "unmet_needs_by_category", "mediator_requests_by_language_result")


@pytest.fixture
def conn() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.executescript(plain_schema())
    for n, municipality in ((1, "ahlen"), (2, "ahlen"), (3, "beckum")):
        db.execute(
            "INSERT INTO client (id, uid, family_name, municipality, created_at, updated_at)"
            " VALUES (?, ?, 'X', ?, 'x', 'x')",
            (n, f"u{n}", municipality),
        )
    return db


def plain(conn: sqlite3.Connection) -> Store:
    from pathlib import Path

    return Store(conn=conn, path=Path(":memory:"))


def refer(conn: sqlite3.Connection, client: int, service: str, on: str, outcome: str = "open") -> int:
    return int(
        conn.execute(
            "INSERT INTO referral (client_id, service_code, referred_on, outcome) VALUES (?, ?, ?, ?)",
            (client, service, on, outcome),
        ).lastrowid
    )


def need(conn: sqlite3.Connection, client: int, category: str, on: str) -> None:
    conn.execute("INSERT INTO unmet_need (client_id, category, noted_on, notes) VALUES (?, ?, ?, 'geheim')",
                 (client, category, on))  # fmt: skip


def interpreter(conn: sqlite3.Connection, client: int, language: str, result: str, on: str) -> None:
    appointment = conn.execute(
        "INSERT INTO appointment (client_id, starts_at, created_at, updated_at) VALUES (?, ?, 'x', 'x')",
        (client, f"{on}T10:00"),
    ).lastrowid
    conn.execute(
        "INSERT INTO mediator_request (appointment_id, language, result, requested_on) VALUES (?, ?, ?, ?)",
        (appointment, language, result, on),
    )


def cell(payload: dict[str, Any], table: str, key: list[str]) -> int:
    if all(part == "*" for part in key):
        return int(payload["tables"][table]["total"])
    return int(next(c["value"] for c in payload["tables"][table]["cells"] if c["key"] == key))


def test_referrals_needs_and_requests_are_counted_per_municipality_in_their_quarter(conn: sqlite3.Connection) -> None:
    refer(conn, 1, "fit", "2026-07-02", "no_place")
    refer(conn, 2, "fit", "2026-08-02", "no_place")
    refer(conn, 3, "fit", "2026-09-30", "taken_up")
    refer(conn, 1, "mbe", "2026-06-30", "waiting_list")  # Q2: not in Q3
    refer(conn, 1, "sprachhelfer", "2026-07-10")  # no answer yet: open
    conn.execute("INSERT INTO referral (client_id, service_code, referred_on) VALUES (2, 'Kaputt Code', '2026-07-01')")
    need(conn, 1, "childcare_place", "2026-07-05")
    need(conn, 3, "childcare_place", "2026-07-06")
    need(conn, 3, "no_such_need", "2026-07-06")
    interpreter(conn, 1, "ar", "none_available", "2026-08-01")
    interpreter(conn, 2, "fa", "came", "2026-08-02")
    interpreter(conn, 3, "ps", "none_available", "2026-08-03")
    interpreter(conn, 3, "ps", "came", "2026-10-03")  # Q4
    counted = tables.counts_only(tables.count_tables(plain(conn), tables.Window(Q3)))
    assert counted["referrals_by_service_outcome"] == {
        ("ahlen", "fit", "no_place"): 2,
        ("beckum", "fit", "taken_up"): 1,
        ("ahlen", "sprachhelfer", "open"): 1,
        ("ahlen", "other", "open"): 1,
    }
    assert counted["unmet_needs_by_category"] == {("ahlen", "childcare_place"): 1, ("beckum", "childcare_place"): 1,
                                                   ("beckum", "other"): 1}  # fmt: skip
    assert counted["mediator_requests_by_language_result"] == {
        ("ahlen", "ar", "none_available"): 1,
        ("ahlen", "fa_ps", "came"): 1,
        ("beckum", "fa_ps", "none_available"): 1,
    }


def test_the_report_carries_the_new_tables_as_full_cubes_and_never_a_note(conn: sqlite3.Connection) -> None:
    for n in range(12):
        refer(conn, 1 + n % 3, "fit", f"2026-07-{n + 1:02d}", "no_place" if n % 2 else "taken_up")
        need(conn, 1 + n % 3, "housing", "2026-08-01")
        interpreter(conn, 1 + n % 3, "uk", "none_available", "2026-08-02")
    payload = build_report(plain(conn), desk_id="d-1", municipality="ahlen", quarter=Q3, app_version="0.1.0")
    assert payload["schema"] == "kim-desk.report/3"
    assert set(payload["tables"]) == set(TABLES) and set(NEW) <= set(payload["tables"])
    assert payload["tables"]["referrals_by_service_outcome"]["dims"] == ["municipality", "service", "referral_outcome"]
    # Every margin is there and published, like every other table (the district checks the cube).
    for key in (["ahlen", "fit", "*"], ["ahlen", "*", "no_place"], ["*", "fit", "no_place"], ["beckum", "*", "*"]):
        assert cell(payload, "referrals_by_service_outcome", key) >= 0
    assert abs(cell(payload, "referrals_by_service_outcome", ["*", "*", "*"]) - 12) <= STANDARD.max_deviation
    assert abs(cell(payload, "unmet_needs_by_category", ["*", "*"]) - 12) <= STANDARD.max_deviation
    assert "geheim" not in str(payload)
    text = describe(payload)
    assert "Vermittlungen nach Angebot und Ergebnis" in text
    assert "FIT – frühkindliche Integration" in text  # the offer's title, not its code
    assert "Kein Platz frei" in text and "Wohnung" in text and "Niemand verfügbar" in text


def test_a_report_frozen_before_the_update_does_not_push_old_referrals_into_the_next(conn: sqlite3.Connection) -> None:
    refer(conn, 1, "fit", "2026-05-02", "no_place")  # Q2, entered after Q2 was frozen without referral tables
    frozen = Frozen(Quarter(2026, 2), {"contact": 0, "barrier": 0, "case_status_change": 0})
    window = window_for(Q3, Quarter(2026, 2), frozen)
    counted = tables.counts_only(tables.count_tables(plain(conn), window))
    assert counted["referrals_by_service_outcome"] == {}
    # Frozen with the new watermarks: a late referral counts in the next report, as late contacts do.
    frozen = Frozen(Quarter(2026, 2), {**frozen.watermarks, "referral": 0, "unmet_need": 0, "mediator_request": 0})
    counted = tables.counts_only(tables.count_tables(plain(conn), window_for(Q3, Quarter(2026, 2), frozen)))
    assert counted["referrals_by_service_outcome"] == {("ahlen", "fit", "no_place"): 1}


@pytest.fixture
def report3(conn: sqlite3.Connection) -> dict[str, Any]:
    for n in range(20):
        refer(conn, 1 + n % 3, ("fit", "mbe", "jmd")[n % 3], "2026-07-15", ("no_place", "waiting_list")[n % 2])
    return build_report(plain(conn), desk_id="d-1", municipality="ahlen", quarter=Q3, app_version="0.1.0")


def as_report2(payload: dict[str, Any]) -> dict[str, Any]:
    old = copy.deepcopy(payload)
    old["schema"] = "kim-desk.report/2"
    for name in NEW:
        del old["tables"][name]
    return old


def test_report2_is_still_valid_without_the_new_tables_and_report3_needs_them(report3: dict[str, Any]) -> None:
    protection = STANDARD.params()
    validate_payload(report3, protection=protection)
    validate_payload(as_report2(report3), protection=protection)
    assert SCHEMA_TABLES["kim-desk.report/2"] == set(TABLES) - set(NEW)
    missing = copy.deepcopy(report3)
    del missing["tables"]["unmet_needs_by_category"]
    two_with_new = {**as_report2(report3), "tables": report3["tables"]}
    one = {**as_report2(report3), "schema": "kim-desk.report/1"}
    for bad in (missing, two_with_new, one, {**report3, "schema": "kim-desk.report/4"}):
        with pytest.raises(PayloadError):
            validate_payload(bad, protection=protection)


def _mutate(payload: dict[str, Any], table: str, position: int, value: str) -> dict[str, Any]:
    bad = copy.deepcopy(payload)
    target = next(c for c in bad["tables"][table]["cells"] if c["key"][position] != "*" and c["value"])
    target["key"][position] = value
    return bad


@pytest.mark.parametrize(
    ("position", "value"),
    [(1, "Fit"), (1, "fit*"), (1, "f"), (1, "x" * 60), (1, "fit/../x"), (2, "maybe"), (2, "*x")],
)
def test_the_district_checks_service_codes_by_the_catalogue_rule_and_outcomes_by_the_list(
    report3: dict[str, Any], position: int, value: str
) -> None:
    with pytest.raises(PayloadError):
        validate_payload(_mutate(report3, "referrals_by_service_outcome", position, value), STANDARD.params())


def test_an_offer_the_district_does_not_know_is_taken_in(report3: dict[str, Any]) -> None:
    """A desk on a newer catalogue (content pack) refers to an offer the district's list lacks: still valid."""
    renamed = copy.deepcopy(report3)
    for item in renamed["tables"]["referrals_by_service_outcome"]["cells"]:
        if item["key"][1] == "jmd":
            item["key"][1] = "neues_angebot_2027"
    validate_payload(renamed, STANDARD.params())


def test_the_preview_of_a_report_frozen_as_report2_still_reads(report3: dict[str, Any]) -> None:
    from kim_desk.gui.pages.statistics import figures

    old = as_report2(report3)
    assert "Vermittlungen" not in describe(old) and "Anträge" in describe(old)
    assert crosstab.crosstab(old, "referrals_by_service_outcome").rows == []
    assert crosstab.filter_codes(old, "referrals_by_service_outcome") == []
    assert {row.table for row in figures(old)} == {TABLES[n].title for n in SCHEMA_TABLES["kim-desk.report/2"]}
    shown = crosstab.crosstab(report3, "referrals_by_service_outcome", "ahlen")
    assert "fit" in shown.rows and "no_place" in shown.cols
