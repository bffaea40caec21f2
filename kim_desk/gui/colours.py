"""The colours of the app beside ui/style.qss: one light palette, the calendar's cell colours.

The platform palette is not good enough for BITV (WCAG 1.4.3, 4.5:1 for text): Fusion's selection
(white on #308cc6) reaches 3.7:1 and its placeholder text (black at half opacity) 4.0:1. The app sets
this palette on every platform, and asks for the light colour scheme, because the style sheet's
colours are chosen for a light background; tests/gui/test_contrast.py computes every pair.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

NAVY = "#1e3a5f"  # headings, selection, focus frame (as in style.qss)
ROLES = {
    "Window": "#efefef",
    "WindowText": "#000000",
    "Base": "#ffffff",
    "AlternateBase": "#f5f6f8",
    "Text": "#000000",
    "Button": "#efefef",
    "ButtonText": "#000000",
    "Highlight": NAVY,
    "HighlightedText": "#ffffff",
    "PlaceholderText": "#595959",
    "ToolTipBase": "#ffffdc",
    "ToolTipText": "#000000",
    "Link": "#0645ad",
    "LinkVisited": "#5a2d82",
}
# (text, background) of a calendar cell with a planned appointment, and with only cancelled ones
CALENDAR_PLANNED = ("#1f2937", "#dbeafe")
CALENDAR_CANCELLED = ("#4b5563", "#eeeeee")


def light_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ROLES.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    return palette
