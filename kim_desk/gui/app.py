"""Application setup: QApplication, unlock, main window. (First version; the GUI issue fills it.)"""

from __future__ import annotations

from kim_desk.paths import DataPaths


def run(paths: DataPaths, argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication(argv)
    QMessageBox.information(None, "KIM Desk", f"KIM Desk – {paths.root}")
    return 0 if app else 1
