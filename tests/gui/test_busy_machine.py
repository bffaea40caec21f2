"""GUI tests must not depend on the machine being idle (issue 13, finding 11)."""

from __future__ import annotations

import time


def test_a_busy_machine_does_not_lock_the_window_under_a_test(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.show_page("clients")
    time.sleep(1.0)  # a loaded machine: the event loop did not run for a second
    qtbot.wait(20)
    assert not window.runner.locked
    assert window.clients_page.model.rowCount() == 60
