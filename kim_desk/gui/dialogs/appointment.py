"""Create, edit, move or cancel one appointment; warns once about a double booking."""

from __future__ import annotations

import dataclasses
import datetime as dt

import shiboken6
from PySide6.QtCore import QDate, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from kim_desk import settings
from kim_desk.errors import KnownError, ValidationError
from kim_desk.gui import validation
from kim_desk.gui.context import Context
from kim_desk.gui.dates import apply_date_formats
from kim_desk.gui.dialogs.contact import ContactDialog
from kim_desk.gui.elide import set_elided
from kim_desk.gui.uiload import child, load_ui
from kim_desk.i18n import _
from kim_desk.store import Change, Store
from kim_desk.store.appointments import Appointment, conflicts, create_appointment, update_appointment
from kim_desk.store.cases import list_cases
from kim_desk.store.contacts import contact_for_appointment
from kim_desk.store.search import search_clients
from kim_desk.taxonomy import APPOINTMENT_STATUSES, CASE_STATUSES, MUNICIPALITIES
from kim_desk.views import lists
from kim_desk.views.format import code_text, date_text, time_text, type_title


def person_text(row: lists.ClientRow) -> str:
    """Name, birth date and municipality: namesakes can be told apart wherever a person is chosen."""
    name = f"{row.family_name}, {row.given_names}".strip(", ")
    parts = [name, date_text(row.birth_date) if row.birth_date else "", code_text(MUNICIPALITIES, row.municipality)]
    return " · ".join(part for part in parts if part)


Written = tuple[Change | None, list[Appointment], bool]  # the change, or the clashes; whether to offer a contact


class AppointmentDialog(QObject):
    saved = Signal(int)  # appointment id

    def __init__(
        self,
        ctx: Context,
        parent: QWidget | None,
        *,
        appointment: Appointment | None = None,
        client_id: int | None = None,
        client_name: str = "",
        starts_at: dt.datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: QDialog = load_ui("appointment_dialog", parent)  # type: ignore[assignment]
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        ui = self.dialog
        self.client_name: QLabel = child(ui, QLabel, "clientName")
        self.client_search: QLineEdit = child(ui, QLineEdit, "clientSearch")
        self.client_hits: QListWidget = child(ui, QListWidget, "clientHits")
        self.date: QDateEdit = child(ui, QDateEdit, "date")
        self.time: QTimeEdit = child(ui, QTimeEdit, "time")
        self.duration: QSpinBox = child(ui, QSpinBox, "duration")
        self.topic: QLineEdit = child(ui, QLineEdit, "topic")
        self.case: QComboBox = child(ui, QComboBox, "case")
        self.place: QLineEdit = child(ui, QLineEdit, "place")
        self.counsellor: QLineEdit = child(ui, QLineEdit, "counsellor")
        self.status: QComboBox = child(ui, QComboBox, "status")
        self.warning: QLabel = child(ui, QLabel, "warning")
        self.buttons: QDialogButtonBox = child(ui, QDialogButtonBox, "buttons")
        for code, entry in APPOINTMENT_STATUSES.items():
            self.status.addItem(_(entry.title), code)
        self.fields: dict[str, QWidget] = {
            "client_id": self.client_search, "duration_min": self.duration, "status": self.status,
            "topic": self.topic, "starts_at": self.time,
        }  # fmt: skip
        self.original = appointment
        self.client_id = appointment.client_id if appointment else client_id
        self._accepted_conflicts: list[int] | None = None
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(ctx.options.search_delay_ms)
        self.contact_dialog: ContactDialog | None = None
        apply_date_formats(ui)
        self._fill(appointment, starts_at, client_name)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.dialog.reject)
        self.client_search.textEdited.connect(lambda _t: self._search_timer.start())
        self._search_timer.timeout.connect(self._search)
        self.client_hits.currentItemChanged.connect(self._hit_chosen)
        for widget in (self.date, self.time, self.duration):
            widget.editingFinished.connect(self._reset_conflict_warning)

    def _fill(self, appointment: Appointment | None, starts_at: dt.datetime | None, client_name: str) -> None:
        start = appointment.starts_at if appointment else (starts_at or self._next_slot())
        self.date.setDate(QDate(start.year, start.month, start.day))
        self.time.setTime(QTime(start.hour, start.minute))
        if appointment is not None:
            self.dialog.setWindowTitle(_("Termin bearbeiten oder verschieben"))
            self.duration.setValue(appointment.duration_min)
            self.topic.setText(appointment.topic)
            self.place.setText(appointment.place)
            self.counsellor.setText(appointment.counsellor)
            self.status.setCurrentIndex(max(0, self.status.findData(appointment.status)))
        else:
            self.dialog.setWindowTitle(_("Neuer Termin"))
            self.ctx.runner.db(lambda store: (settings.get(store, "counsellor"), settings.get(store, "place")),
                               self._defaults)  # fmt: skip
        self._show_client(client_name)

    def _next_slot(self) -> dt.datetime:
        now = self.ctx.now()
        start = now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
        return start + dt.timedelta(minutes=30)

    def _defaults(self, values: tuple[str, str]) -> None:
        counsellor, place = values
        if not self.counsellor.text():
            self.counsellor.setText(counsellor)
        if not self.place.text():
            self.place.setText(place)

    def _show_client(self, name: str) -> None:
        fixed = self.client_id is not None
        set_elided(self.client_name, name or (_("Nummer {id}").format(id=self.client_id) if fixed else ""))
        self.client_name.setVisible(fixed)
        self.client_search.setVisible(not fixed)
        self.client_hits.setVisible(not fixed)
        if fixed:
            client_id = self.client_id
            self.ctx.runner.db(lambda store: list_cases(store, client_id=client_id, open_only=True), self._cases)

    def _cases(self, cases: list) -> None:
        self.case.clear()
        self.case.addItem(_("– keiner –"), None)
        for case in cases:
            title = type_title(self.ctx.catalog, case.type_code)
            self.case.addItem(f"{title} ({code_text(CASE_STATUSES, case.status)})", case.id)
        if self.original is not None and self.original.case_id is not None:
            self.case.setCurrentIndex(max(0, self.case.findData(self.original.case_id)))

    # --- choosing the client ---------------------------------------------------------
    def _search(self) -> None:
        text = self.client_search.text()

        def find(store: Store) -> list[tuple[int, str]]:
            ids = [hit.client_id for hit in search_clients(store, text, limit=20)]
            rows = lists.client_rows(store, ids)
            return [(client_id, person_text(rows[client_id])) for client_id in ids if client_id in rows]

        self.ctx.runner.db(find, self._hits)

    def _hits(self, hits: list[tuple[int, str]]) -> None:
        self.client_hits.clear()
        for client_id, name in hits:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, client_id)
            self.client_hits.addItem(item)

    def _hit_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.client_id = int(item.data(Qt.ItemDataRole.UserRole))
        client_id = self.client_id
        self.ctx.runner.db(lambda store: list_cases(store, client_id=client_id, open_only=True), self._cases)

    # --- saving ----------------------------------------------------------------------
    def appointment(self) -> Appointment:
        day: dt.date = self.date.date().toPython()  # type: ignore[assignment]
        clock: dt.time = self.time.time().toPython()  # type: ignore[assignment]
        base = self.original or Appointment(client_id=0, starts_at=dt.datetime.combine(day, clock))
        return dataclasses.replace(
            base, client_id=self.client_id or 0, starts_at=dt.datetime.combine(day, clock),
            duration_min=self.duration.value(), topic=self.topic.text().strip(), place=self.place.text().strip(),
            counsellor=self.counsellor.text().strip(), status=self.status.currentData(),
            case_id=self.case.currentData(),
        )  # fmt: skip

    def _reset_conflict_warning(self) -> None:
        if not shiboken6.isValid(self.buttons):  # a field losing focus while the window is torn down
            return
        self._accepted_conflicts = None
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Speichern"))

    def save(self) -> None:
        if not self.client_id:
            validation.show(self.fields, self.warning, "client_id", _("Bitte zuerst die Person auswählen."))
            return
        appointment = self.appointment()
        accepted = self._accepted_conflicts

        def write(store: Store) -> Written:
            clashes = conflicts(store, appointment) if appointment.status == "planned" else []
            if clashes and sorted(c.id or 0 for c in clashes) != accepted:
                return None, clashes, False
            change = (
                update_appointment(store, appointment) if appointment.id else create_appointment(store, appointment)
            )
            # kept: offer to record the consultation, unless one is recorded for it already
            offer = appointment.status == "done" and contact_for_appointment(store, change.id) is None
            return change, [], offer

        self.ctx.runner.db(write, self._written, self._failed)

    def _written(self, result: Written) -> None:
        change, clashes, offer = result
        if change is None:
            self._accepted_conflicts = sorted(c.id or 0 for c in clashes)
            times = ", ".join(f"{time_text(c.starts_at)}–{time_text(c.ends_at)}" for c in clashes)
            self.warning.setText(
                _("Doppelbuchung: {counsellor} hat zu dieser Zeit schon einen Termin ({times}). "
                  "Zum Speichern trotzdem noch einmal bestätigen.").format(
                    counsellor=self.appointment().counsellor or _("die Beraterin / der Berater"), times=times)
            )  # fmt: skip
            self.warning.setProperty("role", "warning")
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Trotzdem speichern"))
            return
        self.ctx.changed(change)
        self.saved.emit(change.id)
        self.dialog.accept()
        if offer:
            self.offer_contact(dataclasses.replace(self.appointment(), id=change.id))

    def offer_contact(self, appointment: Appointment) -> ContactDialog:
        """The appointment was kept: the contact dialog, filled in from it (Enter records, Esc declines)."""
        self.contact_dialog = ContactDialog(self.ctx, self.dialog.parentWidget(), appointment.client_id,
                                            appointment=appointment)  # fmt: skip
        self.contact_dialog.open()
        return self.contact_dialog

    def _failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            validation.show(self.fields, self.warning, error.field, str(error))
        elif isinstance(error, KnownError):
            self.warning.setText(str(error))
        else:
            self.ctx.show_error(error)

    def open(self) -> None:
        self.dialog.open()
