"""Sending reports to the (real, in-process) district app through a faulty network."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.types import ASGIApp

from kim_desk.district.app import create_app
from kim_desk.district.store import DistrictStore
from kim_desk.stats.periods import Quarter
from kim_desk.stats.ptable import STANDARD
from kim_desk.stats.synthetic import populate
from kim_desk.store import Store, open_store
from kim_desk.sync import state
from kim_desk.sync.client import SyncError, check_url, make_client
from kim_desk.sync.service import Backoff, enrol_desk, preview, run_sync
from tests.asgi import call_app

TODAY = dt.date(2026, 10, 20)  # 2026Q3 is closed and past the grace period
QUARTERS = [Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3)]
URL = "http://127.0.0.1:8765"


class Network(httpx.BaseTransport):
    """Forwards to the district app; `faults` lists what goes wrong on the next requests."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.faults: list[str] = []
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        fault = self.faults.pop(0) if self.faults else "ok"
        if fault == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if fault == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if fault == "500":
            return httpx.Response(500, json={"status": "error"})
        answer = call_app(self.app, request)
        if fault == "drop":  # stored on the server, but the answer never arrives
            raise httpx.RemoteProtocolError("connection dropped", request=request)
        return answer


@pytest.fixture
def district(tmp_path: Path) -> Iterator[DistrictStore]:
    store = DistrictStore(tmp_path / "district.sqlite3")
    yield store
    store.close()


@pytest.fixture
def network(district: DistrictStore) -> Network:
    return Network(create_app(district, today=lambda: TODAY))


@pytest.fixture
def desk_db(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "desk.db", os.urandom(32), create=True)
    populate(store, clients=300, contacts_per_client=4, quarters=QUARTERS)
    yield store
    store.close()


def enrolled(store: Store, district: DistrictStore, network: Network) -> httpx.Client:
    _desk, code = district.add_desk("Caritas Ahlen", "ahlen", first_period="2026Q1")
    client = make_client(URL, transport=network)
    enrol_desk(store, client, URL, code, TODAY)
    return client


def counts(district: DistrictStore) -> tuple[int, int]:
    reports = district.conn.execute("SELECT COUNT(*) FROM report").fetchone()[0]
    figures = district.conn.execute("SELECT COUNT(*) FROM figure").fetchone()[0]
    return reports, figures


def no_sleep(delays: list[float]) -> Backoff:
    return Backoff(attempts=5, base=1.0, cap=60.0, sleep=delays.append, jitter=lambda: 0.5)


def test_sends_every_closed_quarter_once(desk_db, district, network) -> None:
    client = enrolled(desk_db, district, network)
    summary = run_sync(desk_db, client, TODAY, no_sleep([]))
    ids = [f"{d.id}:{q}" for d in district.desks() for q in QUARTERS]
    assert summary.sent == ids
    before = counts(district)
    assert before[0] == 3
    again = run_sync(desk_db, client, TODAY, no_sleep([]))
    assert again.sent == [] and again.queued == []
    assert counts(district) == before
    # The district holds exactly what the desk froze.
    frozen = json.loads(state.outbox_entry(desk_db, "2026Q2").payload)
    stored = district.conn.execute("SELECT payload FROM report WHERE period = '2026Q2'").fetchone()
    assert json.loads(stored[0]) == frozen
    assert [row[2] for row in state.journal_rows(desk_db)].count("sent") == 3


@pytest.mark.parametrize(
    "faults",
    [["down", "down", "down"], ["500", "500"], ["timeout", "timeout"], ["drop"], ["ok", "drop", "500", "timeout"]],
)
def test_each_report_arrives_exactly_once_despite_faults(desk_db, district, network, faults) -> None:
    client = enrolled(desk_db, district, network)
    network.faults = list(faults)
    delays: list[float] = []
    summary = run_sync(desk_db, client, TODAY, no_sleep(delays))
    assert summary.pending == [] and summary.refused == []
    assert len(summary.sent) + len(summary.already) == 3
    assert "drop" not in faults or summary.already  # the dropped one was stored already
    assert district.conn.execute("SELECT period, COUNT(*) FROM report GROUP BY period").fetchall() == [
        ("2026Q1", 1),
        ("2026Q2", 1),
        ("2026Q3", 1),
    ]
    assert [e.state for e in state.outbox(desk_db)] == ["sent"] * 3
    # Backoff doubles with jitter (random() = 0.5 gives three quarters of the ceiling).
    assert delays[:3] == [0.75, 1.5, 3.0][: len(delays)]


def test_service_down_for_longer_keeps_reports_queued(desk_db, district, network) -> None:
    client = enrolled(desk_db, district, network)
    network.faults = ["down"] * 5
    summary = run_sync(desk_db, client, TODAY, no_sleep([]))
    assert len(summary.pending) == 3 and "ConnectError" in summary.error
    assert counts(district) == (0, 0)
    assert [e.state for e in state.outbox(desk_db)] == ["queued"] * 3
    later = run_sync(desk_db, client, TODAY, no_sleep([]))
    assert len(later.sent) == 3 and counts(district)[0] == 3


def test_same_id_with_different_content_is_refused(desk_db, district, network) -> None:
    client = enrolled(desk_db, district, network)
    run_sync(desk_db, client, TODAY, no_sleep([]))
    before = counts(district)
    entry = state.outbox_entry(desk_db, "2026Q3")
    changed = json.loads(entry.payload)
    changed["app_version"] = "9.9.9"
    with desk_db.transaction() as conn:
        conn.execute(
            "UPDATE sync_outbox SET payload = ?, state = 'queued' WHERE period = '2026Q3'", (json.dumps(changed),)
        )
    summary = run_sync(desk_db, client, TODAY, no_sleep([]))
    assert summary.refused == [entry.report_id]
    assert state.outbox_entry(desk_db, "2026Q3").state == "refused"
    assert counts(district) == before


def test_late_record_counts_in_the_next_open_quarter(desk_db, district, network) -> None:
    client = enrolled(desk_db, district, network)
    run_sync(desk_db, client, dt.date(2026, 7, 20), no_sleep([]))  # sends Q1 and Q2
    q2 = state.outbox_entry(desk_db, "2026Q2").payload
    desk = district.desks()[0]
    before = preview(desk_db, Quarter(2026, 3), None)["tables"]["contacts_by_channel"]["total"]
    with desk_db.transaction() as conn:
        for _ in range(20):  # entered in July, dated in June (frozen quarter)
            conn.execute(
                "INSERT INTO contact (client_id, contact_on, channel, language) VALUES (1, '2026-06-15', 'phone', 'de')"
            )
    run_sync(desk_db, client, TODAY, no_sleep([]))
    assert state.outbox_entry(desk_db, "2026Q2").payload == q2
    q3 = json.loads(state.outbox_entry(desk_db, "2026Q3").payload)
    # Both totals are perturbed (at most D each way): only with the 20 late contacts is it this close.
    assert abs(q3["tables"]["contacts_by_channel"]["total"] - (before + 20)) <= 2 * STANDARD.max_deviation
    assert desk.id in q3["report_id"]


def test_plain_http_only_to_loopback(tmp_path: Path) -> None:
    assert check_url("https://kim.kreis-warendorf.de/") == "https://kim.kreis-warendorf.de"
    assert check_url("http://127.0.0.1:8765") == "http://127.0.0.1:8765"
    assert check_url("http://[::1]:8765") == "http://[::1]:8765"
    with pytest.raises(SyncError, match="nur zum eigenen Rechner"):
        check_url("http://kim.kreis-warendorf.de")
    with pytest.raises(SyncError, match="keine gültige"):
        check_url("ftp://kim.kreis-warendorf.de")
    with pytest.raises(SyncError, match="nicht gefunden"):
        make_client("https://kim.kreis-warendorf.de", ca_bundle=str(tmp_path / "missing.pem"))


def test_unknown_code_is_refused_and_nothing_is_stored(desk_db, district, network) -> None:
    client = make_client(URL, transport=network)
    with pytest.raises(SyncError, match="Anmeldecode"):
        enrol_desk(desk_db, client, URL, "AAAAAA-BBBBBB-CCCCCC-DDDDDD", TODAY)
    assert state.get_state(desk_db, "enrolment") is None
