"""Today: appointments, deadlines in the next 14 days, applications waiting too long, referrals without an answer."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QTableView

from kim_desk.gui.models.records import Column, RecordTableModel
from kim_desk.gui.pages.base import Page, select_row, setup_table
from kim_desk.gui.uiload import child
from kim_desk.i18n import N_, _, ngettext
from kim_desk.taxonomy import APPOINTMENT_STATUSES, CASE_STATUSES
from kim_desk.views import lists
from kim_desk.views.format import code_text, date_text, time_text, type_title
from kim_desk.views.referrals import local_services, service_title

if TYPE_CHECKING:
    from kim_desk.gui.dialogs.contact import ContactDialog


def due_text(due: str, today: dt.date) -> str:
    """How far a deadline is: overdue ones say so (the list shows them up to 30 days back)."""
    days = (dt.date.fromisoformat(due) - today).days
    if days < 0:
        return ngettext("seit {n} Tag überfällig", "seit {n} Tagen überfällig", -days).format(n=-days)
    if days == 0:
        return _("heute")
    return ngettext("in {n} Tag", "in {n} Tagen", days).format(n=days)


class TodayPage(Page):
    UI_NAME = "today"
    CONCERNS = frozenset({"client", "case", "appointment", "contact", "referral"})
    open_client = Signal(int)
    open_case = Signal(int)
    open_referral = Signal(int, int)  # client id, referral id: record the outcome

    def __init__(self, ctx, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, parent)
        catalog = ctx.catalog
        self.heading: QLabel = child(self.ui, QLabel, "heading")
        self.heading.setObjectName("heading")
        self.appointments = RecordTableModel(
            [
                Column(N_("Uhrzeit"), lambda b: time_text(b.appointment.starts_at)),
                Column(N_("Klient/in"), lambda b: b.client_name),
                Column(N_("Thema"), lambda b: b.appointment.topic),
                Column(N_("Ort"), lambda b: b.appointment.place),
                Column(N_("Stand"), lambda b: code_text(APPOINTMENT_STATUSES, b.appointment.status)),
            ],
            self,
        )
        self.deadlines = RecordTableModel(
            [
                Column(N_("Fällig am"), lambda d: date_text(d.due)),
                Column(N_("Noch"), lambda d: due_text(d.due, self.ctx.today())),
                Column(N_("Frist"), lambda d: _(d.kind)),
                Column(N_("Klient/in"), lambda d: d.client_name),
                Column(N_("Antrag"), lambda d: type_title(catalog, d.type_code) if d.type_code else ""),
                Column(N_("Empfohlen bis"), lambda d: date_text(d.recommended) if d.recommended else ""),
                Column(N_("Spätestens am"), lambda d: date_text(d.latest) if d.latest else ""),
            ],
            self,
        )
        self.stalled = RecordTableModel(
            [
                Column(N_("Antrag"), lambda s: type_title(catalog, s.type_code)),
                Column(N_("Klient/in"), lambda s: s.client_name),
                Column(N_("Stand"), lambda s: code_text(CASE_STATUSES, s.status)),
                Column(N_("Seit"), lambda s: date_text(s.since)),
                Column(N_("Tage"), lambda s: str(s.days)),
            ],
            self,
        )
        self.follow_ups = RecordTableModel(
            [
                Column(N_("Klient/in"), lambda f: f.client_name),
                Column(N_("Angebot"), lambda f: service_title(self.services, f.service_code)),
                Column(N_("Vermittelt am"), lambda f: date_text(f.referred_on)),
            ],
            self,
        )
        self.services = local_services()[0]
        self.tables: dict[str, QTableView] = {}
        for name, model in (
            ("appointmentsTable", self.appointments),
            ("deadlinesTable", self.deadlines),
            ("stalledTable", self.stalled),
            ("followUpsTable", self.follow_ups),
        ):
            view: QTableView = child(self.ui, QTableView, name)
            view.setModel(model)
            setup_table(view)
            self.tables[name] = view
        self.tables["appointmentsTable"].activated.connect(self._appointment_activated)
        self.tables["deadlinesTable"].activated.connect(self._deadline_activated)
        self.tables["stalledTable"].activated.connect(self._stalled_activated)
        self.tables["followUpsTable"].activated.connect(self._follow_up_activated)
        self.data = lists.TodayData([], [], [], [])
        self.contact_button: QPushButton = child(self.ui, QPushButton, "contactButton")
        self.contact_button.clicked.connect(lambda _checked=False: self.record_contact())
        self.contact_dialog: ContactDialog | None = None

    def selected_appointment(self) -> lists.Booked | None:
        index = self.tables["appointmentsTable"].currentIndex()
        return self.appointments.record(index.row()) if index.isValid() else None

    def record_contact(self) -> ContactDialog | None:
        """The contact dialog for the chosen appointment's person, filled in from the appointment."""
        booked = self.selected_appointment()
        if booked is None:
            self.ctx.notify(_("Bitte zuerst einen Termin wählen."))
            return None
        from kim_desk.gui.dialogs.contact import ContactDialog  # not needed for the first screen

        appointment = booked.appointment
        self.contact_dialog = ContactDialog(self.ctx, self, appointment.client_id, appointment=appointment)
        self.contact_dialog.open()
        return self.contact_dialog

    def refresh(self) -> None:
        today = self.ctx.today()
        catalog = self.ctx.catalog
        self.ctx.runner.db(lambda store: lists.today_overview(store, catalog, today), self._show)

    def _show(self, data: lists.TodayData) -> None:
        self.data = data
        self.heading.setText(_("Heute, {date}").format(date=date_text(self.ctx.today())))
        shown = self.selected_appointment()
        self.appointments.set_rows(data.appointments)
        table = self.tables["appointmentsTable"]
        ids = [b.appointment.id for b in data.appointments]
        if data.appointments:  # keep the choice; else the first one still to come
            wanted = shown.appointment.id if shown is not None and shown.appointment.id in ids else None
            if wanted is None:
                open_ones = [b.appointment.id for b in data.appointments if b.appointment.status == "planned"]
                wanted = open_ones[0] if open_ones else ids[0]
            select_row(table, ids.index(wanted))
        self.contact_button.setEnabled(bool(data.appointments))
        self.deadlines.set_rows(data.deadlines)
        self.stalled.set_rows(data.stalled)
        self.follow_ups.set_rows(data.follow_ups)
        for view in self.tables.values():  # after the rows are in: columns as wide as their texts
            view.resizeColumnsToContents()
        box = child(self.ui, QGroupBox, "appointmentsBox")
        box.setTitle(
            ngettext("{n} Termin heute", "{n} Termine heute", len(data.appointments)).format(n=len(data.appointments))
        )

    def _appointment_activated(self, index: QModelIndex) -> None:
        booked = self.appointments.record(index.row())
        if booked is not None:
            self.open_client.emit(booked.appointment.client_id)

    def _deadline_activated(self, index: QModelIndex) -> None:
        deadline = self.deadlines.record(index.row())
        if deadline is None:
            return
        if deadline.case_id is not None:
            self.open_case.emit(deadline.case_id)
        else:
            self.open_client.emit(deadline.client_id)

    def _follow_up_activated(self, index: QModelIndex) -> None:
        follow_up = self.follow_ups.record(index.row())
        if follow_up is not None:
            self.open_referral.emit(follow_up.client_id, follow_up.referral_id)

    def _stalled_activated(self, index: QModelIndex) -> None:
        stalled = self.stalled.record(index.row())
        if stalled is not None:
            self.open_case.emit(stalled.case_id)
