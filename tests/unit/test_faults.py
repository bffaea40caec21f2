"""Fault injection (issue 13): damaged or missing database files, a full disk, a read-only folder and
concurrent writers, each against the commands a counsellor runs.

After every failure: desk.db, vault.json and the backups are byte-identical to before (or the command
completed), no leftover file of the app is in the data folder, no message speaks of a wrong key, and no
damaged input ends in exit 70 ("interner Fehler").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kim_desk import vault
from kim_desk.backup import create_backup, list_backups, restore_backup
from kim_desk.commands import main
from kim_desk.desk import Desk, open_desk
from kim_desk.errors import KnownError
from kim_desk.logs import setup_logging
from kim_desk.paths import DataPaths
from kim_desk.privacy.erasure import erase_client
from kim_desk.store import open_store
from kim_desk.store.clients import Client, create_client
from tests.conftest import PASSPHRASE, always
from tests.faults import ROOT, full_disk_copy, leftovers, read_only_copy, snapshot
from tests.unit.sqlcipher_pages import all_plaintext

COMMANDS = [("clients",), ("clients", "--search", "a"), ("client", "erase", "3", "--yes"), ("backup", "create")]


@pytest.fixture
def kim(
    desk_paths: DataPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> Iterator[Callable[..., tuple[int, str]]]:
    """Run a command on a desk; returns (exit code, everything on stderr, SQLCipher's own lines included)."""
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE, "utf-8")
    monkeypatch.setenv("KIM_DESK_PASSPHRASE_FILE", str(secret))
    monkeypatch.setattr(vault, "SystemKeyring", lambda: None)

    def run(*args: str, paths: DataPaths = desk_paths) -> tuple[int, str]:
        capfd.readouterr()
        code = main([*args, "--data-dir", str(paths.root)])
        return code, capfd.readouterr().err

    yield run
    setup_logging(None)


@pytest.fixture
def backed_up(kim: Callable[..., tuple[int, str]], desk_paths: DataPaths) -> str:
    code, _err = kim("backup", "create")
    assert code == 0
    return list_backups(desk_paths)[0].name


def _assert_calm(code: int, err: str) -> None:
    assert code not in (0, 70), err
    assert "Traceback" not in err and "interner Fehler" not in err and "ERROR CORE" not in err
    assert "Logging error" not in err
    assert "falscher Schlüssel" not in err and "Passphrase ist falsch" not in err


def _empty(db: Path) -> None:
    db.write_bytes(b"")


def _cut_at_page(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: (len(data) // 4096 // 2) * 4096])


def _cut_mid_page(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2 + 1000])


def _missing(db: Path) -> None:
    db.unlink()


def _noise(db: Path) -> None:
    db.write_bytes(os.urandom(len(db.read_bytes())))


def _unreadable(db: Path) -> None:
    if ROOT:
        pytest.skip("root reads every file whatever its mode")
    db.chmod(0)


DAMAGE = {"empty": _empty, "cut at a page": _cut_at_page, "cut mid-page": _cut_mid_page, "missing": _missing,
          "noise": _noise, "unreadable": _unreadable}  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_or_missing_database_beside_a_vault_is_an_incident_never_a_first_run(
    kim: Callable[..., tuple[int, str]],
    desk_paths: DataPaths,
    backed_up: str,
    damage: Callable[[Path], None],
    command: tuple[str, ...],
) -> None:
    damage(desk_paths.database)
    before = snapshot(desk_paths)
    code, err = kim(*command)
    _assert_calm(code, err)
    assert "beschädigt" in err or "fehlt" in err or "Leseberechtigung" in err
    assert f"kim-desk backup restore {backed_up}" in err or "Leseberechtigung" in err
    assert snapshot(desk_paths) == before
    assert leftovers(desk_paths) == []
    if ROOT or damage is not _unreadable:
        code, err = kim("backup", "restore", backed_up, "--yes")
        assert code == 0, err
        assert leftovers(desk_paths) == []
        restored = open_desk(desk_paths, always(PASSPHRASE), keyring=None)
        try:
            assert int(restored.store.rows("SELECT count(*) FROM client")[0][0]) == 60
        finally:
            restored.close()


@pytest.mark.parametrize("command", [*COMMANDS, ("backup", "verify"), ("backup", "restore", "NEWEST", "--yes")])
def test_full_disk(
    kim: Callable[..., tuple[int, str]],
    desk_paths: DataPaths,
    backed_up: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
) -> None:
    command = tuple(backed_up if part == "NEWEST" else part for part in command)
    with full_disk_copy(desk_paths, tmp_path, monkeypatch) as paths:
        before = snapshot(paths)
        code, err = kim(*command, paths=paths)
        assert "Traceback" not in err and "Logging error" not in err and "interner Fehler" not in err
        if code:
            _assert_calm(code, err)
            assert "Datenträger ist voll" in err
            assert snapshot(paths) == before
        assert leftovers(paths) == []


@pytest.mark.parametrize("command", [*COMMANDS, ("backup", "restore", "NEWEST", "--yes")])
def test_read_only_folder(
    kim: Callable[..., tuple[int, str]], desk_paths: DataPaths, backed_up: str, tmp_path: Path, command: tuple[str, ...]
) -> None:
    command = tuple(backed_up if part == "NEWEST" else part for part in command)
    with read_only_copy(desk_paths, tmp_path) as paths:
        before = snapshot(paths)
        code, err = kim(*command, paths=paths)
        _assert_calm(code, err)
        assert "Schreibberechtigung" in err
        assert "Schlüssel" not in err
        assert snapshot(paths) == before


# concurrent writers -------------------------------------------------------------------------------
class Writer:
    """Another process's connection writing clients as fast as it can."""

    def __init__(self, paths: DataPaths, key: bytes) -> None:
        self.paths, self.key = paths, key
        self.stop = threading.Event()
        self.written: list[int] = []
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        store = open_store(self.paths.database, self.key)
        try:
            while not self.stop.is_set():
                self.written.append(create_client(store, Client(family_name="Nebenher", municipality="ahlen")).id)
        finally:
            store.close()

    def __enter__(self) -> Writer:
        self.thread.start()
        while len(self.written) < 3 and self.thread.is_alive():
            threading.Event().wait(0.01)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()


def test_erase_while_another_process_writes_leaves_the_person_nowhere(desk: Desk) -> None:
    row = desk.store.one("SELECT id, family_name FROM client ORDER BY id LIMIT 1")
    assert row is not None
    marker = create_client(desk.store, Client(family_name="Zzyzxquorra", municipality="ahlen")).id
    with Writer(desk.paths, desk.key) as writer:
        erase_client(desk.store, desk.paths, marker)
    assert len(writer.written) > 3
    assert desk.store.one("SELECT 1 FROM client WHERE id = ?", (marker,)) is None
    everything = b"".join(
        all_plaintext(path, desk.key) if path.name == "desk.db" else path.read_bytes()
        for path in desk.paths.root.rglob("*")
        if path.is_file() and not path.name.endswith(("-wal", "-shm"))
    )
    assert b"zzyzxquorra" not in everything.lower()
    count = int(desk.store.rows("SELECT count(*) FROM client WHERE family_name = 'Nebenher'")[0][0])
    assert count == len(writer.written)  # every acknowledged write of the other process is there


def test_restore_while_another_process_has_the_desk_open_replaces_nothing(desk: Desk) -> None:
    info = create_backup(desk.store, desk.paths, desk.key)
    with Writer(desk.paths, desk.key) as writer:
        desk.close()
        before_db = desk.paths.database.read_bytes()
        before_journal = (desk.paths.root / "journal.json").read_bytes()
        with pytest.raises(KnownError, match="anderen Fenster oder Programm"):
            restore_backup(desk.paths, info, desk.key)
        assert leftovers(desk.paths) == []
        assert (desk.paths.root / "journal.json").read_bytes() == before_journal
    reopened = open_desk(desk.paths, always(PASSPHRASE), keyring=None)
    try:
        count = int(reopened.store.rows("SELECT count(*) FROM client WHERE family_name = 'Nebenher'")[0][0])
    finally:
        reopened.close()
    assert count == len(writer.written) > 3  # nothing the other process wrote was lost
    assert before_db  # the file was there all along
