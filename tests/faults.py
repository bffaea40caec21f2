"""Fault injection for the failing-safe tests: real small or read-only file systems where we may mount them.

As root (the CI containers) a full disk is a real tmpfs filled to the brim and a read-only folder is a
tmpfs remounted read-only. Elsewhere the same tests run with a simulated ENOSPC and chmod.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kim_desk.paths import DataPaths

ROOT = os.geteuid() == 0 and shutil.which("mount") is not None


def _mount(target: Path, options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    if not ROOT:
        return False
    command = ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)]
    done = subprocess.run(command, check=False, capture_output=True)
    return done.returncode == 0


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], check=False, capture_output=True)


def snapshot(paths: DataPaths) -> dict[str, bytes]:
    """Every file of the data folder except the log (which may grow), by relative name."""
    return {
        str(path.relative_to(paths.root)): path.read_bytes()
        for path in sorted(paths.root.rglob("*"))
        if path.is_file() and "logs" not in path.relative_to(paths.root).parts
    }


def leftovers(paths: DataPaths) -> list[str]:
    """Files the app leaves behind: staging copies, replaced databases, temp files, side files."""
    names = []
    for path in paths.root.rglob("*"):
        name = path.name
        if name.startswith((".restore", ".tmp-")) or ".replaced-" in name or name.endswith("-journal"):
            names.append(str(path.relative_to(paths.root)))
    return names


@contextlib.contextmanager
def read_only_copy(source: DataPaths, tmp: Path) -> Iterator[DataPaths]:
    """A copy of the desk in a folder nobody may write to."""
    target = tmp / "ro"
    if _mount(target, "size=64m"):
        try:
            shutil.copytree(source.root, target / "desk")
            subprocess.run(["mount", "-o", "remount,ro", str(target)], check=True, capture_output=True)
            yield DataPaths(target / "desk")
        finally:
            _umount(target)
        return
    if os.geteuid() == 0:
        pytest.skip("root without mount: a read-only folder cannot be made here")
    shutil.copytree(source.root, target / "desk")
    for path in [target / "desk", *(target / "desk").rglob("*")]:
        path.chmod(0o500 if path.is_dir() else 0o400)
    try:
        yield DataPaths(target / "desk")
    finally:
        for path in [target / "desk", *(target / "desk").rglob("*")]:
            path.chmod(0o700 if path.is_dir() else 0o600)


@contextlib.contextmanager
def full_disk_copy(source: DataPaths, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DataPaths]:
    """A copy of the desk on a disk with no byte free (a real tmpfs as root; else every fsync fails)."""
    target = tmp / "full"
    if _mount(target, "size=16m"):
        try:
            shutil.copytree(source.root, target / "desk")
            fd = os.open(target / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                with contextlib.suppress(OSError):
                    while True:
                        os.write(fd, b"\0" * 4096)
            finally:
                os.close(fd)
            yield DataPaths(target / "desk")
        finally:
            _umount(target)
        return
    shutil.copytree(source.root, target / "desk")

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    from kim_desk import fileutil

    monkeypatch.setattr(fileutil.os, "fsync", full)
    yield DataPaths(target / "desk")
