"""A whole counselling day, driven through the window as a counsellor would, checked in the store."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDialogButtonBox

from kim_desk.store.appointments import list_appointments
from kim_desk.store.cases import get_case, list_cases
from kim_desk.store.clients import count_clients, get_client


def _table_texts(model) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [
        [str(model.index(row, col).data()) for col in range(model.columnCount())] for row in range(model.rowCount())
    ]


def test_a_counselling_day(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    store = desk.store
    before = count_clients(store)

    # 1. Ctrl+F: find the client; she is new, so create her
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    page = window.clients_page
    assert window.current_page() == "clients"
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "Khalil")
    qtbot.waitUntil(lambda: page.last_query == "Khalil")
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    panel = page.panel
    assert panel.edits["family_name"].text() == "Khalil"
    panel.edits["given_names"].setText("Rana")
    panel.birth_date.setText("31.02.1990")  # no such day
    panel.municipality.setCurrentIndex(panel.municipality.findData("ahlen"))
    for row in range(panel.languages.count()):
        if panel.languages.item(row).data(Qt.ItemDataRole.UserRole) in ("ar", "de"):
            panel.languages.item(row).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(panel.buttons["saveButton"], Qt.MouseButton.LeftButton)
    assert panel.birth_date.property("invalid") is True
    assert "31.02.1990" in panel.message.text()
    assert count_clients(store) == before  # nothing stored from a bad form

    panel.birth_date.setText("14.03.1990")
    qtbot.mouseClick(panel.buttons["saveButton"], Qt.MouseButton.LeftButton)
    assert count_clients(store) == before + 1
    client_id = panel.client.id
    stored = get_client(store, client_id)
    assert (stored.family_name, stored.given_names, stored.birth_date) == ("Khalil", "Rana", "1990-03-14")
    assert stored.municipality == "ahlen" and sorted(stored.languages) == ["ar", "de"]
    assert panel.heading.text() == "Khalil, Rana"
    assert _table_texts(page.model)[page.model.row_of(client_id)][:2] == ["Khalil", "Rana"]

    # 2. book an appointment for her today at 11:00
    qtbot.mouseClick(panel.buttons["newAppointmentButton"], Qt.MouseButton.LeftButton)
    assert window.current_page() == "calendar"
    dialog = window.calendar_page.dialog
    assert dialog.client_name.text() == "Khalil, Rana"
    dialog.date.setDate(QDate(2026, 11, 23))
    dialog.time.setTime(QTime(11, 0))
    dialog.topic.setText("Kindergeld beantragen")
    dialog.counsellor.setText("Frau Neumann")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    booked = list_appointments(store, client_id=client_id)
    assert [(a.starts_at, a.topic, a.status) for a in booked] == [
        (dt.datetime(2026, 11, 23, 11, 0), "Kindergeld beantragen", "planned")
    ]
    assert any("Khalil, Rana" in text for row in _table_texts(window.calendar_page.model) for text in row)

    # 3. open a Kindergeld application; its checklist comes from the catalogue
    window.open_client(client_id)
    qtbot.mouseClick(panel.buttons["newCaseButton"], Qt.MouseButton.LeftButton)
    new_case = window.dialogs[-1]
    new_case.choose("kindergeld")
    child_buttons = new_case.dialog.findChild(QDialogButtonBox, "buttons")
    child_buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    cases = list_cases(store, client_id=client_id)
    assert [c.type_code for c in cases] == ["kindergeld"]
    case_id = cases[0].id
    assert window.current_page() == "applications"
    view = window.applications_page.case_view
    assert view.case_id == case_id
    labels = [row[0] for row in _table_texts(view.checklist)]
    assert "Geburtsurkunde des Kindes" in labels or any("Geburtsurkunde" in label for label in labels)

    # 4. tick the two documents she brought
    for row in (0, 1):
        view.checklist.setData(
            view.checklist.index(row, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
        )
    case = get_case(store, case_id)
    assert [item.state for item in case.checklist[:3]] == ["present", "present", "missing"]
    assert view.checklist.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked

    # 5. record a barrier: the birth certificate of the older child cannot be had from abroad
    view.barrier_code.setCurrentIndex(view.barrier_code.findData("documents_from_abroad"))
    qtbot.mouseClick(view.buttons["addBarrierButton"], Qt.MouseButton.LeftButton)
    assert [b.code for b in get_case(store, case_id).barriers] == ["documents_from_abroad"]
    assert "Unterlagen aus dem Herkunftsland nicht beschaffbar" in view.barriers.item(0).text()

    # 6. next steps, then mark it submitted (she handed it in on 20 October)
    view.next_steps.setPlainText("Steuer-ID des Kindes nachreichen.")
    qtbot.mouseClick(view.buttons["saveStepsButton"], Qt.MouseButton.LeftButton)
    view.new_status.setCurrentIndex(view.new_status.findData("submitted"))
    view.status_date.setDate(QDate(2026, 10, 20))
    qtbot.mouseClick(view.buttons["changeStatusButton"], Qt.MouseButton.LeftButton)
    # documents are still missing: a warning naming them first, nothing changed yet
    assert "Pflicht-Unterlage" in view.message.text() and get_case(store, case_id).status != "submitted"
    missing_rows = [row for row in _table_texts(view.checklist) if row[1] == "Fehlt"]
    assert f"{len(missing_rows)} Pflicht-Unterlagen fehlen noch" in view.summary.text()
    qtbot.mouseClick(view.buttons["changeStatusButton"], Qt.MouseButton.LeftButton)
    case = get_case(store, case_id)
    assert (case.status, case.submitted_on, case.next_steps) == (
        "submitted",
        "2026-10-20",
        "Steuer-ID des Kindes nachreichen.",
    )
    assert (case.deadline, case.deadline_kind) == ("2026-12-01", "decision_expected")
    assert "Eingereicht" in view.summary.text()

    # 7. Today shows her appointment and the decision expected within 14 days
    window.show_page("today")
    today = window.today_page
    appointments = _table_texts(today.appointments)
    assert ["Khalil, Rana", "Kindergeld beantragen"] in [row[1:3] for row in appointments]
    deadlines = _table_texts(today.deadlines)
    assert ["in 8 Tagen", "Entscheidung der Familienkasse erwartet", "Khalil, Rana", "Kindergeld"] in [
        row[1:5] for row in deadlines
    ]
    # deadlines already past are listed too, and say that they are overdue
    past = [row for row in deadlines if row[1].startswith("seit ")]
    assert past and all(row[1].endswith("überfällig") for row in past)
