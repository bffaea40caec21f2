"""Sending to the district and backups from the app: journal rows, status bar, folders on disk."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt

from kim_desk import settings
from kim_desk.backup.core import list_backups
from kim_desk.district.app import create_app
from kim_desk.district.store import DistrictStore
from kim_desk.gui.main_window import MainWindow
from kim_desk.sync import state
from kim_desk.sync.client import make_client
from kim_desk.sync.service import enrol_desk
from tests.asgi import call_app
from tests.conftest import TODAY

URL = "http://127.0.0.1:8765"


class Network(httpx.BaseTransport):
    """The real district app, in-process; `down` drops the next requests like a dead line,
    `down_for` the next ones to a path (the service answers, the report upload fails)."""

    def __init__(self, district: DistrictStore) -> None:
        self.app = create_app(district, today=TODAY.date)
        self.down = 0
        self.down_for: dict[str, int] = {}
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.paths.append(path)
        if self.down or self.down_for.get(path):
            if self.down:
                self.down -= 1
            else:
                self.down_for[path] -= 1
            raise httpx.ConnectError("connection refused", request=request)
        return call_app(self.app, request)


@pytest.fixture
def district(tmp_path: Path) -> Iterator[DistrictStore]:
    store = DistrictStore(tmp_path / "district.sqlite3")
    yield store
    store.close()


@pytest.fixture
def network(district: DistrictStore) -> Network:
    return Network(district)


def enrol(desk, district: DistrictStore, network: Network, options, address: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Enrol the demo desk for 2026Q3 and let the app reach the district through `network`."""
    if address:
        settings.put(desk.store, "district_url", URL)
    _desk, code = district.add_desk("Caritas Ahlen", "ahlen", first_period="2026Q3")
    with make_client(URL, transport=network) as client:
        enrol_desk(desk.store, client, URL, code, TODAY.date())
    network.paths.clear()
    options.sync_connect = lambda enrolled: make_client(enrolled.url, transport=network)
    options.sync_attempts = 1


def received(district: DistrictStore) -> list[dict]:  # type: ignore[type-arg]
    rows = district.conn.execute("SELECT payload FROM report ORDER BY period").fetchall()
    return [json.loads(row[0]) for row in rows]


def texts(model, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.index(row, column).data(Qt.ItemDataRole.DisplayRole) for row in range(model.rowCount())]


@pytest.fixture
def make_window(qtbot, desk, options):  # type: ignore[no-untyped-def]
    made: list[MainWindow] = []

    def build() -> MainWindow:
        win = MainWindow(desk, options)
        qtbot.addWidget(win)
        win.show()
        made.append(win)
        return win

    yield build
    for win in made:
        win.sync_timer.stop()
        win.backup_timer.stop()
        win.idle.stop()
        win.idle.detach()
        win.runner.shutdown()


def test_send_now_stores_a_journal_row_and_shows_it(qtbot, window, desk, district, network, options) -> None:  # type: ignore[no-untyped-def]
    enrol(desk, district, network, options)
    window.show_page("statistics")
    page = window.statistics_page
    assert "Angemeldet beim Kreis" in page.enrolment_label.text()
    assert page.send_button.isEnabled()

    qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)

    assert page.message.text().startswith("Gesendet: 1;")
    assert [row[2] for row in state.journal_rows(desk.store)] == ["sent", "queued"]
    assert texts(page.journal, 2) == ["gesendet", "gebildet und eingereiht"]
    assert texts(page.journal, 1) == [row[1] for row in state.journal_rows(desk.store)]
    assert texts(page.outbox, 0) == ["2026Q3"] and texts(page.outbox, 1) == ["gesendet"]
    assert page.quarter_state.text() == "gesendet"
    # What the district stored is exactly the raw payload the page shows.
    assert received(district) == [json.loads(page.payload_text.toPlainText())]
    assert window.sync_label.text() == "Senden an den Kreis: alles gesendet"
    assert window.last_error == ""


def test_unreachable_service_is_reported_calmly_and_nothing_is_lost(
    qtbot, window, desk, district, network, options
) -> None:  # type: ignore[no-untyped-def]
    enrol(desk, district, network, options)
    window.show_page("statistics")
    page = window.statistics_page
    network.down = 1  # the probe fails: nothing is frozen, nothing sent
    qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
    assert "nicht erreichbar" in page.message.text()
    assert page.send_button.isEnabled()
    assert window.last_error == "" and not window.dialogs  # words on the page, no dialog

    network.down_for["/api/v1/reports"] = 1  # the service answers the probe, then drops the report
    network.paths.clear()
    qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
    assert network.paths == ["/healthz", "/api/v1/reports"]
    assert "wartend: 1" in page.message.text()
    assert [entry.state for entry in state.outbox(desk.store)] == ["queued"]
    assert texts(page.outbox, 1) == ["wartet auf das Senden"]
    assert window.sync_label.text() == "Senden an den Kreis: 1 Bericht wartet, Dienst nicht erreichbar"
    assert received(district) == []

    qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
    assert len(received(district)) == 1
    assert window.sync_label.text() == "Senden an den Kreis: alles gesendet"


def test_background_sending_at_start_and_again_on_the_timer(
    qtbot, make_window, desk, district, network, options
) -> None:  # type: ignore[no-untyped-def]
    enrol(desk, district, network, options)
    options.sync_interval_ms = 50
    network.down = 1  # the try at start finds the line dead

    window = make_window()
    window.idle.stop()  # the test's short idle lock must not end the wait

    assert network.paths == ["/healthz"]
    assert window.sync_label.text() == "Senden an den Kreis: nicht erreichbar, neuer Versuch in 1 Min."
    assert window.last_error == ""
    qtbot.waitUntil(lambda: len(received(district)) == 1, timeout=5000)
    qtbot.waitUntil(lambda: window.sync_label.text() == "Senden an den Kreis: alles gesendet", timeout=2000)
    window.lock()
    assert not window.sync_timer.isActive() and not window.backup_timer.isActive()


def test_no_background_sending_without_a_district_address(make_window, desk, district, network, options) -> None:  # type: ignore[no-untyped-def]
    enrol(desk, district, network, options, address=False)
    assert settings.get(desk.store, "district_url") == ""
    window = make_window()
    window.send_due_reports()
    assert network.paths == []  # nothing went out
    assert window.sync_label.text() == "Senden an den Kreis: noch nichts gesendet; automatisch: aus"


def test_backup_after_unlock_shows_its_date_in_the_status_bar(make_window, desk) -> None:  # type: ignore[no-untyped-def]
    assert list_backups(desk.paths) == []
    window = make_window()
    backups = list_backups(desk.paths)
    assert len(backups) == 1 and (backups[0].path / "desk.db").is_file()
    assert window.backup_label.text() == "Letzte Sicherung: 23.11.26, 09:30"
    window.backup_if_due()  # the timer's next check: a day has not passed, nothing new
    assert len(list_backups(desk.paths)) == 1


def test_jetzt_sichern_creates_a_backup_folder_and_pruefen_checks_it(qtbot, window, desk) -> None:  # type: ignore[no-untyped-def]
    window.show_page("settings")
    page = window.settings_page
    before = {path.name for path in desk.paths.backups.iterdir()}

    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)

    new = {path.name for path in desk.paths.backups.iterdir()} - before
    assert len(new) == 1
    folder = desk.paths.backups / new.pop()
    assert {p.name for p in folder.iterdir()} >= {"desk.db", "vault.json", "manifest.json"}
    assert page.backup_message.text() == f"Sicherung angelegt: {folder.name}"
    assert texts(page.backups, 2)[0] == folder.name
    assert page.restore_button.isEnabled()  # restoring is in the app now (tests/gui/test_settings_tabs.py)

    with (folder / "desk.db").open("r+b") as damaged:  # a bad sector in the middle of the copy
        damaged.seek(8192)
        damaged.write(b"\x00" * 4096)
    page.backup_table.selectRow(0)
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert texts(page.backups, 3)[0].startswith("fehlerhaft")
    assert page.backup_message.text().startswith(f"Sicherung {folder.name}: fehlerhaft")


class HeldNetwork(Network):
    """The district answers the probe, then holds the report upload until the test releases it."""

    def __init__(self, district: DistrictStore) -> None:
        super().__init__(district)
        self.entered = threading.Event()
        self.release = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/reports":
            self.entered.set()
            if not self.release.wait(60):  # longer than any wait of the test: the test fails first
                raise httpx.ReadTimeout("the test never released the district", request=request)
        return super().handle_request(request)


def test_pages_answer_while_the_real_runner_waits_on_the_district(qtbot, make_window, desk, district, options) -> None:  # type: ignore[no-untyped-def]
    held = HeldNetwork(district)
    enrol(desk, district, held, options, address=False)  # no timer run: only the button sends
    options.synchronous = False  # the real DB worker thread and pool
    options.minute_ms = 600_000  # no idle lock while the test waits
    window = make_window()
    try:
        window.show_page("statistics")
        page = window.statistics_page
        qtbot.waitUntil(page.send_button.isEnabled, timeout=10_000)
        qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(held.entered.is_set, timeout=10_000)

        window.show_page("today")
        today = window.today_page
        today.heading.setText("")
        today.refresh()  # a page query on the DB worker while the report is on the wire
        qtbot.waitUntil(lambda: today.heading.text().startswith("Heute"), timeout=10_000)
        assert today.appointments.rowCount() > 0
        assert not held.release.is_set() and received(district) == []
        assert page.message.text() == "Die Berichte werden gesendet …"

        held.release.set()
        qtbot.waitUntil(lambda: page.message.text().startswith("Gesendet: 1;"), timeout=10_000)
        assert len(received(district)) == 1
        qtbot.waitUntil(lambda: [e.state for e in state.outbox(desk.store)] == ["sent"], timeout=10_000)
    finally:
        held.release.set()


def test_locking_while_the_district_holds_a_report_loses_nothing(
    qtbot, make_window, desk, district, options, caplog
) -> None:  # type: ignore[no-untyped-def]
    held = HeldNetwork(district)
    enrol(desk, district, held, options, address=False)
    options.synchronous = False
    options.minute_ms = 600_000
    window = make_window()
    try:
        window.show_page("statistics")
        page = window.statistics_page
        qtbot.waitUntil(page.send_button.isEnabled, timeout=10_000)
        qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(held.entered.is_set, timeout=10_000)
        window.lock()  # the page goes; the answer comes back to a locked desk
        held.release.set()
        qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=10_000)
    finally:
        held.release.set()
    assert len(received(district)) == 1
    assert "background_callback_failed" not in caplog.text
    assert window.last_error == "" and not window.dialogs
