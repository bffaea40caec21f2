"""Applications: all open cases, filterable by type, status and overdue; the chosen case below.

Filtering and sorting run as SQL on the DB worker and the model only receives the result:
a QSortFilterProxyModel over 130,000 open cases (100,000 clients) calls Python for every
row and blocked the window for seconds in the stall benchmark.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QTableView, QVBoxLayout, QWidget

from kim_desk.gui import unsaved
from kim_desk.gui.models.records import Column, RecordTableModel
from kim_desk.gui.pages.base import Page, select_row, setup_table
from kim_desk.gui.pages.case_view import CaseView
from kim_desk.gui.uiload import child
from kim_desk.i18n import N_, _, ngettext
from kim_desk.taxonomy import CASE_STATUSES
from kim_desk.views import lists
from kim_desk.views.format import code_text, date_text, type_title


class ApplicationsPage(Page):
    UI_NAME = "applications"
    CONCERNS = frozenset({"case", "client"})

    def __init__(self, ctx, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, parent)
        catalog = ctx.catalog
        self.type_filter: QComboBox = child(self.ui, QComboBox, "typeFilter")
        self.status_filter: QComboBox = child(self.ui, QComboBox, "statusFilter")
        self.overdue_filter: QCheckBox = child(self.ui, QCheckBox, "overdueFilter")
        self.count: QLabel = child(self.ui, QLabel, "count")
        self.table: QTableView = child(self.ui, QTableView, "casesTable")
        self.model = RecordTableModel(
            [
                Column(N_("Klient/in"), lambda r: r.client_name),
                Column(N_("Antrag"), lambda r: type_title(catalog, r.type_code)),
                Column(N_("Stand"), lambda r: code_text(CASE_STATUSES, r.status),
                       lambda r: list(CASE_STATUSES).index(r.status)),
                Column(N_("Frist"), lambda r: date_text(r.deadline), lambda r: r.deadline or "9999"),
                Column(N_("Überfällig"), lambda r: _("ja") if r.overdue(ctx.today()) else ""),
                Column(N_("Fehlende Unterlagen"), lambda r: str(r.missing), lambda r: r.missing),
                Column(N_("Eröffnet"), lambda r: date_text(r.opened_on), lambda r: r.opened_on),
            ],
            self,
        )  # fmt: skip
        self.table.setModel(self.model)
        setup_table(self.table)
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setSortIndicator(3, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setDefaultSectionSize(150)
        self.case_view = CaseView(ctx)
        host: QWidget = child(self.ui, QWidget, "caseHost")
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.case_view)
        self._serial = 0
        self._fill_filters()
        self._connect_signals()

    def _fill_filters(self) -> None:
        chosen_type, chosen_status = self.type_filter.currentData(), self.status_filter.currentData()
        self.type_filter.blockSignals(True)
        self.status_filter.blockSignals(True)
        self.type_filter.clear()
        self.type_filter.addItem(_("Alle Arten"), None)
        for app_type in sorted(self.ctx.catalog.types.values(), key=lambda t: _(t.title)):
            self.type_filter.addItem(_(app_type.title), app_type.code)
        self.status_filter.clear()
        self.status_filter.addItem(_("Jeder Stand"), None)
        for code, entry in CASE_STATUSES.items():
            if code != "closed":
                self.status_filter.addItem(_(entry.title), code)
        self.type_filter.setCurrentIndex(max(0, self.type_filter.findData(chosen_type)))
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(chosen_status)))
        self.type_filter.blockSignals(False)
        self.status_filter.blockSignals(False)

    def _connect_signals(self) -> None:
        self.type_filter.currentIndexChanged.connect(self._filters_changed)
        self.status_filter.currentIndexChanged.connect(self._filters_changed)
        self.overdue_filter.toggled.connect(self._filters_changed)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._filters_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.case_view.changed.connect(lambda _id: self.refresh())

    def query(self) -> lists.CaseQuery:
        header = self.table.horizontalHeader()
        overdue = self.ctx.today().isoformat() if self.overdue_filter.isChecked() else None
        return lists.CaseQuery(
            self.type_filter.currentData(), self.status_filter.currentData(), overdue,
            header.sortIndicatorSection(), header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder,
        )  # fmt: skip

    def refresh(self) -> None:
        query = self.query()
        self._serial += 1
        serial = self._serial
        self.ctx.runner.db(lambda store: lists.open_case_rows(store, query), lambda rows: self._show(serial, rows))

    def _show(self, serial: int, rows: list[lists.CaseRow]) -> None:
        if serial != self._serial:
            return  # a newer filter is on its way
        shown = self.case_view.case_id
        self.model.set_rows(rows)
        count = len(rows)
        text = ngettext("{n} offener Antrag", "{n} offene Anträge", count).format(n=count)
        if count >= lists.CASE_LIST_LIMIT:
            text = _("Die ersten {n} offenen Anträge – bitte mit den Filtern eingrenzen").format(n=count)
        self.count.setText(text)
        if shown is not None:
            self._select(shown)

    def _filters_changed(self, *_args: object) -> None:
        self.refresh()

    def _select(self, case_id: int) -> None:
        for row, record in enumerate(self.model.records()):
            if record.case_id == case_id:
                select_row(self.table, row)
                return

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        record = self.model.record(indexes[0].row())
        if record is not None and record.case_id != self.case_view.case_id:
            case_id = record.case_id
            shown = self.case_view.case_id
            self.leave_case(lambda: self.case_view.show_case(case_id), lambda: self._select_quietly(shown))

    def _select_quietly(self, case_id: int | None) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.table.clearSelection()
        if case_id is not None:
            self._select(case_id)
        selection.blockSignals(False)

    # --- unsaved changes (the next steps) ----------------------------------------------
    def leave_case(self, then: Callable[[], None], on_cancel: Callable[[], None]) -> None:
        what = self.unsaved()
        if not what:
            then()
            return
        answer = unsaved.ask(self, what)
        if answer == unsaved.SAVE:
            self.save_changes(then)
        elif answer == unsaved.DISCARD:
            self.discard_changes()
            then()
        else:
            on_cancel()

    def unsaved(self) -> str:
        return _("Die nächsten Schritte") if self.case_view.steps_modified() else ""

    def save_changes(self, then: Callable[[], None]) -> None:
        self.case_view.save_next_steps(then)

    def discard_changes(self) -> None:
        self.case_view.discard_next_steps()

    def open_case(self, case_id: int) -> None:
        self.case_view.show_case(case_id)
        self._select(case_id)

    def retranslate(self) -> None:
        super().retranslate()
        self._fill_filters()
        self.model.retranslate()
        self.case_view.retranslate()
