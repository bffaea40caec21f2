"""A crosstab of the report (kim_desk.views.crosstab) as a table model: totals in bold, "gesperrt" shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from kim_desk.gui.accessibility import plain
from kim_desk.views.crosstab import MISSING, TOTAL, Crosstab

Index = QModelIndex | QPersistentModelIndex


def code_title(dim: str, code: str) -> str:
    from kim_desk.stats.render import code_title as title

    return title(dim, code)


def figure_text(value: int | None) -> str:
    from kim_desk import i18n
    from kim_desk.stats.render import figure

    return "–" if value == MISSING else figure(value, i18n.ui_language())


class CrosstabModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = Crosstab("", "", "")
        self._bold = QFont()
        self._bold.setBold(True)

    def set_table(self, table: Crosstab) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.cols)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.AccessibleTextRole:  # what a screen reader says: no bidi marks
            return plain(str(self.data(index) or ""))
        if not index.isValid() or index.row() >= len(self.table.rows) or index.column() >= len(self.table.cols):
            return None
        row, col = self.table.rows[index.row()], self.table.cols[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return figure_text(self.table.value(row, col))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and TOTAL in (row, col):
            return self._bold
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return plain(str(self.headerData(section, orientation) or ""))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.table.cols):
            return code_title(self.table.col_dim, self.table.cols[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.table.rows):
            return code_title(self.table.row_dim, self.table.rows[section])
        return None
