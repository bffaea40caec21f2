"""SIGKILL at every step of a restore and of an erasure, then a byte scan of the whole data folder.

After each kill the desk is opened as at the next start: it holds either the old or the restored
database, whole; no staging copy or other leftover remains; and the erased person is readable in no
file of the data folder (pages decrypted, WAL frames included) — only in the backup made before the
erasure, which is the past that a restore re-applies the erasure to.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kim_desk.backup import create_backup, list_backups
from kim_desk.paths import DataPaths
from kim_desk.privacy.erasure import erase_client
from kim_desk.store import open_store
from kim_desk.store.clients import Client, create_client
from tests.e2e.crash_harness import _key, make_desk, readable_anywhere
from tests.e2e.crash_writer import ERASE_KILL_POINTS, KILL_POINTS
from tests.faults import leftovers

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
ERASED = "a1b2c3d4e5f6"  # the token in the erased person's name
LATER = "0f9e8d7c6b5a"  # a client written after the backup: there in the old database, not in the restored one


def _run(paths: DataPaths, mode: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KIM_DESK_PASSPHRASE_FILE=str(paths.root.parent / "passphrase"), PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "tests.e2e.crash_writer", str(paths.root), "0", mode]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False)


def _names(paths: DataPaths) -> set[str]:
    store = open_store(paths.database, _key(paths))  # the next start: tidies what the kill left
    try:
        assert [row[0] for row in store.rows("PRAGMA integrity_check")] == ["ok"]
        return {str(row[0]) for row in store.rows("SELECT family_name FROM client")}
    finally:
        store.close()


def _desk(tmp_path: Path) -> tuple[DataPaths, int]:
    paths = make_desk(tmp_path / "desk")
    key = _key(paths)
    store = open_store(paths.database, key)
    try:
        for number in range(20):
            create_client(store, Client(family_name=f"Bleibt{number}", municipality="ahlen"))
        person = create_client(store, Client(family_name=f"Crash{ERASED}", notes="x" * 3000, municipality="ahlen")).id
    finally:
        store.close()
    return paths, person


@pytest.mark.parametrize("point", KILL_POINTS)
def test_restore_killed_at_each_step(tmp_path: Path, point: str) -> None:
    paths, person = _desk(tmp_path)
    key = _key(paths)
    store = open_store(paths.database, key)
    try:
        backup = create_backup(store, paths, key)  # still holds the person
        erase_client(store, paths, person)
        create_client(store, Client(family_name=f"Crash{LATER}", municipality="ahlen"))
    finally:
        store.close()
    done = _run(paths, f"restore@{point}")
    assert done.returncode == -9, done.stderr
    names = _names(paths)
    old = f"Crash{LATER}" in names
    assert old == (point in ("copy", "prepare", "settle"))  # before the rename: the old database, whole
    assert {f"Bleibt{n}" for n in range(20)} <= names
    assert f"Crash{ERASED}" not in names
    assert leftovers(paths) == []
    assert readable_anywhere(paths, key, {ERASED}) == set()  # backups/ aside: they are the past
    everything_but_the_backup = [p for p in paths.root.rglob("*") if p.is_file() and backup.path not in p.parents]
    assert all(ERASED.encode() not in p.read_bytes().lower() for p in everything_but_the_backup)
    assert [b.name for b in list_backups(paths)] == [backup.name]


@pytest.mark.parametrize("point", ERASE_KILL_POINTS)
def test_erase_killed_at_each_step(tmp_path: Path, point: str) -> None:
    paths, person = _desk(tmp_path)
    key = _key(paths)
    done = _run(paths, f"erase@{point}:{person}")
    assert done.returncode == -9, done.stderr
    names = _names(paths)
    committed = point in ("committed", "vacuumed")
    assert (f"Crash{ERASED}" not in names) == committed
    assert {f"Bleibt{n}" for n in range(20)} <= names
    assert leftovers(paths) == []
    if committed:  # a finished erasure: the person is in no file of the data folder, backups included
        assert readable_anywhere(paths, key, {ERASED}) == set()
        assert not any(ERASED.encode() in p.read_bytes().lower() for p in paths.root.rglob("*") if p.is_file())
