"""First run, unlock, recovery and lock: what the counsellor sees, and what is on disk."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from kim_desk import vault
from kim_desk.gui.first_run import FirstRunWizard
from kim_desk.gui.main_window import MainWindow
from kim_desk.gui.unlock import UnlockDialog, UnlockFlow
from kim_desk.paths import DataPaths
from kim_desk.store.clients import count_clients
from tests.conftest import PASSPHRASE, all_bytes


def _answers(*steps):  # type: ignore[no-untyped-def]
    """An `ask` for UnlockFlow that fills the dialog from a list of steps and records what it showed."""
    shown: list[str] = []
    queue = list(steps)

    def ask(dialog: UnlockDialog) -> bool:
        shown.append(dialog.error.text())
        if not queue:
            return False
        step = queue.pop(0)
        if step is None:
            return False
        if isinstance(step, tuple):
            code, new = step
            dialog.set_recovery(True)
            dialog.recovery_code.setText(code)
            dialog.new_passphrase.setText(new)
            dialog.repeat_passphrase.setText(new)
        else:
            dialog.passphrase.setText(step)
        return True

    return ask, shown


def test_first_run_creates_the_desk_and_shows_the_recovery_code(qtbot, tmp_path, options) -> None:  # type: ignore[no-untyped-def]
    paths = DataPaths(tmp_path / "new")
    wizard = FirstRunWizard(paths, options)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.passphrase_page
    page.first.setText("ein langer Satz")
    page.second.setText("ein langer Satz!")
    wizard.next()
    assert "stimmen nicht überein" in page.error.text()
    assert not vault.is_initialised(paths)
    page.second.setText("ein langer Satz")
    wizard.next()
    assert vault.is_initialised(paths) and wizard.desk is not None
    code = wizard.recovery_page.code.text()
    assert len(code) == 29 and code.count("-") == 4
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()  # only once the code is noted
    wizard.recovery_page.noted.setChecked(True)
    assert finish.isEnabled()
    wizard.recovery_page.copy()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == code
    assert vault.unlock_with_recovery_code(paths, code.lower()) is not None
    assert b"ein langer Satz" not in all_bytes(paths.root)
    wizard.desk.close()


def test_first_run_refuses_a_folder_with_a_desk(desk_paths, options) -> None:  # type: ignore[no-untyped-def]
    import pytest

    with pytest.raises(ValueError):
        FirstRunWizard(desk_paths, options)


def test_wrong_passphrase_is_said_calmly_and_asked_again(qtbot, desk_paths, options) -> None:  # type: ignore[no-untyped-def]
    ask, shown = _answers("falsch falsch falsch", PASSPHRASE)
    flow = UnlockFlow(desk_paths, options, ask=ask)
    desk = flow.run()
    assert desk is not None
    assert shown == ["", "Die Passphrase ist falsch."]
    assert count_clients(desk.store) == 60
    desk.close()


def test_a_desk_unlocked_in_the_app_makes_its_daily_backup(qtbot, desk_paths, options) -> None:  # type: ignore[no-untyped-def]
    from kim_desk.backup.core import list_backups
    from kim_desk.gui.main_window import MainWindow

    ask, _shown = _answers(PASSPHRASE)
    desk = UnlockFlow(desk_paths, options, ask=ask).run()
    assert desk is not None and desk.key  # the key stays with the desk for the backups
    window = MainWindow(desk, options)
    qtbot.addWidget(window)
    backups = list_backups(desk_paths)
    assert len(backups) == 1 and not backups[0].problem
    assert "Letzte Sicherung: 23.11." in window.backup_label.text()
    window.close()


def test_recovery_code_unlocks_and_sets_a_new_passphrase(qtbot, tmp_path, options) -> None:  # type: ignore[no-untyped-def]
    from kim_desk.desk import create_desk

    paths = DataPaths(tmp_path / "desk")
    created, code = create_desk(paths, PASSPHRASE, None, options.kdf, options.clock)
    created.close()
    ask, _shown = _answers((code, "eine ganz neue Passphrase"))
    desk = UnlockFlow(paths, options, ask=ask).run()
    assert desk is not None
    desk.close()
    ask, shown = _answers("eine ganz neue Passphrase")
    again = UnlockFlow(paths, options, ask=ask).run()
    assert again is not None and shown == [""]
    again.close()


def test_missing_vault_is_explained_and_nothing_is_created(qtbot, desk_paths, options) -> None:  # type: ignore[no-untyped-def]
    desk_paths.vault.unlink()
    before = all_bytes(desk_paths.root)
    ask, shown = _answers(PASSPHRASE)
    flow = UnlockFlow(desk_paths, options, ask=ask)
    assert flow.run() is None
    assert "Schlüsseldatei" in shown[-1] and "IT" in shown[-1]
    assert not flow.dialog.unlock_button.isVisibleTo(flow.dialog.dialog)
    assert all_bytes(desk_paths.root) == before
    assert not desk_paths.vault.exists()


def test_missing_database_is_explained(qtbot, desk_paths, options) -> None:  # type: ignore[no-untyped-def]
    desk_paths.database.unlink()
    ask, shown = _answers(PASSPHRASE)
    assert UnlockFlow(desk_paths, options, ask=ask).run() is None
    assert "Sicherung" in shown[-1]
    assert not desk_paths.database.exists()


def test_database_too_new_is_explained(qtbot, desk_paths, options) -> None:  # type: ignore[no-untyped-def]
    from kim_desk.desk import open_desk

    desk = open_desk(desk_paths, lambda _r: PASSPHRASE, None)
    desk.store.conn.execute("PRAGMA user_version = 999")
    desk.close()
    ask, shown = _answers(PASSPHRASE)
    assert UnlockFlow(desk_paths, options, ask=ask).run() is None
    assert "neueren KIM-Desk-Version" in shown[-1]


def test_ctrl_l_locks_hides_data_and_unlock_brings_it_back(qtbot, desk_paths, options) -> None:  # type: ignore[no-untyped-def]
    from kim_desk.desk import open_desk

    desk = open_desk(desk_paths, lambda _r: PASSPHRASE, None, options.clock)
    ask, _shown = _answers(PASSPHRASE)
    window = MainWindow(desk, options, lambda parent: UnlockFlow(desk_paths, options, parent, ask=ask).run())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page("clients")
    first_name = window.clients_page.model.index(0, 0).data()
    window.notify("Auskunft gespeichert: auskunft-person-1.json")  # the session's last message
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.runner.locked
    assert window.frame.currentWidget() is window.lock_screen
    assert window.statusBar().currentMessage() == ""
    assert window.lock_label.text() == "Gesperrt"
    from kim_desk.gui.pages.clients import ClientsPage

    qtbot.waitUntil(lambda: window.content is None and not window.findChildren(ClientsPage))
    import sqlcipher3

    try:
        desk.store.conn.execute("SELECT 1")
        closed = False
    except sqlcipher3.ProgrammingError:
        closed = True
    assert closed
    assert window.unlock()
    assert window.lock_label.text() == "Entsperrt"
    window.show_page("clients")
    assert window.clients_page.model.index(0, 0).data() == first_name
    window.close()


def test_idle_time_from_settings_locks_the_desk(qtbot, idle_window) -> None:  # type: ignore[no-untyped-def]
    window = idle_window
    window.settings_page.idle_minutes.setValue(2)
    window.settings_page.save()
    assert window.idle.interval_ms == 2 * window.options.minute_ms
    qtbot.waitUntil(lambda: window.runner.locked, timeout=4 * window.options.minute_ms + 2000)
    assert window.frame.currentWidget() is window.lock_screen


def test_after_a_passphrase_the_keyring_entry_is_written_once_the_window_is_up(qtbot, desk_paths, options) -> None:  # type: ignore[no-untyped-def]
    ask, _shown = _answers(PASSPHRASE)
    desk = UnlockFlow(desk_paths, options, ask=ask).run()
    assert desk is not None and desk.keyring_refresh_due
    assert not options.keyring.secrets  # not during the unlock: the window comes first
    window = MainWindow(desk, options)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(options.keyring.secrets))
    assert vault.unlock(desk_paths, lambda _r: "", options.keyring).method == "keyring"
    window.close()


def test_the_app_unlocked_uses_the_installed_content_pack(qtbot, desk_paths, options, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found in review: the app's unlock built the desk without activating the district's pack, so after a restart
    the app printed from the shipped forms while the command line used the pack."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kim_desk.catalog import load_catalog
    from kim_desk.content.install import install_pack
    from kim_desk.resources import use_installed_content
    from tests.unit.test_content_packs import NEW_LABEL, NOW, pack, pack_source, public

    key = Ed25519PrivateKey.generate()
    install_pack(desk_paths, pack(pack_source(tmp_path), key), public(key), NOW)
    use_installed_content(None)  # as after a restart: only the shipped content is active
    try:
        ask, _shown = _answers(PASSPHRASE)
        desk = UnlockFlow(desk_paths, options, ask=ask).run()
        assert desk is not None
        labels = [doc.label for doc in desk.catalog.types["kindergeld"].documents]
        assert NEW_LABEL in labels
        assert NEW_LABEL in [doc.label for doc in load_catalog().types["kindergeld"].documents]
        desk.close()
    finally:
        use_installed_content(None)
