"""Windows and macOS branches, run here by simulating the platform (sys.platform, platformdirs, win32cred).

Nothing in this file has run on a real Windows machine; it proves the branches exist and do what they say.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from kim_desk import fileutil, paths, vault
from kim_desk.desk import create_desk
from kim_desk.errors import StorageError
from kim_desk.paths import DataPaths
from tests.conftest import FAST_KDF, PASSPHRASE

# --- the data folder ------------------------------------------------------------------------------------------


@pytest.fixture
def no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.ENV_HOME, raising=False)


def test_windows_data_folder_is_the_local_not_the_roaming_appdata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_override: None
) -> None:
    import platformdirs.windows

    asked: list[str] = []

    def known_folder(csidl_name: str) -> str:  # what SHGetKnownFolderPath answers on Windows
        asked.append(csidl_name)
        return str(tmp_path / {"CSIDL_LOCAL_APPDATA": "Local", "CSIDL_APPDATA": "Roaming"}[csidl_name])

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(platformdirs.windows, "_RESOLVE_WIN_FOLDER", known_folder)
    found = paths.data_paths()
    assert asked == ["CSIDL_LOCAL_APPDATA"]
    assert found.root == tmp_path / "Local" / "KIM Desk"
    assert found.backups == tmp_path / "Local" / "KIM Desk" / "backups"


def test_macos_data_folder_is_application_support(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_override: None
) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert paths.platform_data_dir() == tmp_path / "Library" / "Application Support" / "KIM Desk"


@pytest.mark.parametrize("xdg", [True, False])
def test_linux_data_folder_stays_where_desks_have_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_override: None, xdg: bool
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("HOME", str(tmp_path))
    if xdg:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        expected = tmp_path / "xdg" / "kim-desk"
    else:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
        expected = tmp_path / ".local" / "share" / "kim-desk"
    assert paths.data_paths().root == expected


def test_kim_desk_home_wins_on_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv(paths.ENV_HOME, str(tmp_path / "share"))
    assert paths.data_paths().root == tmp_path / "share"
    assert paths.data_paths(tmp_path / "given").root == tmp_path / "given"


# --- permissions, folder fsync, replace ------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("platform", "expected"), [("win32", 0o644), ("linux", 0o600)])
def test_chmod_only_where_modes_mean_something(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: str, expected: int
) -> None:
    target = tmp_path / "file"
    target.write_bytes(b"x")
    target.chmod(0o644)
    monkeypatch.setattr(sys, "platform", platform)
    fileutil.restrict(target, 0o600)
    assert _mode(target) == expected


@pytest.mark.parametrize(("platform", "opened"), [("win32", 0), ("linux", 1)])
def test_folder_fsync_is_skipped_on_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: str, opened: int
) -> None:
    calls: list[str] = []
    real_open = os.open

    def recording_open(path: Any, flags: int, *args: Any) -> int:
        calls.append(str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(os, "open", recording_open)
    fileutil.fsync_directory(tmp_path)
    assert calls == [str(tmp_path)] * opened


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    taken: list[float] = []
    monkeypatch.setattr(fileutil, "_sleep", taken.append)
    return taken


def _held_open_for(monkeypatch: pytest.MonkeyPatch, failures: int) -> None:
    """os.replace fails like Windows does while another program holds the target (ERROR_SHARING_VIOLATION)."""
    real_replace = os.replace
    left = [failures]

    def replace(source: Any, target: Any) -> None:
        if left[0]:
            left[0] -= 1
            raise PermissionError(errno.EACCES, "The process cannot access the file", str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)


def test_windows_replace_waits_for_a_scanner_to_let_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pauses: list[float]
) -> None:
    target = tmp_path / "handout.pdf"
    target.write_bytes(b"old")
    monkeypatch.setattr(sys, "platform", "win32")
    _held_open_for(monkeypatch, failures=2)
    fileutil.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert pauses == list(fileutil.REPLACE_PAUSES[:2])
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]


def test_windows_replace_gives_up_with_the_real_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pauses: list[float]
) -> None:
    target = tmp_path / "handout.pdf"
    target.write_bytes(b"old")
    monkeypatch.setattr(sys, "platform", "win32")
    _held_open_for(monkeypatch, failures=100)
    with pytest.raises(StorageError, match="in einem anderen Programm geöffnet"):
        fileutil.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"  # nothing stored was changed
    assert pauses == list(fileutil.REPLACE_PAUSES)
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]  # no temp file left behind


def test_posix_permission_error_is_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pauses: list[float]
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    _held_open_for(monkeypatch, failures=1)
    with pytest.raises(StorageError, match="Keine Schreibberechtigung"):
        fileutil.write_atomic(tmp_path / "file", b"new")
    assert pauses == []


@pytest.mark.parametrize("platform", ["win32", "linux"])
def test_written_bytes_keep_their_line_endings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    data = b'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n{\n "a": 1\n}\n'
    fileutil.write_atomic(tmp_path / "out", data)
    assert (tmp_path / "out").read_bytes() == data


# --- the keyring: Windows Credential Manager ---------------------------------------------------------------------


class CredError(Exception):
    """Stands in for pywintypes.error (winerror, funcname, strerror)."""

    def __init__(self, winerror: int, funcname: str, strerror: str) -> None:
        super().__init__(winerror, funcname, strerror)
        self.winerror, self.funcname, self.strerror = winerror, funcname, strerror


class FakeWin32Cred:
    """The part of win32cred that keyring's WinVaultKeyring calls, backed by a dict."""

    CRED_TYPE_GENERIC = 1
    CRED_PERSIST_SESSION = 1
    CRED_PERSIST_LOCAL_MACHINE = 2
    CRED_PERSIST_ENTERPRISE = 3

    def __init__(self) -> None:
        self.store: dict[str, dict[str, Any]] = {}
        self.absent = False  # no logon session: a service account, or the Credential Manager switched off

    def CredRead(self, Type: int, TargetName: str) -> dict[str, Any]:
        if self.absent:
            raise CredError(1312, "CredRead", "A specified logon session does not exist.")
        if TargetName not in self.store:
            raise CredError(1168, "CredRead", "Element not found.")
        return dict(self.store[TargetName])

    def CredWrite(self, credential: dict[str, Any], flags: int) -> None:
        if self.absent:
            raise CredError(1312, "CredWrite", "A specified logon session does not exist.")
        blob = credential["CredentialBlob"].encode("utf-16-le")
        self.store[credential["TargetName"]] = {**credential, "CredentialBlob": blob}


@pytest.fixture
def credential_manager(monkeypatch: pytest.MonkeyPatch) -> FakeWin32Cred:
    """A simulated Windows where keyring's plug-in lookup finds nothing (as in a frozen bundle without metadata)."""
    import keyring
    from keyring.backends import Windows, fail

    fake = FakeWin32Cred()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
    monkeypatch.setattr(Windows, "missing_deps", None)  # pywin32-ctypes "imported"
    monkeypatch.setattr(Windows, "win32cred", fake, raising=False)
    monkeypatch.setattr(Windows, "pywintypes", type("pywintypes", (), {"error": CredError}), raising=False)
    return fake


def test_windows_uses_the_credential_manager_kept_on_this_machine(
    tmp_path: Path, credential_manager: FakeWin32Cred
) -> None:
    desk_paths = DataPaths(tmp_path / "desk")
    create_desk(desk_paths, PASSPHRASE, vault.SystemKeyring(), FAST_KDF)[0].close()
    stored = credential_manager.store[vault.KEYRING_SERVICE]
    assert stored["Persist"] == FakeWin32Cred.CRED_PERSIST_LOCAL_MACHINE  # does not roam with the profile
    assert vault.SystemKeyring().backend_name() == "keyring.backends.Windows.WinVaultKeyring"

    def refuse(reason: str) -> str:
        raise AssertionError(f"asked for the passphrase although the Credential Manager works: {reason}")

    assert vault.unlock(desk_paths, refuse, vault.SystemKeyring()).method == "keyring"


def test_windows_without_credential_manager_falls_back_to_the_passphrase(
    tmp_path: Path, credential_manager: FakeWin32Cred
) -> None:
    desk_paths = DataPaths(tmp_path / "desk")
    create_desk(desk_paths, PASSPHRASE, vault.SystemKeyring(), FAST_KDF)[0].close()
    credential_manager.absent = True
    reasons: list[str] = []
    result = vault.unlock(desk_paths, lambda r: reasons.append(r) or PASSPHRASE, vault.SystemKeyring())
    assert result.method == "passphrase"
    assert "antwortet nicht" in reasons[0]


def test_windows_new_desk_without_credential_manager_says_why(
    tmp_path: Path, credential_manager: FakeWin32Cred
) -> None:
    credential_manager.absent = True
    _key, _code, notes = vault.create_vault(DataPaths(tmp_path / "desk"), PASSPHRASE, vault.SystemKeyring(), FAST_KDF)
    assert notes and "antwortet nicht" in notes[0]


def test_a_configured_backend_is_respected_on_windows(
    monkeypatch: pytest.MonkeyPatch, credential_manager: FakeWin32Cred
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert vault.SystemKeyring().backend_name() == "keyring.backends.fail.Keyring"
    with pytest.raises(vault.KeyringUnavailable, match="kein Schlüsselbund"):
        vault.SystemKeyring().get("any")


def test_macos_without_a_reachable_keychain_has_no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
    # keyring's macOS backend refuses where platform.system() is not Darwin: the fail backend stays
    assert vault.SystemKeyring().backend_name() == "keyring.backends.fail.Keyring"


def test_macos_keychain_is_chosen_when_reachable(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail, macOS

    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
    monkeypatch.setattr(macOS.platform, "system", lambda: "Darwin")
    monkeypatch.setattr(macOS, "api", object(), raising=False)  # the Security framework "loaded"
    assert vault.SystemKeyring().backend_name() == "keyring.backends.macOS.Keyring"


# --- the bundle's self-test of these ------------------------------------------------------------------------


def test_self_test_passes_with_the_credential_manager(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, credential_manager: FakeWin32Cred
) -> None:
    import platformdirs.windows

    from kim_desk.commands import selftest_platform

    monkeypatch.setattr(platformdirs.windows, "_RESOLVE_WIN_FOLDER", lambda _csidl: str(tmp_path / "Local"))
    work = tmp_path / "work"  # the self-test's own fresh folder
    work.mkdir()
    for _name, check in selftest_platform.CHECKS:
        check(work)
    assert credential_manager.store == {}  # the check writes nothing to the keyring


def test_self_test_fails_a_windows_build_without_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    from kim_desk.commands.selftest_platform import check_keyring_backend

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)  # no entry points, and pywin32-ctypes missing
    with pytest.raises(AssertionError, match="no keyring backend"):
        check_keyring_backend(Path())
    monkeypatch.setattr(sys, "platform", "linux")  # optional there
    check_keyring_backend(Path())
