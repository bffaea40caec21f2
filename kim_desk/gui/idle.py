"""Lock the desk after some minutes without keyboard or mouse input."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

WATCH_AFTER_MS = 1000


class IdleWatcher(QObject):
    """Emits `idle` once the interval passes without input; any input restarts the wait."""

    idle = Signal()

    def __init__(self, minute_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._minute_ms = minute_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self._watching = False
        self._input: set[QEvent.Type] = set()  # filled when the filter is installed

    def set_minutes(self, minutes: int) -> None:
        self._timer.setInterval(max(1, minutes) * self._minute_ms)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def start(self, *, watch: bool = True) -> None:
        """Start the wait; with watch=False the input is watched only once watch_soon() is called."""
        self._timer.start()
        if watch:
            self.watch_soon()

    def watch_soon(self) -> None:
        """Watch the input a moment from now: every event of the app passes through this Python filter, which
        while the first window was built and painted made PySide6 wrap each new widget and event type first
        (about 140 enum classes, 30-40 ms of the start), and made building a page 2-4 times slower; nobody
        types that early."""
        if not self._watching:
            self._watching = True
            QTimer.singleShot(WATCH_AFTER_MS, self, self._watch)

    def _watch(self) -> None:
        from PySide6.QtCore import QEvent  # its 179-member enum class: not while the first window is drawn

        self._input = {
            QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
            QEvent.Type.TouchBegin, QEvent.Type.ShortcutOverride,
        }  # fmt: skip
        app = QApplication.instance()
        if app is not None and self._watching:
            app.installEventFilter(self)

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._input and self._timer.isActive():
            self._timer.start()
        return False

    def detach(self) -> None:
        self._watching = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
