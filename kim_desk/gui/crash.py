"""One crash path for the GUI (DESIGN.md §2, qutebrowser's crashsignal habit).

`sys.excepthook` (slots, QThread.run), `threading.excepthook` (Python threads), Qt's
message handler and the background helper all end here: the same crash report the CLI
writes (`kim_desk.logs.crash_report`: type and stack, never the message or locals) in the
desk's log folder, a log line, and a calm dialog that says what to do. The windowed bundle
has no console, so nothing here relies on stderr.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QThread,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QWidget

from kim_desk.i18n import _
from kim_desk.logs import crash_report, exception_name

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

log = logging.getLogger(__name__)

MAX_REPORTS = 20  # a bug in a paint event must not fill the disk with reports


class QtProblem(Exception):
    """Stands for a critical or fatal message from Qt itself (no Python exception exists)."""


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

_active: CrashHandler | None = None


def report_bug(error: BaseException, *, dialog: bool = True) -> None:
    """Hand a bug caught elsewhere (a background job) to the installed handler, else log it."""
    handler = _active
    if handler is None:
        log.error("bug", exc_info=(type(error), error, error.__traceback__))
        return
    handler.report(type(error), error, error.__traceback__, dialog=dialog)


class CrashHandler(QObject):
    """Installed once by the application; `report` may be called from any thread."""

    ring = Signal()

    def __init__(self, log_dir: Callable[[], Path | None], parent: QWidget | None = None) -> None:
        super().__init__()
        self._log_dir = log_dir
        self._parent = parent
        self._inbox: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._previous: dict[str, Any] = {}
        self.reports = 0
        self.dialog: QMessageBox | None = None
        self.ring.connect(self._show_pending)

    # --- hooks -----------------------------------------------------------------------
    def install(self) -> None:
        global _active  # noqa: PLW0603 - one crash path per process, like sys.excepthook itself
        self._previous = {"sys": sys.excepthook, "threading": threading.excepthook}
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook
        self._previous["qt"] = qInstallMessageHandler(self._qt_message)
        _active = self

    def uninstall(self) -> None:
        global _active  # noqa: PLW0603
        if not self._previous:
            return
        sys.excepthook = self._previous["sys"]
        threading.excepthook = self._previous["threading"]
        qInstallMessageHandler(self._previous["qt"])
        self._previous = {}
        if _active is self:
            _active = None

    def set_parent(self, parent: QWidget | None) -> None:
        """The window the dialog belongs to (the main window once it exists)."""
        self._parent = parent

    def _sys_hook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        self.report(exc_type, exc, tb)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        self.report(args.exc_type, args.exc_value, args.exc_traceback)

    def _qt_message(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        previous = self._previous.get("qt")
        if previous is not None:
            previous(kind, context, message)  # pytest-qt and Qt's default keep seeing them
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            problem = QtProblem(message)
            stack = traceback.extract_stack()[:-1]
            log.error("qt.critical", extra={"category": context.category, "where": [f"{f.name}" for f in stack][-5:]})
            self.report(QtProblem, problem, None, dialog=kind != QtMsgType.QtFatalMsg)
        elif kind == QtMsgType.QtWarningMsg:
            log.warning("qt.warning", extra={"category": context.category, "text": message[:200]})

    # --- reporting -------------------------------------------------------------------
    def report(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, *, dialog: bool = True
    ) -> None:
        """Write the crash report and log line (any thread); the dialog follows on the GUI thread."""
        with self._lock:
            self.reports += 1
            if self.reports > MAX_REPORTS:
                return
        try:
            folder = self._log_dir()
        except Exception:  # noqa: BLE001 - finding the folder must not hide the crash
            folder = None
        try:
            crash_report(exc_type, exc, tb, folder)
            log.error("crash", exc_info=(exc_type, exc, tb), extra={"kind": exception_name(exc_type)})
        except Exception:  # noqa: BLE001, S110 - the crash handler itself never raises
            pass
        if not dialog:
            return
        self._inbox.put(str(folder) if folder is not None else "")
        app = QApplication.instance()
        if app is not None and QThread.currentThread() == app.thread():
            self._show_pending()
        else:
            self.ring.emit()  # queued to the GUI thread: widgets only there

    @Slot()
    def _show_pending(self) -> None:
        folder = None
        while True:
            try:
                folder = self._inbox.get_nowait()
            except queue.Empty:
                break
        if folder is None or QApplication.instance() is None:
            return
        if self.dialog is not None and self.dialog.isVisible():
            return  # one calm dialog at a time, not an avalanche
        self.dialog = crash_dialog(folder, self._parent)
        self.dialog.open()


def crash_dialog(folder: str, parent: QWidget | None) -> QMessageBox:
    from PySide6.QtWidgets import QMessageBox  # its Python type and enum classes: only when one is shown

    box = QMessageBox(parent)
    box.setObjectName("crashDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("KIM Desk – Programmfehler"))
    box.setText(_("In KIM Desk ist ein Programmfehler aufgetreten. Ihre gespeicherten Daten sind sicher."))
    where = (
        _("Ein Fehlerbericht ohne Personendaten liegt im Ordner {folder}.").format(folder=folder)
        if folder
        else _("Ein Fehlerbericht konnte nicht gespeichert werden.")
    )
    box.setInformativeText(
        where
        + "\n\n"
        + _(
            "Sie können weiterarbeiten. Wenn etwas nicht mehr richtig angezeigt wird, schließen Sie KIM Desk und "
            "starten Sie es neu. Tritt der Fehler wieder auf, geben Sie den Fehlerbericht an Ihre IT-Betreuung weiter."
        )
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.button(QMessageBox.StandardButton.Ok).setText(_("Weiterarbeiten"))
    quit_button = box.addButton(_("KIM Desk beenden"), QMessageBox.ButtonRole.DestructiveRole)
    quit_button.setObjectName("crashQuit")
    quit_button.clicked.connect(QApplication.closeAllWindows)
    box.setWindowModality(Qt.WindowModality.ApplicationModal)
    return box
