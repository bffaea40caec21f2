"""What goes into a quarter's tables: periods, bands, states at the quarter's end, late records."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from kim_desk.errors import UsageError
from kim_desk.stats import tables
from kim_desk.stats.periods import Quarter, last_closed_quarter, parse_quarter
from kim_desk.stats.ptable import STANDARD
from kim_desk.stats.render import describe
from kim_desk.stats.report import Frozen, build_report, window_for
from kim_desk.stats.synthetic import plain_schema
from kim_desk.store import Store

Q3 = Quarter(2026, 3)


def plain(conn: sqlite3.Connection) -> Store:
    return Store(conn=conn, path=Path(":memory:"))


def test_quarters_parse_and_close() -> None:
    assert parse_quarter(" 2026q3 ") == Q3
    assert (Q3.start, Q3.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert last_closed_quarter(dt.date(2026, 10, 5), grace_days=10) == Quarter(2026, 2)
    assert last_closed_quarter(dt.date(2026, 10, 11), grace_days=10) == Q3
    for bad in ("2026Q5", "2026-07", "Q3 2026", ""):
        with pytest.raises(UsageError, match="Ungültiges Quartal"):
            parse_quarter(bad)


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, "unknown"),
        (0, "under_18"),
        (17, "under_18"),
        (18, "18_26"),
        (26, "18_26"),
        (27, "27_44"),
        (44, "27_44"),
        (45, "45_64"),
        (64, "45_64"),
        (65, "65_plus"),
    ],
)
def test_age_bands(age: int | None, band: str) -> None:
    assert tables.age_band(age) == band


@pytest.fixture
def conn() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.executescript(plain_schema())
    return db


def add_client(conn: sqlite3.Connection, n: int, birth: str | None, municipality: str = "ahlen") -> None:
    conn.execute(
        "INSERT INTO client (id, uid, family_name, birth_date, municipality, created_at, updated_at)"
        " VALUES (?, ?, 'X', ?, ?, 'x', 'x')",
        (n, f"u{n}", birth, municipality),
    )


def cell(payload: dict, table: str, key: list[str]) -> int | None:
    for found in payload["tables"][table]["cells"]:
        if found["key"] == key:
            return found["value"]
    raise KeyError(key)


def test_ages_are_counted_at_the_quarters_end(conn: sqlite3.Connection) -> None:
    # Turning 18 on the last day of the quarter counts as 18; the day after does not.
    for n in range(5):
        add_client(conn, n + 1, "2008-09-30")
        add_client(conn, n + 10, "2008-10-01")
        for client in (n + 1, n + 10):
            conn.execute("INSERT INTO contact (client_id, contact_on) VALUES (?, '2026-08-01')", (client,))
    counts = tables.counts_only(tables.count_tables(plain(conn), tables.Window(Q3)))
    assert counts["clients_by_age_band"] == {("ahlen", "18_26"): 5, ("ahlen", "under_18"): 5}


def test_case_state_is_the_state_at_the_quarters_end(conn: sqlite3.Connection) -> None:
    add_client(conn, 1, "1990-01-01")
    history = [
        ("2026-07-01", [("planned", "2026-07-01"), ("submitted", "2026-08-20"), ("decided", "2026-10-10")], "approved"),
        ("2026-05-01", [("planned", "2026-05-01"), ("submitted", "2026-05-10"), ("decided", "2026-09-01")], "rejected"),
        ("2026-02-01", [("planned", "2026-02-01"), ("closed", "2026-06-30")], None),  # closed before Q3
    ]
    for case_id, (opened, changes, outcome) in enumerate(history, start=1):
        closed = "2026-06-30" if changes[-1][0] == "closed" else None
        decided = next((on for status, on in changes if status == "decided"), None)
        conn.execute(
            'INSERT INTO "case" (id, client_id, type_code, status, outcome, opened_on, decided_on, closed_on,'
            " created_at, updated_at) VALUES (?, 1, 'wohngeld', ?, ?, ?, ?, ?, 'x', 'x')",
            (case_id, changes[-1][0], outcome, opened, decided, closed),
        )
        for status, on in changes:
            conn.execute(
                "INSERT INTO case_status_change (case_id, status, changed_on) VALUES (?, ?, ?)", (case_id, status, on)
            )
    counts = tables.counts_only(tables.count_tables(plain(conn), tables.Window(Q3)))
    assert counts["cases_by_type_state"] == {
        ("ahlen", "wohngeld", "submitted"): 1,
        ("ahlen", "wohngeld", "rejected"): 1,
    }
    # First submission 50 days after opening; the other was submitted in Q2.
    assert counts["submission_time_by_type"] == {("ahlen", "wohngeld", "1_to_3_months"): 1}


def test_late_records_of_a_frozen_quarter_count_in_the_next(conn: sqlite3.Connection) -> None:
    add_client(conn, 1, "1990-01-01")
    conn.execute("INSERT INTO contact (id, client_id, contact_on) VALUES (1, 1, '2026-06-20')")
    frozen = Frozen(Quarter(2026, 2), {"contact": 1, "barrier": 0, "case_status_change": 0})
    conn.execute("INSERT INTO contact (id, client_id, contact_on) VALUES (2, 1, '2026-06-25')")  # late
    conn.execute("INSERT INTO contact (id, client_id, contact_on) VALUES (3, 1, '2026-07-02')")
    conn.execute("INSERT INTO contact (id, client_id, contact_on) VALUES (4, 1, '2025-12-01')")  # before reporting
    window = window_for(Q3, Quarter(2026, 1), frozen)
    counts = tables.counts_only(tables.count_tables(plain(conn), window))
    assert sum(counts["contacts_by_channel"].values()) == 2
    in_quarter = tables.counts_only(tables.count_tables(plain(conn), tables.Window(Q3)))
    assert sum(in_quarter["contacts_by_channel"].values()) == 1


def test_payload_has_codes_and_perturbed_figures_only(conn: sqlite3.Connection) -> None:
    for n in range(1, 13):
        add_client(conn, n, "1985-03-03", "ahlen" if n <= 8 else "beckum")
        conn.execute(
            "INSERT INTO contact (client_id, contact_on, language, channel) VALUES (?, '2026-08-01', 'ar', 'phone')",
            (n,),
        )
    payload = build_report(
        plain(conn), desk_id="caritas-ahlen-1a2b", municipality="ahlen", quarter=Q3, app_version="0.1.0"
    )
    assert payload["report_id"] == "caritas-ahlen-1a2b:2026Q3"
    assert payload["schema"] == "kim-desk.report/3"
    assert payload["protection"] == {"method": "cell_key", "ptable": "kim-ckm-d5-v1/1", "D": 5, "V": 1.0}

    def keys(where: str) -> int:
        sql = "SELECT SUM(c.ckey) FROM contact c JOIN client cl ON cl.id = c.client_id WHERE " + where
        return int(conn.execute(sql).fetchone()[0])

    beckum = STANDARD.publish(4, keys("cl.municipality = 'beckum'"))
    ahlen = STANDARD.publish(8, keys("cl.municipality = 'ahlen'"))
    everyone = STANDARD.publish(12, keys("1"))
    # A cell's value follows from its count and its records' keys alone: the same records
    # (Beckum's phone contacts, all of Beckum's contacts, in either contact table) give the same value.
    for table, code in (("contacts_by_channel", "phone"), ("contacts_by_language_group", "ar")):
        assert cell(payload, table, ["beckum", code]) == cell(payload, table, ["beckum", "*"]) == beckum
        assert cell(payload, table, ["ahlen", code]) == cell(payload, table, ["ahlen", "*"]) == ahlen
        assert cell(payload, table, ["*", code]) == payload["tables"][table]["total"] == everyone
        assert cell(payload, table, ["ahlen", "other"]) == 0  # true zeros stay zero
    assert abs(beckum - 4) <= 5 and abs(ahlen - 8) <= 5 and abs(everyone - 12) <= 5
    text = describe(payload)
    assert f"Beratungskontakte nach Kontaktweg: {everyone}" in text
    assert f"Beckum · Telefon: {beckum}" in text or beckum == 0
    assert "gesperrt" not in text and "höchstens ±5" in text
    # Resending builds exactly the same payload.
    again = build_report(
        plain(conn), desk_id="caritas-ahlen-1a2b", municipality="ahlen", quarter=Q3, app_version="0.1.0"
    )
    assert again == payload


def test_the_same_cases_get_the_same_figure_in_every_quarter_they_are_counted(conn: sqlite3.Connection) -> None:
    add_client(conn, 1, "1990-01-01")
    for case_id in (1, 2, 3):  # open since Q1, still collecting documents: counted in Q2 and Q3 alike
        conn.execute(
            'INSERT INTO "case" (id, client_id, type_code, status, opened_on, created_at, updated_at)'
            " VALUES (?, 1, 'wohngeld', 'collecting', '2026-02-01', 'x', 'x')",
            (case_id,),
        )
    conn.execute("INSERT INTO contact (client_id, contact_on) VALUES (1, '2026-08-01')")
    q2, q3 = (
        build_report(plain(conn), desk_id="d-1", municipality="ahlen", quarter=quarter, app_version="0.1.0")
        for quarter in (Quarter(2026, 2), Q3)
    )
    keys = sum(row[0] for row in conn.execute('SELECT ckey FROM "case"'))
    expected = STANDARD.publish(3, keys)
    for payload in (q2, q3):
        assert cell(payload, "cases_by_type_state", ["ahlen", "wohngeld", "collecting"]) == expected
        assert payload["tables"]["cases_by_type_state"]["total"] == expected
