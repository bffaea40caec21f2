"""Shared fixtures: a keyed, migrated demo desk is built once and copied per test."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kim_desk import demo, vault
from kim_desk.clock import FixedClock
from kim_desk.desk import Desk, create_desk, open_desk
from kim_desk.paths import DataPaths

FAST_KDF = vault.KdfParams(iterations=1, lanes=1, memory_kib=8 * 1024)
PASSPHRASE = "correct horse battery"
TODAY = dt.datetime(2026, 11, 23, 9, 30)  # a Monday


class FakeKeyring:
    """An in-memory OS keyring whose failure modes tests can switch on."""

    def __init__(self, backend: str = "fake.Keyring") -> None:
        self.backend = backend
        self.secrets: dict[str, str] = {}
        self.mode = "ok"  # ok | missing | locked | broken

    def backend_name(self, recorded: str = "") -> str:
        return self.backend

    def get(self, account: str) -> str | None:
        if self.mode == "locked":
            raise vault.KeyringUnavailable("Der Schlüsselbund ist gesperrt.")
        if self.mode == "broken":
            raise vault.KeyringUnavailable("Der Schlüsselbund antwortet nicht (DBusException).")
        if self.mode == "missing":
            return None
        return self.secrets.get(account)

    def set(self, account: str, secret: str) -> None:
        if self.mode in ("locked", "broken"):
            raise vault.KeyringUnavailable("Der Schlüsselbund ist gesperrt.")
        self.secrets[account] = secret


def always(passphrase: str):  # type: ignore[no-untyped-def]
    return lambda _reason: passphrase


@pytest.fixture(scope="session")
def template_desk(tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
    paths = DataPaths(tmp_path_factory.mktemp("template") / "desk")
    desk, _code = create_desk(paths, PASSPHRASE, None, FAST_KDF, clock=FixedClock(TODAY))
    demo.generate(desk.store, desk.catalog, clients=60)
    desk.close()
    return paths


@pytest.fixture
def desk_paths(template_desk: DataPaths, tmp_path: Path) -> DataPaths:
    target = DataPaths(tmp_path / "desk")
    shutil.copytree(template_desk.root, target.root)
    return target


@pytest.fixture
def desk(desk_paths: DataPaths) -> Iterator[Desk]:
    opened = open_desk(desk_paths, always(PASSPHRASE), keyring=None, clock=FixedClock(TODAY))
    yield opened
    opened.close()


@pytest.fixture
def empty_desk(tmp_path: Path) -> Iterator[Desk]:
    paths = DataPaths(tmp_path / "empty")
    created, _code = create_desk(paths, PASSPHRASE, None, FAST_KDF, clock=FixedClock(TODAY))
    yield created
    created.close()


def all_bytes(folder: Path) -> bytes:
    """Every byte of every file below `folder` (database, WAL, vault, logs, backups)."""
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


@pytest.fixture
def passphrase_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "pass"
    path.write_text(PASSPHRASE, "utf-8")
    monkeypatch.setenv("KIM_DESK_PASSPHRASE_FILE", str(path))
    return path
