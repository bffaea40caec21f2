"""The unlock dialog where the database is gone or damaged: the same words as the command line,
and "Sicherung wiederherstellen" restores the newest sound backup with the same checks (issue 13)."""

from __future__ import annotations

import pytest

from kim_desk import vault
from kim_desk.backup import create_backup, list_backups
from kim_desk.desk import open_desk
from kim_desk.gui.unlock import UnlockDialog, UnlockFlow
from kim_desk.paths import DataPaths
from kim_desk.store.clients import count_clients
from tests.conftest import PASSPHRASE, always
from tests.faults import leftovers, read_only_copy, snapshot


@pytest.fixture
def backed_up(desk_paths: DataPaths) -> DataPaths:
    desk = open_desk(desk_paths, always(PASSPHRASE), keyring=None)
    try:
        create_backup(desk.store, desk_paths, desk.key)
    finally:
        desk.close()
    return desk_paths


def _restorer(passphrases: list[str], shown: list[str]):  # type: ignore[no-untyped-def]
    """Fill in the passphrase when asked, then press "Sicherung wiederherstellen" when it is offered."""

    def ask(dialog: UnlockDialog) -> bool:
        shown.append(dialog.error.text())
        if dialog.restore_button.isVisibleTo(dialog.dialog):
            if passphrases:
                dialog.passphrase.setText(passphrases.pop(0))
            dialog.restore_button.click()
            return True
        if dialog.unlock_button.isVisibleTo(dialog.dialog) and passphrases:
            dialog.passphrase.setText(passphrases.pop(0))
            return True
        return False

    return ask


def test_empty_database_offers_the_backup_and_restores_it(qtbot, backed_up, options) -> None:  # type: ignore[no-untyped-def]
    newest = list_backups(backed_up)[0]
    backed_up.database.write_bytes(b"")
    shown: list[str] = []
    flow = UnlockFlow(backed_up, options, ask=_restorer([PASSPHRASE], shown))
    desk = flow.run()
    assert desk is not None
    try:
        assert count_clients(desk.store) == 60
    finally:
        desk.close()
    offered = shown[-1]
    assert offered.startswith(f"Die Datenbank {backed_up.database} ist beschädigt (die Datei ist leer)")
    assert f"Die neueste Sicherung ist {newest.name} (60 Personen)" in offered
    assert leftovers(backed_up) == []


def test_missing_database_asks_the_passphrase_then_restores(qtbot, backed_up, options) -> None:  # type: ignore[no-untyped-def]
    backed_up.database.unlink()
    shown: list[str] = []
    flow = UnlockFlow(backed_up, options, ask=_restorer(["falsche Passphrase", PASSPHRASE], shown))
    desk = flow.run()
    assert desk is not None
    desk.close()
    assert "fehlt" in shown[0] and "Sicherung wiederherstellen" in shown[0]
    assert "Die Passphrase ist falsch." in shown[1]
    assert vault.unlock(backed_up, always(PASSPHRASE), None).method == "passphrase"


def test_without_a_sound_backup_nothing_is_replaced(qtbot, backed_up, options) -> None:  # type: ignore[no-untyped-def]
    info = list_backups(backed_up)[0]
    damaged = bytearray((info.path / "desk.db").read_bytes())
    damaged[3 * 4096 + 10] ^= 0xFF
    (info.path / "desk.db").write_bytes(bytes(damaged))
    backed_up.database.write_bytes(b"")
    options.keyring = None  # no keyring refresh: every byte must stay as it was
    before = snapshot(backed_up)
    shown: list[str] = []
    assert UnlockFlow(backed_up, options, ask=_restorer([PASSPHRASE], shown)).run() is None
    assert "keine Sicherung, die ihre Prüfung besteht" in shown[-1]
    assert snapshot(backed_up) == before


def test_read_only_folder_is_said_as_such_in_the_app(qtbot, backed_up, options, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with read_only_copy(backed_up, tmp_path) as paths:
        shown: list[str] = []
        flow = UnlockFlow(paths, options, ask=_restorer([PASSPHRASE], shown))
        assert flow.run() is None
        assert "Schreibberechtigung" in shown[-1]
        assert "Schlüssel" not in shown[-1].split("\n\n")[0]
        assert not flow.dialog.restore_button.isVisibleTo(flow.dialog.dialog)


def test_a_damaged_page_met_while_working_is_named_like_on_the_command_line(window, desk) -> None:  # type: ignore[no-untyped-def]
    import sqlcipher3

    from kim_desk.backup import create_backup

    info = create_backup(desk.store, desk.paths, desk.key)
    page = int(desk.store.rows("SELECT rootpage FROM sqlite_master WHERE name = 'client'")[0][0])
    desk.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = desk.paths.root.parent / "copy.db"
    data = bytearray(desk.paths.database.read_bytes())
    data[(page - 1) * 4096 + 300] ^= 0xFF
    copy.write_bytes(bytes(data))
    conn = sqlcipher3.connect(str(copy))
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{desk.key.hex()}'\"")
    with pytest.raises(sqlcipher3.DatabaseError) as caught:
        conn.execute("SELECT * FROM client").fetchall()
    conn.close()
    window.show_error(caught.value)
    assert window.last_error.startswith(f"Die Datenbank {desk.paths.database} ist beschädigt (beschädigte Seiten)")
    assert f"kim-desk backup restore {info.name}" in window.last_error
