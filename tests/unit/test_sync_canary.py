"""Canary names, birth dates and file numbers planted in a desk never leave it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kim_desk.district.app import create_app
from kim_desk.district.store import DistrictStore
from kim_desk.logs import JsonFormatter
from kim_desk.stats.periods import last_closed_quarter
from kim_desk.stats.render import describe
from kim_desk.sync import state
from kim_desk.sync.client import make_client
from kim_desk.sync.service import Backoff, enrol_desk, preview, run_sync
from tests.asgi import InProcessTransport

CANARIES = [
    "Zzyzxcanary",
    "Qwertcanary",
    "قناري",
    "Канарейка",
    "1913-07-29",
    "AZ-4711-CANARY",
    "Canary-Notiz",
    "+49 2382 999 4711",
    "canary@example.org",
]
URL = "http://127.0.0.1:8765"


def plant(conn) -> None:
    """Enough canary clients that their figures are published, not suppressed."""
    for n in range(12):
        client_id = conn.execute(
            "INSERT INTO client (uid, family_name, given_names, family_name_orig, given_names_orig,"
            " birth_date, municipality, phone, email, notes, created_at, updated_at)"
            " VALUES (?, 'Zzyzxcanary', 'Qwertcanary', 'قناري', 'Канарейка', '1913-07-29', 'telgte',"
            " '+49 2382 999 4711', 'canary@example.org', 'Canary-Notiz', '2026-01-05', '2026-01-05')",
            (f"canary{n}",),
        ).lastrowid
        case_id = conn.execute(
            'INSERT INTO "case" (client_id, type_code, status, opened_on, authority_ref, notes,'
            " next_steps, created_at, updated_at) VALUES (?, 'wohngeld', 'planned', '2026-07-03',"
            " 'AZ-4711-CANARY', 'Canary-Notiz', 'Canary-Notiz', 'x', 'x')",
            (client_id,),
        ).lastrowid
        conn.execute(
            "INSERT INTO case_status_change (case_id, status, changed_on) VALUES (?, 'planned', '2026-07-03')",
            (case_id,),
        )
        conn.execute(
            "INSERT INTO barrier (case_id, code, noted_on, notes) VALUES (?, 'language', '2026-08-01', 'Canary-Notiz')",
            (case_id,),
        )
        conn.execute(
            "INSERT INTO contact (client_id, case_id, contact_on, channel, language, notes)"
            " VALUES (?, ?, '2026-08-02', 'phone', 'ar', 'Canary-Notiz')",
            (client_id, case_id),
        )


def test_no_canary_in_payloads_district_store_or_logs(desk, tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    conn = desk.store.conn
    with desk.store.transaction():
        plant(conn)
    district = DistrictStore(tmp_path / "district" / "district.sqlite3")
    _desk, code = district.add_desk("Diakonie Telgte", "telgte", first_period="2026Q1")
    today = desk.store.today()
    client = make_client(URL, transport=InProcessTransport(create_app(district, today=lambda: today)))
    enrolled = enrol_desk(desk.store, client, URL, code, today)
    summary = run_sync(desk.store, client, today, Backoff(sleep=lambda _s: None))
    assert summary.sent and not summary.pending
    payloads = b"".join(entry.payload for entry in state.outbox(desk.store))
    # The canaries were counted: Telgte has the twelve planted contacts in 2026Q3.
    q3 = preview(desk.store, last_closed_quarter(today), enrolled)
    telgte = [c for c in q3["tables"]["contacts_by_channel"]["cells"] if c["key"] == ["telgte", "*"]]
    assert telgte and (telgte[0]["value"] is None or telgte[0]["value"] >= 12)
    district.close()
    stored = b"".join(p.read_bytes() for p in (tmp_path / "district").iterdir())
    formatter = JsonFormatter()
    logged = "\n".join(formatter.format(record) for record in caplog.records)
    words = describe(q3)
    for canary in CANARIES:
        raw = canary.encode("utf-8")
        assert raw not in payloads, canary
        assert raw not in stored, canary
        assert canary not in logged, canary
        assert canary not in words, canary
    assert "intake.result" in logged and "sync.result" in logged


@pytest.mark.parametrize("field", ["type_code", "code"])
def test_free_text_in_a_code_column_is_sent_as_other(desk, field: str) -> None:
    conn = desk.store.conn
    with desk.store.transaction():
        plant(conn)
        table = '"case"' if field == "type_code" else "barrier"
        conn.execute(f"UPDATE {table} SET {field} = 'Frau Zzyzxcanary 1913-07-29'")
    payload = preview(desk.store, last_closed_quarter(desk.store.today()), None)
    text = str(payload)
    assert "Zzyzxcanary" not in text and "1913" not in text
    assert "'other'" in text
