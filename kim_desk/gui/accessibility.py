"""What Qt's own accessible interfaces leave out: heading roles, named splitter handles, clean names;
and windows that fit the screen at 200 %.

Qt (6.x) gives a QLabel the role "StaticText" whatever it shows, and a splitter handle the role
"Grip" with no name, which AT-SPI reports as "unknown". An interface factory (QAccessible.installFactory)
gives the page titles (labels named "heading") the Heading role and the handles the Separator role
with a name. Names never carry bidi control characters: a screen reader spells them out or stumbles.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface, QGuiApplication
from PySide6.QtWidgets import QAccessibleWidget, QLabel, QSplitterHandle, QWidget

from kim_desk.i18n import _

BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
HEADING = "heading"  # the object name of page and dialog titles (styled by ui/style.qss too)
_installed = False


def plain(text: str) -> str:
    """`text` without direction marks and isolates, for an accessible name or description."""
    return BIDI_CONTROLS.sub("", text)


def set_name(widget: QWidget, text: str) -> None:
    widget.setAccessibleName(plain(text))


def show_text(label: QLabel, text: str) -> None:
    """Show `text` (which may hold marks that order it on screen) and give it as the plain name."""
    label.setText(text)
    label.setAccessibleName(plain(text))


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Give `window` width × height where the screen has room, never more than the screen has
    (at 200 % a 1600 × 1000 screen has 800 × 500 logical pixels; the frame needs a little)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width() - 16), min(height, room.height() - 40)
    window.resize(width, height)


def set_description(widget: QWidget, text: str) -> None:
    widget.setAccessibleDescription(plain(text))


class HeadingInterface(QAccessibleWidget):
    """A title label, read as a heading (level 1) with its text as the name."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label, QAccessible.Role.Heading)
        self._label = label

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return plain(self._label.accessibleName() or self._label.text())
        return plain(super().text(kind))

    def state(self) -> QAccessible.State:
        state = super().state()
        if not self._label.text():  # an empty title (nothing chosen yet) is no heading to read
            state.invisible = True
        return state


class SplitterHandleInterface(QAccessibleWidget):
    """The bar between two panes: a separator that says what it is."""

    def __init__(self, handle: QSplitterHandle) -> None:
        super().__init__(handle, QAccessible.Role.Separator)

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return _("Trennlinie zwischen zwei Bereichen")
        return super().text(kind)


def _factory(_class_name: str, obj: QObject) -> QAccessibleInterface | None:
    if isinstance(obj, QLabel) and obj.objectName() == HEADING:
        return HeadingInterface(obj)
    if isinstance(obj, QSplitterHandle):
        return SplitterHandleInterface(obj)
    return None


def install() -> None:
    """Install the interface factory once per process (before any window is shown)."""
    global _installed  # noqa: PLW0603 - one factory per process, Qt keeps the list
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
