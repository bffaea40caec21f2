"""Failing safe (DESIGN §3): one test per finding of the crash-and-fault attack (issue 13).

Each failed on the code before the fix. The broader fault-injection suite is test_faults.py.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kim_desk import vault
from kim_desk.backup import create_backup, list_backups, restore_backup, verify_backup
from kim_desk.clock import FixedClock
from kim_desk.commands import main
from kim_desk.desk import Desk, open_desk
from kim_desk.errors import KnownError, UnlockError
from kim_desk.logs import setup_logging
from kim_desk.paths import DataPaths
from kim_desk.store import open_store
from kim_desk.store.clients import Client, create_client
from tests.conftest import PASSPHRASE, TODAY, FakeKeyring, always
from tests.faults import full_disk_copy, leftovers, read_only_copy, snapshot

VAULT_NAME, JOURNAL_NAME = "vault.json", "journal.json"


@pytest.fixture
def kim(desk_paths: DataPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., int]]:
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE, "utf-8")
    monkeypatch.setenv("KIM_DESK_PASSPHRASE_FILE", str(secret))
    monkeypatch.setattr(vault, "SystemKeyring", lambda: None)

    def run(*args: str, paths: DataPaths = desk_paths) -> int:
        return main([*args, "--data-dir", str(paths.root)])

    yield run
    setup_logging(None)


def _key(paths: DataPaths) -> bytes:
    return vault.unlock(paths, always(PASSPHRASE), None).key


def _damage_page(paths: DataPaths, table: str) -> None:
    """Flip a byte in the encrypted root page of `table`."""
    store = open_store(paths.database, _key(paths))
    page = int(store.rows("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))[0][0])
    store.close()
    data = bytearray(paths.database.read_bytes())
    data[(page - 1) * 4096 + 300] ^= 0xFF
    paths.database.write_bytes(bytes(data))


# 1 ---------------------------------------------------------------------------------------------
def test_empty_database_beside_a_vault_is_refused_and_the_good_backup_survives(
    kim: Callable[..., int], desk_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kim("backup", "create") == 0
    good = list_backups(desk_paths)[0]
    capsys.readouterr()
    desk_paths.database.write_bytes(b"")
    before = snapshot(desk_paths)
    assert kim("clients", "--json") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "ist beschädigt (die Datei ist leer)" in err
    assert f"kim-desk backup restore {good.name}" in err
    assert kim("backup", "create") == 1
    assert snapshot(desk_paths) == before  # no new database, no new backup
    assert [b.name for b in list_backups(desk_paths)] == [good.name]


def test_a_suspiciously_small_backup_never_pushes_out_the_good_one_before_it(desk: Desk, empty_desk: Desk) -> None:
    key = _key(desk.paths)
    good = create_backup(desk.store, desk.paths, key)
    empty_desk.store.clock = FixedClock(TODAY + dt.timedelta(hours=2))  # same day: the daily slot is contested
    small = create_backup(empty_desk.store, desk.paths, empty_desk.key)
    assert small.clients == 0
    assert [b.name for b in list_backups(desk.paths)] == [small.name, good.name]
    assert verify_backup(good.path, key) == []


# 2 ---------------------------------------------------------------------------------------------
def test_passphrase_unlock_survives_a_read_only_folder_and_adds_no_keyring_secret(
    desk_paths: DataPaths, tmp_path: Path
) -> None:
    keyring = FakeKeyring()
    keyring.mode = "missing"  # the keyring entry is gone: the passphrase is asked
    with read_only_copy(desk_paths, tmp_path) as paths:
        before = snapshot(paths)
        for _try in range(3):
            result = vault.unlock(paths, always(PASSPHRASE), keyring)
            assert result.method == "passphrase"
            assert any("nicht aktualisiert" in note for note in result.notes)
        assert keyring.secrets == {}  # no secret that no vault knows
        assert snapshot(paths) == before
        # the unlocked key really opens the desk
        assert result.key == _key(desk_paths)


def test_passphrase_unlock_survives_a_full_disk(
    desk_paths: DataPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring = FakeKeyring()
    keyring.mode = "missing"
    with full_disk_copy(desk_paths, tmp_path, monkeypatch) as paths:
        vault_before = paths.vault.read_bytes()
        result = vault.unlock(paths, always(PASSPHRASE), keyring)
        assert result.method == "passphrase"
        assert keyring.secrets == {}
        assert paths.vault.read_bytes() == vault_before
        assert leftovers(paths) == []


def test_keyring_is_refreshed_after_a_passphrase_unlock(desk_paths: DataPaths) -> None:
    keyring = FakeKeyring()
    assert vault.unlock(desk_paths, always(PASSPHRASE), keyring).method == "passphrase"
    assert len(keyring.secrets) == 1
    assert vault.unlock(desk_paths, always("not asked"), keyring).method == "keyring"


# 3 ---------------------------------------------------------------------------------------------
def test_backup_is_one_snapshot_while_another_connection_writes(desk: Desk) -> None:
    key = _key(desk.paths)
    stop = threading.Event()
    written = []

    def writer() -> None:
        other = open_store(desk.paths.database, key)
        try:
            while not stop.is_set():
                written.append(create_client(other, Client(family_name="Parallel", municipality="ahlen")).id)
                # a breath between writes, as any program's: without it the writer held the lock ~95 % of the
                # time and the backup's BEGIN IMMEDIATE could miss every retry of its 5 s busy timeout
                stop.wait(0.002)
        finally:
            other.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            threading.Event().wait(0.01)
        infos = []
        for hour in range(4):
            desk.store.clock = FixedClock(TODAY + dt.timedelta(days=hour))
            infos.append(create_backup(desk.store, desk.paths, key))
    finally:
        stop.set()
        thread.join()
    assert len(written) > 5
    for info in infos:
        assert verify_backup(info.path, key) == []
    assert infos[-1].clients >= infos[0].clients >= 60


# 4 ---------------------------------------------------------------------------------------------
def test_refused_restore_leaves_no_staging_copy(desk: Desk) -> None:
    key = _key(desk.paths)
    info = create_backup(desk.store, desk.paths, key)
    desk.close()
    (desk.paths.root / JOURNAL_NAME).write_text("{ damaged", "utf-8")
    before = snapshot(desk.paths)
    with pytest.raises(KnownError, match="Löschprotokoll"):
        restore_backup(desk.paths, info, key)
    assert leftovers(desk.paths) == []
    assert snapshot(desk.paths) == before


def test_database_moved_aside_by_an_interrupted_restore_does_not_outlive_the_next_start(desk_paths: DataPaths) -> None:
    replaced = desk_paths.root / "desk.db.replaced-20261123T093000"
    replaced.write_bytes(desk_paths.database.read_bytes())
    staging = desk_paths.root / ".restore-staging.db"
    for name in (staging, staging.with_name(staging.name + "-journal"), staging.with_name(staging.name + "-wal")):
        name.write_bytes(desk_paths.database.read_bytes()[:8192])
    open_desk(desk_paths, always(PASSPHRASE), keyring=None).close()
    assert leftovers(desk_paths) == []


def test_a_restore_killed_after_moving_the_database_aside_gets_it_back(desk_paths: DataPaths) -> None:
    """What older versions left: desk.db renamed to desk.db.replaced-<stamp>, nothing in its place."""
    desk_paths.database.rename(desk_paths.root / "desk.db.replaced-20261123T093000")
    desk = open_desk(desk_paths, always(PASSPHRASE), keyring=None)
    try:
        assert int(desk.store.rows("SELECT count(*) FROM client")[0][0]) == 60
    finally:
        desk.close()
    assert leftovers(desk_paths) == []


# 5 ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [VAULT_NAME, JOURNAL_NAME])
def test_verify_checks_the_vault_and_the_journal_saved_with_the_backup(desk: Desk, name: str) -> None:
    key = _key(desk.paths)
    info = create_backup(desk.store, desk.paths, key)
    target = info.path / name
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit
    target.write_bytes(bytes(data))
    problems = verify_backup(info.path, key)
    assert problems and name in problems[0]
    target.unlink()
    assert any(name in problem and "fehlt" in problem for problem in verify_backup(info.path, key))


# 6 ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda v: v["slots"].pop("passphrase"), "beschädigt"),
        (lambda v: v["slots"]["passphrase"].update(memory_kib=2**40), "beschädigt"),
        (lambda v: v["slots"]["passphrase"].update(nonce="not base64!"), "beschädigt"),
        (lambda v: v["slots"]["passphrase"].update(salt="AAAAAAAAAAAAAAAAAAAAAA=="), "beschädigt"),
        (lambda v: v["slots"]["passphrase"].update(wrapped=v["slots"]["passphrase"]["wrapped"][::-1]), "beschädigt"),
        (lambda v: v.update(vault_id="0" * 32), "beschädigt"),
    ],
)
def test_damaged_vault_fields_are_named_never_a_wrong_passphrase_or_a_crash(
    kim: Callable[..., int],
    desk_paths: DataPaths,
    capsys: pytest.CaptureFixture[str],
    damage: Callable[[dict[str, object]], object],
    words: str,
) -> None:
    data = json.loads(desk_paths.vault.read_text("utf-8"))
    damage(data)
    desk_paths.vault.write_text(json.dumps(data), "utf-8")
    before = snapshot(desk_paths)
    assert kim("clients") == UnlockError.exit_code
    err = capsys.readouterr().err
    assert words in err and "vault.json" in err
    assert "falsch" not in err
    assert snapshot(desk_paths) == before


# 7 ---------------------------------------------------------------------------------------------
def test_read_only_data_folder_is_not_called_a_wrong_key(
    kim: Callable[..., int], desk_paths: DataPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with read_only_copy(desk_paths, tmp_path) as paths:
        before = snapshot(paths)
        code = kim("clients", paths=paths)
        err = capsys.readouterr().err
        assert code == 1
        assert "Schreibberechtigung" in err
        assert "Schlüssel" not in err
        assert snapshot(paths) == before


# 8 ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", [("clients", "--search", "a"), ("client", "erase", "3", "--yes")])
def test_damaged_page_is_named_with_the_backup_to_restore(
    kim: Callable[..., int], desk_paths: DataPaths, capfd: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    assert kim("backup", "create") == 0
    good = list_backups(desk_paths)[0]
    _damage_page(desk_paths, "client")
    capfd.readouterr()
    code = kim(*command)
    err = capfd.readouterr().err
    assert code not in (0, 70)
    assert "ist beschädigt" in err
    assert f"kim-desk backup restore {good.name}" in err
    assert "ERROR CORE" not in err and "Traceback" not in err


# 9 ---------------------------------------------------------------------------------------------
def test_full_disk_under_the_log_prints_no_logging_tracebacks(
    kim: Callable[..., int], desk_paths: DataPaths, capfd: pytest.CaptureFixture[str]
) -> None:
    desk_paths.logs.mkdir(exist_ok=True)
    log = desk_paths.logs / "kim-desk.log"
    log.unlink(missing_ok=True)
    log.symlink_to("/dev/full")  # every write: ENOSPC
    assert kim("clients") == 0
    captured = capfd.readouterr()
    assert "Logging error" not in captured.err and "Traceback" not in captured.err
    assert captured.out.count("\n") == 60


# 10 --------------------------------------------------------------------------------------------
def test_self_test_never_writes_into_the_real_desks_log(
    desk_paths: DataPaths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kim_desk.commands import selftest, selftest_backup

    monkeypatch.setattr(selftest, "_all_checks", lambda: list(selftest_backup.CHECKS))
    monkeypatch.setenv("KIM_DESK_HOME", str(desk_paths.root))
    try:
        assert main(["self-test"]) == 0
    finally:
        setup_logging(None)
    assert "ok    backup and restore" in capsys.readouterr().out
    log = desk_paths.logs / "kim-desk.log"
    text = log.read_text("utf-8") if log.exists() else ""
    assert "client_erased" not in text and "backup_restored" not in text


def test_a_backup_with_a_damaged_first_page_is_not_called_a_wrong_key(desk: Desk) -> None:
    key = _key(desk.paths)
    info = create_backup(desk.store, desk.paths, key)
    db = info.path / "desk.db"
    data = bytearray(db.read_bytes())
    data[100] ^= 0xFF  # page 1: the key check itself fails
    db.write_bytes(bytes(data))
    problems = verify_backup(info.path, key)
    assert problems and "beschädigt" in problems[-1]
    assert not any("falscher Schlüssel" in problem for problem in problems)
