"""The idle lock's watch on input: installed a moment after the start, and input then postpones the lock."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from kim_desk.gui import idle
from kim_desk.gui.idle import IdleWatcher


def test_input_restarts_the_wait_once_watching(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(idle, "WATCH_AFTER_MS", 0)
    field = QLineEdit()
    qtbot.addWidget(field)
    watcher = IdleWatcher(60_000)
    watcher._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer reports its remaining time loosely
    watcher.set_minutes(1)
    watcher.start()
    qtbot.wait(400)  # the watch is installed in an event-loop turn; the minute runs down meanwhile
    assert watcher._timer.remainingTime() <= 59_700
    QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"))
    assert watcher._timer.remainingTime() > 59_700
    watcher.stop()
    watcher.detach()


def test_no_watch_after_detach(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A window closed before the watch began must not leave a filter on the application."""
    monkeypatch.setattr(idle, "WATCH_AFTER_MS", 0)
    field = QLineEdit()
    qtbot.addWidget(field)
    watcher = IdleWatcher(60_000)
    watcher._timer.setTimerType(Qt.TimerType.PreciseTimer)
    watcher.set_minutes(1)
    watcher.start()
    watcher.detach()
    qtbot.wait(400)
    left = watcher._timer.remainingTime()
    QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"))
    assert watcher._timer.remainingTime() <= left
    watcher.stop()
