"""Application setup: QApplication, first run or unlock, main window. The composition root of the GUI."""

from __future__ import annotations

import gc
import logging
import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from kim_desk import i18n, settings, vault
from kim_desk.desk import Desk
from kim_desk.errors import KnownError
from kim_desk.gui import accessibility
from kim_desk.gui.colours import light_palette
from kim_desk.gui.compat import protect_none
from kim_desk.gui.context import GuiOptions
from kim_desk.gui.crash import CrashHandler, crash_dialog
from kim_desk.gui.main_window import MainWindow
from kim_desk.gui.qt_translations import install_qt_translations
from kim_desk.gui.unlock import UnlockFlow
from kim_desk.i18n import _
from kim_desk.logs import setup_logging
from kim_desk.paths import DataPaths
from kim_desk.resources import resource_path

log = logging.getLogger(__name__)


def style_sheet() -> str:
    try:
        return resource_path("ui", "style.qss").read_text("utf-8")
    except OSError:
        return ""


def setup_application(argv: list[str]) -> QApplication:
    protect_none()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName("KIM Desk")
    app.setOrganizationName("Kreis Warendorf")
    app.styleHints().setColorScheme(Qt.ColorScheme.Light)  # the style sheet's colours are for light
    app.setPalette(light_palette())
    app.setStyleSheet(style_sheet())
    accessibility.install()
    threading.Thread(target=add_fonts, name="fonts", daemon=True).start()
    return app


def add_fonts() -> None:
    """The fonts shipped for handouts (Arabic, Ethiopic) also serve the UI, so no language shows boxes.
    Run beside the start (QFontDatabase is thread-safe and lets go of the interpreter): reading them and
    Qt's first look at the system's fonts took 20-25 ms of the GUI thread."""
    from PySide6.QtGui import QFontDatabase

    folder = Path(__file__).resolve().parent.parent / "documents" / "fonts"
    for font in sorted(folder.glob("*.ttf")) if folder.is_dir() else []:
        QFontDatabase.addApplicationFont(str(font))


def apply_direction(app: QApplication, lang: str) -> None:
    rtl = i18n.is_rtl(lang)
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    install_qt_translations(app, lang)


def open_or_create(paths: DataPaths, options: GuiOptions, parent: QWidget | None = None) -> Desk | None:
    """The first-run wizard for an empty folder, the unlock dialog otherwise; None when the user quits."""
    if not vault.is_initialised(paths):
        from kim_desk.gui.first_run import FirstRunWizard  # once per desk: not on every start's path

        wizard = FirstRunWizard(paths, options, parent)
        wizard.exec()
        return wizard.desk  # also when the last page was closed: the desk exists now and must open
    return UnlockFlow(paths, options, parent).run()


def install_crash_handler(paths: DataPaths) -> CrashHandler:
    """Bugs from here on end in a crash report in the desk's log folder and a calm dialog."""
    handler = CrashHandler(lambda: paths.logs)
    handler.install()
    return handler


def run(paths: DataPaths, argv: list[str]) -> int:
    app = setup_application(argv)
    crash = install_crash_handler(paths)
    try:
        return _run(app, crash, paths)
    except KnownError as error:  # no console in the windowed bundle: the message as a dialog
        from PySide6.QtWidgets import QMessageBox  # a dialog's Python type: only when one is shown

        QMessageBox.warning(None, _("KIM Desk"), str(error))
        return error.exit_code
    except Exception as exc:  # noqa: BLE001 - a bug before or after the event loop: same crash path
        crash.report(type(exc), exc, exc.__traceback__, dialog=False)
        crash_dialog(str(paths.logs), None).exec()
        return 70
    finally:
        gc.enable()  # off since kim_desk.commands; on again at the first show, or here when the start ended early


def _run(app: QApplication, crash: CrashHandler, paths: DataPaths) -> int:
    options = GuiOptions()
    apply_direction(app, i18n.ui_language())  # the wizard's and unlock dialog's Qt buttons in German too
    desk = open_or_create(paths, options)
    if desk is None:
        return 1
    if not logging.getLogger("kim_desk").handlers:
        setup_logging(paths.logs)  # the first run made the folder only now
    lang = settings.get(desk.store, "ui_language")
    i18n.set_ui_language(lang)
    apply_direction(app, lang)

    def unlocker(window: QMainWindow) -> Desk | None:
        return UnlockFlow(paths, options, window).run()

    window = MainWindow(desk, options, unlocker)
    crash.set_parent(window)
    window.show()
    # Objects that live as long as the app leave the collector's reach: full collections on a
    # large heap would otherwise hold the interpreter lock long enough to stall the window.
    gc.freeze()
    gc.enable()  # off since the start (kim_desk.commands): collections run again from the first event on
    return int(app.exec())
