"""What the dialogs that write one record (contact, referral, unmet need) do once the worker answers."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from kim_desk.gui import validation
from kim_desk.gui.context import Context
from kim_desk.store import Change


class RecordDialog(QObject):
    """Written: say so, tell the app what changed, close. Failed: show it at its field (validation.report)."""

    saved = Signal(object)  # the Change
    ctx: Context
    dialog: QDialog
    fields: dict[str, QWidget]
    message: QLabel

    def written_text(self, change: Change) -> str:
        raise NotImplementedError

    def _written(self, change: Change) -> None:
        self.ctx.notify(self.written_text(change))
        self.ctx.changed(change)
        self.saved.emit(change)
        self.dialog.accept()

    def _failed(self, error: Exception) -> None:
        validation.report(self.fields, self.message, error, self.ctx.show_error)
