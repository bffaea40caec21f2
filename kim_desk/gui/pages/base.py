"""What the pages share: a .ui file inside a QWidget, refresh and retranslate."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kim_desk.gui.context import Context
from kim_desk.gui.dates import apply_date_formats
from kim_desk.gui.uiload import load_ui, retranslate
from kim_desk.store import Change


class Page(QWidget):
    """A page of the main window; its layout comes from ui/<UI_NAME>.ui."""

    UI_NAME = ""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = load_ui(self.UI_NAME, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # in a scroll area: at 200 % a page needs more room than a small screen has, and then it
        # scrolls instead of making the window larger than the screen (BITV 1.4.4/1.4.10)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("pageScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.ui)
        layout.addWidget(self.scroll_area)
        apply_date_formats(self.ui)

    def refresh(self) -> None:
        """Reload what the page shows from the store (through the DB worker)."""

    def retranslate(self) -> None:
        retranslate(self.ui)
        apply_date_formats(self)
        self.refresh()

    # --- changes made here and elsewhere ---------------------------------------------
    CONCERNS: frozenset[str] = frozenset()  # entities (client, case, appointment, contact) the page shows

    def apply_change(self, change: Change) -> None:
        """A mutation somewhere in the app: redraw if it concerns this page and the page is shown
        (a hidden page reloads anyway when it is shown again)."""
        if change.entity in self.CONCERNS and self.isVisible():
            self.refresh()

    def unsaved(self) -> str:
        """What has unsaved changes, in words for the question; '' when nothing."""
        return ""

    def save_changes(self, then: Callable[[], None]) -> None:
        """Store the unsaved changes, then call `then` (not on failure: the page shows why)."""
        then()

    def discard_changes(self) -> None:
        """Forget the unsaved changes and show what is stored."""


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
    # fitting columns to their texts measures every cell of the rows looked at: the first and last
    # rows and those on screen are enough (Qt's default, 1000 rows, held Today ~0.4 s at 100,000 clients)
    header.setResizeContentsPrecision(0)


def select_row(view: QTableView, row: int) -> None:
    """Select and make current one whole row. QTableView.selectRow looks for the column at the
    viewport's edge, which in right-to-left layouts can miss every column and select nothing."""
    model = view.model()
    if model is None or not 0 <= row < model.rowCount():
        return
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.selectionModel().setCurrentIndex(model.index(row, 0), flags)
