"""At 200 % (QT_SCALE_FACTOR=2) a 1600 × 1000 screen has 800 × 500 logical pixels: the window fits in that.

Layouts work in logical pixels, so the window's minimum size here is the one it has at 200 %;
screenshots under Xvfb (tools/screenshots.py --scale 2) show the same on a real scaled screen.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize

from kim_desk.gui.main_window import PAGES
from kim_desk.gui.uiload import load_ui
from kim_desk.store.cases import list_cases
from tests.gui.test_accessible_tree import DIALOGS

SCREEN_AT_200 = QSize(800, 500)


def test_every_page_fits_a_1600_by_1000_screen_at_200_percent(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    too_big = []
    for name in PAGES:
        window.show_page(name)
        qtbot.waitUntil(lambda name=name: window.current_page() == name)
        need = window.minimumSizeHint().expandedTo(window.minimumSize())
        if need.width() > SCREEN_AT_200.width() or need.height() > SCREEN_AT_200.height():
            too_big.append(f"{name}: {need.width()} × {need.height()}")
    assert too_big == []


def test_the_window_is_never_larger_than_the_screen(window) -> None:  # type: ignore[no-untyped-def]
    room = window.screen().availableGeometry()
    assert window.width() <= room.width() and window.height() <= room.height()
    assert window.width() >= min(1280, room.width() - 16) - 1  # and uses the room there is


def test_the_status_bar_shows_all_its_texts(window) -> None:  # type: ignore[no-untyped-def]
    window.resize(SCREEN_AT_200.width() - 16, SCREEN_AT_200.height() - 40)
    for label in (window.lock_label, window.backup_label, window.sync_label):
        assert label.isVisible() and label.width() >= label.sizeHint().width(), label.text()


@pytest.mark.parametrize("form", DIALOGS)
def test_every_dialog_fits_at_200_percent(qapp, form: str) -> None:  # type: ignore[no-untyped-def]
    root = load_ui(form)
    try:
        need = root.minimumSizeHint().expandedTo(root.minimumSize())
        assert need.width() <= SCREEN_AT_200.width() and need.height() <= SCREEN_AT_200.height(), need
    finally:
        root.deleteLater()


def test_the_print_dialog_opens_no_larger_than_the_screen(window, desk) -> None:  # type: ignore[no-untyped-def]
    window.show_page("calendar")
    case = list_cases(desk.store, open_only=True)[0]
    window.open_case(case.id)
    window.print_current()
    dialog = window.applications_page.case_view.print_dialog
    assert dialog is not None
    room = dialog.dialog.screen().availableGeometry()
    assert dialog.dialog.width() <= room.width() and dialog.dialog.height() <= room.height()
