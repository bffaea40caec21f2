"""Create, edit, move or cancel one appointment; warns once about a double booking; asks the district's
pool for an interpreter (Sprachmittlung) and records whether one came."""

from __future__ import annotations

import datetime as dt

import shiboken6
from PySide6.QtCore import QDate, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
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
from kim_desk.gui import validation
from kim_desk.gui.context import Context
from kim_desk.gui.dates import apply_date_formats
from kim_desk.gui.dialogs.contact import ContactDialog, language_title
from kim_desk.gui.elide import set_elided
from kim_desk.gui.uiload import child, load_ui
from kim_desk.i18n import LANGUAGES, _
from kim_desk.store import Change, Store
from kim_desk.store.appointments import Appointment, conflicts, create_appointment, update_appointment
from kim_desk.store.cases import list_cases
from kim_desk.store.clients import get_client
from kim_desk.store.contacts import contact_for_appointment
from kim_desk.store.referrals import MediatorRequest, mediator_request_for, request_mediator, withdraw_mediator_request
from kim_desk.store.search import search_clients
from kim_desk.taxonomy import APPOINTMENT_STATUSES, CASE_STATUSES, MEDIATOR_RESULTS, MUNICIPALITIES
from kim_desk.views import lists
from kim_desk.views.format import code_text, date_text, time_text, type_title


def person_text(row: lists.ClientRow) -> str:
    """Name, birth date and municipality: namesakes can be told apart wherever a person is chosen."""
    name = f"{row.family_name}, {row.given_names}".strip(", ")
    parts = [name, date_text(row.birth_date) if row.birth_date else "", code_text(MUNICIPALITIES, row.municipality)]
    return " · ".join(part for part in parts if part)


# the change, or the clashes; whether to offer a contact; the interpreter request's change
Written = tuple[Change | None, list[Appointment], bool, Change | None]
Mediator = tuple[str, str] | None  # (language, result) of the interpreter request; None: no interpreter needed


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
        self.mediator_needed: QCheckBox = child(ui, QCheckBox, "mediatorNeeded")
        self.mediator_language: QComboBox = child(ui, QComboBox, "mediatorLanguage")
        self.mediator_result: QComboBox = child(ui, QComboBox, "mediatorResult")
        self.warning: QLabel = child(ui, QLabel, "warning")
        self.buttons: QDialogButtonBox = child(ui, QDialogButtonBox, "buttons")
        for code, entry in APPOINTMENT_STATUSES.items():
            self.status.addItem(_(entry.title), code)
        for code in LANGUAGES:
            if code != "de":
                self.mediator_language.addItem(language_title(code), code)
        for code, entry in MEDIATOR_RESULTS.items():
            self.mediator_result.addItem(_(entry.title), code)
        self.mediator_stored: MediatorRequest | None = None
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
        self._show_mediator(None)
        if appointment is not None and appointment.id is not None:
            appointment_id = appointment.id
            ctx.runner.db(lambda store: mediator_request_for(store, appointment_id), self._show_mediator)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.dialog.reject)
        self.client_search.textEdited.connect(lambda _t: self._search_timer.start())
        self._search_timer.timeout.connect(self._search)
        self.client_hits.currentItemChanged.connect(self._hit_chosen)
        for widget in (self.date, self.time, self.duration):
            widget.editingFinished.connect(self._reset_conflict_warning)
        self.mediator_needed.toggled.connect(self._mediator_toggled)

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
            self._load_languages()

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
        self._load_languages()

    # --- the interpreter request -----------------------------------------------------
    def _load_languages(self) -> None:
        client_id = self.client_id
        if client_id:
            self.ctx.runner.db(lambda store: get_client(store, client_id, with_household=False).languages,
                               self._client_languages)  # fmt: skip

    def _client_languages(self, languages: list[str]) -> None:
        """Until a request is stored, the language offered is the client's first one that is not German."""
        if self.mediator_stored is None and not self.mediator_needed.isChecked():
            wanted = next((code for code in languages if code != "de"), None)
            if wanted is not None:
                self.mediator_language.setCurrentIndex(max(0, self.mediator_language.findData(wanted)))

    def _show_mediator(self, request: MediatorRequest | None) -> None:
        self.mediator_stored = request
        self.mediator_needed.setChecked(request is not None)
        if request is not None:
            self.mediator_language.setCurrentIndex(max(0, self.mediator_language.findData(request.language)))
            self.mediator_result.setCurrentIndex(max(0, self.mediator_result.findData(request.result)))
        self._mediator_toggled(request is not None)

    def _mediator_toggled(self, needed: bool) -> None:
        for widget in (self.mediator_language, self.mediator_result):
            widget.setEnabled(needed)

    def mediator(self) -> Mediator:
        if not self.mediator_needed.isChecked():
            return None
        return str(self.mediator_language.currentData()), str(self.mediator_result.currentData())

    # --- saving ----------------------------------------------------------------------
    def appointment(self) -> Appointment:
        day: dt.date = self.date.date().toPython()  # type: ignore[assignment]
        clock: dt.time = self.time.time().toPython()  # type: ignore[assignment]
        base = self.original or Appointment(client_id=0, starts_at=dt.datetime.combine(day, clock))
        return base._replace(
            client_id=self.client_id or 0, starts_at=dt.datetime.combine(day, clock),
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
        mediator, today = self.mediator(), self.ctx.today()
        known = self.mediator_stored
        stored = (known.language, known.result) if known is not None else None

        def write(store: Store) -> Written:
            clashes = conflicts(store, appointment) if appointment.status == "planned" else []
            if clashes and sorted(c.id or 0 for c in clashes) != accepted:
                return None, clashes, False, None
            with store.transaction():  # the appointment and its interpreter request, or neither
                change = (
                    update_appointment(store, appointment) if appointment.id else create_appointment(store, appointment)
                )
                if mediator == stored:
                    asked = None  # unchanged: nothing to record
                elif mediator is not None:
                    language, result = mediator
                    asked = request_mediator(store, MediatorRequest(change.id, language, today, result))
                else:
                    asked = withdraw_mediator_request(store, change.id)
            # kept: offer to record the consultation, unless one is recorded for it already
            offer = appointment.status == "done" and contact_for_appointment(store, change.id) is None
            return change, [], offer, asked

        self.ctx.runner.db(write, self._written, self._failed)

    def _written(self, result: Written) -> None:
        change, clashes, offer, asked = result
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
        if asked is not None:
            self.ctx.changed(asked)
        self.saved.emit(change.id)
        self.dialog.accept()
        if offer:
            self.offer_contact(self.appointment()._replace(id=change.id))

    def offer_contact(self, appointment: Appointment) -> ContactDialog:
        """The appointment was kept: the contact dialog, filled in from it (Enter records, Esc declines)."""
        self.contact_dialog = ContactDialog(self.ctx, self.dialog.parentWidget(), appointment.client_id,
                                            appointment=appointment)  # fmt: skip
        self.contact_dialog.open()
        return self.contact_dialog

    def _failed(self, error: Exception) -> None:
        validation.report(self.fields, self.warning, error, self.ctx.show_error)

    def open(self) -> None:
        self.dialog.open()
