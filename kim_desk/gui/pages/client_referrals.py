"""The client page's referrals and unmet needs: list them, refer, record an outcome, note a need.

Lives beside client_panel.py (which owns the widgets of ui/client_panel.ui) so that module stays short.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QPushButton, QTableView, QTabWidget, QWidget

from kim_desk.gui.context import Context
from kim_desk.gui.dialogs.need import NeedDialog
from kim_desk.gui.dialogs.print_dialog import PrintDialog, open_print_dialog
from kim_desk.gui.dialogs.referral import ReferralDialog
from kim_desk.gui.models.records import Column, RecordTableModel
from kim_desk.gui.pages.base import select_row, setup_table
from kim_desk.gui.uiload import child
from kim_desk.i18n import N_, _
from kim_desk.services import Service
from kim_desk.store.referrals import Referral, set_outcome
from kim_desk.taxonomy import REFERRAL_OUTCOMES, UNMET_NEEDS
from kim_desk.views import lists, printing
from kim_desk.views.format import code_text, date_text
from kim_desk.views.referrals import local_services, service_title

BUTTONS = ("referButton", "needButton", "addReferralButton", "saveOutcomeButton", "printReferralButton",
           "addNeedButton")  # fmt: skip


class ReferralSection(QObject):
    def __init__(self, ctx: Context, ui: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.host = parent
        self.client_id: int | None = None
        self.client_name = ""
        self.pending: int | None = None  # a referral to show once its client's file is loaded (from Today)
        self.services: dict[str, Service] = {}
        self.referral_dialog: ReferralDialog | None = None
        self.need_dialog: NeedDialog | None = None
        self.print_dialog: PrintDialog | None = None
        self.tabs: QTabWidget = child(ui, QTabWidget, "tabs")
        self.tab: QWidget = child(ui, QWidget, "referralsTab")
        self.outcome: QComboBox = child(ui, QComboBox, "outcome")
        self.buttons: dict[str, QPushButton] = {name: child(ui, QPushButton, name) for name in BUTTONS}
        self.referrals = RecordTableModel(
            [
                Column(N_("Angebot"), lambda r: service_title(self.services, r.service_code)),
                Column(N_("Vermittelt am"), lambda r: date_text(r.referred_on)),
                Column(N_("Ergebnis"), lambda r: code_text(REFERRAL_OUTCOMES, r.outcome)),
                Column(N_("Ergebnis am"), lambda r: date_text(r.outcome_on)),
                Column(N_("Notiz"), lambda r: r.notes),
            ],
            self,
        )
        self.needs = RecordTableModel(
            [
                Column(N_("Bedarf"), lambda n: code_text(UNMET_NEEDS, n.category)),
                Column(N_("Erfasst am"), lambda n: date_text(n.noted_on)),
                Column(N_("Notiz"), lambda n: n.notes),
            ],
            self,
        )
        self.referrals_view: QTableView = child(ui, QTableView, "referralsTable")
        self.needs_view: QTableView = child(ui, QTableView, "needsTable")
        for view, model in ((self.referrals_view, self.referrals), (self.needs_view, self.needs)):
            view.setModel(model)
            setup_table(view)
        self._fill_outcomes()
        self._connect_signals()

    def _fill_outcomes(self) -> None:
        self.outcome.clear()
        for code, entry in REFERRAL_OUTCOMES.items():
            self.outcome.addItem(_(entry.title), code)

    def _connect_signals(self) -> None:
        b = self.buttons
        for name in ("referButton", "addReferralButton"):
            b[name].clicked.connect(lambda _checked=False: self.refer())
        for name in ("needButton", "addNeedButton"):
            b[name].clicked.connect(lambda _checked=False: self.note_need())
        b["saveOutcomeButton"].clicked.connect(lambda _checked=False: self.save_outcome())
        b["printReferralButton"].clicked.connect(lambda _checked=False: self.print_referral())
        self.referrals_view.selectionModel().currentRowChanged.connect(lambda current, _previous: self._chosen())
        self.referrals_view.activated.connect(lambda _index: self.outcome.setFocus())

    # --- showing ---------------------------------------------------------------------
    def show_file(self, file: lists.ClientFile | None) -> None:
        """The referrals and needs of the person shown (None: nobody, or a new person)."""
        if file is not None and not self.services:
            self.services, _problem = local_services()  # the dialog says what is wrong with the list
        shown = self.selected()
        self.client_id = file.client.id if file is not None else None
        self.client_name = file.client.display_name if file is not None else ""
        self.referrals.set_rows(file.referrals if file is not None else [])
        self.needs.set_rows(list(reversed(file.needs)) if file is not None else [])
        for view in (self.referrals_view, self.needs_view):
            view.resizeColumnsToContents()
        wanted = self.pending if self.pending is not None else (shown.id if shown is not None else None)
        ids = [r.id for r in self.referrals.records()]
        if wanted in ids:
            select_row(self.referrals_view, ids.index(wanted))
        elif ids:
            select_row(self.referrals_view, 0)
        if self.pending is not None and self.pending in ids:
            self.tabs.setCurrentWidget(self.tab)
            self.outcome.setFocus()
        self.pending = None
        self._chosen()
        self.set_enabled(self.client_id is not None)

    def set_enabled(self, enabled: bool) -> None:
        for name, button in self.buttons.items():
            button.setEnabled(enabled and (name not in ("saveOutcomeButton", "printReferralButton")
                                           or self.selected() is not None))  # fmt: skip
        self.outcome.setEnabled(enabled and self.selected() is not None)

    def selected(self) -> Referral | None:
        index = self.referrals_view.currentIndex()
        record: Referral | None = self.referrals.record(index.row()) if index.isValid() else None
        return record

    def _chosen(self) -> None:
        referral = self.selected()
        if referral is not None:
            self.outcome.setCurrentIndex(max(0, self.outcome.findData(referral.outcome)))
        self.set_enabled(self.client_id is not None)

    # --- actions ---------------------------------------------------------------------
    def refer(self, case_id: int | None = None) -> ReferralDialog | None:
        if self.client_id is None:
            return None
        self.referral_dialog = ReferralDialog(self.ctx, self.host, self.client_id, case_id=case_id)
        self.referral_dialog.open()
        return self.referral_dialog

    def note_need(self) -> NeedDialog | None:
        if self.client_id is None:
            return None
        self.need_dialog = NeedDialog(self.ctx, self.host, self.client_id, self.client_name)
        self.need_dialog.open()
        return self.need_dialog

    def save_outcome(self) -> None:
        referral = self.selected()
        outcome = self.outcome.currentData()
        if referral is None or referral.id is None or outcome is None or outcome == referral.outcome:
            return
        referral_id, today = referral.id, self.ctx.today()

        def done(change: object) -> None:
            self.ctx.notify(_("Ergebnis gespeichert: {outcome}").format(outcome=code_text(REFERRAL_OUTCOMES, outcome)))
            self.ctx.changed(change)  # type: ignore[arg-type]

        self.ctx.runner.db(lambda store: set_outcome(store, referral_id, outcome, today), done, self.ctx.show_error)

    def print_referral(self) -> None:
        """The referral slip for the client, in their language beside German."""
        referral = self.selected()
        if referral is None:
            return
        self.print_dialog = open_print_dialog(self.ctx, self.host, [printing.referral_target(self.services, referral)])

    def open_referral(self, referral_id: int) -> None:
        """Show this referral with its outcome ready to set, once the file is (re)loaded."""
        self.pending = referral_id

    def retranslate(self) -> None:
        shown = self.outcome.currentData()
        self._fill_outcomes()
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(shown)))
        for model in (self.referrals, self.needs):
            model.retranslate()
