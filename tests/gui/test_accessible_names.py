"""Every control of the day's forms has a name a screen reader can say (from its label or its text)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from kim_desk.gui.uiload import load_ui

CONTROLS = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit, QAbstractButton)


@pytest.mark.parametrize(
    "name",
    ["contact_dialog", "settings", "statistics", "first_run_passphrase", "first_run_recovery", "client_panel",
     "today", "appointment_dialog"],
)  # fmt: skip
def test_controls_are_named(qapp, name: str) -> None:  # type: ignore[no-untyped-def]
    root = load_ui(name)
    try:
        controls = [w for w in root.findChildren(QWidget) if isinstance(w, CONTROLS) and w.objectName()]
        unnamed = [
            widget.objectName()
            for widget in controls
            if not widget.objectName().startswith("qt_")
            and not widget.accessibleName()
            and not (isinstance(widget, QAbstractButton) and widget.text())
        ]
        assert unnamed == []
    finally:
        root.deleteLater()
