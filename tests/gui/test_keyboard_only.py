"""Find a client, open an application, tick a checklist item, print: with key presses alone (BITV 2.1.1).

No mouse and no calls into the window's methods: every step is a key press on the focused widget,
as a counsellor without a mouse (or with a screen reader) works. Only the operating system's save
dialog is answered by the test, as the user would answer it there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QTabWidget, QWidget

from kim_desk.store.cases import get_case, list_cases
from kim_desk.store.clients import get_client
from kim_desk.views import lists

MAX_TABS = 80  # a page with every field of a client's file


def _case_to_work_on(desk):  # type: ignore[no-untyped-def]
    """An open case with a missing item, of a client whose family name finds them first."""
    for case in list_cases(desk.store, open_only=True):
        client = get_client(desk.store, case.client_id)
        missing = [item for item in case.checklist if item.state == "missing"]
        if missing and lists.client_ids(desk.store, client.family_name)[:1] == [client.id]:
            return case, client
    raise AssertionError("the demo desk has such a case")


def _press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def _tab_to(qtbot, widget: QWidget) -> int:  # type: ignore[no-untyped-def]
    """Press Tab until `widget` has the focus; how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        _press(qtbot, Qt.Key.Key_Tab)
        if widget.hasFocus():
            return presses
    raise AssertionError(f"{widget.objectName()} is not reachable with Tab")


def test_find_open_tick_print_by_keyboard(window, desk, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    case, client = _case_to_work_on(desk)

    # find the client: Ctrl+F, type, Enter
    _press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    page = window.clients_page
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, client.family_name)
    _press(qtbot, Qt.Key.Key_Return)
    panel = page.panel
    qtbot.waitUntil(lambda: panel.client is not None and panel.client.id == client.id)

    # open the application: Tab to the file's tabs, arrow to "Anträge", Tab into it, arrow to the case, Enter
    tabs = panel.findChild(QTabWidget, "tabs")
    _tab_to(qtbot, tabs.tabBar())
    while tabs.currentWidget().objectName() != "casesTab":
        _press(qtbot, Qt.Key.Key_Right)
    _tab_to(qtbot, panel.cases_view)
    _press(qtbot, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    row = next(r for r in range(panel.cases.rowCount()) if panel.cases.record(r).id == case.id)
    for _ in range(row):
        _press(qtbot, Qt.Key.Key_Down)
    _press(qtbot, Qt.Key.Key_Return)
    view = window.applications_page.case_view
    qtbot.waitUntil(lambda: window.current_page() == "applications" and view.case_id == case.id)

    # tick the first missing item: Tab to the checklist, arrow to it, Space
    checklist = view.checklist_view
    if not checklist.hasFocus():
        _tab_to(qtbot, checklist)
    _press(qtbot, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    target = next(r for r in range(view.checklist.rowCount()) if view.checklist.item(r).state == "missing")
    item_id = view.checklist.item(target).id
    for _ in range(target):
        _press(qtbot, Qt.Key.Key_Down)
    _press(qtbot, Qt.Key.Key_Space)
    states = {item.id: item.state for item in get_case(desk.store, case.id).checklist}
    assert states[item_id] == "present"
    assert view.message.text() == "Checkliste gespeichert."

    # print: Ctrl+P, then Tab to "Als PDF speichern" and press it
    _press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = view.print_dialog
    assert dialog is not None and dialog.dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled() and dialog.dialog.isActiveWindow())

    def answer(_parent, _title, suggested, _filter):  # type: ignore[no-untyped-def]
        return str(tmp_path / Path(suggested).name), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    _tab_to(qtbot, dialog.save_button)
    _press(qtbot, Qt.Key.Key_Space)
    saved = list(tmp_path.glob("*.pdf"))
    assert len(saved) == 1 and saved[0].read_bytes() == dialog.preview.pdf
