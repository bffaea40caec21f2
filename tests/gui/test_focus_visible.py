"""Focus in tables and lists is shown by a frame, not only by the selection colour (BITV 2.4.7)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QColor, QImage, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTableView, QVBoxLayout, QWidget

from kim_desk.gui.app import style_sheet
from kim_desk.gui.colours import light_palette

AMBER, NAVY = QColor("#ffb000"), QColor("#1e3a5f")


def _count(image: QImage, colour: QColor, rect) -> int:  # type: ignore[no-untyped-def]
    found = 0
    for x in range(max(0, rect.left()), min(image.width(), rect.right() + 1)):
        for y in range(max(0, rect.top()), min(image.height(), rect.bottom() + 1)):
            pixel = image.pixelColor(x, y)
            if max(abs(pixel.red() - colour.red()), abs(pixel.green() - colour.green()),
                   abs(pixel.blue() - colour.blue())) < 24:  # fmt: skip
                found += 1
    return found


def _table(qtbot):  # type: ignore[no-untyped-def]
    root = QWidget()
    root.setPalette(light_palette())
    root.setStyleSheet(style_sheet())
    layout = QVBoxLayout(root)
    view = QTableView()
    model = QStandardItemModel(4, 3, view)
    for row in range(4):
        for column in range(3):
            model.setItem(row, column, QStandardItem(f"Zeile {row}, Spalte {column}"))
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    other = QLineEdit()
    layout.addWidget(view)
    layout.addWidget(other)
    qtbot.addWidget(root)
    root.resize(600, 300)
    root.show()
    root.activateWindow()
    qtbot.waitUntil(root.isActiveWindow)
    return root, view, other


def test_the_current_cell_has_a_frame_while_the_table_has_focus(qtbot) -> None:  # type: ignore[no-untyped-def]
    _root, view, other = _table(qtbot)
    index = view.model().index(1, 1)
    view.setFocus()
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.selectionModel().setCurrentIndex(index, flags)
    qtbot.waitUntil(view.hasFocus)
    cell = view.visualRect(index)
    focused = view.viewport().grab().toImage()
    assert _count(focused, AMBER, cell) > cell.width()  # the frame around the selected current cell
    assert _count(focused, AMBER, view.visualRect(view.model().index(1, 0))) == 0  # only that cell
    assert _count(view.grab().toImage(), NAVY, view.rect()) > view.width()  # the table's own frame
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    assert _count(view.viewport().grab().toImage(), AMBER, cell) == 0  # no focus, no frame


def test_an_unselected_current_cell_has_a_navy_frame(qtbot) -> None:  # type: ignore[no-untyped-def]
    _root, view, _other = _table(qtbot)
    index = view.model().index(2, 2)
    view.setFocus()
    view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
    qtbot.waitUntil(view.hasFocus)
    cell = view.visualRect(index)
    assert _count(view.viewport().grab().toImage(), NAVY, cell) > cell.width()
