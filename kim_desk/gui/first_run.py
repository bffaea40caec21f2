"""First run: create the desk passphrase (twice) and show the recovery code for the organisation's IT."""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication, QTextDocument
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget, QWizard, QWizardPage

from kim_desk import vault
from kim_desk.desk import Desk, create_desk
from kim_desk.errors import KnownError
from kim_desk.gui.context import GuiOptions
from kim_desk.gui.uiload import child, load_ui
from kim_desk.i18n import _
from kim_desk.paths import DataPaths


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

    def validatePage(self) -> bool:
        """Create the desk when leaving this page; afterwards there is no way back to it."""
        if self._wizard.desk is not None:
            return True
        if self.first.text() != self.second.text():
            self.error.setText(_("Die beiden Eingaben stimmen nicht überein."))
            return False
        try:
            self._wizard.create_desk(self.first.text())
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
        self.setCommitPage(True)

    def initializePage(self) -> None:
        self.code.setText(self._wizard.recovery_code)

    def isComplete(self) -> bool:
        return self.noted.isChecked()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self._wizard.recovery_code)

    def print_code(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        if QPrintDialog(printer, self).exec():
            document = QTextDocument()
            document.setPlainText(
                _("KIM Desk – Wiederherstellungscode\n\n{code}\n\nOrdner: {path}").format(
                    code=self._wizard.recovery_code, path=self._wizard.paths.root
                )
            )
            document.print_(printer)


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

    def create_desk(self, passphrase: str) -> None:
        options = self.gui_options
        self.desk, self.recovery_code = create_desk(self.paths, passphrase, options.keyring, options.kdf, options.clock)
