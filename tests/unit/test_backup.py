"""Backups: written with the online backup API, verified, rotated; restore checks first and loses nothing."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kim_desk import vault
from kim_desk.backup import backup_if_due, create_backup, list_backups, restore_backup, rotate, verify_backup
from kim_desk.backup.core import DB_NAME, MANIFEST_NAME
from kim_desk.backup.restore import BackupDamaged
from kim_desk.clock import FixedClock
from kim_desk.desk import Desk, open_desk
from kim_desk.errors import StorageError
from kim_desk.paths import DataPaths
from kim_desk.store.clients import Client, create_client
from tests.conftest import PASSPHRASE, TODAY, always


def _key(paths: DataPaths) -> bytes:
    return vault.unlock(paths, always(PASSPHRASE), None).key


def _clients(paths: DataPaths) -> int:
    desk = open_desk(paths, always(PASSPHRASE), keyring=None, clock=FixedClock(TODAY))
    try:
        return int(desk.store.rows("SELECT count(*) FROM client")[0][0])
    finally:
        desk.close()


def test_backup_is_encrypted_complete_and_opens_with_its_own_vault(desk: Desk) -> None:
    info = create_backup(desk.store, desk.paths, _key(desk.paths))
    assert sorted(p.name for p in info.path.iterdir()) == ["desk.db", "journal.json", "manifest.json", "vault.json"]
    raw = (info.path / DB_NAME).read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert b"family_name" not in raw
    # the vault saved with the backup unlocks it with the passphrase alone
    backup_paths = DataPaths(info.path)
    restored_key = vault.unlock(backup_paths, always(PASSPHRASE), None).key
    assert verify_backup(info.path, restored_key) == []
    assert info.counts["client"] == 60
    assert [b.name for b in list_backups(desk.paths)] == [info.name]
    assert list(desk.paths.backups.glob(".tmp-*")) == []
    assert oct(desk.paths.backups.stat().st_mode & 0o777) == "0o700"


def test_verify_finds_a_damaged_backup(desk: Desk) -> None:
    key = _key(desk.paths)
    info = create_backup(desk.store, desk.paths, key)
    db = info.path / DB_NAME
    data = bytearray(db.read_bytes())
    data[4096 * 2 + 100] ^= 0xFF  # one flipped bit in an encrypted page
    db.write_bytes(bytes(data))
    problems = verify_backup(info.path, key)
    assert problems and ("beschädigt" in problems[0] or "Integrität" in problems[0] or "nicht lesbar" in problems[0])


def test_verify_finds_a_manifest_that_does_not_match(desk: Desk) -> None:
    key = _key(desk.paths)
    info = create_backup(desk.store, desk.paths, key)
    manifest = json.loads((info.path / MANIFEST_NAME).read_text("utf-8"))
    manifest["counts"]["client"] += 1
    (info.path / MANIFEST_NAME).write_text(json.dumps(manifest), "utf-8")
    assert verify_backup(info.path, key) == ["Die Zahl der Datensätze stimmt nicht mit der Beschreibung überein."]


def test_restore_brings_back_the_data_of_the_backup(desk: Desk) -> None:
    key = _key(desk.paths)
    info = create_backup(desk.store, desk.paths, key)
    create_client(desk.store, Client(family_name="Später", municipality="telgte"))
    assert _clients(desk.paths) == 61
    desk.close()
    result = restore_backup(desk.paths, info, key)
    assert result.clients == 60
    assert _clients(desk.paths) == 60


def test_restore_refuses_a_damaged_backup_and_keeps_the_database(desk: Desk) -> None:
    key = _key(desk.paths)
    info = create_backup(desk.store, desk.paths, key)
    create_client(desk.store, Client(family_name="Bleibt", municipality="telgte"))
    desk.close()
    before = desk.paths.database.read_bytes()
    (info.path / DB_NAME).write_bytes((info.path / DB_NAME).read_bytes()[:8192])  # truncated
    with pytest.raises(BackupDamaged, match="es wurde nichts ersetzt"):
        restore_backup(desk.paths, info, key)
    assert desk.paths.database.read_bytes() == before
    assert _clients(desk.paths) == 61


def test_failed_swap_puts_the_old_database_back(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    key = _key(desk.paths)
    info = create_backup(desk.store, desk.paths, key)
    create_client(desk.store, Client(family_name="Bleibt", municipality="telgte"))
    desk.close()
    from kim_desk.backup import restore as restore_module

    real_replace = os.replace

    def failing_swap(source: object, target: object) -> None:
        if Path(str(target)) == desk.paths.database:  # the swap itself
            raise OSError(errno.EIO, "I/O error")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(restore_module.os, "replace", failing_swap)
    with pytest.raises(StorageError):
        restore_backup(desk.paths, info, key)
    monkeypatch.undo()
    assert _clients(desk.paths) == 61
    assert not any(p.name.startswith((".restore", "desk.db.replaced")) for p in desk.paths.root.iterdir())


def _fake_backup(paths: DataPaths, when: dt.datetime, source: Path) -> None:
    folder = paths.backups / when.strftime("%Y-%m-%dT%H%M%S")
    shutil.copytree(source, folder)
    manifest = json.loads((folder / MANIFEST_NAME).read_text("utf-8"))
    manifest["created_at"] = when.isoformat()
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest), "utf-8")


def test_rotation_keeps_7_daily_4_weekly_12_monthly(desk: Desk, tmp_path: Path) -> None:
    template = create_backup(desk.store, desk.paths, _key(desk.paths))
    source = tmp_path / "template"
    shutil.move(template.path, source)
    start = dt.datetime(2025, 1, 1, 18, 0)
    for day in range(400):  # one backup a day for 400 days
        _fake_backup(desk.paths, start + dt.timedelta(days=day), source)
    rotate(desk.paths)
    kept = [b.created_at for b in list_backups(desk.paths)]
    newest = start + dt.timedelta(days=399)
    assert kept[0] == newest
    daily = [newest - dt.timedelta(days=i) for i in range(7)]
    assert kept[:7] == daily
    assert len({(d.year, d.month) for d in kept}) == 12
    assert len(kept) <= 7 + 4 + 12
    weeks = {d.isocalendar()[:2] for d in kept}
    assert len(weeks) >= 4 + 2  # the dailies span two weeks, the weeklies add more
    assert min(kept) >= newest - dt.timedelta(days=366)


def test_backup_if_due_makes_one_a_day(desk: Desk) -> None:
    key = _key(desk.paths)
    first = backup_if_due(desk, key)
    assert first is not None
    assert backup_if_due(desk, key) is None
    desk.store.clock = FixedClock(TODAY + dt.timedelta(days=1, minutes=1))
    assert backup_if_due(desk, key) is not None
    assert len(list_backups(desk.paths)) == 2


def test_disk_full_during_backup_gives_a_clear_message_and_leaves_nothing(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = _key(desk.paths)
    earlier = create_backup(desk.store, desk.paths, key)
    from kim_desk import fileutil

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fileutil.os, "fsync", full)
    desk.store.clock = FixedClock(TODAY + dt.timedelta(hours=1))
    with pytest.raises(StorageError, match="Datenträger ist voll"):
        create_backup(desk.store, desk.paths, key)
    monkeypatch.undo()
    assert [b.name for b in list_backups(desk.paths)] == [earlier.name]
    assert list(desk.paths.backups.glob(".tmp-*")) == []
    assert verify_backup(earlier.path, key) == []


def _mount(target: Path, options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    command = ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)]
    done = subprocess.run(command, check=False, capture_output=True)
    return done.returncode == 0


def test_backup_on_a_really_full_disk(desk: Desk, tmp_path: Path) -> None:
    small = tmp_path / "small"
    if not _mount(small, "size=64k"):
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        (small / "filler").write_bytes(b"\0" * 40_000)
        target = DataPaths(small)
        shutil.copy(desk.paths.vault, target.vault)
        with pytest.raises(StorageError, match="Datenträger ist voll"):
            create_backup(desk.store, target, _key(desk.paths))
        assert list(target.backups.glob("*")) == []  # no half-written backup, no temp folder
        assert _clients(desk.paths) == 60
    finally:
        subprocess.run(["umount", str(small)], check=True)


def test_read_only_backup_folder_gives_a_clear_message(desk: Desk, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    if not _mount(locked, "size=1m,ro"):
        pytest.skip("cannot mount a read-only tmpfs here (needs root)")
    try:
        target = DataPaths(locked)
        with pytest.raises(StorageError, match=r"Schreibberechtigung|nicht geschrieben"):
            create_backup(desk.store, target, _key(desk.paths))
        assert _clients(desk.paths) == 60
    finally:
        subprocess.run(["umount", str(locked)], check=True)
