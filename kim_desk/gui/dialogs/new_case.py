"""Open a new application (case) of a chosen type for one client; the checklist comes from the catalogue."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QWidget

from kim_desk.gui.context import Context
from kim_desk.gui.elide import set_elided
from kim_desk.gui.uiload import child, load_ui
from kim_desk.i18n import _
from kim_desk.store import Change
from kim_desk.store.cases import open_case


class NewCaseDialog(QObject):
    opened = Signal(int)  # case id

    def __init__(self, ctx: Context, parent: QWidget | None, client_id: int, client_name: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.client_id = client_id
        self.dialog: QDialog = load_ui("new_case_dialog", parent)  # type: ignore[assignment]
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.case_type: QComboBox = child(self.dialog, QComboBox, "caseType")
        self.summary: QLabel = child(self.dialog, QLabel, "typeSummary")
        self.message: QLabel = child(self.dialog, QLabel, "message")
        set_elided(child(self.dialog, QLabel, "clientName"), client_name)
        for app_type in sorted(ctx.catalog.types.values(), key=lambda t: _(t.title)):
            self.case_type.addItem(_(app_type.title), app_type.code)
        buttons: QDialogButtonBox = child(self.dialog, QDialogButtonBox, "buttons")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.dialog.reject)
        self.case_type.currentIndexChanged.connect(self._describe)
        self._describe()

    def choose(self, type_code: str) -> None:
        self.case_type.setCurrentIndex(self.case_type.findData(type_code))

    def _describe(self, *_args: object) -> None:
        app_type = self.ctx.catalog.types.get(self.case_type.currentData() or "")
        if app_type is None:
            self.summary.setText("")
            return
        documents = len(app_type.documents)
        self.summary.setText(
            _("{summary}\nZuständig: {authority}. Checkliste mit {n} Unterlagen.").format(
                summary=_(app_type.summary), authority=_(app_type.authority.name), n=documents
            )
        )

    def save(self) -> None:
        type_code = self.case_type.currentData()
        client_id = self.client_id
        catalog = self.ctx.catalog
        self.ctx.runner.db(
            lambda store: open_case(store, catalog, client_id, type_code),
            self._opened,
            lambda error: self.message.setText(str(error)),
        )

    def _opened(self, change: Change) -> None:
        self.ctx.changed(change)
        self.opened.emit(change.id)
        self.dialog.accept()

    def open(self) -> None:
        self.dialog.open()
