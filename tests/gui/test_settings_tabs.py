"""What was command-line only, in Settings: enrolment with the district, restoring a backup, retention."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from kim_desk import settings
from kim_desk.store import cases
from kim_desk.store.clients import Client, count_clients, create_client
from kim_desk.sync.client import make_client
from kim_desk.sync.service import enrolment
from tests.gui.test_sync_backup_gui import URL, district, network  # noqa: F401 - fixtures
from tests.gui.test_whole_day import answer_next_question


def test_enrol_with_the_district_from_settings(window, desk, district, network, options, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    options.sync_connect = lambda target: make_client(target.url, transport=network)
    _desk, code = district.add_desk("Caritas Ahlen", "ahlen", first_period="2026Q3")
    window.show_page("settings")
    section = window.settings_page.district
    assert "Noch nicht beim Kreis angemeldet" in section.state.text()
    section.url.setText(URL)
    qtbot.mouseClick(section.test_button, Qt.MouseButton.LeftButton)
    assert section.message.text() == "Der Dienst des Kreises antwortet."
    section.code.setText("FALSCH-123")
    qtbot.mouseClick(section.enrol_button, Qt.MouseButton.LeftButton)
    assert section.message.property("role") == "error" and enrolment(desk.store) is None
    section.code.setText(code)
    qtbot.mouseClick(section.enrol_button, Qt.MouseButton.LeftButton)
    enrolled = enrolment(desk.store)
    assert enrolled is not None and enrolled.municipality == "ahlen"
    assert enrolled.desk_id in section.state.text()
    assert settings.get(desk.store, "district_url") == URL
    assert not window.settings_page.unsaved()  # the address was stored with the enrolment
    network.down = 1
    qtbot.mouseClick(section.test_button, Qt.MouseButton.LeftButton)
    assert "nicht erreichbar" in section.message.text()


def test_restore_a_backup_from_settings(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.show_page("settings")
    page = window.settings_page
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    before = count_clients(desk.store)
    create_client(desk.store, Client(family_name="Nachher", municipality="ahlen"))
    page.list_backups()
    page.backup_table.selectRow(0)
    questions: list[str] = []
    answer_next_question("confirmYes", questions)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert questions and "ersetzen" in questions[0]
    assert not window.runner.locked and window.content is not None  # open again
    counted: list[int] = []
    window.runner.db(count_clients, counted.append)
    assert counted == [before]  # the client entered after the backup is gone
    assert "wiederhergestellt" in window.statusBar().currentMessage()


def test_retention_due_list_and_anonymise(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    old = create_client(desk.store, Client(family_name="Altfall", municipality="ahlen")).id
    case_id = cases.open_case(desk.store, desk.catalog, old, "kindergeld").id
    cases.change_status(desk.store, desk.catalog, case_id, "closed", on=dt.date(2024, 1, 10))
    window.show_page("settings")
    page = window.settings_page
    page.retention_years.setValue(1)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert settings.get(desk.store, "retention_years") == 1
    section = page.retention
    due = section.model.rowCount()
    assert due > 0 and f"{due} Person" in section.message.text()
    assert "Altfall" in [section.model.index(row, 0).data() for row in range(due)]
    section.table.selectRow([section.model.index(row, 0).data() for row in range(due)].index("Altfall"))
    client_id = section.chosen()[0]
    assert client_id == old
    section.apply("anonymise", confirmed=True)
    assert section.model.rowCount() == due - 1
    row = desk.store.one("SELECT family_name FROM client WHERE id = ?", (client_id,))
    assert row is None or row["family_name"] != "Altfall"


def test_settings_say_where_the_content_comes_from(window, desk, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    import shutil

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kim_desk.content.install import install_pack
    from kim_desk.content.pack import build_pack
    from kim_desk.resources import resource_dir, use_installed_content

    window.show_page("settings")
    section = window.settings_page.district
    qtbot.waitUntil(lambda: "mit dem Programm ausgeliefert" in section.content_state.text())
    assert "Stand der Antragsarten: 2026-12-01" in section.content_state.text()
    key = Ed25519PrivateKey.generate()
    source = tmp_path / "pack"
    for part in ("applications", "documents"):
        shutil.copytree(resource_dir("forms") / part, source / "forms" / part)
    now = dt.datetime.now(dt.UTC)
    blob = build_pack(source, 1, key, published=now, expires=now + dt.timedelta(days=30), notes=("Neu: Elterncafé",))
    try:
        install_pack(desk.paths, blob, key.public_key().public_bytes_raw(), now)
        section.refresh()
        qtbot.waitUntil(lambda: "Paket des Kreises, Version 1" in section.content_state.text())
        assert "Geändert: Neu: Elterncafé" in section.content_state.text()
    finally:
        use_installed_content(None)
