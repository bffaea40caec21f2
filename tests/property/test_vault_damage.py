"""Every field of vault.json damaged in turn (issue 13): the right passphrase either still unlocks the
right key, or the unlock is refused with "Schlüsseldatei … beschädigt" — never "Die Passphrase ist
falsch", never a crash (exit 70), and the database beside it is never touched."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kim_desk import vault
from kim_desk.errors import UnlockError, WrongPassphrase
from kim_desk.paths import DataPaths
from tests.conftest import FAST_KDF, PASSPHRASE, FakeKeyring, always

Leaf = tuple[str | int, ...]


def _leaves(data: Any, prefix: Leaf = ()) -> list[Leaf]:
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in [(*prefix, key), *_leaves(value, (*prefix, key))]]
    return []


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], bytes, str, FakeKeyring]:
    paths = DataPaths(tmp_path_factory.mktemp("vault") / "desk")
    keyring = FakeKeyring()
    key, recovery, _notes = vault.create_vault(paths, PASSPHRASE, keyring, FAST_KDF)
    return json.loads(paths.vault.read_text("utf-8")), key, recovery, keyring


replacements = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.text(max_size=40), st.just(""),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.just("delete"), st.just("flip"),
)  # fmt: skip


def _damage(data: dict[str, Any], leaf: Leaf, replacement: Any, position: int) -> dict[str, Any]:
    damaged = copy.deepcopy(data)
    parent = damaged
    for part in leaf[:-1]:
        parent = parent[part]
    last = leaf[-1]
    if replacement == "delete":
        del parent[last]
    elif replacement == "flip":
        value = parent[last]
        if isinstance(value, str) and value:
            i = position % len(value)
            parent[last] = value[:i] + ("A" if value[i] != "A" else "B") + value[i + 1 :]
        elif isinstance(value, int):
            parent[last] = value + 1 + position % 1000
        else:
            parent[last] = None
    else:
        parent[last] = replacement
    return damaged


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), replacement=replacements, position=st.integers(0, 1000), keyring_on=st.booleans())
def test_every_damaged_vault_field_unlocks_right_or_is_named(
    original: tuple[dict[str, Any], bytes, str, FakeKeyring],
    data: st.DataObject,
    replacement: Any,
    position: int,
    keyring_on: bool,
) -> None:
    content, key, recovery, keyring = original
    leaf = data.draw(st.sampled_from(_leaves(content)), label="field")
    damaged = _damage(content, leaf, replacement, position)
    with tempfile.TemporaryDirectory() as folder:
        paths = DataPaths(Path(folder))
        paths.vault.write_text(json.dumps(damaged), "utf-8")
        paths.database.write_bytes(b"database bytes that must not change")
        ring = copy.deepcopy(keyring) if keyring_on else None
        try:
            result = vault.unlock(paths, always(PASSPHRASE), ring)
        except WrongPassphrase as exc:  # pragma: no cover - the failure this test exists for
            pytest.fail(f"damage at {leaf} reported as a wrong passphrase: {exc}")
        except UnlockError as exc:
            assert "Schlüsseldatei" in str(exc)
        else:
            assert result.key == key
        try:
            assert vault.unlock_with_recovery_code(paths, recovery) == key
        except WrongPassphrase as exc:  # pragma: no cover
            pytest.fail(f"damage at {leaf} reported as a wrong recovery code: {exc}")
        except UnlockError as exc:
            assert "Schlüsseldatei" in str(exc)
        assert paths.database.read_bytes() == b"database bytes that must not change"


def test_the_wrong_passphrase_is_still_called_wrong(
    original: tuple[dict[str, Any], bytes, str, FakeKeyring], tmp_path: Path
) -> None:
    content, _key, _recovery, _keyring = original
    paths = DataPaths(tmp_path)
    paths.vault.write_text(json.dumps(content), "utf-8")
    paths.database.write_bytes(b"x")
    with pytest.raises(WrongPassphrase, match="Die Passphrase ist falsch"):
        vault.unlock(paths, always("eine ganz andere Passphrase"), None)
