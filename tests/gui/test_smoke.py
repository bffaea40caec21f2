from __future__ import annotations

from kim_desk.gui.main_window import PAGES


def test_every_page_opens(window) -> None:  # type: ignore[no-untyped-def]
    for name in PAGES:
        window.show_page(name)
        assert window.current_page() == name
    assert window.statistics_page.ui.findChild(type(window.lock_label), "heading").text() == "Statistik"
