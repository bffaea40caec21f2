"""GUI fixtures: a main window on a copy of the demo desk, background work synchronous."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kim_desk import i18n
from kim_desk.clock import FixedClock
from kim_desk.desk import Desk
from kim_desk.gui import accessibility
from kim_desk.gui.compat import protect_none
from kim_desk.gui.context import GuiOptions
from kim_desk.gui.main_window import MainWindow
from tests.conftest import FAST_KDF, TODAY, FakeKeyring


@pytest.fixture
def options() -> GuiOptions:
    # The idle lock keeps its real minute: a loaded machine must not lock the window mid-test.
    # Tests of the idle lock shorten it themselves (see idle_window).
    return GuiOptions(synchronous=True, clock=FixedClock(TODAY), keyring=FakeKeyring(), kdf=FAST_KDF, search_delay_ms=1)


@pytest.fixture
def window(qtbot, desk: Desk, options: GuiOptions) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(desk, options)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    yield win
    for page in list(win.pages.values()):  # closing asks about unsaved edits: nobody answers in teardown
        if page.unsaved():
            page.discard_changes()
    win.idle.stop()
    win.idle.detach()
    win.runner.shutdown()


@pytest.fixture
def idle_window(qtbot, desk: Desk, options: GuiOptions) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """A main window whose idle-lock minute lasts 50 ms, for the tests of the idle lock itself."""
    options.minute_ms = 50
    win = MainWindow(desk, options)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.idle.stop()
    win.idle.detach()
    win.runner.shutdown()


@pytest.fixture(autouse=True)
def german_ui(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Each test starts and ends in German, left to right (with the app's binding work-arounds)."""
    from PySide6.QtCore import Qt

    protect_none()
    accessibility.install()  # as setup_application does
    i18n.set_ui_language("de")
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    yield
    i18n.set_ui_language("de")
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


# The offscreen platform plugin warns about a window-manager feature it lacks; that is
# the test platform talking, not KIM Desk. Every other Qt warning fails the test.
PLATFORM_NOISE = ("This plugin does not support propagateSizeHints",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.parent.name == "gui":
            item.add_marker(pytest.mark.qt_log_ignore(*PLATFORM_NOISE))
