"""A need with no offer that fits, in two clicks: open the dialog, click the need (a note first, if any)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from kim_desk.errors import ValidationError
from kim_desk.gui import validation
from kim_desk.gui.context import Context
from kim_desk.gui.dialogs.record import RecordDialog
from kim_desk.gui.elide import set_elided
from kim_desk.gui.uiload import child, load_ui
from kim_desk.i18n import _
from kim_desk.store import Change
from kim_desk.store.contacts import NOTES_LIMIT
from kim_desk.store.referrals import UnmetNeed, note_unmet_need
from kim_desk.taxonomy import UNMET_NEEDS

COLUMNS = 2


class NeedDialog(RecordDialog):
    def __init__(self, ctx: Context, parent: QWidget | None, client_id: int, client_name: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.client_id = client_id
        self.dialog: QDialog = load_ui("need_dialog", parent)  # type: ignore[assignment]
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        ui = self.dialog
        set_elided(child(ui, QLabel, "clientName"), client_name)
        self.notes: QPlainTextEdit = child(ui, QPlainTextEdit, "notes")
        self.message: QLabel = child(ui, QLabel, "message")
        grid: QGridLayout = child(ui, QGroupBox, "categoriesBox").layout()
        self.category_buttons: dict[str, QPushButton] = {}
        for index, (code, entry) in enumerate(UNMET_NEEDS.items()):
            button = QPushButton(_(entry.title))
            button.setObjectName(f"need_{code}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, c=code: self.save(c))
            grid.addWidget(button, index // COLUMNS, index % COLUMNS)
            self.category_buttons[code] = button
        self.fields: dict[str, QWidget] = {"notes": self.notes, "category": self.notes}
        child(ui, QDialogButtonBox, "buttons").rejected.connect(self.dialog.reject)

    def save(self, category: str) -> None:
        notes = self.notes.toPlainText().strip()
        if len(notes) > NOTES_LIMIT:
            self._failed(ValidationError("notes", _("Die Notiz ist zu lang (höchstens {n} Zeichen).").format(
                n=NOTES_LIMIT)))  # fmt: skip
            return
        need = UnmetNeed(self.client_id, category, self.ctx.today(), notes)
        validation.clear(self.fields, self.message)
        self.ctx.runner.db(lambda store: note_unmet_need(store, need), self._written, self._failed)

    def written_text(self, change: Change) -> str:
        return _("Bedarf ohne Angebot erfasst.")

    def open(self) -> None:
        self.dialog.open()
        self.notes.setFocus()  # never a need button: Enter or Space must not record one by accident
