"""What the pages share: a .ui file inside a QWidget, refresh and retranslate."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from kim_desk.gui.context import Context
from kim_desk.gui.uiload import load_ui, retranslate


class Page(QWidget):
    """A page of the main window; its layout comes from ui/<UI_NAME>.ui."""

    UI_NAME = ""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = load_ui(self.UI_NAME, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.ui)

    def refresh(self) -> None:
        """Reload what the page shows from the store (through the DB worker)."""

    def retranslate(self) -> None:
        retranslate(self.ui)
        self.refresh()


def setup_table(view: QTableView, *, stretch_last: bool = True) -> None:
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    header.setDefaultSectionSize(160)
