"""One client's file: personal data (validated), household, languages, cases, appointments, contacts,
referrals and unmet needs (client_referrals.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kim_desk import settings
from kim_desk.errors import ValidationError
from kim_desk.gui import validation
from kim_desk.gui.context import Context
from kim_desk.gui.dialogs.contact import ContactDialog, language_title
from kim_desk.gui.dialogs.erase_dialog import EraseDialog
from kim_desk.gui.dialogs.print_dialog import PrintDialog, open_print_dialog
from kim_desk.gui.elide import set_elided
from kim_desk.gui.models.records import Column, RecordTableModel
from kim_desk.gui.pages.base import setup_table
from kim_desk.gui.pages.client_referrals import ReferralSection
from kim_desk.gui.uiload import child, load_ui, retranslate
from kim_desk.i18n import LANGUAGES, N_, _
from kim_desk.privacy.erasure import erase_client
from kim_desk.privacy.export import ExportFiles, export_client
from kim_desk.store import Change, Store
from kim_desk.store.clients import Client, HouseholdMember, create_client, update_client
from kim_desk.store.contacts import INTERPRETER_USE, Contact
from kim_desk.taxonomy import (
    APPOINTMENT_STATUSES,
    CASE_STATUSES,
    CHANNELS,
    HOUSEHOLD_RELATIONS,
    MUNICIPALITIES,
    RESIDENCE_STATUSES,
)
from kim_desk.views import lists, printing
from kim_desk.views.format import code_text, date_text, datetime_text, type_title

GENDERS = (("", N_("keine Angabe")), ("f", N_("weiblich")), ("m", N_("männlich")), ("d", N_("divers")))
HOUSEHOLD_COLUMNS = (N_("Familienname"), N_("Vornamen"), N_("Geburtsdatum"), N_("Beziehung"))
TEXT_FIELDS = {
    "family_name": "familyName", "given_names": "givenNames", "family_name_orig": "familyNameOrig",
    "given_names_orig": "givenNamesOrig", "nationality": "nationality", "street": "street", "postcode": "postcode",
    "city": "city", "phone": "phone", "email": "email",
}  # fmt: skip
NAME_LIMIT = 100  # characters in a name field; longer ones break lists, print-outs and the window
TEXT_LIMITS = {"nationality": 60, "street": 120, "postcode": 5, "city": 80, "phone": 30, "email": 120}


def user_date(text: str) -> str | None:
    """Accept TT.MM.JJJJ as typed at a German desk, or ISO; anything else goes to validation as is."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%d.%m.%Y").date().isoformat()
    except ValueError:
        return text


def shown_date(iso: str | None) -> str:
    return dt.date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else ""


class ClientPanel(QWidget):
    saved = Signal(int)
    request_appointment = Signal(int)
    request_case = Signal(int)
    open_case = Signal(int)
    erased = Signal(int)  # client id, after the erasure is stored: the list must search again

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = load_ui("client_panel", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.ui)
        self.client: Client | None = None
        self.file: lists.ClientFile | None = None
        self.print_dialog: PrintDialog | None = None
        self.erase_dialog: EraseDialog | None = None
        self._setup_fields()
        self._setup_tables()
        self._connect_signals()
        self._set_enabled(False)

    # --- setup -----------------------------------------------------------------------
    def _setup_fields(self) -> None:
        ui = self.ui
        self.heading: QLabel = child(ui, QLabel, "heading")
        self.heading.setObjectName("heading")
        self.tabs: QTabWidget = child(ui, QTabWidget, "tabs")
        self.message: QLabel = child(ui, QLabel, "message")
        self.edits: dict[str, QLineEdit] = {key: child(ui, QLineEdit, name) for key, name in TEXT_FIELDS.items()}
        self.birth_date: QLineEdit = child(ui, QLineEdit, "birthDate")
        self.permit_expires: QLineEdit = child(ui, QLineEdit, "permitExpires")
        self.gender: QComboBox = child(ui, QComboBox, "gender")
        self.municipality: QComboBox = child(ui, QComboBox, "municipality")
        self.residence: QComboBox = child(ui, QComboBox, "residenceStatus")
        self.languages: QListWidget = child(ui, QListWidget, "languages")
        self.notes: QPlainTextEdit = child(ui, QPlainTextEdit, "notes")
        self.buttons = {
            name: child(ui, QPushButton, name)
            for name in ("saveButton", "newAppointmentButton", "newCaseButton", "printButton",
                         "exportButton", "eraseButton", "addMemberButton", "removeMemberButton", "contactButton",
                         "addContactButton", "editContactButton")
        }  # fmt: skip
        for key, edit in self.edits.items():
            edit.setMaxLength(TEXT_LIMITS.get(key, NAME_LIMIT))
            edit.textEdited.connect(lambda text, e=edit: self._at_limit(e, text))
        for code, title in GENDERS:
            self.gender.addItem(_(title), code)
        for code, entry in MUNICIPALITIES.items():
            self.municipality.addItem(entry.title, code)
        self.desk_municipality = "warendorf"  # replaced by the setting when a new person is created
        self.residence.addItem(_("keine Angabe"), "")
        for code, entry in RESIDENCE_STATUSES.items():
            self.residence.addItem(_(entry.title), code)
        for code in LANGUAGES:
            item = QListWidgetItem(language_title(code))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.languages.addItem(item)
        self.fields: dict[str, QWidget] = {key: edit for key, edit in self.edits.items()}
        self.fields.update(
            birth_date=self.birth_date, permit_expires=self.permit_expires, gender=self.gender,
            municipality=self.municipality, residence_status=self.residence, languages=self.languages,
            household=child(ui, QTableWidget, "householdTable"),
        )  # fmt: skip

    def _setup_tables(self) -> None:
        catalog = self.ctx.catalog
        self.household: QTableWidget = child(self.ui, QTableWidget, "householdTable")
        self.household.setColumnCount(len(HOUSEHOLD_COLUMNS))
        self.household.setHorizontalHeaderLabels([_(t) for t in HOUSEHOLD_COLUMNS])
        self.household.horizontalHeader().setStretchLastSection(True)
        self.cases = RecordTableModel(
            [
                Column(N_("Antrag"), lambda c: type_title(catalog, c.type_code)),
                Column(N_("Stand"), lambda c: code_text(CASE_STATUSES, c.status)),
                Column(N_("Frist"), lambda c: date_text(c.deadline)),
                Column(N_("Fehlende Unterlagen"), lambda c: str(len(c.missing_documents))),
            ],
            self,
        )
        self.appointments = RecordTableModel(
            [
                Column(N_("Wann"), lambda a: datetime_text(a.starts_at)),
                Column(N_("Thema"), lambda a: a.topic),
                Column(N_("Stand"), lambda a: code_text(APPOINTMENT_STATUSES, a.status)),
            ],
            self,
        )
        self.contacts = RecordTableModel(
            [
                Column(N_("Datum"), lambda c: date_text(c.contact_on)),
                Column(N_("Art"), lambda c: code_text(CHANNELS, c.channel)),
                Column(N_("Minuten"), lambda c: str(c.minutes)),
                Column(N_("Sprache"), lambda c: LANGUAGES[c.language].native_name if c.language in LANGUAGES else ""),
                Column(N_("Dolmetschung"), lambda c: code_text(INTERPRETER_USE, c.interpreter)),
                Column(N_("Themen"), lambda c: ", ".join(type_title(catalog, t) for t in c.topics)),
                Column(N_("Notiz"), lambda c: c.notes),
            ],
            self,
        )
        for name, model in (("casesTable", self.cases), ("appointmentsTable", self.appointments),
                            ("contactsTable", self.contacts)):  # fmt: skip
            view: QTableView = child(self.ui, QTableView, name)
            view.setModel(model)
            setup_table(view)
        self.cases_view: QTableView = child(self.ui, QTableView, "casesTable")
        self.contacts_view: QTableView = child(self.ui, QTableView, "contactsTable")
        self.contact_dialog: ContactDialog | None = None
        self.referral_section = ReferralSection(self.ctx, self.ui, self)
        self._clean: Client | None = None  # the form as last loaded or saved: anything else is unsaved

    def _connect_signals(self) -> None:
        self.buttons["saveButton"].clicked.connect(lambda _checked=False: self.save())
        self.buttons["newAppointmentButton"].clicked.connect(lambda: self._emit_for_client(self.request_appointment))
        self.buttons["newCaseButton"].clicked.connect(lambda: self._emit_for_client(self.request_case))
        self.buttons["printButton"].clicked.connect(self.print_selected)
        self.buttons["exportButton"].clicked.connect(self._export_clicked)
        self.buttons["eraseButton"].clicked.connect(self.ask_erase)
        self.buttons["addMemberButton"].clicked.connect(self._new_member)
        self.buttons["removeMemberButton"].clicked.connect(self._remove_member)
        self.cases_view.activated.connect(self._case_activated)
        self.buttons["contactButton"].clicked.connect(lambda _checked=False: self.record_contact())
        self.buttons["addContactButton"].clicked.connect(lambda _checked=False: self.record_contact())
        self.buttons["editContactButton"].clicked.connect(self.edit_selected_contact)
        self.contacts_view.activated.connect(lambda index: self.edit_contact(self.contacts.record(index.row())))

    # --- showing ---------------------------------------------------------------------
    def show_client(self, client_id: int) -> None:
        self.ctx.runner.db(lambda store: lists.client_file(store, client_id), self._show)

    def reload(self) -> None:
        """Show the stored file again (after a change elsewhere); unsaved edits in the form stay."""
        if self.client is not None and self.client.id is not None:
            self.show_client(self.client.id)

    def new_client(self, family_name: str = "") -> None:
        """An empty form in the desk's own municipality (never the one of the person viewed before)."""
        self.ctx.runner.db(
            lambda store: settings.get(store, "municipality"), lambda code: self._new_client(family_name, code)
        )

    def _new_client(self, family_name: str, municipality: str) -> None:
        self.desk_municipality = municipality
        self._fill(Client(family_name=family_name, municipality=municipality))
        self.file = None
        self.cases.set_rows([])
        self.appointments.set_rows([])
        self.contacts.set_rows([])
        self.referral_section.show_file(None)
        self.tabs.setCurrentIndex(0)
        self.edits["family_name"].setFocus()

    def _show(self, file: lists.ClientFile) -> None:
        same = self.client is not None and self.client.id == file.client.id
        self.file = file
        if not (same and self.is_dirty()):
            self._fill(file.client)
        self.cases.set_rows(file.cases)
        self.appointments.set_rows(file.appointments)
        self.contacts.set_rows(file.contacts)
        self.referral_section.show_file(file)
        for view in self.ui.findChildren(QTableView):  # one person's rows: columns as wide as their texts
            view.resizeColumnsToContents()

    def _fill(self, client: Client) -> None:
        self.client = client
        validation.clear(self.fields, self.message)
        self._set_enabled(True)
        set_elided(self.heading, client.display_name if client.id else _("Neue Person"))
        cut = [
            edit.accessibleName() for key, edit in self.edits.items() if len(getattr(client, key)) > edit.maxLength()
        ]
        for key, edit in self.edits.items():
            edit.setText(getattr(client, key))
        self.birth_date.setText(shown_date(client.birth_date))
        self.permit_expires.setText(shown_date(client.permit_expires))
        self.gender.setCurrentIndex(max(0, self.gender.findData(client.gender)))
        self.municipality.setCurrentIndex(max(0, self.municipality.findData(client.municipality)))
        self.residence.setCurrentIndex(max(0, self.residence.findData(client.residence_status)))
        self._fill_languages(client.languages)
        self.notes.setPlainText(client.notes)
        self.household.setRowCount(0)
        for member in client.household:
            self._add_member(member)
        self.mark_clean()
        if cut:  # stored longer elsewhere (import, command line): say so before a save shortens it
            self.message.setText(
                _("„{field}“ ist länger als erlaubt und wird beim Speichern gekürzt.").format(field=", ".join(cut))
            )
            self.message.setProperty("role", "warning")

    # --- unsaved changes -------------------------------------------------------------
    def mark_clean(self) -> None:
        self._clean = self.collected() if self.client is not None else None

    def is_dirty(self) -> bool:
        """True when the form (personal data or household) differs from what was loaded or saved."""
        return self._clean is not None and self.client is not None and self.collected() != self._clean

    def discard_changes(self) -> None:
        if self.client is not None and self.client.id is not None:
            self._fill(self.client)
        else:
            self._clean = None

    def _at_limit(self, edit: QLineEdit, text: str) -> None:
        if len(text) >= edit.maxLength():
            self.message.setText(
                _("„{field}“ darf höchstens {n} Zeichen lang sein.").format(field=edit.accessibleName(),
                                                                           n=edit.maxLength())
            )  # fmt: skip
            self.message.setProperty("role", "warning")

    def _fill_languages(self, codes: list[str]) -> None:
        # chosen languages first, in the client's order: the first one is the preferred language
        items = [self.languages.takeItem(0) for _row in range(self.languages.count())]
        chosen = [i for code in codes for i in items if i.data(Qt.ItemDataRole.UserRole) == code]
        rest = [i for i in items if i not in chosen]
        for item in chosen + rest:
            item.setCheckState(Qt.CheckState.Checked if item in chosen else Qt.CheckState.Unchecked)
            self.languages.addItem(item)

    def _add_member(self, member: HouseholdMember) -> None:
        row = self.household.rowCount()
        self.household.insertRow(row)
        self.household.setItem(row, 0, QTableWidgetItem(member.family_name))
        self.household.setItem(row, 1, QTableWidgetItem(member.given_names))
        self.household.setItem(row, 2, QTableWidgetItem(shown_date(member.birth_date)))
        relation = QComboBox()
        relation.setAccessibleName(_("Beziehung"))
        for code, entry in HOUSEHOLD_RELATIONS.items():
            relation.addItem(_(entry.title), code)
        relation.setCurrentIndex(max(0, relation.findData(member.relation)))
        self.household.setCellWidget(row, 3, relation)

    def _new_member(self) -> None:
        self._add_member(HouseholdMember())
        row = self.household.rowCount() - 1
        self.household.setCurrentCell(row, 0)
        item = self.household.item(row, 0)
        if item is not None:
            self.household.editItem(item)

    def _remove_member(self) -> None:
        row = self.household.currentRow()
        if row >= 0:
            self.household.removeRow(row)

    def _set_enabled(self, enabled: bool) -> None:
        self.tabs.setEnabled(enabled)
        for name in ("newAppointmentButton", "newCaseButton", "printButton", "exportButton", "eraseButton",
                     "contactButton", "addContactButton", "editContactButton"):  # fmt: skip
            self.buttons[name].setEnabled(enabled and self.client is not None and self.client.id is not None)
        self.referral_section.set_enabled(enabled and self.client is not None and self.client.id is not None)

    # --- saving ----------------------------------------------------------------------
    def collected(self) -> Client:
        base = self.client or Client(family_name="", municipality=self.desk_municipality)
        values = {key: edit.text().strip() for key, edit in self.edits.items()}
        languages = [
            self.languages.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.languages.count())
            if self.languages.item(row).checkState() == Qt.CheckState.Checked
        ]
        household = []
        for row in range(self.household.rowCount()):
            cells = [self.household.item(row, col) for col in range(3)]
            texts = [cell.text().strip() if cell is not None else "" for cell in cells]
            relation = self.household.cellWidget(row, 3)
            code = relation.currentData() if isinstance(relation, QComboBox) else "other"
            if any(texts):
                household.append(HouseholdMember(texts[0], texts[1], user_date(texts[2]), code))
        return Client(
            **values, municipality=self.municipality.currentData(), birth_date=user_date(self.birth_date.text()),
            gender=self.gender.currentData(), languages=languages, residence_status=self.residence.currentData(),
            permit_expires=user_date(self.permit_expires.text()), notes=self.notes.toPlainText(),
            household=household, id=base.id, uid=base.uid,
        )  # fmt: skip

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Store the form (personal data with the household); `then` runs only after a successful save."""
        client = self.collected()
        too_long = [m for m in client.household if max(len(m.family_name), len(m.given_names)) > NAME_LIMIT]
        if too_long:
            self.tabs.setCurrentIndex(1)
            message = _("„{field}“ darf höchstens {n} Zeichen lang sein.").format(field=_("Haushalt"), n=NAME_LIMIT)
            validation.show(self.fields, self.message, "household", message)
            return

        def write(store: Store) -> Change:
            return update_client(store, client) if client.id else create_client(store, client)

        validation.clear(self.fields, self.message)
        self.ctx.runner.db(write, lambda change: self._saved(change, then), self._failed)

    def _saved(self, change: Change, then: Callable[[], None] | None = None) -> None:
        self.ctx.notify(_("Gespeichert."))
        self._clean = None  # what is stored now is loaded next; nothing unsaved meanwhile
        self.saved.emit(change.id)
        self.ctx.changed(change)
        self.show_client(change.id)
        if then is not None:
            then()

    def _failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            self.tabs.setCurrentIndex(0 if not error.field.startswith("household") else 1)
            validation.show(self.fields, self.message, error.field, str(error))
        else:
            self.ctx.show_error(error)

    # --- actions ---------------------------------------------------------------------
    def _emit_for_client(self, signal: SignalInstance) -> None:
        if self.client is not None and self.client.id is not None:
            signal.emit(self.client.id)

    def selected_case_id(self) -> int:
        index = self.cases_view.currentIndex()
        case = self.cases.record(index.row()) if index.isValid() else None
        if case is None and self.file is not None:
            open_cases = [c for c in self.file.cases if c.status != "closed"]
            case = open_cases[0] if open_cases else None
        return case.id if case is not None else 0

    def print_targets(self) -> tuple[list[printing.Target], int]:
        """The client's cases (the selected one first chosen) and coming appointments."""
        if self.file is None:
            return [], 0
        targets = [printing.case_target(self.ctx.catalog, case) for case in self.file.cases]
        selected = self.selected_case_id()
        chosen = next((row for row, t in enumerate(targets) if t.case_id == selected), 0)
        now = self.ctx.now()
        targets += [
            printing.appointment_target(a, mediator=a.id in self.file.interpreter)
            for a in self.file.appointments
            if a.status != "cancelled" and a.starts_at >= now - dt.timedelta(days=1)
        ]
        return targets, chosen

    def print_selected(self) -> None:
        if self.client is None or self.client.id is None:
            return
        targets, chosen = self.print_targets()
        self.print_dialog = open_print_dialog(self.ctx, self, targets, chosen)

    # --- data protection (GDPR Art. 15/20 and 17) ------------------------------------
    def _export_clicked(self) -> None:
        self.export_data()

    def export_data(self, folder: Path | None = None) -> None:
        """Everything about this client as JSON and a readable PDF in their language (asks where unless given)."""
        client = self.client
        if client is None or client.id is None:
            return
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, _("Ordner für die Auskunft wählen"), str(Path.home()))
            if not chosen:
                return
            folder = Path(chosen)
        client_id, catalog, target = client.id, self.ctx.catalog, folder
        self.ctx.notify(_("Auskunft wird erstellt …"))
        self.ctx.runner.db(
            lambda store: export_client(store, client_id, target, catalog=catalog), self._exported, self.ctx.show_error
        )

    def _exported(self, files: ExportFiles) -> None:
        text = _("Auskunft gespeichert: {json} und {pdf} in {folder}").format(
            json=files.json_path.name, pdf=files.pdf_path.name, folder=files.json_path.parent
        )
        self.message.setText(text)
        self.ctx.notify(text)

    def ask_erase(self) -> None:
        client = self.client
        if client is None or client.id is None:
            return
        self.erase_dialog = EraseDialog(self, client.display_name, client.family_name)
        self.erase_dialog.confirmed.connect(lambda: self._erase(client.id or 0))
        self.erase_dialog.open()

    def _erase(self, client_id: int) -> None:
        if self.client is None or self.client.id != client_id:
            return  # another file is open now; nothing is erased without its own confirmation
        paths = self.ctx.paths
        self.ctx.runner.db(lambda store: erase_client(store, paths, client_id), lambda _c: self._erased(client_id),
                           self.ctx.show_error)  # fmt: skip

    def _erased(self, client_id: int) -> None:
        if self.client is not None and self.client.id == client_id:
            self.client = None
            self.file = None
            for edit in (*self.edits.values(), self.birth_date, self.permit_expires):
                edit.clear()
            self._fill_languages([])
            self.heading.setText("")
            self.cases.set_rows([])
            self.appointments.set_rows([])
            self.contacts.set_rows([])
            self.referral_section.show_file(None)
            self.household.setRowCount(0)
            self.notes.clear()
            self._set_enabled(False)
        self.ctx.notify(_("Die Person und alle ihre Daten wurden gelöscht."))
        self.erased.emit(client_id)
        self.ctx.changed(Change("client", client_id, "delete"))  # Today, calendar and lists drop the person

    # --- contacts --------------------------------------------------------------------
    def record_contact(self) -> ContactDialog | None:
        """The contact dialog for the person shown, filled in: Enter records the contact."""
        if self.client is None or self.client.id is None:
            return None
        self.contact_dialog = ContactDialog(self.ctx, self, self.client.id)
        self.contact_dialog.open()
        return self.contact_dialog

    def edit_selected_contact(self) -> None:
        index = self.contacts_view.currentIndex()
        if not index.isValid() and self.contacts.rowCount():
            index = self.contacts.index(0, 0)
        if index.isValid():
            self.edit_contact(self.contacts.record(index.row()))

    def edit_contact(self, contact: Contact | None) -> None:
        if contact is None or self.client is None or self.client.id != contact.client_id:
            return
        self.contact_dialog = ContactDialog(self.ctx, self, contact.client_id, contact=contact)
        self.contact_dialog.open()

    def _case_activated(self, index: QModelIndex) -> None:
        case = self.cases.record(index.row())
        if case is not None:
            self.open_case.emit(case.id)

    def retranslate(self) -> None:
        retranslate(self.ui)
        for row, (_code, title) in enumerate(GENDERS):
            self.gender.setItemText(row, _(title))
        self.residence.setItemText(0, _("keine Angabe"))
        for row, entry in enumerate(RESIDENCE_STATUSES.values(), start=1):
            self.residence.setItemText(row, _(entry.title))
        self.household.setHorizontalHeaderLabels([_(t) for t in HOUSEHOLD_COLUMNS])
        for row in range(self.household.rowCount()):
            relation = self.household.cellWidget(row, 3)
            if isinstance(relation, QComboBox):
                relation.setAccessibleName(_("Beziehung"))
                for index, entry in enumerate(HOUSEHOLD_RELATIONS.values()):
                    relation.setItemText(index, _(entry.title))
        for row in range(self.languages.count()):
            item = self.languages.item(row)
            item.setText(language_title(item.data(Qt.ItemDataRole.UserRole)))
        for model in (self.cases, self.appointments, self.contacts):
            model.retranslate()
        self.referral_section.retranslate()
        if self.client is not None and not self.client.id:
            self.heading.setText(_("Neue Person"))
