"""One crash path: a bug in a slot, a background callback, a thread or Qt itself ends in the crash
report the CLI writes (type and stack, never the message) and a calm dialog."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import qCritical
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from kim_desk.gui.background import Runner
from kim_desk.gui.crash import CrashHandler

CANARY = "Zzyzxcanary"
pytestmark = pytest.mark.qt_no_exception_capture  # our hook, not pytest-qt's, must see the bugs


@pytest.fixture
def crash(qapp, tmp_path: Path) -> Iterator[CrashHandler]:  # type: ignore[no-untyped-def]
    handler = CrashHandler(lambda: tmp_path / "logs")
    handler.install()
    yield handler
    handler.uninstall()
    if handler.dialog is not None:
        handler.dialog.close()


def reports(folder: Path) -> list[str]:
    return [p.read_text("utf-8") for p in sorted(folder.glob("crash-*.txt"))]


def buggy_slot() -> None:
    raise ValueError(f"Frau {CANARY} geboren 1913-07-29")


def test_a_bug_in_a_slot_gives_a_crash_report_and_a_calm_dialog(qtbot, crash: CrashHandler, tmp_path: Path) -> None:
    button = QPushButton("Los")
    qtbot.addWidget(button)
    button.clicked.connect(buggy_slot)
    button.click()
    [text] = reports(tmp_path / "logs")
    assert "builtins.ValueError" in text and "buggy_slot" in text
    assert CANARY not in text and "1913" not in text
    dialog = crash.dialog
    assert isinstance(dialog, QMessageBox) and dialog.isVisible()
    assert "Programmfehler" in dialog.text() and "Daten sind sicher" in dialog.text()
    assert str(tmp_path / "logs") in dialog.informativeText() and "weiterarbeiten" in dialog.informativeText()
    assert CANARY not in dialog.text() + dialog.informativeText()
    button.click()  # a second bug: another report, still one dialog
    assert len(reports(tmp_path / "logs")) == 2 and crash.dialog is dialog


def test_a_bug_in_a_background_callback_reaches_the_crash_path(qtbot, crash: CrashHandler, tmp_path: Path) -> None:
    runner = Runner(None)
    try:
        runner.run(lambda _progress: 42, on_done=lambda _result: buggy_slot())
        qtbot.waitUntil(lambda: bool(reports(tmp_path / "logs")))
    finally:
        runner.shutdown()
    [text] = reports(tmp_path / "logs")
    assert "builtins.ValueError" in text and CANARY not in text
    qtbot.waitUntil(lambda: crash.dialog is not None and crash.dialog.isVisible())


def test_a_bug_in_a_job_with_an_error_handler_is_reported_once_without_a_second_dialog(
    qtbot, crash: CrashHandler, tmp_path: Path
) -> None:
    shown: list[Exception] = []
    runner = Runner(None, synchronous=True, on_error=shown.append)
    runner.run(lambda _progress: buggy_slot())
    assert [type(e) for e in shown] == [ValueError]
    [text] = reports(tmp_path / "logs")
    assert "buggy_slot" in text and CANARY not in text
    assert crash.dialog is None


def test_a_bug_in_a_python_thread_shows_the_dialog_on_the_gui_thread(
    qtbot, crash: CrashHandler, tmp_path: Path
) -> None:
    worker = threading.Thread(target=buggy_slot)
    worker.start()
    worker.join()
    assert "buggy_slot" in reports(tmp_path / "logs")[0]
    qtbot.waitUntil(lambda: crash.dialog is not None and crash.dialog.isVisible())


@pytest.mark.qt_log_ignore("broken on purpose")
def test_a_critical_message_from_qt_writes_a_report(qtbot, crash: CrashHandler, tmp_path: Path) -> None:
    qCritical(f"broken on purpose {CANARY}")
    [text] = reports(tmp_path / "logs")
    assert "QtProblem" in text and CANARY not in text
    assert crash.dialog is not None and crash.dialog.isVisible()


def test_the_application_installs_the_crash_path_for_the_desks_log_folder(qtbot, tmp_path: Path) -> None:
    import sys

    from kim_desk.gui.app import install_crash_handler
    from kim_desk.paths import DataPaths

    handler = install_crash_handler(DataPaths(tmp_path / "desk"))
    try:
        assert sys.excepthook == handler._sys_hook
        button = QPushButton("Los")
        qtbot.addWidget(button)
        button.clicked.connect(buggy_slot)
        button.click()
    finally:
        handler.uninstall()
        if handler.dialog is not None:
            handler.dialog.close()
    assert sys.excepthook != handler._sys_hook
    [text] = reports(tmp_path / "desk" / "logs")
    assert "buggy_slot" in text and CANARY not in text


def test_a_bug_before_the_event_loop_gets_the_report_and_the_dialog_not_stderr(
    qtbot, tmp_path: Path, monkeypatch, capsys
) -> None:
    from kim_desk.errors import WrongPassphrase
    from kim_desk.gui import app, crash
    from kim_desk.paths import DataPaths

    shown: list[str] = []

    class Dialog:
        def __init__(self, folder: str, _parent: object) -> None:
            shown.append(folder)

        def exec(self) -> int:
            return 0

    def broken(*_args: object) -> None:
        raise ValueError(f"Frau {CANARY}")

    # no style sheet for later tests
    monkeypatch.setattr(app, "setup_application", lambda _argv: QApplication.instance())
    monkeypatch.setattr(app, "crash_dialog", Dialog)
    monkeypatch.setattr(app, "open_or_create", broken)
    paths = DataPaths(tmp_path / "desk")
    try:
        assert app.run(paths, []) == 70
    finally:
        assert crash._active is not None
        crash._active.uninstall()
    [text] = reports(paths.logs)
    assert "broken" in text and CANARY not in text
    assert shown == [str(paths.logs)]
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))

    def wrong(*_args: object) -> None:
        raise WrongPassphrase("Passphrase falsch")

    monkeypatch.setattr(app, "open_or_create", wrong)
    try:
        assert app.run(paths, []) == WrongPassphrase.exit_code
    finally:
        assert crash._active is not None
        crash._active.uninstall()
    assert warnings == ["Passphrase falsch"] and len(reports(paths.logs)) == 1
    assert CANARY not in capsys.readouterr().err


def test_the_collector_is_on_again_however_the_start_ends(qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`kim-desk` turns the cyclic collector off for the start; a start that ends early (cancelled,
    a known error, a bug) must not leave the app's process without it."""
    import gc

    from kim_desk.errors import WrongPassphrase
    from kim_desk.gui import app, crash
    from kim_desk.paths import DataPaths

    monkeypatch.setattr(app, "setup_application", lambda _argv: QApplication.instance())
    monkeypatch.setattr(app, "crash_dialog", lambda _folder, _parent: type("D", (), {"exec": lambda self: 0})())
    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: None)

    def wrong(*_args: object) -> None:
        raise WrongPassphrase("Passphrase falsch")

    def broken(*_args: object) -> None:
        raise ValueError("kaputt")

    paths = DataPaths(tmp_path / "desk")
    codes = []
    try:
        for outcome in (lambda *_args: None, wrong, broken):
            monkeypatch.setattr(app, "open_or_create", outcome)
            gc.disable()
            try:
                codes.append(app.run(paths, []))
            finally:
                assert crash._active is not None
                crash._active.uninstall()
            assert gc.isenabled()
    finally:
        gc.enable()
    assert codes == [1, WrongPassphrase.exit_code, 70]
