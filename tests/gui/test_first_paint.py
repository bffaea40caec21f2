"""Nothing runs beside the window's first paint (issue 19): work on the DB worker or the pool takes the interpreter
lock in turns with the GUI thread, so the Today page's lists, the status line and the timers start once the window
has been drawn; and the Today lists are read once, not twice."""

from __future__ import annotations

from kim_desk.gui.main_window import MainWindow
from kim_desk.views import jobs, lists


def _counting(monkeypatch, module, name: str) -> list[int]:  # type: ignore[no-untyped-def]
    calls: list[int] = []
    real = getattr(module, name)

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_start_reads_the_today_lists_once(qtbot, desk, options, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    read = _counting(monkeypatch, lists, "today_overview")
    window = MainWindow(desk, options)  # synchronous runner: all work at once
    qtbot.addWidget(window)
    assert len(read) == 1
    assert window.navigation.currentRow() == 0 and window.current_page() == "today"
    assert window.today_page.appointments.rowCount() > 0  # what the counsellor sees: today's appointments
    window.runner.shutdown()


def test_the_lists_and_the_status_line_wait_for_the_first_paint(qtbot, desk, options, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    read = _counting(monkeypatch, lists, "today_overview")
    status = _counting(monkeypatch, jobs, "sync_state")
    options.synchronous = False
    options.warm_up = False
    window = MainWindow(desk, options)
    qtbot.addWidget(window)
    try:
        qtbot.wait(50)  # the event loop runs, the window is not shown: nothing has been asked of the worker
        assert read == [] and status == [] and window.runner.pending == 0
        window.show()
        qtbot.waitUntil(lambda: window.today_page.appointments.rowCount() > 0, timeout=10_000)
        qtbot.waitUntil(lambda: window.sync_label.text() != "", timeout=10_000)
        assert len(read) == 1 and status  # (the daily backup refreshes the status line again)
    finally:
        window.idle.stop()
        window.runner.shutdown()


def test_input_is_watched_only_once_the_other_pages_are_built(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The idle lock's app-wide event filter made building a page 2-4 times slower (every event through Python)."""
    from kim_desk.gui.main_window import PAGES

    assert not window.idle._watching
    qtbot.waitUntil(lambda: window.idle._watching, timeout=20_000)
    assert len(window.pages) == len(PAGES)


def test_pages_are_made_inside_the_page_stack(qtbot, desk, options, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A widget tree moved under a new parent is styled again from the style sheet, all of it (~3 % of a start)."""
    from kim_desk.gui.pages.base import Page

    parents: list[object] = []
    real = Page.__init__

    def made(self, ctx, parent=None) -> None:  # type: ignore[no-untyped-def]
        parents.append(parent)
        real(self, ctx, parent)

    monkeypatch.setattr(Page, "__init__", made)
    window = MainWindow(desk, options)
    qtbot.addWidget(window)
    assert parents and all(parent is window.stack for parent in parents)
    window.runner.shutdown()
