"""The checklist of one case: tick a document when it is there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from kim_desk.catalog import Catalog
from kim_desk.gui.accessibility import plain
from kim_desk.i18n import N_, _
from kim_desk.store.cases import ChecklistItem
from kim_desk.taxonomy import CHECKLIST_STATES
from kim_desk.views.lists import checklist_label

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (N_("Unterlage"), N_("Stand"), N_("Pflicht"))


class ChecklistModel(QAbstractTableModel):
    """Column 0 is checkable: checked = the document is there ('present')."""

    def __init__(self, catalog: Catalog, on_state: Callable[[ChecklistItem, str], None], parent: Any = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._on_state = on_state
        self._type_code = ""
        self._items: list[ChecklistItem] = []

    def set_items(self, type_code: str, items: list[ChecklistItem]) -> None:
        self.beginResetModel()
        self._type_code = type_code
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> ChecklistItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.AccessibleTextRole:  # what a screen reader says: no bidi marks
            return plain(str(self.data(index) or ""))
        item = self.item(index.row()) if index.isValid() else None
        if item is None or not 0 <= index.column() < len(COLUMNS):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return Qt.CheckState.Checked if item.state == "present" else Qt.CheckState.Unchecked
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return _(checklist_label(self._catalog, self._type_code, item))
        if column == 1:
            if item.state == "missing" and not item.required:
                return _("Fehlt (optional)")  # not counted as missing in the header
            return _(CHECKLIST_STATES[item.state].title)
        return _("ja") if item.required else _("falls vorhanden")

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.item(index.row()) if index.isValid() else None
        if item is None or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self._on_state(item, "present" if checked else "missing")
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return plain(str(self.headerData(section, orientation) or ""))
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section]) if 0 <= section < len(COLUMNS) else None
        return None
