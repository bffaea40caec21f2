"""Calendar: day and week views; create, edit, move, cancel; export to .ics."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
)

from kim_desk import ics
from kim_desk.fileutil import write_atomic
from kim_desk.gui.dialogs.appointment import AppointmentDialog
from kim_desk.gui.dialogs.print_dialog import PrintDialog, open_print_dialog
from kim_desk.gui.models.week import WeekModel
from kim_desk.gui.pages.base import Page
from kim_desk.gui.uiload import child
from kim_desk.i18n import N_, _
from kim_desk.store import Change, Store
from kim_desk.store.appointments import Appointment, update_appointment
from kim_desk.views import lists, printing

VIEWS = (("week", N_("Woche")), ("day", N_("Tag")))


class CalendarPage(Page):
    UI_NAME = "calendar"
    CONCERNS = frozenset({"appointment", "client"})

    def __init__(self, ctx, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, parent)
        ui = self.ui
        self.day: QDateEdit = child(ui, QDateEdit, "day")
        self.view_mode: QComboBox = child(ui, QComboBox, "viewMode")
        self.grid: QTableView = child(ui, QTableView, "grid")
        self.message: QLabel = child(ui, QLabel, "message")
        self.model = WeekModel(self)
        self.grid.setModel(self.model)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # fixed heights: measuring every wrapped cell stalls the window on a busy week
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.verticalHeader().setDefaultSectionSize(self.grid.fontMetrics().height() * 2 + 10)
        self.grid.setWordWrap(True)
        for code, title in VIEWS:
            self.view_mode.addItem(_(title), code)
        today = ctx.today()
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.booked: list[lists.Booked] = []
        # day columns with their headers from the start, before the first answer from the store
        self.model.set_week(self.days(), [])
        self.dialog: AppointmentDialog | None = None
        self.print_dialog: PrintDialog | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        ui = self.ui
        child(ui, QToolButton, "previousButton").clicked.connect(lambda: self._step(-1))
        child(ui, QToolButton, "nextButton").clicked.connect(lambda: self._step(1))
        child(ui, QPushButton, "todayButton").clicked.connect(self.go_today)
        child(ui, QPushButton, "newButton").clicked.connect(self._new_clicked)
        child(ui, QPushButton, "editButton").clicked.connect(self.edit_selected)
        child(ui, QPushButton, "cancelButton").clicked.connect(self.cancel_selected)
        child(ui, QPushButton, "exportButton").clicked.connect(self.export_ics)
        child(ui, QPushButton, "printButton").clicked.connect(self.print_selected)
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.view_mode.currentIndexChanged.connect(lambda _i: self.refresh())
        self.grid.activated.connect(self._activated)

    # --- the shown range -------------------------------------------------------------
    def days(self) -> list[dt.date]:
        day: dt.date = self.day.date().toPython()  # type: ignore[assignment]
        if self.view_mode.currentData() == "day":
            return [day]
        monday = day - dt.timedelta(days=day.weekday())
        return [monday + dt.timedelta(days=n) for n in range(7)]

    def set_view(self, mode: str, day: dt.date | None = None) -> None:
        self.view_mode.setCurrentIndex(self.view_mode.findData(mode))
        if day is not None:
            self.day.setDate(QDate(day.year, day.month, day.day))
        self.refresh()

    def _step(self, direction: int) -> None:
        step = 1 if self.view_mode.currentData() == "day" else 7
        self.day.setDate(self.day.date().addDays(direction * step))

    def go_today(self) -> None:
        today = self.ctx.today()
        self.day.setDate(QDate(today.year, today.month, today.day))

    def refresh(self) -> None:
        days = self.days()
        self.ctx.runner.db(
            lambda store: lists.appointments_between(store, days[0], days[-1] + dt.timedelta(days=1)),
            lambda booked: self._show(days, booked),
        )

    def _show(self, days: list[dt.date], booked: list[lists.Booked]) -> None:
        if days != self.days():
            return  # the counsellor moved on meanwhile
        self.booked = booked
        self.model.set_week(days, booked)

    # --- actions ---------------------------------------------------------------------
    def selected(self) -> lists.Booked | None:
        entries = self.model.booked_at(self.grid.currentIndex())
        return entries[0] if entries else None

    def new_appointment(self, client_id: int | None = None, client_name: str = "") -> None:
        start = self.model.start_of(self.grid.currentIndex())
        if start is not None and self.model.booked_at(self.grid.currentIndex()):
            start = None  # an occupied slot: suggest the next free time instead
        self._open_dialog(
            AppointmentDialog(self.ctx, self, client_id=client_id, client_name=client_name, starts_at=start)
        )

    def _new_clicked(self) -> None:
        self.new_appointment()

    def edit_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            self.message.setText(_("Bitte zuerst einen Termin im Kalender auswählen."))
            return
        self._open_dialog(
            AppointmentDialog(self.ctx, self, appointment=entry.appointment, client_name=entry.client_name)
        )

    def _open_dialog(self, dialog: AppointmentDialog) -> None:
        self.dialog = dialog
        dialog.saved.connect(self._saved)
        dialog.open()

    def _saved(self, appointment_id: int) -> None:
        self.message.setText(_("Termin gespeichert."))
        self.refresh()

    def cancel_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            self.message.setText(_("Bitte zuerst einen Termin im Kalender auswählen."))
            return
        cancelled = entry.appointment._replace(status="cancelled")

        def write(store: Store) -> Change:
            return update_appointment(store, cancelled)

        self.ctx.runner.db(write, lambda change: self._cancelled(entry, change), self.ctx.show_error)

    def _cancelled(self, entry: lists.Booked, change: Change) -> None:
        self.ctx.changed(change)
        self.message.setText(_("Termin mit {name} abgesagt.").format(name=entry.client_name))
        self.refresh()

    def print_selected(self) -> None:
        """The print dialog with the appointment slip of the chosen appointment."""
        entry = self.selected()
        if entry is None:
            self.message.setText(_("Bitte zuerst einen Termin im Kalender auswählen."))
            return
        self.print_dialog = open_print_dialog(
            self.ctx, self, [printing.appointment_target(entry.appointment, mediator=entry.interpreter)]
        )

    def _activated(self, index: QModelIndex) -> None:
        if self.model.booked_at(index):
            self.edit_selected()
        else:
            self.new_appointment()

    def export_ics(self, path: Path | None = None) -> None:
        """Write the shown appointments to an .ics file (asks where unless given)."""
        if path is None:
            days = self.days()
            suggested = str(Path.home() / f"termine-{days[0].isoformat()}.ics")
            name, _filter = QFileDialog.getSaveFileName(self, _("Termine exportieren"), suggested, "iCalendar (*.ics)")
            if not name:
                return
            path = Path(name)
        events = [_event(entry.appointment, entry.client_name) for entry in self.booked]
        text = ics.calendar(events, self.ctx.now().astimezone(dt.UTC))
        target = path

        def write(_progress: object) -> Path:
            write_atomic(target, text.encode("utf-8"))
            return target

        self.ctx.runner.run(write, lambda p: self.message.setText(_("Exportiert nach {path}.").format(path=p)),
                            self.ctx.show_error)  # fmt: skip

    def retranslate(self) -> None:
        super().retranslate()
        for row, (_code, title) in enumerate(VIEWS):
            self.view_mode.setItemText(row, _(title))


def _event(appointment: Appointment, client_name: str) -> ics.Event:
    summary = client_name if not appointment.topic else f"{client_name} – {appointment.topic}"
    return ics.Event(
        uid=ics.appointment_uid(appointment.id),
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        summary=summary,
        location=appointment.place,
        description=appointment.counsellor,
        cancelled=appointment.status == "cancelled",
    )
