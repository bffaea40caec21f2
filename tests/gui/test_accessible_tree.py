"""What a screen reader gets: the accessible tree of every page and the main dialogs, in German and Arabic.

The walk goes through QAccessibleInterface in-process, as the platform bridge (AT-SPI, UI Automation)
does, and fails on an interactive control without a name, a combo box named by its current value,
a table without column headers (and without row headers where it shows them), a title label not
exposed as a heading, an unnamed splitter handle and bidi control characters inside a name.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QSplitterHandle,
    QTableView,
    QTabWidget,
    QWidget,
)

from kim_desk import i18n, settings
from kim_desk.gui.accessibility import BIDI_CONTROLS, HEADING
from kim_desk.gui.crash import crash_dialog
from kim_desk.gui.dialogs.erase_dialog import EraseDialog
from kim_desk.gui.main_window import PAGES
from kim_desk.gui.uiload import load_ui

Role = QAccessible.Role
INTERACTIVE = {
    Role.PushButton,
    Role.CheckBox,
    Role.RadioButton,
    Role.ComboBox,
    Role.EditableText,
    Role.SpinBox,
    Role.Slider,
    Role.PageTab,
    Role.ButtonMenu,
    Role.ButtonDropDown,
    Role.List,
    Role.Table,
    Role.Tree,
}
DIALOGS = ("appointment_dialog", "contact_dialog", "new_case_dialog", "print_dialog", "unlock_dialog",
           "first_run_passphrase", "first_run_recovery", "lock_screen", "referral_dialog", "need_dialog")  # fmt: skip


def _where(iface: QAccessibleInterface) -> str:
    obj = iface.object()
    name = obj.objectName() if obj is not None else ""
    return f"{iface.role().name}:{name or '?'}"


def _walk(iface: QAccessibleInterface) -> Iterator[QAccessibleInterface]:
    if iface is None or not iface.isValid() or iface.state().invisible:
        return
    yield iface
    if iface.role() in (Role.Table, Role.Tree, Role.List):
        yield from (iface.child(i) for i in range(min(iface.childCount(), 40)) if iface.child(i) is not None)
        return  # the cells are checked as part of the table
    for index in range(iface.childCount()):
        yield from _walk(iface.child(index))


def problems(widget: QWidget) -> list[str]:
    found = []
    for iface in _walk(QAccessible.queryAccessibleInterface(widget)):
        role = iface.role()
        name = iface.text(QAccessible.Text.Name).strip()
        obj = iface.object()
        for kind in (QAccessible.Text.Name, QAccessible.Text.Description):
            if BIDI_CONTROLS.search(iface.text(kind)):
                found.append(f"{_where(iface)} has bidi controls in its {kind.name}: {iface.text(kind)!r}")
        if isinstance(obj, QLabel) and obj.objectName() == HEADING and obj.text() and role != Role.Heading:
            found.append(f"{_where(iface)} is a title but not a heading")
        if isinstance(obj, QSplitterHandle) and (role != Role.Separator or not name):
            found.append(f"{_where(iface)} is a splitter handle without role or name")
        if role in INTERACTIVE and role != Role.ComboBox and not name:
            found.append(f"{_where(iface)} has no name")
        if role == Role.ComboBox:
            # On Linux Qt reports a combo's value as its Name and its label through the Label relation
            # (what Orca reads); Windows and macOS read the widget's accessible name. Both must be the label.
            value = iface.text(QAccessible.Text.Value).strip()
            combo = iface.object()
            own = combo.accessibleName().strip() if isinstance(combo, QWidget) else ""
            labels = [other.text(QAccessible.Text.Name).strip() for other, flag in iface.relations()
                      if flag & QAccessible.RelationFlag.Label]  # fmt: skip
            if not own or own == value or not any(label and label != value for label in labels):
                found.append(f"{_where(iface)} is named by its value {value!r}")
        if role == Role.Table:
            headers = [
                iface.child(i)
                for i in range(iface.childCount())
                if iface.child(i) is not None and iface.child(i).role() == Role.ColumnHeader
            ]
            if not headers:
                found.append(f"{_where(iface)} has no column headers")
            view = iface.object()
            shows_rows = isinstance(view, QTableView) and not view.verticalHeader().isHidden()
            shows_rows = shows_rows and view.model() is not None and view.model().rowCount() > 0
            kids = (iface.child(i) for i in range(min(iface.childCount(), 40)))
            if shows_rows and not any(kid is not None and kid.role() == Role.RowHeader for kid in kids):
                found.append(f"{_where(iface)} has no row headers")
    return found


@pytest.fixture
def arabic(desk) -> None:  # type: ignore[no-untyped-def]
    """The desk set to Arabic before the window is built (german_ui puts German back afterwards)."""
    settings.put(desk.store, "ui_language", "ar")


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_every_page_reads_well(request, qtbot, lang: str) -> None:  # type: ignore[no-untyped-def]
    if lang == "ar":
        request.getfixturevalue("arabic")
    window = request.getfixturevalue("window")
    assert QApplication.layoutDirection() == (
        Qt.LayoutDirection.RightToLeft if lang == "ar" else Qt.LayoutDirection.LeftToRight
    )
    found = []
    for name in PAGES:
        window.show_page(name)
        qtbot.waitUntil(lambda name=name: window.current_page() == name)
        found += [f"{name}: {problem}" for problem in problems(window)]
        for tabs in window.pages[name].findChildren(QTabWidget):  # the hidden tabs too, one by one
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                found += [f"{name}/{tabs.tabText(index)}: {problem}" for problem in problems(window)]
            tabs.setCurrentIndex(0)
    assert "\n".join(sorted(set(found))) == ""


def _built_in_code(name: str) -> QWidget:
    """The dialogs that have no Designer file."""
    if name == "erase":
        return EraseDialog(None, "Karimi, Ahmad", "Karimi").dialog
    return crash_dialog("/tmp/logs", None)


@pytest.mark.parametrize("lang", ["de", "ar"])
@pytest.mark.parametrize("dialog", [*DIALOGS, "erase", "crash"])
def test_every_dialog_reads_well(qapp, dialog: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    i18n.set_ui_language(lang)
    if lang == "ar":
        qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    root = load_ui(dialog) if dialog in DIALOGS else _built_in_code(dialog)
    try:
        root.show()
        assert problems(root) == []
    finally:
        root.close()
        root.deleteLater()


@pytest.mark.parametrize(
    ("form", "field"),
    [("contact_dialog", "channel"), ("client_panel", "gender"), ("applications", "typeFilter"),
     ("calendar", "viewMode"), ("settings", "language"), ("settings", "counsellor"),
     ("appointment_dialog", "place"), ("print_dialog", "kind"), ("referral_dialog", "case"),
     ("referral_dialog", "services"), ("appointment_dialog", "mediatorResult")],
)  # fmt: skip
@pytest.mark.parametrize("lang", ["de", "ar"])
def test_a_removed_label_link_is_found(qapp, form: str, field: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    """The check can fail: unlink a control from its label and it is reported."""
    i18n.set_ui_language(lang)
    root = load_ui(form)
    try:
        root.show()
        control = root.findChild(QWidget, field)
        assert control is not None
        if isinstance(control, QComboBox):
            control.addItems(["Ahlen", "Beckum"])  # a value the name could be taken from
        assert not any(f":{field} " in problem for problem in problems(root))
        control.setAccessibleName("")
        for label in root.findChildren(QLabel):
            if label.buddy() is control:
                label.setBuddy(None)  # type: ignore[arg-type]
        assert any(f":{field} " in problem for problem in problems(root))
    finally:
        root.close()
        root.deleteLater()


def test_bidi_marks_in_a_name_are_found(qapp) -> None:  # type: ignore[no-untyped-def]
    """A name set without going through accessibility.set_name is reported."""
    root = load_ui("contact_dialog")
    try:
        root.show()
        assert problems(root) == []
        root.findChild(QWidget, "channel").setAccessibleName("\u2067Telefon\u2069")
        assert any("bidi controls" in problem for problem in problems(root))
    finally:
        root.close()
        root.deleteLater()
