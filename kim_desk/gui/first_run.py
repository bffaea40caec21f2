"""First run: create the desk passphrase (twice) and show the recovery code for the organisation's IT."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QFont, QGuiApplication, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from kim_desk import demo, settings, vault
from kim_desk.desk import Desk, create_desk
from kim_desk.errors import KnownError
from kim_desk.gui.context import GuiOptions
from kim_desk.gui.uiload import child, load_ui
from kim_desk.i18n import _
from kim_desk.paths import DataPaths
from kim_desk.taxonomy import MUNICIPALITIES
from kim_desk.views.format import datetime_text

DEMO_CLIENTS = 200


class PassphrasePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Willkommen bei KIM Desk"))
        self.ui = load_ui("first_run_passphrase", self)
        QVBoxLayout(self).addWidget(self.ui)
        self.first: QLineEdit = child(self.ui, QLineEdit, "first")
        self.second: QLineEdit = child(self.ui, QLineEdit, "second")
        self.error: QLabel = child(self.ui, QLabel, "error")
        self.error.setProperty("role", "error")
        self.municipality: QComboBox = child(self.ui, QComboBox, "municipality")
        for code, entry in MUNICIPALITIES.items():
            self.municipality.addItem(entry.title, code)
        self.municipality.setCurrentIndex(self.municipality.findData("warendorf"))
        self.demo: QCheckBox = child(self.ui, QCheckBox, "demo")

    def validatePage(self) -> bool:
        """Create the desk when leaving this page; afterwards there is no way back to it."""
        if self._wizard.desk is not None:
            return True
        if self.first.text() != self.second.text():
            self.error.setText(_("Die beiden Eingaben stimmen nicht überein."))
            return False
        try:
            self._wizard.create_desk(self.first.text(), self.municipality.currentData(), self.demo.isChecked())
        except KnownError as exc:
            self.error.setText(str(exc))
            return False
        return True


class RecoveryPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Wiederherstellungscode für die IT"))
        self.ui = load_ui("first_run_recovery", self)
        QVBoxLayout(self).addWidget(self.ui)
        self.code: QLabel = child(self.ui, QLabel, "code")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.TypeWriter)  # Windows knows no "monospace": the hint picks its own
        font.setPointSize(16)
        font.setBold(True)
        self.code.setFont(font)
        self.noted: QCheckBox = child(self.ui, QCheckBox, "noted")
        self.noted.toggled.connect(self.completeChanged)
        child(self.ui, QPushButton, "copyButton").clicked.connect(self.copy)
        child(self.ui, QPushButton, "printButton").clicked.connect(self.print_code)
        child(self.ui, QPushButton, "pdfButton").clicked.connect(lambda _checked=False: self.save_pdf())
        self.setCommitPage(True)

    def initializePage(self) -> None:
        self.code.setText(self._wizard.recovery_code)

    def isComplete(self) -> bool:
        return self.noted.isChecked()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self._wizard.recovery_code)

    def sheet(self) -> QTextDocument:
        """The sheet for the organisation's IT: the code, the folder, the date, what to do with it."""
        wizard = self._wizard
        document = QTextDocument()
        document.setHtml(
            "<h1>{title}</h1><p>{intro}</p><p style='font-family:monospace; font-size:20pt'><b>{code}</b></p>"
            "<p>{folder}</p><p>{made}</p><p>{keep}</p>".format(
                title=html.escape(_("KIM Desk – Wiederherstellungscode")),
                intro=html.escape(_("Mit diesem Code öffnet die IT die Daten des Arbeitsplatzes, wenn die "
                                    "Passphrase vergessen wurde. Danach wird eine neue Passphrase gesetzt.")),
                code=html.escape(wizard.recovery_code),
                folder=html.escape(_("Datenordner: {path}").format(path=wizard.paths.root)),
                made=html.escape(_("Angelegt am: {when}").format(when=datetime_text(wizard.gui_options.clock.now()))),
                keep=html.escape(_("Verschlossen aufbewahren, getrennt vom Rechner. Nicht per E-Mail versenden.")),
            )
        )  # fmt: skip
        return document

    def save_pdf(self, path: Path | None = None) -> Path | None:
        """Write the sheet as a PDF where the user chooses (a file only they decide to keep)."""
        if path is None:
            name, _filter = QFileDialog.getSaveFileName(
                self, _("Wiederherstellungscode als PDF speichern"),
                str(Path.home() / "kim-desk-wiederherstellungscode.pdf"), "PDF (*.pdf)",
            )  # fmt: skip
            if not name:
                return None
            path = Path(name)
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setResolution(300)
        writer.setPageMargins(QMarginsF(20, 20, 20, 20))
        document = self.sheet()
        document.setPageSize(QSizeF(writer.width(), writer.height()))
        document.print_(writer)
        return path

    def print_code(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        if QPrintDialog(printer, self).exec():
            self.sheet().print_(printer)


class FirstRunWizard(QWizard):
    """Only shown when the data folder holds no desk at all (vault.is_initialised is False)."""

    def __init__(self, paths: DataPaths, options: GuiOptions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if vault.is_initialised(paths):
            raise ValueError("the first-run wizard must not run where a desk exists")
        self.paths = paths
        self.gui_options = options
        self.desk: Desk | None = None
        self.recovery_code = ""
        self.setWindowTitle(_("KIM Desk einrichten"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.passphrase_page = PassphrasePage(self)
        self.recovery_page = RecoveryPage(self)
        self.addPage(self.passphrase_page)
        self.addPage(self.recovery_page)

    def create_desk(self, passphrase: str, municipality: str = "warendorf", with_demo: bool = False) -> None:
        """The encrypted desk (key also in the keyring where one exists), its municipality, demo data if asked."""
        options = self.gui_options
        self.desk, self.recovery_code = create_desk(self.paths, passphrase, options.keyring, options.kdf, options.clock)
        settings.put(self.desk.store, "municipality", municipality)
        if with_demo:
            demo.generate(self.desk.store, self.desk.catalog, DEMO_CLIENTS, demo.SEED)
