"""Long names neither widen the window nor get stored beyond the limit; the full text stays in the tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kim_desk.store.clients import Client, create_client, get_client


def test_a_300_character_name_is_cut_at_100_with_a_message(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = window.clients_page
    window.show_page("clients")
    page.new_client()
    panel = page.panel
    qtbot.keyClicks(panel.edits["family_name"], "A" * 120)
    assert len(panel.edits["family_name"].text()) == 100
    assert "höchstens 100 Zeichen" in panel.message.text()
    qtbot.mouseClick(panel.buttons["saveButton"], Qt.MouseButton.LeftButton)
    assert len(get_client(desk.store, panel.client.id).family_name) == 100


def test_a_long_stored_name_does_not_widen_the_window(window, desk) -> None:  # type: ignore[no-untyped-def]
    width = window.width()
    long_name = "Abdelrahman-" * 25  # 300 characters, as entered elsewhere (import, command line)
    client_id = create_client(desk.store, Client(family_name=long_name, municipality="ahlen")).id
    window.open_client(client_id)
    panel = window.clients_page.panel
    assert len(panel.heading.text()) <= 60 and panel.heading.text().endswith("…")
    assert panel.heading.toolTip().startswith(long_name)
    assert "gekürzt" in panel.message.text()  # said before a save would shorten it
    assert window.minimumSizeHint().width() < 1400 and window.width() == width
    panel.ask_erase()
    assert panel.erase_dialog.dialog.sizeHint().width() < 1400


def test_namesakes_are_told_apart_in_the_appointment_search(window, desk) -> None:  # type: ignore[no-untyped-def]
    for born, place in (("1990-03-14", "ahlen"), ("1972-11-02", "telgte")):
        create_client(desk.store, Client(family_name="Zaqout", given_names="Amal", birth_date=born, municipality=place))
    window.show_page("calendar")
    window.calendar_page.new_appointment()
    dialog = window.calendar_page.dialog
    dialog.client_search.setText("Zaqout Amal")
    dialog._search()
    hits = sorted(dialog.client_hits.item(row).text() for row in range(dialog.client_hits.count()))
    assert hits == ["Zaqout, Amal · \u206802.11.1972\u2069 · Telgte", "Zaqout, Amal · \u206814.03.1990\u2069 · Ahlen"]
    dialog.dialog.reject()


def test_household_names_over_100_characters_are_refused_with_a_message(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTableWidgetItem

    client_id = desk.store.one("SELECT id FROM client LIMIT 1")["id"]
    window.open_client(client_id)
    panel = window.clients_page.panel
    before = len(get_client(desk.store, client_id).household)
    qtbot.mouseClick(panel.buttons["addMemberButton"], Qt.MouseButton.LeftButton)
    panel.household.setItem(panel.household.rowCount() - 1, 0, QTableWidgetItem("B" * 101))
    qtbot.mouseClick(panel.buttons["saveButton"], Qt.MouseButton.LeftButton)
    assert "höchstens 100 Zeichen" in panel.message.text()
    assert len(get_client(desk.store, client_id).household) == before
    panel.discard_changes()
