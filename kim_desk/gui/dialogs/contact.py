"""Record, edit or delete one counselling contact (for the district's statistics).

Opened with everything filled in (today, in person, the client's preferred language, the
appointment's length and application), so Ctrl+K and Enter record a contact.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from kim_desk.errors import ValidationError
from kim_desk.gui import unsaved, validation
from kim_desk.gui.context import Context
from kim_desk.gui.dates import apply_date_formats
from kim_desk.gui.dialogs.record import RecordDialog
from kim_desk.gui.elide import set_elided
from kim_desk.gui.uiload import child, load_ui
from kim_desk.i18n import LANGUAGES, _
from kim_desk.store import Change, Store
from kim_desk.store.appointments import Appointment
from kim_desk.store.cases import Case, list_cases
from kim_desk.store.clients import get_client
from kim_desk.store.contacts import (
    INTERPRETER_USE,
    NOTES_LIMIT,
    Contact,
    delete_contact,
    record_contact,
    update_contact,
)
from kim_desk.taxonomy import CASE_STATUSES, CHANNELS
from kim_desk.views.format import code_text, type_title


def language_title(code: str) -> str:
    """A language as '<own name> (<name in the UI language>)'; the gloss follows the UI language."""
    lang = LANGUAGES[code]
    gloss = _(lang.german_name)
    return lang.native_name if gloss == lang.native_name else f"{lang.native_name} ({gloss})"


class ContactDialog(RecordDialog):
    def __init__(
        self,
        ctx: Context,
        parent: QWidget | None,
        client_id: int,
        *,
        contact: Contact | None = None,
        appointment: Appointment | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.client_id = client_id
        self.original = contact
        self.appointment = appointment
        self.dialog: QDialog = load_ui("contact_dialog", parent)  # type: ignore[assignment]
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        ui = self.dialog
        self.intro: QLabel = child(ui, QLabel, "intro")
        self.client_name: QLabel = child(ui, QLabel, "clientName")
        self.date: QDateEdit = child(ui, QDateEdit, "date")
        self.channel: QComboBox = child(ui, QComboBox, "channel")
        self.minutes: QSpinBox = child(ui, QSpinBox, "minutes")
        self.language: QComboBox = child(ui, QComboBox, "language")
        self.interpreter: QComboBox = child(ui, QComboBox, "interpreter")
        self.case: QComboBox = child(ui, QComboBox, "case")
        self.topics: QListWidget = child(ui, QListWidget, "topics")
        self.notes: QPlainTextEdit = child(ui, QPlainTextEdit, "notes")
        self.message: QLabel = child(ui, QLabel, "message")
        self.delete_button: QPushButton = child(ui, QPushButton, "deleteButton")
        self.buttons: QDialogButtonBox = child(ui, QDialogButtonBox, "buttons")
        self.fields: dict[str, QWidget] = {
            "contact_on": self.date, "channel": self.channel, "minutes": self.minutes, "language": self.language,
            "interpreter": self.interpreter, "case_id": self.case, "topics": self.topics, "notes": self.notes,
        }  # fmt: skip
        self._setup_choices()
        apply_date_formats(ui)
        today = ctx.today()
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.delete_button.setVisible(contact is not None and contact.id is not None)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setDefault(True)
        self._fill(contact or self._new_contact())
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.dialog.reject)
        self.delete_button.clicked.connect(lambda _checked=False: self.delete())
        ctx.runner.db(self._load_client, self._client_loaded)

    def _setup_choices(self) -> None:
        for code, entry in CHANNELS.items():
            self.channel.addItem(_(entry.title), code)
        for code in LANGUAGES:
            self.language.addItem(language_title(code), code)
        for code, entry in INTERPRETER_USE.items():
            self.interpreter.addItem(_(entry.title), code)
        for app_type in sorted(self.ctx.catalog.types.values(), key=lambda t: _(t.title)):
            item = QListWidgetItem(_(app_type.title))
            item.setData(Qt.ItemDataRole.UserRole, app_type.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.topics.addItem(item)

    def _new_contact(self) -> Contact:
        appointment = self.appointment
        if appointment is None:
            return Contact(self.client_id, self.ctx.today())
        self.intro.setText(_("Der Termin wurde wahrgenommen. Soll der Beratungskontakt erfasst werden?"))
        return Contact(
            self.client_id, min(appointment.starts_at.date(), self.ctx.today()), minutes=appointment.duration_min,
            case_id=appointment.case_id, appointment_id=appointment.id,
        )  # fmt: skip

    def _fill(self, contact: Contact) -> None:
        self.contact = contact
        title = _("Beratungskontakt bearbeiten") if contact.id else _("Beratungskontakt erfassen")
        self.dialog.setWindowTitle(title)
        day = contact.contact_on
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.channel.setCurrentIndex(max(0, self.channel.findData(contact.channel)))
        self.minutes.setValue(contact.minutes)
        self.language.setCurrentIndex(max(0, self.language.findData(contact.language)))
        self.interpreter.setCurrentIndex(max(0, self.interpreter.findData(contact.interpreter)))
        self._check_topics(contact.topics)
        self.notes.setPlainText(contact.notes)
        self.case.clear()
        self.case.addItem(_("– keiner –"), None)

    def _check_topics(self, codes: list[str]) -> None:
        for row in range(self.topics.count()):
            item = self.topics.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in codes
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    # --- the client's name, languages and cases (from the DB worker) -----------------
    def _load_client(self, store: Store) -> tuple[str, list[str], list[Case]]:
        client = get_client(store, self.client_id, with_household=False)
        return client.display_name, list(client.languages), list_cases(store, client_id=self.client_id)

    def _client_loaded(self, values: tuple[str, list[str], list[Case]]) -> None:
        name, languages, cases = values
        set_elided(self.client_name, name)
        if self.original is None and languages:
            self.language.setCurrentIndex(max(0, self.language.findData(languages[0])))
        for case in cases:
            title = type_title(self.ctx.catalog, case.type_code)
            self.case.addItem(f"{title} ({code_text(CASE_STATUSES, case.status)})", case.id)
        if self.contact.case_id is not None:
            self.case.setCurrentIndex(max(0, self.case.findData(self.contact.case_id)))
            if self.original is None:
                linked = [c.type_code for c in cases if c.id == self.contact.case_id]
                self._check_topics(linked)

    # --- saving ----------------------------------------------------------------------
    def collected(self) -> Contact:
        day: dt.date = self.date.date().toPython()  # type: ignore[assignment]
        topics = [
            str(self.topics.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.topics.count())
            if self.topics.item(row).checkState() == Qt.CheckState.Checked
        ]
        return dataclasses.replace(
            self.contact, contact_on=day, channel=self.channel.currentData(), minutes=self.minutes.value(),
            language=self.language.currentData(), interpreter=self.interpreter.currentData(),
            case_id=self.case.currentData(), topics=topics, notes=self.notes.toPlainText().strip(),
        )  # fmt: skip

    def save(self) -> None:
        contact = self.collected()
        if len(contact.notes) > NOTES_LIMIT:
            self._failed(ValidationError("notes", _("Die Notiz ist zu lang (höchstens {n} Zeichen).").format(
                n=NOTES_LIMIT)))  # fmt: skip
            return

        def write(store: Store) -> Change:
            return update_contact(store, contact) if contact.id else record_contact(store, contact)

        validation.clear(self.fields, self.message)
        self.ctx.runner.db(write, self._written, self._failed)

    def delete(self, *, confirmed: bool = False) -> None:
        contact_id = self.contact.id
        if contact_id is None:
            return
        question = _("Diesen Beratungskontakt löschen?")
        if not confirmed and not unsaved.confirm(
            self.dialog, question, _("Er zählt dann nicht mehr in der Statistik.")
        ):
            return
        self.ctx.runner.db(lambda store: delete_contact(store, contact_id), self._written, self._failed)

    def written_text(self, change: Change) -> str:
        return {"create": _("Kontakt erfasst."), "update": _("Kontakt gespeichert."), "delete": _("Kontakt gelöscht.")}[
            change.action
        ]

    def open(self) -> None:
        self.dialog.open()
        self.channel.setFocus()


def open_contact_dialog(ctx: Context, parent: QWidget | None, client_id: int, **kwargs: Any) -> ContactDialog:
    dialog = ContactDialog(ctx, parent, client_id, **kwargs)
    dialog.open()
    return dialog
