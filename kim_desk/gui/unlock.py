"""Unlocking an existing desk: keyring first, then the passphrase dialog, or the recovery code.

Every failure the vault reports gets a calm sentence. A failed unlock never leads to
a new database: this module only opens what is there.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from kim_desk import vault
from kim_desk.desk import Desk, opened_desk
from kim_desk.errors import (
    DatabaseMissing,
    DatabaseTooNew,
    KnownError,
    NotADatabase,
    StorageError,
    VaultMissing,
    WrongPassphrase,
)
from kim_desk.gui.accessibility import set_description
from kim_desk.gui.context import GuiOptions
from kim_desk.gui.uiload import child, load_ui
from kim_desk.i18n import _
from kim_desk.paths import DataPaths
from kim_desk.store import open_store

# What the counsellor can do about each condition, shown under the vault's own message.
ADVICE: list[tuple[type[Exception], str]] = [
    (VaultMissing, "Bitte wenden Sie sich an die IT Ihrer Organisation; sie kann die Schlüsseldatei zurückspielen."),
    (DatabaseMissing, "Bitte wenden Sie sich an die IT Ihrer Organisation; sie kann die Sicherung zurückspielen."),
    (DatabaseTooNew, "Diese Datenbank stammt von einer neueren KIM-Desk-Version. Bitte KIM Desk aktualisieren."),
    (NotADatabase, "Die Datei ist beschädigt oder gehört nicht zu diesem Schlüssel. Bitte die IT fragen."),
    (StorageError, "Bitte prüfen Sie, ob der Datenträger voll oder schreibgeschützt ist."),
]


class _Cancelled(Exception):
    pass


class _UseRecovery(Exception):
    pass


class UnlockDialog:
    """The dialog from ui/unlock_dialog.ui in one of three modes: passphrase, recovery, fatal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.dialog: QDialog = load_ui("unlock_dialog", parent)  # type: ignore[assignment]
        d = self.dialog
        self.reason: QLabel = child(d, QLabel, "reason")
        self.error: QLabel = child(d, QLabel, "error")
        self.error.setProperty("role", "error")
        self.heading: QLabel = child(d, QLabel, "heading")
        self.passphrase: QLineEdit = child(d, QLineEdit, "passphrase")
        self.recovery_code: QLineEdit = child(d, QLineEdit, "recoveryCode")
        self.new_passphrase: QLineEdit = child(d, QLineEdit, "newPassphrase")
        self.repeat_passphrase: QLineEdit = child(d, QLineEdit, "repeatPassphrase")
        self.passphrase_page: QWidget = child(d, QWidget, "passphrasePage")
        self.recovery_page: QWidget = child(d, QWidget, "recoveryPage")
        self.recovery_button: QPushButton = child(d, QPushButton, "recoveryButton")
        self.unlock_button: QPushButton = child(d, QPushButton, "unlockButton")
        self.quit_button: QPushButton = child(d, QPushButton, "quitButton")
        self.restore_button = QPushButton(_("Sicherung wiederherstellen"), d)
        self.restore_button.setObjectName("restoreButton")
        child(d, QHBoxLayout, "buttonRow").insertWidget(1, self.restore_button)
        self.restore_button.setVisible(False)
        self.restore_requested = False
        self.unlock_button.clicked.connect(d.accept)
        self.restore_button.clicked.connect(self._request_restore)
        self.quit_button.clicked.connect(d.reject)
        self.recovery_button.clicked.connect(lambda: self.set_recovery(True))
        self.recovery_mode = False
        self.set_recovery(False)

    def _request_restore(self) -> None:
        self.restore_requested = True
        self.dialog.accept()

    def set_recovery(self, on: bool) -> None:
        self.recovery_mode = on
        self.passphrase_page.setVisible(not on)
        self.recovery_page.setVisible(on)
        self.recovery_button.setVisible(not on)
        (self.recovery_code if on else self.passphrase).setFocus()

    def prepare(self, reason: str, error: str) -> None:
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self.error.setText(error)
        self.passphrase.clear()
        self.passphrase.setFocus()
        for field in (self.passphrase, self.recovery_code):  # a screen reader says it with the field
            set_description(field, error)
        if error:
            QTimer.singleShot(0, self._announce)  # once the dialog is on screen

    def _announce(self) -> None:
        """Tell assistive technology that the error appeared (an alert) and the field's description changed."""
        QAccessible.updateAccessibility(QAccessibleEvent(self.error, QAccessible.Event.Alert))
        field = self.recovery_code if self.recovery_mode else self.passphrase
        QAccessible.updateAccessibility(QAccessibleEvent(field, QAccessible.Event.DescriptionChanged))

    def show_fatal(self, message: str) -> None:
        self.heading.setText(_("KIM Desk kann die Daten nicht öffnen."))
        self.reason.setVisible(False)
        self.error.setText(message)
        self.passphrase_page.setVisible(False)
        self.recovery_page.setVisible(False)
        self.recovery_button.setVisible(False)
        self.unlock_button.setVisible(False)
        self.restore_button.setVisible(False)

    def show_restore(self, message: str, need_passphrase: bool) -> None:
        """The database is gone or damaged: offer to restore the newest sound backup."""
        self.show_fatal(message)
        self.restore_requested = False
        self.passphrase_page.setVisible(need_passphrase)
        self.restore_button.setVisible(True)
        self.restore_button.setDefault(True)
        if need_passphrase:
            self.passphrase.setFocus()


Ask = Callable[[UnlockDialog], bool]  # show the dialog; True when the user pressed Entsperren


def _exec(dialog: UnlockDialog) -> bool:
    return dialog.dialog.exec() == QDialog.DialogCode.Accepted


def describe(error: Exception, paths: DataPaths | None = None) -> str:
    """The vault's message plus what to do about it (for a lost or damaged database: which backup)."""
    if paths is not None and _restorable(error, paths):
        from kim_desk.backup.core import restore_advice  # only when something is wrong: not on every start

        return f"{error}\n\n{restore_advice(paths, in_app=True)}"
    for kind, advice in ADVICE:
        if isinstance(error, kind):
            return f"{error}\n\n{_(advice)}"
    return str(error)


def _restorable(error: Exception, paths: DataPaths) -> bool:
    """A lost or damaged database beside its key file, with a backup to take its place."""
    if not isinstance(error, DatabaseMissing | NotADatabase) or isinstance(error, VaultMissing):
        return False
    try:
        from kim_desk.backup import list_backups

        return paths.vault.exists() and any(not info.problem for info in list_backups(paths))
    except OSError:
        return False


class UnlockFlow:
    """Ask until the desk is open, the user quits, or a condition no passphrase can fix appears."""

    def __init__(self, paths: DataPaths, options: GuiOptions, parent: QWidget | None = None, ask: Ask = _exec) -> None:
        self.paths = paths
        self.options = options
        self.ask = ask
        self.dialog = UnlockDialog(parent)
        self.fatal: Exception | None = None
        self.key: bytes | None = None  # set once the vault gave the key (a damaged database fails later)

    def run(self) -> Desk | None:
        error = ""
        while True:
            try:
                return self._attempt(error)
            except _Cancelled:
                return None
            except WrongPassphrase as exc:
                error = str(exc)
            except KnownError as exc:
                if type(exc) is not KnownError:  # a vault or storage condition: no retry helps
                    self.fatal = exc
                    if _restorable(exc, self.paths):
                        return self._offer_restore(exc)
                    self.dialog.show_fatal(describe(exc, self.paths))
                    self.ask(self.dialog)
                    return None
                error = str(exc)  # passphrase rules (too short, not repeated alike)

    def _attempt(self, error: str) -> Desk:
        def source(reason: str) -> str:
            self.dialog.prepare(reason, error)
            if not self.ask(self.dialog):
                raise _Cancelled
            if self.dialog.recovery_mode:
                raise _UseRecovery
            return self.dialog.passphrase.text()

        refresh_due = False
        try:
            # a fresh keyring entry after a passphrase is written once the window is up (MainWindow)
            result = vault.unlock(self.paths, source, self.options.keyring, refresh_keyring=False)
            key, refresh_due = result.key, result.keyring_refresh_due
        except _UseRecovery:
            key = self._recover()
        self.key = key
        store = open_store(self.paths.database, key, clock=self.options.clock)
        return opened_desk(self.paths, store, key, refresh_due)  # the key stays for the daily backups

    def _offer_restore(self, problem: KnownError) -> Desk | None:
        """Restore the newest sound backup with the same checks as `kim-desk backup restore`."""
        d = self.dialog
        message = describe(problem, self.paths)
        while True:
            d.show_restore(message, need_passphrase=self.key is None)
            if not self.ask(d) or not d.restore_requested:
                return None
            try:
                key = self.key or vault.unlock_key(self.paths, lambda _r: d.passphrase.text(), self.options.keyring).key
                from kim_desk.backup import restore_newest

                restore_newest(self.paths, key, self.options.clock)
                store = open_store(self.paths.database, key, clock=self.options.clock)
            except WrongPassphrase as exc:
                message = f"{describe(problem, self.paths)}\n\n{exc}"
                continue
            except KnownError as exc:
                self.fatal = exc
                d.show_fatal(describe(exc))
                self.ask(d)
                return None
            self.fatal = None
            return opened_desk(self.paths, store, key)

    def _recover(self) -> bytes:
        d = self.dialog
        new = d.new_passphrase.text()
        if new != d.repeat_passphrase.text():
            raise KnownError(_("Die beiden Eingaben der neuen Passphrase stimmen nicht überein."))
        vault.check_passphrase(new)
        key = vault.unlock_with_recovery_code(self.paths, d.recovery_code.text())
        vault.set_passphrase(self.paths, key, new, self.options.kdf)
        d.set_recovery(False)
        return key
