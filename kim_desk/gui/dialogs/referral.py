"""Refer a client to a local offer: the offers of their municipality (those in their language first),
what each is, who runs it and how to refer; saved as an open referral (DESIGN.md §7)."""

from __future__ import annotations

import datetime as dt

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
    QWidget,
)

from kim_desk.errors import ValidationError
from kim_desk.gui import validation
from kim_desk.gui.accessibility import show_text
from kim_desk.gui.context import Context
from kim_desk.gui.dates import apply_date_formats
from kim_desk.gui.dialogs.record import RecordDialog
from kim_desk.gui.elide import set_elided
from kim_desk.gui.uiload import child, load_ui
from kim_desk.i18n import LANGUAGES, _
from kim_desk.services import Service
from kim_desk.store import Change
from kim_desk.store.cases import Case, list_cases
from kim_desk.store.contacts import NOTES_LIMIT
from kim_desk.store.referrals import Referral, refer
from kim_desk.taxonomy import CASE_STATUSES, MUNICIPALITIES
from kim_desk.views import referrals
from kim_desk.views.format import code_text, type_title

FACT_LABELS = {
    "provider": "provider", "target_group": "targetGroup", "summary": "summary", "how_to_refer": "howToRefer",
    "languages": "languages", "contact_name": "contactName", "phone": "phone", "email": "email",
    "address": "address", "url": "url", "stand": "stand",
}  # fmt: skip


class ReferralDialog(RecordDialog):
    def __init__(self, ctx: Context, parent: QWidget | None, client_id: int, *, case_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.client_id = client_id
        self.case_id = case_id
        self.dialog: QDialog = load_ui("referral_dialog", parent)  # type: ignore[assignment]
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        # the offers' titles and facts readable without scrolling sideways, yet never beyond the screen (200 %)
        room = self.dialog.screen().availableGeometry()
        self.dialog.resize(min(940, room.width() * 9 // 10), min(640, room.height() * 9 // 10))
        ui = self.dialog
        self.intro: QLabel = child(ui, QLabel, "intro")
        self.client_name: QLabel = child(ui, QLabel, "clientName")
        self.services: QListWidget = child(ui, QListWidget, "services")
        self.facts: dict[str, QLabel] = {key: child(ui, QLabel, name) for key, name in FACT_LABELS.items()}
        for label in self.facts.values():
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.date: QDateEdit = child(ui, QDateEdit, "date")
        self.case: QComboBox = child(ui, QComboBox, "case")
        self.notes: QPlainTextEdit = child(ui, QPlainTextEdit, "notes")
        self.message: QLabel = child(ui, QLabel, "message")
        self.buttons: QDialogButtonBox = child(ui, QDialogButtonBox, "buttons")
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Vermittlung speichern"))
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.fields: dict[str, QWidget] = {"service_code": self.services, "referred_on": self.date,
                                           "case_id": self.case, "notes": self.notes}  # fmt: skip
        apply_date_formats(ui)
        today = ctx.today()
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.case.addItem(_("– keiner –"), None)
        self.catalogue, problem = referrals.local_services()
        if problem:
            self.message.setText(_("Die Liste der Angebote ist fehlerhaft: {problem}").format(problem=problem))
            self.message.setProperty("role", "error")
        self._show_facts(None)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.dialog.reject)
        self.services.currentItemChanged.connect(lambda item, _previous: self._chosen(item))
        catalogue = self.catalogue
        ctx.runner.db(
            lambda store: (referrals.offers_for(store, catalogue, client_id), list_cases(store, client_id=client_id)),
            self._loaded,
            self._failed,
        )

    # --- the client's offers and cases (from the DB worker) --------------------------
    def _loaded(self, values: tuple[referrals.Offers, list[Case]]) -> None:
        offers, cases = values
        set_elided(self.client_name, offers.client_name)
        place = code_text(MUNICIPALITIES, offers.municipality)
        language = LANGUAGES.get(offers.language) if offers.language != "de" else None
        spoken = _(language.german_name) if language is not None else ""  # in the UI language
        if language is not None:
            self.intro.setText(
                _("Angebote in {place}; die auf {language} zuerst.").format(place=place, language=spoken)
            )
        else:
            self.intro.setText(_("Angebote in {place}.").format(place=place))
        self.services.clear()
        for service in offers.services:
            text = _(service.title)
            if language is not None and offers.language in service.languages:
                text = _("{title} – auch auf {language}").format(title=text, language=spoken)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, service.code)
            item.setToolTip(service.provider)
            self.services.addItem(item)
        if not offers.services and not self.message.text():
            self.message.setText(
                _("Für diese Kommune ist kein Angebot bekannt. Bitte als Bedarf ohne Angebot erfassen.")
            )
        for case in cases:
            title = type_title(self.ctx.catalog, case.type_code)
            self.case.addItem(f"{title} ({code_text(CASE_STATUSES, case.status)})", case.id)
        if self.case_id is not None:
            self.case.setCurrentIndex(max(0, self.case.findData(self.case_id)))

    def _chosen(self, item: QListWidgetItem | None) -> None:
        service = self.catalogue.get(str(item.data(Qt.ItemDataRole.UserRole))) if item is not None else None
        self._show_facts(service)
        self.save_button.setEnabled(service is not None)

    def _show_facts(self, service: Service | None) -> None:
        values = referrals.facts(service) if service is not None else {}
        for key, label in self.facts.items():
            show_text(label, values.get(key, ""))

    def choose(self, code: str) -> bool:
        """Select the offer `code` in the list (False when it is not offered to this client)."""
        for row in range(self.services.count()):
            if self.services.item(row).data(Qt.ItemDataRole.UserRole) == code:
                self.services.setCurrentRow(row)
                return True
        return False

    # --- saving ----------------------------------------------------------------------
    def collected(self) -> Referral | None:
        item: QListWidgetItem | None = self.services.currentItem()
        if item is None:
            return None
        day: dt.date = self.date.date().toPython()  # type: ignore[assignment]
        return Referral(self.client_id, str(item.data(Qt.ItemDataRole.UserRole)), day, case_id=self.case.currentData(),
                        notes=self.notes.toPlainText().strip())  # fmt: skip

    def save(self) -> None:
        referral = self.collected()
        if referral is None:
            self._failed(ValidationError("service_code", _("Bitte zuerst ein Angebot wählen.")))
            return
        if len(referral.notes) > NOTES_LIMIT:
            self._failed(ValidationError("notes", _("Die Notiz ist zu lang (höchstens {n} Zeichen).").format(
                n=NOTES_LIMIT)))  # fmt: skip
            return
        known = set(self.catalogue)
        validation.clear(self.fields, self.message)
        self.ctx.runner.db(lambda store: refer(store, referral, known), self._written, self._failed)

    def written_text(self, change: Change) -> str:
        return _("Vermittlung gespeichert.")

    def open(self) -> None:
        self.dialog.open()
        self.services.setFocus()
