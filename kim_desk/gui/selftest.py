"""Self-test of the desktop app, headless (offscreen), also inside the frozen bundle.

Every ui/*.ui file loads through the app's own loader, and the main window opens on a
fresh demo desk and shows every page once. Qt is imported only when a check runs, so
`kim-desk self-test` lists these checks even where Qt is missing (they then fail by name).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PASSPHRASE = "self-test passphrase"  # noqa: S105 - a throwaway desk in a temp folder


def _application() -> Any:
    """The running QApplication, or a new offscreen one (no display is needed)."""
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if existing is not None:
        return existing
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return QApplication(["kim-desk-self-test"])


@contextmanager
def _qt_warnings() -> Iterator[list[str]]:
    """Collect Qt's warnings meanwhile: QUiLoader reports unknown widgets and properties that way."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    found: list[str] = []

    def handler(kind: Any, _context: Any, message: str) -> None:
        if kind != QtMsgType.QtDebugMsg and "propagateSizeHints" not in message:  # offscreen plugin noise
            found.append(message)

    previous = qInstallMessageHandler(handler)
    try:
        yield found
    finally:
        qInstallMessageHandler(previous)


def check_ui_files(_tmp: Path) -> None:
    from kim_desk.gui.uiload import load_ui
    from kim_desk.resources import resource_dir

    _application()
    files = sorted(Path(resource_dir("ui")).glob("*.ui"))
    if not files:
        raise AssertionError("no .ui files found")
    failed: list[str] = []
    for path in files:
        with _qt_warnings() as warnings:
            try:
                widget = load_ui(path.stem)
            except Exception as exc:  # noqa: BLE001 - every broken file is named
                failed.append(f"{path.name} ({type(exc).__name__}: {exc})")
                continue
            widget.deleteLater()
        if warnings:
            failed.append(f"{path.name} ({warnings[0]})")
    if failed:
        raise AssertionError("cannot load " + "; ".join(failed))


def check_main_window(tmp: Path) -> None:
    from PySide6.QtCore import QCoreApplication

    from kim_desk import demo, vault
    from kim_desk.desk import create_desk
    from kim_desk.gui.context import GuiOptions
    from kim_desk.gui.main_window import PAGES, MainWindow
    from kim_desk.paths import DataPaths

    _application()
    fast = vault.KdfParams(iterations=1, lanes=1, memory_kib=8 * 1024)
    desk, _recovery = create_desk(DataPaths(tmp / "desk"), PASSPHRASE, None, fast)
    demo.generate(desk.store, desk.catalog, clients=10)
    options = GuiOptions(synchronous=True, keyring=None, kdf=fast)
    with _qt_warnings() as warnings:
        window = MainWindow(desk, options)
        try:
            window.show()
            for name in PAGES:
                window.show_page(name)
                QCoreApplication.processEvents()
                if window.current_page() != name:
                    raise AssertionError(f"page {name} does not open")
            if window.last_error:
                raise AssertionError(f"the window reported: {window.last_error}")
            if not (tmp / "desk" / "backups").is_dir():
                raise AssertionError("no backup after opening the desk")
        finally:
            _close(window)
    if warnings:
        raise AssertionError(f"Qt warned: {warnings[0]}")


def _close(window: Any) -> None:
    for timer in (window.sync_timer, window.backup_timer):
        timer.stop()
    window.idle.stop()
    window.idle.detach()
    window.close()  # closes the store and stops the DB worker
    window.deleteLater()


CHECKS: list[tuple[str, Callable[[Path], None]]] = [
    ("ui files load", check_ui_files),
    ("main window opens every page", check_main_window),
]
