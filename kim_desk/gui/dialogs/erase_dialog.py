"""Confirm erasing a person: the counsellor types the family name before the button works.

Erasure cannot be undone, so a click is not enough; typing the name makes sure the right file
is open. Built in code: it is a label, a line and two buttons, with no layout to design.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kim_desk.i18n import _


def same_name(typed: str, family_name: str) -> bool:
    """Case and surrounding spaces do not matter; every letter does."""
    return bool(family_name.strip()) and typed.strip().casefold() == family_name.strip().casefold()


class EraseDialog(QObject):
    confirmed = Signal()

    def __init__(self, parent: QWidget | None, display_name: str, family_name: str) -> None:
        super().__init__(parent)
        self.family_name = family_name
        self.dialog = QDialog(parent)
        self.dialog.setObjectName("EraseDialog")
        self.dialog.setWindowTitle(_("Person löschen"))
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self.dialog)
        text = QLabel(
            _(
                "{name} und alle Anträge, Termine und Kontakte dieser Person werden endgültig gelöscht. "
                "Das lässt sich nicht rückgängig machen.\n\n"
                "Zum Bestätigen bitte den Familiennamen eintippen:"
            ).format(name=display_name)
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.typed = QLineEdit()
        self.typed.setAccessibleName(_("Familienname zur Bestätigung"))
        layout.addWidget(self.typed)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button: QPushButton = self.buttons.addButton(
            _("Endgültig löschen"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.erase_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Abbrechen"))
        layout.addWidget(self.buttons)
        self.typed.textChanged.connect(self._typed)
        self.erase_button.clicked.connect(self._erase)
        self.buttons.rejected.connect(self.dialog.reject)

    def _typed(self, text: str) -> None:
        self.erase_button.setEnabled(same_name(text, self.family_name))

    def _erase(self) -> None:
        if not same_name(self.typed.text(), self.family_name):
            return
        self.dialog.accept()
        self.confirmed.emit()

    def open(self) -> None:
        self.dialog.open()
        self.typed.setFocus()
