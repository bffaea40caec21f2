"""The case view: a counsellor enters the move-in date and sees the deadline counted from it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kim_desk.store.cases import get_case, open_case
from kim_desk.store.clients import Client, create_client


def test_move_in_date_entered_in_the_case_view_sets_the_registration_deadline(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    client_id = create_client(desk.store, Client(family_name="Nowak", given_names="Ola", municipality="ahlen")).id
    case_id = open_case(desk.store, desk.catalog, client_id, "wohnsitz_anmeldung").id
    window.open_case(case_id)
    view = window.applications_page.case_view
    qtbot.waitUntil(lambda: view.case_id == case_id)
    moved_in = view.anchor_edits["moved_in_on"][1]
    assert not view.anchor_edits["notice_received_on"][1].isVisibleTo(view)  # not a deadline of this type
    assert view.deadline_list.text() == "Keine offenen Fristen."
    moved_in.setText("31.02.2026")
    qtbot.mouseClick(view.buttons["saveDatesButton"], Qt.MouseButton.LeftButton)
    assert "31.02.2026" in view.message.text()
    assert get_case(desk.store, case_id).moved_in_on is None  # nothing stored from a bad date
    moved_in.setText("13.11.2026")
    qtbot.mouseClick(view.buttons["saveDatesButton"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Spätestens" in view.deadline_list.text())
    case = get_case(desk.store, case_id)
    assert (case.moved_in_on, case.deadline) == ("2026-11-13", "2026-11-27")
    shown = view.deadline_list.text().replace("\u2068", "").replace("\u2069", "")  # date isolates
    assert shown == "Spätestens am 27.11.2026: Wohnsitz beim Bürgerbüro anmelden (§ 17 Abs. 1 BMG)"
