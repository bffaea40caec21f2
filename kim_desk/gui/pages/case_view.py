"""One application: checklist to tick, status changes with dates, deadline, barriers, next steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kim_desk.gui.context import Context
from kim_desk.gui.dialogs.print_dialog import PrintDialog, open_print_dialog
from kim_desk.gui.dialogs.referral import ReferralDialog
from kim_desk.gui.elide import set_elided
from kim_desk.gui.models.checklist import ChecklistModel
from kim_desk.gui.pages.base import setup_table
from kim_desk.gui.pages.client_panel import shown_date, user_date
from kim_desk.gui.uiload import child, load_ui, retranslate
from kim_desk.i18n import _, ngettext
from kim_desk.store import Change, Store
from kim_desk.store import cases as case_store
from kim_desk.store.cases import ChecklistItem
from kim_desk.taxonomy import BARRIERS, CASE_STATUSES, CASE_TRANSITIONS, OUTCOMES
from kim_desk.views import deadlines, lists, printing
from kim_desk.views.format import code_text, date_text, type_title


class CaseView(QWidget):
    changed = Signal(int)  # case id, after any change was stored
    open_client = Signal(int)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = load_ui("case_view", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.ui)
        self.file: lists.CaseFile | None = None
        self.print_dialog: PrintDialog | None = None
        self.referral_dialog: ReferralDialog | None = None
        self._setup_widgets()
        self._connect_signals()
        self.setEnabled(False)

    def _setup_widgets(self) -> None:
        ui = self.ui
        self.heading: QLabel = child(ui, QLabel, "heading")
        self.heading.setObjectName("heading")
        self.summary: QLabel = child(ui, QLabel, "summary")
        self.message: QLabel = child(ui, QLabel, "message")
        self.checklist_view: QTableView = child(ui, QTableView, "checklist")
        self.checklist = ChecklistModel(self.ctx.catalog, self.set_item_state, self)
        self.checklist_view.setModel(self.checklist)
        setup_table(self.checklist_view)
        self.checklist_view.horizontalHeader().setDefaultSectionSize(300)
        self.extra_item: QLineEdit = child(ui, QLineEdit, "extraItem")
        self.new_status: QComboBox = child(ui, QComboBox, "newStatus")
        self.status_date: QDateEdit = child(ui, QDateEdit, "statusDate")
        self.outcome: QComboBox = child(ui, QComboBox, "outcome")
        self.history: QListWidget = child(ui, QListWidget, "history")
        self.barrier_code: QComboBox = child(ui, QComboBox, "barrierCode")
        self.barriers: QListWidget = child(ui, QListWidget, "barriers")
        self.next_steps: QPlainTextEdit = child(ui, QPlainTextEdit, "nextSteps")
        self.deadline_list: QLabel = child(ui, QLabel, "deadlineList")
        # the events deadlines count from: case column -> (label, date field)
        self.anchor_edits: dict[str, tuple[QLabel, QLineEdit]] = {
            column: (child(ui, QLabel, f"{name}Label"), child(ui, QLineEdit, f"{name}On"))
            for column, name in (
                ("moved_in_on", "movedIn"), ("notice_received_on", "noticeReceived"), ("period_ends_on", "periodEnds")
            )
        }  # fmt: skip
        self.buttons = {
            name: child(ui, QPushButton, name)
            for name in ("openClientButton", "referButton", "printButton", "notNeededButton", "addItemButton",
                         "changeStatusButton", "addBarrierButton", "resolveBarrierButton", "saveStepsButton",
                         "saveDatesButton")
        }  # fmt: skip
        self._fill_code_lists()

    def _fill_code_lists(self) -> None:
        self.outcome.clear()
        self.outcome.addItem(_("Ergebnis (bei Entscheidung)"), None)
        for code, entry in OUTCOMES.items():
            self.outcome.addItem(_(entry.title), code)
        self.barrier_code.clear()
        for code, entry in BARRIERS.items():
            self.barrier_code.addItem(_(entry.title), code)

    def _connect_signals(self) -> None:
        b = self.buttons
        b["openClientButton"].clicked.connect(self._open_client)
        b["printButton"].clicked.connect(self.print_case)
        b["referButton"].clicked.connect(lambda _checked=False: self.refer())
        b["notNeededButton"].clicked.connect(self._mark_not_needed)
        b["addItemButton"].clicked.connect(self.add_item)
        self.extra_item.returnPressed.connect(self.add_item)
        b["changeStatusButton"].clicked.connect(lambda _checked=False: self.change_status())
        self.new_status.currentIndexChanged.connect(self._reset_status_warning)
        self._warned_submit: int | None = None  # case id warned about missing documents
        b["addBarrierButton"].clicked.connect(self.add_barrier)
        b["resolveBarrierButton"].clicked.connect(self.resolve_barrier)
        b["saveStepsButton"].clicked.connect(lambda _checked=False: self.save_next_steps())
        b["saveDatesButton"].clicked.connect(self.save_dates)

    # --- showing ---------------------------------------------------------------------
    @property
    def case_id(self) -> int | None:
        return self.file.case.id if self.file else None

    def show_case(self, case_id: int) -> None:
        self.ctx.runner.db(lambda store: lists.case_file(store, case_id), self._show, self.ctx.show_error)

    def clear(self) -> None:
        self.file = None
        self.setEnabled(False)
        self.checklist.set_items("", [])
        self.heading.setText("")
        self.summary.setText("")

    def _show(self, file: lists.CaseFile) -> None:
        keep_steps = (
            self.file is not None and self.file.case.id == file.case.id and self.next_steps.document().isModified()
        )
        self.file = file
        case = file.case
        self.setEnabled(True)
        set_elided(self.heading, f"{type_title(self.ctx.catalog, case.type_code)} – {file.client_name}", 90)
        app_type = self.ctx.catalog.types.get(case.type_code)
        lines = deadlines.deadline_lines(app_type, case, file.permit_expires, self.ctx.today())
        self.deadline_list.setText("\n".join(lines) or _("Keine offenen Fristen."))
        needed = deadlines.anchors_needed(app_type)
        for column, (label, edit) in self.anchor_edits.items():
            label.setVisible(column in needed)
            edit.setVisible(column in needed)
            edit.setText(shown_date(getattr(case, column)))
        self.buttons["saveDatesButton"].setVisible(bool(needed))
        parts = [
            _("Stand: {status}").format(status=code_text(CASE_STATUSES, case.status)),
            _("Eröffnet am {date}").format(date=date_text(case.opened_on)),
        ]
        if case.submitted_on:
            parts.append(_("eingereicht am {date}").format(date=date_text(case.submitted_on)))
        if case.outcome:
            parts.append(code_text(OUTCOMES, case.outcome))
        parts.append(_("{n} Pflicht-Unterlagen fehlen noch").format(n=len(case.missing_documents)))
        optional = [i for i in case.checklist if i.state == "missing" and not i.required]
        if optional:
            parts.append(_("{n} optionale fehlen").format(n=len(optional)))
        self.summary.setText(" · ".join(parts))
        self.checklist.set_items(case.type_code, case.checklist)
        self.new_status.clear()
        for code in CASE_TRANSITIONS[case.status]:
            self.new_status.addItem(code_text(CASE_STATUSES, code), code)
        today = self.ctx.today()
        self.status_date.setDate(QDate(today.year, today.month, today.day))
        self.history.clear()
        for status, on in file.history:
            self.history.addItem(f"{date_text(on)}: {code_text(CASE_STATUSES, status)}")
        self.barriers.clear()
        for barrier in case.barriers:
            text = f"{date_text(barrier.noted_on)}: {code_text(BARRIERS, barrier.code)}"
            if barrier.resolved_on:
                text += " – " + _("behoben am {date}").format(date=date_text(barrier.resolved_on))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, barrier.id)
            self.barriers.addItem(item)
        if not keep_steps:
            self.next_steps.setPlainText(case.next_steps)

    # --- changes (each on the DB worker, then the case is shown again) ---------------
    def _write(self, fn: Callable[[Store], Change], done_text: str, then: Callable[[], None] | None = None) -> None:
        case_id = self.case_id
        if case_id is None:
            return

        def done(change: Change) -> None:
            self.message.setText(done_text)
            self.ctx.changed(change)
            self.changed.emit(case_id)
            self.show_case(case_id)
            if then is not None:
                then()

        def failed(error: Exception) -> None:
            self.message.setText(str(error))

        self.ctx.runner.db(fn, done, failed)

    def set_item_state(self, item: ChecklistItem, state: str) -> None:
        self._write(lambda store: case_store.set_checklist_state(store, item.id, state), _("Checkliste gespeichert."))

    def _mark_not_needed(self) -> None:
        item = self.checklist.item(self.checklist_view.currentIndex().row())
        if item is not None:
            self.set_item_state(item, "not_needed")

    def add_item(self) -> None:
        label = self.extra_item.text().strip()
        case_id = self.case_id
        if not label or case_id is None:
            return
        self.extra_item.clear()
        self._write(lambda store: case_store.add_checklist_item(store, case_id, label), _("Unterlage hinzugefügt."))

    def change_status(self) -> None:
        status = self.new_status.currentData()
        case_id = self.case_id
        if status is None or case_id is None or self.file is None:
            return
        missing = self.file.case.missing_documents
        if status == "submitted" and missing and self._warned_submit != case_id:
            self._warned_submit = case_id  # warned once; the second click submits anyway
            names = ", ".join(_(lists.checklist_label(self.ctx.catalog, self.file.case.type_code, i)) for i in missing)
            self.message.setText(
                ngettext("Es fehlt noch {n} Pflicht-Unterlage: {names}. Zum Einreichen trotzdem noch einmal klicken.",
                         "Es fehlen noch {n} Pflicht-Unterlagen: {names}. Zum Einreichen trotzdem noch einmal klicken.",
                         len(missing)).format(n=len(missing), names=names)
            )  # fmt: skip
            self.message.setProperty("role", "warning")
            self.buttons["changeStatusButton"].setText(_("Trotzdem einreichen"))
            return
        self._reset_status_warning()
        on: dt.date = self.status_date.date().toPython()  # type: ignore[assignment]
        outcome = self.outcome.currentData()
        catalog = self.ctx.catalog
        self._write(
            lambda store: case_store.change_status(store, catalog, case_id, status, on=on, outcome=outcome),
            _("Stand geändert: {status}").format(status=code_text(CASE_STATUSES, status)),
        )

    def _reset_status_warning(self, *_args: object) -> None:
        if self._warned_submit is not None:
            self._warned_submit = None
            self.buttons["changeStatusButton"].setText(_("Stand ändern"))

    def add_barrier(self) -> None:
        code = self.barrier_code.currentData()
        case_id = self.case_id
        if code is None or case_id is None:
            return
        self._write(lambda store: case_store.add_barrier(store, case_id, code), _("Hindernis erfasst."))

    def resolve_barrier(self) -> None:
        item: QListWidgetItem | None = self.barriers.currentItem()
        if item is None:
            return
        barrier_id = int(item.data(Qt.ItemDataRole.UserRole))
        self._write(lambda store: case_store.resolve_barrier(store, barrier_id), _("Hindernis als behoben markiert."))

    def steps_modified(self) -> bool:
        return self.file is not None and self.next_steps.document().isModified()

    def discard_next_steps(self) -> None:
        if self.file is not None:
            self.next_steps.setPlainText(self.file.case.next_steps)
        self.next_steps.document().setModified(False)

    def save_next_steps(self, then: Callable[[], None] | None = None) -> None:
        text = self.next_steps.toPlainText()
        case_id = self.case_id
        if case_id is None:
            return

        def saved() -> None:
            self.next_steps.document().setModified(False)  # only once stored: a failure leaves them unsaved
            if then is not None:
                then()

        self._write(lambda store: case_store.update_case_text(store, case_id, next_steps=text),
                    _("Nächste Schritte gespeichert."), saved)  # fmt: skip

    def save_dates(self) -> None:
        """Store the events the deadlines count from (move-in, notice received, end of the approval period)."""
        case_id = self.case_id
        if case_id is None:
            return
        dates = {column: user_date(edit.text()) for column, (_label, edit) in self.anchor_edits.items()}
        catalog = self.ctx.catalog
        self._write(
            lambda store: case_store.set_anchor_dates(store, catalog, case_id, **dates),
            _("Daten für die Fristen gespeichert."),
        )

    def _open_client(self) -> None:
        if self.file is not None:
            self.open_client.emit(self.file.case.client_id)

    def refer(self) -> ReferralDialog | None:
        """Vermitteln …: the referral dialog for this case's client, linked to the case."""
        if self.file is None:
            return None
        case = self.file.case
        self.referral_dialog = ReferralDialog(self.ctx, self, case.client_id, case_id=case.id)
        self.referral_dialog.open()
        return self.referral_dialog

    def print_case(self) -> None:
        """The print dialog for this case (checklist, next steps, application aid)."""
        if self.file is not None:
            target = printing.case_target(self.ctx.catalog, self.file.case)
            self.print_dialog = open_print_dialog(self.ctx, self, [target])

    def retranslate(self) -> None:
        retranslate(self.ui)
        self._fill_code_lists()
        if self.case_id is not None:
            self.show_case(self.case_id)
