"""Self-test of what differs between platforms, run where the bundle was built (Windows and macOS in the release
workflow): the data folder, replacing a file, and that the OS keyring made it into the build."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kim_desk.commands.base import Check


def check_data_folder(_tmp: Path) -> None:
    from kim_desk.paths import APP_NAME, UNIX_APP_NAME, platform_data_dir

    folder = platform_data_dir()
    if not folder.is_absolute() or folder.name not in (APP_NAME, UNIX_APP_NAME):
        raise AssertionError(f"unexpected data folder {folder}")


def check_replace(tmp: Path) -> None:
    from kim_desk.fileutil import write_atomic

    target = tmp / "handout.pdf"
    for data in (b"first\r\n", b"second\n"):
        write_atomic(target, data)
        if target.read_bytes() != data:
            raise AssertionError("the written bytes differ")
    # (the self-test's own log folder may sit beside it)
    if [path.name for path in tmp.iterdir() if path.name != "logs"] != ["handout.pdf"]:
        raise AssertionError("a temporary file was left behind")


def check_keyring_backend(_tmp: Path) -> None:
    """On Windows and macOS the OS keyring must be found (a build without it would ask for the passphrase
    at every start); nothing is written to it. On Linux a keyring is optional."""
    from kim_desk import vault

    if sys.platform not in vault.NATIVE_KEYRINGS or os.environ.get("PYTHON_KEYRING_BACKEND"):
        return
    name = vault.SystemKeyring().backend_name()
    if name == "keyring.backends.fail.Keyring":
        raise AssertionError("no keyring backend in this build")


CHECKS: list[tuple[str, Check]] = [
    ("data folder", check_data_folder),
    ("file replace", check_replace),
    ("keyring backend", check_keyring_backend),
]
