"""Asking what to do with unsaved changes: Speichern / Verwerfen / Abbrechen."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kim_desk.i18n import _

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask(parent: QWidget | None, what: str) -> str:
    """SAVE, DISCARD or CANCEL; Escape and closing the box mean CANCEL (nothing is lost)."""
    from PySide6.QtWidgets import QMessageBox  # its Python type: only when the question is asked

    box = QMessageBox(parent)
    box.setObjectName("unsavedChanges")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Ungespeicherte Änderungen"))
    box.setText(_("{what} wurden geändert und noch nicht gespeichert.").format(what=what))
    box.setInformativeText(_("Möchten Sie die Änderungen speichern?"))
    save = box.addButton(_("Speichern"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_("Verwerfen"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(_("Abbrechen"), QMessageBox.ButtonRole.RejectRole)
    for button, name in ((save, "saveChanges"), (discard, "discardChanges"), (cancel, "cancelSwitch")):
        button.setObjectName(name)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is save:
        return SAVE
    if clicked is discard:
        return DISCARD
    return CANCEL


def confirm(parent: QWidget | None, question: str, detail: str = "") -> bool:
    """Yes/No before something that cannot be undone; No is the default and Escape."""
    from PySide6.QtWidgets import QMessageBox  # its Python type: only when the question is asked

    box = QMessageBox(parent)
    box.setObjectName("confirmAction")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Bitte bestätigen"))
    box.setText(question)
    box.setInformativeText(detail)
    yes = box.addButton(_("Ja, fortfahren"), QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(_("Abbrechen"), QMessageBox.ButtonRole.RejectRole)
    yes.setObjectName("confirmYes")
    no.setObjectName("confirmNo")
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    answer = box.clickedButton() is yes
    box.deleteLater()
    return answer
