"""Which keyring backend an unlock asks: the user's choice, else the one holding the desk's secret, else keyring's.

keyring's own choice imports and probes every backend it knows (on Linux the macOS one too, which runs the C
compiler): ~0.1 s of every start through the keyring. A desk's keyring slot names the backend that holds its
secret; when the user chose none and that one answers, it is asked directly (issue 19).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import keyring
import keyring.backend
import pytest
from jaraco.classes import properties
from keyring.backends import fail

from kim_desk import vault
from kim_desk.desk import create_desk
from kim_desk.paths import DataPaths
from tests.conftest import FAST_KDF, PASSPHRASE

PROBE = "keyring.backends.kimdesk_probe.Keyring"


class ProbeKeyring(keyring.backend.KeyringBackend):
    """An in-memory backend in keyring's own namespace, as SecretService or the Credential Manager would be."""

    __module__ = "keyring.backends.kimdesk_probe"
    __qualname__ = "Keyring"
    reachable = True
    store: ClassVar[dict[tuple[str, str], str]] = {}

    @properties.classproperty
    def priority(cls) -> float:
        if not cls.reachable:
            raise RuntimeError("no Secret Service on this bus")
        return 5.0

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def probe_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[type[ProbeKeyring]]:
    module = types.ModuleType("keyring.backends.kimdesk_probe")
    module.Keyring = ProbeKeyring  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring.backends.kimdesk_probe", module)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no keyringrc.cfg
    ProbeKeyring.reachable = True
    ProbeKeyring.store = {}
    yield ProbeKeyring
    keyring.backend.KeyringBackend._classes.discard(ProbeKeyring)


def keyrings_choice(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """keyring's own choice stands in for the fail backend here, and says when it was made."""
    made: list[str] = []

    def choose() -> Any:
        made.append("keyring's choice")
        return fail.Keyring()  # type: ignore[no-untyped-call]

    monkeypatch.setattr(keyring, "get_keyring", choose)
    return made


def test_the_backend_holding_the_secret_is_asked_without_probing_every_other(monkeypatch: pytest.MonkeyPatch) -> None:
    made = keyrings_choice(monkeypatch)
    chosen = vault.SystemKeyring()
    assert chosen.backend_name(PROBE) == PROBE
    chosen.set("account", "secret")
    assert chosen.get("account") == "secret"
    assert made == []


def test_the_users_choice_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", vault.FAIL_BACKEND)
    assert vault.SystemKeyring().backend_name(PROBE) == vault.FAIL_BACKEND


def test_a_backend_out_of_reach_leaves_the_choice_to_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    made = keyrings_choice(monkeypatch)
    ProbeKeyring.reachable = False
    assert vault.SystemKeyring().backend_name(PROBE) == vault.FAIL_BACKEND
    assert made == ["keyring's choice"]


@pytest.mark.parametrize("name", ["this.Keyring", "tests.conftest.FakeKeyring", "keyring.backends.gone.Keyring", ""])
def test_only_keyrings_own_backends_are_imported_by_a_name_from_the_vault(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = keyrings_choice(monkeypatch)
    had_this = "this" in sys.modules
    assert vault.SystemKeyring().backend_name(name) == vault.FAIL_BACKEND
    assert made == ["keyring's choice"]
    assert ("this" in sys.modules) == had_this  # `import this` prints the Zen of Python: never run


def test_a_desk_unlocks_through_its_keyring_without_keyring_probing_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = DataPaths(tmp_path / "desk")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", PROBE)  # the backend chosen on the first run
    create_desk(paths, PASSPHRASE, vault.SystemKeyring(), FAST_KDF)[0].close()
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    made = keyrings_choice(monkeypatch)

    def no_passphrase(reason: str) -> str:
        raise AssertionError(f"asked for the passphrase: {reason}")

    result = vault.unlock(paths, no_passphrase, vault.SystemKeyring())
    assert result.method == "keyring"
    assert made == []
