"""Long texts in labels: shortened with "…", the whole text in the tooltip; never a window wider than the screen."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy

from kim_desk.gui.accessibility import set_name

MAX_CHARS = 60


def set_elided(label: QLabel, text: str, max_chars: int = MAX_CHARS) -> None:
    """Show at most `max_chars` characters; the label never asks the window for more width."""
    label.setSizePolicy(QSizePolicy.Policy.Ignored, label.sizePolicy().verticalPolicy())
    label.setMinimumWidth(0)
    shown = text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"
    label.setText(shown)
    label.setToolTip(text if shown != text else "")
    set_name(label, text)
