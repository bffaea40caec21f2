"""Unsaved edits on other pages: next steps of a case, the settings; locking and closing ask first."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kim_desk import settings
from kim_desk.desk import open_desk
from kim_desk.store.cases import get_case, list_cases
from tests.conftest import PASSPHRASE, always
from tests.gui.test_whole_day import answer_next_question


def test_next_steps_are_asked_about_when_leaving_the_page(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    case = list_cases(desk.store, open_only=True)[0]
    window.open_case(case.id)
    view = window.applications_page.case_view
    view.next_steps.setPlainText("Mietvertrag kopieren.")
    view.next_steps.document().setModified(True)
    questions: list[str] = []
    answer_next_question("cancelSwitch", questions)
    window.show_page("today")
    assert window.current_page() == "applications"
    assert questions == ["Die nächsten Schritte wurden geändert und noch nicht gespeichert."]
    assert window.navigation.currentRow() == 3  # the navigation shows the page still open
    answer_next_question("saveChanges", questions)
    window.show_page("today")
    assert window.current_page() == "today"
    assert get_case(desk.store, case.id).next_steps == "Mietvertrag kopieren."


def test_locking_asks_and_abbrechen_keeps_the_edit(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.show_page("settings")
    page = window.settings_page
    page.counsellor.setText("Frau Yilmaz")
    questions: list[str] = []
    answer_next_question("cancelSwitch", questions)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert questions and not window.runner.locked and page.counsellor.text() == "Frau Yilmaz"
    answer_next_question("discardChanges", questions)
    window.lock()
    assert window.runner.locked and len(questions) == 2


def test_idle_lock_keeps_valid_changes(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.show_page("settings")
    window.settings_page.counsellor.setText("Herr Demir")
    window.idle_lock()  # nobody there to answer: stored, then locked
    assert window.runner.locked
    reopened = open_desk(desk.paths, always(PASSPHRASE), keyring=None)
    try:
        assert settings.get(reopened.store, "counsellor") == "Herr Demir"
    finally:
        reopened.close()
