"""A page's answer from the DB worker that arrives after the desk locked is dropped, not handed to the deleted
page (it raised "Internal C++ object already deleted" into the crash path)."""

from __future__ import annotations

import threading

from kim_desk.gui.main_window import MainWindow


def test_a_refresh_in_flight_when_the_desk_locks_is_dropped(qtbot, desk, options, caplog) -> None:  # type: ignore[no-untyped-def]
    options.synchronous = False
    options.warm_up = False
    window = MainWindow(desk, options)
    qtbot.addWidget(window)
    window.show()
    try:
        window.show_page("statistics")
        qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=10_000)
        gate = threading.Event()
        window.runner.db(lambda _store: gate.wait(10))  # the worker is busy: the refresh waits behind it
        window.statistics_page.refresh()
        window.lock()  # the page is deleted; the refresh's answer comes to a locked desk
        qtbot.wait(50)  # the page's deferred deletion runs
        gate.set()
        qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=10_000)
        qtbot.wait(50)
    finally:
        gate.set()
        window.idle.stop()
        window.runner.shutdown()
    assert "background_callback_failed" not in caplog.text and "already deleted" not in caplog.text
    assert window.last_error == ""
