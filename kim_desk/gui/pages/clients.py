"""Clients: search as you type over the whole database, and the selected client's file."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget

from kim_desk.gui import unsaved
from kim_desk.gui.models.clients import ClientTableModel
from kim_desk.gui.pages.base import Page, select_row, setup_table
from kim_desk.gui.pages.client_panel import ClientPanel
from kim_desk.gui.uiload import child
from kim_desk.i18n import _, ngettext
from kim_desk.store import Change
from kim_desk.views import lists


class ClientsPage(Page):
    UI_NAME = "clients"
    CONCERNS = frozenset({"client", "case", "appointment", "contact", "referral", "unmet_need"})

    def __init__(self, ctx, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, parent)
        self.search: QLineEdit = child(self.ui, QLineEdit, "search")
        self.count: QLabel = child(self.ui, QLabel, "count")
        self.new_button: QPushButton = child(self.ui, QPushButton, "newClientButton")
        self.table: QTableView = child(self.ui, QTableView, "clientsTable")
        self.model = ClientTableModel(ctx.runner, self)
        self.table.setModel(self.model)
        setup_table(self.table)
        self.table.horizontalHeader().setDefaultSectionSize(130)
        # the birth date and municipality beside the names, so namesakes can be told apart
        self._size_columns()
        splitter: QSplitter = child(self.ui, QSplitter, "splitter")
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([560, 840])
        self.panel = ClientPanel(ctx)
        host: QWidget = child(self.ui, QWidget, "detailHost")
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(ctx.options.search_delay_ms)
        self._query_serial = 0
        self.last_query: str | None = None  # the text the table shows results for
        self._pending_select: int | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.search.textEdited.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self.run_search)
        self._debounce.timeout.connect(self.run_search)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.new_button.clicked.connect(lambda: self.leave_client(self.new_client))
        self.panel.saved.connect(self._client_saved)
        self.panel.erased.connect(lambda _client_id: self.run_search())  # the erased person leaves the list

    # --- searching -------------------------------------------------------------------
    def refresh(self) -> None:
        self.run_search()

    def run_search(self) -> None:
        """Search on the DB worker; results of an older query that arrive late are dropped."""
        self._debounce.stop()
        text = self.search.text()
        self._query_serial += 1
        serial = self._query_serial
        self.ctx.runner.db(lambda store: lists.client_ids(store, text), lambda ids: self._found(serial, text, ids))

    def _found(self, serial: int, text: str, ids: Sequence[int]) -> None:
        if serial != self._query_serial:
            return
        self.last_query = text
        self.model.set_ids(ids)
        self.count.setText(ngettext("{n} Person", "{n} Personen", len(ids)).format(n=len(ids)))
        if self._pending_select is not None:
            self.select_client(self._pending_select)
            self._pending_select = None
        elif ids and text.strip():
            select_row(self.table, 0)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # --- selection -------------------------------------------------------------------
    def select_client(self, client_id: int) -> None:
        row = self.model.row_of(client_id)
        if row >= 0:
            select_row(self.table, row)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.panel.show_client(client_id)

    def open_client(self, client_id: int) -> None:
        """Show one client (from Today, the calendar, a case)."""
        if self.model.row_of(client_id) < 0 and self.search.text():
            self.search.clear()
            self._pending_select = client_id
            self.run_search()
            return
        self.select_client(client_id)

    def open_referral(self, client_id: int, referral_id: int) -> None:
        """Show one client's referral with its outcome ready to record (from Today's follow-up list)."""
        self.panel.referral_section.open_referral(referral_id)
        if self.panel.client is not None and self.panel.client.id == client_id:
            self.panel.reload()
        else:
            self.open_client(client_id)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        client_id = self.model.client_id(indexes[0].row())
        shown = self.panel.client.id if self.panel.client is not None else None
        if client_id is not None and client_id != shown:
            self.leave_client(lambda: self.panel.show_client(client_id), on_cancel=self._reselect_shown)

    # --- unsaved changes -------------------------------------------------------------
    def leave_client(self, then: Callable[[], None], on_cancel: Callable[[], None] | None = None) -> None:
        """Run `then` once the open person has nothing unsaved: asks Speichern / Verwerfen / Abbrechen."""
        what = self.unsaved()
        if not what:
            then()
            return
        answer = unsaved.ask(self, what)
        if answer == unsaved.SAVE:
            self._reselect_shown()
            self.panel.save(then)
        elif answer == unsaved.DISCARD:
            self.panel.discard_changes()
            then()
        else:
            (on_cancel or self._reselect_shown)()

    def _reselect_shown(self) -> None:
        """Put the selection back on the person whose form is open (after Abbrechen)."""
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        client = self.panel.client
        row = self.model.row_of(client.id) if client is not None and client.id is not None else -1
        if row >= 0:
            select_row(self.table, row)
        else:
            self.table.clearSelection()
        selection.blockSignals(False)
        self.table.viewport().update()

    def unsaved(self) -> str:
        client = self.panel.client
        if client is None or not self.panel.is_dirty():
            return ""
        name = client.display_name if client.id else _("die neue Person")
        return _("Die Angaben zu {name}").format(name=name)

    def save_changes(self, then: Callable[[], None]) -> None:
        self.panel.save(then)

    def discard_changes(self) -> None:
        self.panel.discard_changes()

    def apply_change(self, change: Change) -> None:
        """Cases, appointments and contacts show in the open file; clients in the list."""
        if change.entity == "client" and change.action == "update":
            self.model.forget(change.id)
        if change.entity in ("case", "appointment", "contact", "referral", "unmet_need") or (
            change.entity == "client" and self.panel.client is not None and self.panel.client.id == change.id
        ):
            self.panel.reload()

    def new_client(self) -> None:
        self.table.clearSelection()
        typed = self.search.text().strip()
        self.panel.new_client(typed.split(",")[0].strip() if typed else "")

    def _client_saved(self, client_id: int) -> None:
        if self.model.row_of(client_id) >= 0:
            self.model.forget(client_id)
        else:
            self._pending_select = client_id
            self.run_search()

    def _size_columns(self) -> None:
        """Birth date and municipality wide enough for their header and their longest value."""
        cells, heads = self.table.fontMetrics(), self.table.horizontalHeader().fontMetrics()
        for column, longest in ((2, "00.00.0000"), (3, "Drensteinfurt")):
            head = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            self.table.setColumnWidth(column, max(cells.horizontalAdvance(longest), heads.horizontalAdvance(head)) + 28)

    def retranslate(self) -> None:
        super().retranslate()
        self.model.retranslate()
        self._size_columns()
        self.panel.retranslate()
