"""Unlocking: every failure path gets a clear error and never creates or changes a database."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kim_desk import vault
from kim_desk.desk import create_desk, open_desk
from kim_desk.errors import (
    AlreadyInitialised,
    DatabaseMissing,
    KnownError,
    NoPassphraseSource,
    VaultMissing,
    WrongPassphrase,
)
from kim_desk.paths import DataPaths
from tests.conftest import FAST_KDF, PASSPHRASE, FakeKeyring, all_bytes, always


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def keyring() -> FakeKeyring:
    return FakeKeyring()


@pytest.fixture
def paths(tmp_path: Path, keyring: FakeKeyring) -> DataPaths:
    paths = DataPaths(tmp_path / "desk")
    desk, _code = create_desk(paths, PASSPHRASE, keyring, FAST_KDF)
    desk.store.conn.execute("INSERT INTO setting (key, value) VALUES ('organisation', '\"Caritas Ahlen\"')")
    desk.close()
    return paths


def _refuse_prompt(reason: str) -> str:
    raise AssertionError(f"asked for the passphrase although the keyring works: {reason}")


def test_keyring_unlocks_without_asking(paths: DataPaths, keyring: FakeKeyring) -> None:
    result = vault.unlock(paths, _refuse_prompt, keyring)
    assert result.method == "keyring"
    desk = open_desk(paths, _refuse_prompt, keyring)
    assert desk.store.one("SELECT value FROM setting WHERE key = 'organisation'")[0] == '"Caritas Ahlen"'
    desk.close()


@pytest.mark.parametrize(
    ("mode", "reason_part"),
    [("missing", "keinen Schlüssel"), ("locked", "gesperrt"), ("broken", "antwortet nicht")],
)
def test_keyring_failures_fall_back_to_the_passphrase(
    paths: DataPaths, keyring: FakeKeyring, mode: str, reason_part: str
) -> None:
    keyring.mode = mode
    reasons: list[str] = []

    def ask(reason: str) -> str:
        reasons.append(reason)
        return PASSPHRASE

    result = vault.unlock(paths, ask, keyring)
    assert result.method == "passphrase"
    assert reason_part in reasons[0]


def test_changed_keyring_backend_asks_for_the_passphrase(paths: DataPaths, keyring: FakeKeyring) -> None:
    other = FakeKeyring(backend="keyring.backends.kwallet.DBusKeyring")
    other.secrets = dict(keyring.secrets)
    reasons: list[str] = []
    result = vault.unlock(paths, lambda r: reasons.append(r) or PASSPHRASE, other)
    assert result.method == "passphrase"
    assert "geändert" in reasons[0]
    # after the passphrase the key is wrapped for the new backend: next time no question
    assert vault.unlock(paths, _refuse_prompt, other).method == "keyring"


def test_no_keyring_backend_on_this_machine(paths: DataPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring as keyring_module
    from keyring.backends import fail

    monkeypatch.setattr(keyring_module, "get_keyring", fail.Keyring)
    reasons: list[str] = []
    result = vault.unlock(paths, lambda r: reasons.append(r) or PASSPHRASE, vault.SystemKeyring())
    assert result.method == "passphrase"
    assert reasons and reasons[0]


def test_wrong_passphrase_is_refused_and_changes_nothing(paths: DataPaths, keyring: FakeKeyring) -> None:
    keyring.mode = "missing"
    before = _fingerprint(paths.root)
    with pytest.raises(WrongPassphrase, match="Passphrase ist falsch"):
        open_desk(paths, always("wrong passphrase!"), keyring)
    assert _fingerprint(paths.root) == before


def test_missing_vault_never_creates_a_new_database(paths: DataPaths, keyring: FakeKeyring) -> None:
    paths.vault.unlink()
    before = _fingerprint(paths.root)
    with pytest.raises(VaultMissing, match="Schlüsseldatei"):
        open_desk(paths, always(PASSPHRASE), keyring)
    with pytest.raises(AlreadyInitialised):
        create_desk(paths, PASSPHRASE, keyring, FAST_KDF)
    assert _fingerprint(paths.root) == before


def test_missing_database_is_not_a_first_run(paths: DataPaths, keyring: FakeKeyring) -> None:
    for path in paths.root.glob("desk.db*"):
        path.unlink()
    with pytest.raises(DatabaseMissing, match="Sicherung"):
        open_desk(paths, always(PASSPHRASE), keyring)
    assert not paths.database.exists()
    with pytest.raises(AlreadyInitialised):
        create_desk(paths, PASSPHRASE, keyring, FAST_KDF)


def test_damaged_vault_file_is_reported(paths: DataPaths, keyring: FakeKeyring) -> None:
    paths.vault.write_text("{not json", "utf-8")
    with pytest.raises(KnownError, match="beschädigt"):
        vault.unlock(paths, always(PASSPHRASE), keyring)


def test_key_is_never_written_in_plain_text(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "desk")
    keyring = FakeKeyring()
    desk, code = create_desk(paths, PASSPHRASE, keyring, FAST_KDF)
    key = vault.unlock(paths, _refuse_prompt, keyring).key
    desk.close()
    everything = all_bytes(paths.root)
    for form in (key, key.hex().encode(), key.hex().upper().encode(), __import__("base64").b64encode(key)):
        assert form not in everything
    assert code.encode() not in everything
    assert PASSPHRASE.encode() not in everything
    assert paths.vault.stat().st_mode & 0o077 == 0


def test_recovery_code_opens_and_sets_a_new_passphrase(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "desk")
    desk, code = create_desk(paths, PASSPHRASE, None, FAST_KDF)
    desk.close()
    key = vault.unlock_with_recovery_code(paths, code.lower().replace("-", " "))
    vault.set_passphrase(paths, key, "a brand new passphrase", FAST_KDF)
    assert vault.unlock(paths, always("a brand new passphrase")).key == key
    with pytest.raises(WrongPassphrase):
        vault.unlock(paths, always(PASSPHRASE))
    with pytest.raises(WrongPassphrase, match="Wiederherstellungscode"):
        vault.unlock_with_recovery_code(paths, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE")


def test_short_passphrase_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "desk")
    with pytest.raises(KnownError, match="mindestens"):
        create_desk(paths, "short", None, FAST_KDF)
    assert not paths.vault.exists()
    assert not paths.database.exists()


def test_passphrase_file_and_missing_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", "utf-8")
    monkeypatch.setenv(vault.PASSPHRASE_FILE_ENV, str(secret))
    assert vault.passphrase_from_environment("") == PASSPHRASE
    monkeypatch.setenv(vault.PASSPHRASE_FILE_ENV, str(tmp_path / "nope.txt"))
    with pytest.raises(NoPassphraseSource, match="nicht lesbar"):
        vault.passphrase_from_environment("")
    monkeypatch.delenv(vault.PASSPHRASE_FILE_ENV)
    monkeypatch.setattr("sys.stdin", None)
    with pytest.raises(NoPassphraseSource, match="KIM_DESK_PASSPHRASE_FILE"):
        vault.passphrase_from_environment("")


class _UntouchableKeyring(FakeKeyring):
    """A keyring that must not be asked: importing and probing the real one costs the start 0.1-0.3 s."""

    def backend_name(self, recorded: str = "") -> str:
        raise AssertionError("the keyring was consulted")


def test_a_slot_written_without_a_keyring_does_not_load_the_keyring(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "desk")
    desk, _code = create_desk(paths, PASSPHRASE, FakeKeyring(backend=vault.FAIL_BACKEND), FAST_KDF)
    desk.close()
    reasons: list[str] = []
    result = vault.unlock(
        paths, lambda r: reasons.append(r) or PASSPHRASE, _UntouchableKeyring(), refresh_keyring=False
    )
    assert result.method == "passphrase"
    assert "kein Schlüsselbund" in reasons[0]
    assert result.keyring_refresh_due  # a keyring may exist by now: the refresh looks, after the window shows


def test_the_keyring_refresh_can_wait_until_the_desk_is_open(paths: DataPaths, keyring: FakeKeyring) -> None:
    keyring.mode = "missing"
    before = paths.vault.read_bytes()
    result = vault.unlock(paths, always(PASSPHRASE), keyring, refresh_keyring=False)
    assert (result.method, result.keyring_refresh_due) == ("passphrase", True)
    assert paths.vault.read_bytes() == before  # nothing written during the unlock itself
    keyring.mode = "ok"
    assert vault.refresh_keyring_slot(paths, result.key, keyring) == []
    assert vault.unlock(paths, _refuse_prompt, keyring).method == "keyring"
    desk = open_desk(paths, _refuse_prompt, keyring, refresh_keyring=False)
    assert not desk.keyring_refresh_due  # unlocked through the keyring: nothing due
    desk.close()
