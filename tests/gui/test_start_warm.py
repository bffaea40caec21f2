"""After the window is up, the handout machinery is warmed in the background (issue 19)."""

from __future__ import annotations

from kim_desk.documents import breaking, fonts, warm
from kim_desk.gui.main_window import MainWindow


def test_the_window_warms_fonts_and_hyphenation_after_it_shows(qtbot, desk, options, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(warm, "_done", [])  # as in a fresh process
    fonts._load.cache_clear()
    breaking._dictionaries.clear()
    options.warm_up = True  # tests run the background work synchronously: asked for explicitly
    window = MainWindow(desk, options)
    qtbot.addWidget(window)
    window.show()
    assert window.warming is None and fonts._load.cache_info().currsize == 0  # not before the window is up
    qtbot.waitUntil(lambda: window.warming is not None and window.runner.pending == 0, timeout=20_000)
    assert warm._done
    assert fonts._load.cache_info().currsize == len(warm.WARMED_FONTS)
    assert len(breaking._dictionaries) >= 1
    window.close()
