"""The database key: 32 random bytes, stored only wrapped (AES-GCM).

Slots in vault.json wrap the same key: under a secret kept in the OS keyring,
under a key derived (Argon2id) from the desk passphrase, and under a key derived
from a printable recovery code for the organisation's IT. Unlock order: keyring,
then passphrase. A failed unlock is never treated as a first run.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from kim_desk.errors import (
    AlreadyInitialised,
    DatabaseMissing,
    KnownError,
    NoPassphraseSource,
    UnlockError,
    VaultMissing,
    WrongPassphrase,
)
from kim_desk.fileutil import sha256_hex, write_atomic
from kim_desk.i18n import _
from kim_desk.paths import DataPaths

FORMAT = "kim-desk-vault/1"
KEYRING_SERVICE = "KIM Desk"
PASSPHRASE_FILE_ENV = "KIM_DESK_PASSPHRASE_FILE"  # noqa: S105 - a variable name, not a secret
MIN_PASSPHRASE_LENGTH = 10
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class KdfParams(NamedTuple):
    iterations: int = 3
    lanes: int = 4
    memory_kib: int = 64 * 1024


DEFAULT_KDF = KdfParams()


class VaultDamaged(UnlockError):
    """A field of vault.json was changed or cut off; the key file must come from a backup."""


class KeyringUnavailable(Exception):
    """The keyring cannot be used now; str() says why, in plain words."""


class KeyringAccess(Protocol):
    def backend_name(self, recorded: str = "") -> str:
        """The backend used from now on; `recorded` names the one that holds this desk's secret."""
        ...

    def get(self, account: str) -> str | None: ...
    def set(self, account: str, secret: str) -> None: ...


# What keyring chooses when the machine has no keyring; a slot written under it can never unlock
FAIL_BACKEND = "keyring.backends.fail.Keyring"
# The OS's own store, where keyring's plug-in lookup finds nothing (a frozen bundle without its entry points)
NATIVE_KEYRINGS = {"win32": "keyring.backends.Windows.WinVaultKeyring", "darwin": "keyring.backends.macOS.Keyring"}


def select_keyring_backend(recorded: str = "") -> Any:
    """The backend the user chose for keyring (PYTHON_KEYRING_BACKEND or keyringrc.cfg); else `recorded`, the one
    that holds this desk's secret, when it answers; else keyring's own choice, which imports and probes every
    backend it knows (on Linux the macOS one too, which runs the C compiler to look for a library: ~0.1 s of a
    start). If that is nothing on Windows or macOS, the Credential Manager or Keychain directly. Without any, the
    fail backend: every call then says there is no keyring, and unlocking goes on with the passphrase."""
    import importlib

    import keyring
    from keyring.backends import fail

    chosen: Any = keyring.core.load_env() or keyring.core.load_config() or _recorded_backend(recorded)
    if chosen is None:
        chosen = keyring.get_keyring()
    native = NATIVE_KEYRINGS.get(sys.platform)
    if isinstance(chosen, fail.Keyring) and native and not os.environ.get("PYTHON_KEYRING_BACKEND"):
        module_name, class_name = native.rsplit(".", 1)
        try:
            backend_class = getattr(importlib.import_module(module_name), class_name)
            backend_class.priority  # noqa: B018 - raises where the OS store cannot be reached
        except Exception:  # noqa: BLE001 - not there: keep the fail backend
            return chosen
        chosen = backend_class()
    if type(chosen).__name__ == "WinVaultKeyring":
        # the wrapped key stays on this machine, so its secret need not roam with the Windows profile
        chosen.persist = "local machine"
    return chosen


def _recorded_backend(name: str) -> Any:
    """The backend `name` (as a keyring slot records it) when it answers here, else None. Only keyring's own
    backends: the name comes from a file, and importing a module runs its code."""
    import importlib

    from keyring.backend import KeyringBackend

    module_name, _dot, class_name = name.rpartition(".")
    if not module_name.startswith("keyring.backends.") or name == FAIL_BACKEND:
        return None
    try:
        backend_class = getattr(importlib.import_module(module_name), class_name)
        if not (isinstance(backend_class, type) and issubclass(backend_class, KeyringBackend)):
            return None
        if backend_class.priority <= 0:  # raises where it cannot be reached; 0 and less: no keyring
            return None
        return backend_class()
    except Exception:  # noqa: BLE001 - gone or out of reach: keyring chooses as on the first run
        return None


class SystemKeyring:
    """The OS keyring through `keyring`; every failure becomes KeyringUnavailable."""

    def __init__(self) -> None:
        self._backend: Any = None

    def _selected(self, recorded: str = "") -> Any:
        if self._backend is None:
            try:
                self._backend = select_keyring_backend(recorded)
            except Exception as exc:
                raise KeyringUnavailable(_describe_keyring_error(exc)) from exc
        return self._backend

    def backend_name(self, recorded: str = "") -> str:
        backend = self._selected(recorded)
        return f"{type(backend).__module__}.{type(backend).__qualname__}"

    def get(self, account: str) -> str | None:
        try:
            value: str | None = self._selected().get_password(KEYRING_SERVICE, account)
        except Exception as exc:
            raise KeyringUnavailable(_describe_keyring_error(exc)) from exc
        return value

    def set(self, account: str, secret: str) -> None:
        try:
            self._selected().set_password(KEYRING_SERVICE, account, secret)
        except Exception as exc:
            raise KeyringUnavailable(_describe_keyring_error(exc)) from exc


def _describe_keyring_error(exc: Exception) -> str:
    from keyring.errors import KeyringLocked, NoKeyringError

    if isinstance(exc, NoKeyringError):
        return _("Auf diesem Rechner ist kein Schlüsselbund (Keyring) verfügbar.")
    if isinstance(exc, KeyringLocked):
        return _("Der Schlüsselbund ist gesperrt.")
    return _("Der Schlüsselbund antwortet nicht ({kind}).").format(kind=type(exc).__name__)


class UnlockResult:
    def __init__(self, key: bytes, method: str, notes: list[str] | None = None) -> None:
        self.key = key
        self.method = method  # "keyring" | "passphrase" | "recovery"
        self.notes: list[str] = notes or []  # why the keyring was skipped, etc.
        # after a passphrase unlock with refresh_keyring=False: refresh_keyring_slot is still to run
        self.keyring_refresh_due = False


PassphraseSource = Callable[[str], str]  # gets the reason it is asked; returns the passphrase


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(secret: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(secret.encode("utf-8"))


def _aad(vault_id: str, slot: str) -> bytes:
    return f"{FORMAT}|{vault_id}|{slot}".encode()


def _wrap(key: bytes, wrapping_key: bytes, vault_id: str, slot: str) -> dict[str, str]:
    nonce = os.urandom(12)
    wrapped = AESGCM(wrapping_key).encrypt(nonce, key, _aad(vault_id, slot))
    return {"nonce": _b64(nonce), "wrapped": _b64(wrapped)}


def _unwrap(slot_data: dict[str, Any], wrapping_key: bytes, vault_id: str, slot: str) -> bytes:
    nonce = _unb64(slot_data["nonce"])
    return AESGCM(wrapping_key).decrypt(nonce, _unb64(slot_data["wrapped"]), _aad(vault_id, slot))


def _slot_check(slot_data: dict[str, Any], vault_id: str, slot: str) -> str:
    """A checksum over one slot and the vault id: damage is told apart from a wrong passphrase."""
    fields = {k: v for k, v in slot_data.items() if k != "check"}
    text = json.dumps({"format": FORMAT, "vault_id": vault_id, "slot": slot, "fields": fields}, sort_keys=True)
    return sha256_hex(text.encode("utf-8"))[:32]


def _seal(data: dict[str, Any]) -> dict[str, Any]:
    for name, slot_data in data["slots"].items():
        slot_data["check"] = _slot_check(slot_data, data["vault_id"], name)
    return data


def _slot(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The slot when it is there and undamaged (vaults written before checksums are taken as they are)."""
    slot_data = data["slots"].get(name)
    if slot_data is None:
        return None
    if not isinstance(slot_data, dict):
        raise ValueError(name)
    check = slot_data.get("check")
    if check is not None and check != _slot_check(slot_data, data["vault_id"], name):
        raise ValueError(name)
    for part in ("nonce", "wrapped", *(("salt",) if name != "keyring" else ())):
        _unb64(slot_data[part])
    if name != "keyring":
        _kdf_params(slot_data)
    return slot_data


def _kdf_params(data: dict[str, Any]) -> KdfParams:
    values = [data.get(name) for name in ("iterations", "lanes", "memory_kib")]
    numbers = [v for v in values if type(v) is int]  # not bool, not float, not text
    if data.get("kdf") != "argon2id" or len(numbers) != 3:
        raise ValueError("kdf")
    params = KdfParams(*numbers)
    sane = 1 <= params.iterations <= 64 and 1 <= params.lanes <= 64
    if not (sane and 8 * params.lanes <= params.memory_kib <= 1 << 20):  # at most 1 GiB
        raise ValueError("kdf")
    return params


def _kdf_slot(key: bytes, secret: str, vault_id: str, slot: str, params: KdfParams) -> dict[str, Any]:
    salt = os.urandom(16)
    data: dict[str, Any] = {
        "kdf": "argon2id",
        "salt": _b64(salt),
        "iterations": params.iterations,
        "lanes": params.lanes,
        "memory_kib": params.memory_kib,
    }
    data.update(_wrap(key, _derive(secret, salt, params), vault_id, slot))
    return data


def _open_kdf_slot(data: dict[str, Any], secret: str, vault_id: str, slot: str) -> bytes:
    return _unwrap(data, _derive(secret, _unb64(data["salt"]), _kdf_params(data)), vault_id, slot)


def new_recovery_code() -> str:
    import secrets  # imports hashlib: only for a new recovery code

    raw = "".join(secrets.choice(_CROCKFORD) for _ in range(25))
    return "-".join(raw[i : i + 5] for i in range(0, 25, 5))


def normalise_recovery_code(code: str) -> str:
    text = code.upper().replace("-", "").replace(" ", "")
    text = text.translate(str.maketrans("OIL", "011"))
    return "-".join(text[i : i + 5] for i in range(0, len(text), 5))


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise KnownError(_("Die Passphrase muss mindestens {n} Zeichen lang sein.").format(n=MIN_PASSPHRASE_LENGTH))


def _read_vault(paths: DataPaths) -> dict[str, Any]:
    try:
        data = json.loads(paths.vault.read_text("utf-8"))
    except FileNotFoundError:
        raise VaultMissing(_vault_missing_message(paths)) from None
    except (OSError, ValueError) as exc:
        raise UnlockError(
            _("Die Schlüsseldatei {path} ist beschädigt oder nicht lesbar.").format(path=paths.vault)
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UnlockError(_("Die Schlüsseldatei {path} hat ein unbekanntes Format.").format(path=paths.vault))
    if not isinstance(data.get("vault_id"), str) or not isinstance(data.get("slots"), dict):
        raise _damaged_vault(paths)
    return data


def _damaged_vault(paths: DataPaths) -> VaultDamaged:
    return VaultDamaged(
        _(
            "Die Schlüsseldatei {path} ist beschädigt; die Passphrase wurde nicht geprüft. "
            "Stellen Sie die Schlüsseldatei (vault.json) aus der neuesten Sicherung wieder her "
            "oder entsperren Sie mit dem Wiederherstellungscode."
        ).format(path=paths.vault)
    )


def _kdf_slot_of(paths: DataPaths, data: dict[str, Any], name: str) -> dict[str, Any]:
    try:
        slot_data = _slot(data, name)
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
        raise _damaged_vault(paths) from None
    if slot_data is None:
        raise _damaged_vault(paths)
    return slot_data


def _open_slot(paths: DataPaths, data: dict[str, Any], name: str, secret: str) -> bytes:
    """Unwrap a passphrase or recovery slot; InvalidTag means the secret is wrong."""
    slot_data = _kdf_slot_of(paths, data, name)
    try:
        return _open_kdf_slot(slot_data, secret, data["vault_id"], name)
    except InvalidTag:
        raise
    except (ValueError, KeyError, TypeError, MemoryError):
        raise _damaged_vault(paths) from None


def _vault_missing_message(paths: DataPaths) -> str:
    return _(
        "Die Datenbank {db} ist vorhanden, aber ihre Schlüsseldatei {vault} fehlt. "
        "Stellen Sie die Schlüsseldatei aus der Sicherung wieder her; es wird keine neue "
        "Datenbank angelegt."
    ).format(db=paths.database, vault=paths.vault)


def vault_problems(paths: DataPaths) -> list[str]:
    """What is wrong with a vault file (for checking the one saved with a backup); empty when sound."""
    try:
        data = _read_vault(paths)
        for name in ("passphrase", "recovery"):
            _kdf_slot_of(paths, data, name)
    except UnlockError as exc:
        return [str(exc)]
    return []


def _write_vault(paths: DataPaths, data: dict[str, Any]) -> None:
    write_atomic(paths.vault, json.dumps(data, indent=2).encode("utf-8"))


def is_initialised(paths: DataPaths) -> bool:
    """True when any trace of a desk exists; such a folder is never set up anew."""
    return paths.vault.exists() or paths.database.exists()


def create_vault(
    paths: DataPaths,
    passphrase: str,
    keyring: KeyringAccess | None = None,
    kdf: KdfParams = DEFAULT_KDF,
) -> tuple[bytes, str, list[str]]:
    """Make a new key for a new desk; returns (key, recovery code, notes)."""
    if is_initialised(paths):
        raise AlreadyInitialised(
            _("In {path} gibt es bereits eine Datenbank; es wird keine neue angelegt.").format(path=paths.root)
        )
    check_passphrase(passphrase)
    key = os.urandom(32)
    recovery = new_recovery_code()
    import uuid  # uuid imports platform: ~4 ms of every start for the one new vault

    vault_id = uuid.uuid4().hex
    data: dict[str, Any] = {"format": FORMAT, "vault_id": vault_id, "slots": {}}
    data["slots"]["passphrase"] = _kdf_slot(key, passphrase, vault_id, "passphrase", kdf)
    data["slots"]["recovery"] = _kdf_slot(key, recovery, vault_id, "recovery", kdf)
    notes: list[str] = []
    if keyring is not None:
        notes.extend(_store_in_keyring(data, key, keyring))
    paths.root.mkdir(parents=True, exist_ok=True)
    os.chmod(paths.root, 0o700)
    _write_vault(paths, _seal(data))
    return key, recovery, notes


def _store_in_keyring(data: dict[str, Any], key: bytes, keyring: KeyringAccess) -> list[str]:
    secret = os.urandom(32)
    try:
        backend = keyring.backend_name()
        keyring.set(data["vault_id"], _b64(secret))
    except KeyringUnavailable as exc:
        data["slots"].pop("keyring", None)
        return [str(exc)]
    slot = _wrap(key, secret, data["vault_id"], "keyring")
    slot["backend"] = backend
    data["slots"]["keyring"] = slot
    return []


def _try_keyring(data: dict[str, Any], keyring: KeyringAccess | None) -> tuple[bytes | None, str, bool]:
    """(key, why not, whether a fresh keyring entry may be written after a passphrase unlock)."""
    if keyring is None:
        return None, _("Der Schlüsselbund wird nicht verwendet."), False
    try:
        slot = _slot(data, "keyring")
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
        slot = None
    if slot is None:
        return None, _("Im Schlüsselbund ist für diese Datenbank nichts hinterlegt."), True
    if slot.get("backend") == FAIL_BACKEND:
        # written when this machine had no keyring: nothing can be in one, so keyring (~0.1-0.3 s to
        # import and probe every backend) is not loaded before the passphrase; the refresh looks again
        return None, _("Auf diesem Rechner ist kein Schlüsselbund (Keyring) verfügbar."), True
    try:
        backend = keyring.backend_name(str(slot.get("backend", "")))
        if backend != slot.get("backend"):
            return None, _("Der Schlüsselbund dieses Rechners hat sich geändert."), True
        secret = keyring.get(data["vault_id"])
    except KeyringUnavailable as exc:
        return None, str(exc), False
    if not secret:
        return None, _("Der Schlüsselbund liefert keinen Schlüssel für diese Datenbank."), True
    try:
        return _unwrap(slot, _unb64(secret), data["vault_id"], "keyring"), "", False
    except (InvalidTag, ValueError):
        return None, _("Der Schlüssel im Schlüsselbund passt nicht zu dieser Datenbank."), True


def _refresh_keyring(paths: DataPaths, data: dict[str, Any], key: bytes, keyring: KeyringAccess) -> list[str]:
    """Put a fresh secret in the keyring after a passphrase unlock; a failure never undoes the unlock.

    The vault is written first: when that fails (full disk, read-only folder) the keyring is not
    touched, so repeated tries do not pile up secrets that no vault knows.
    """
    secret = os.urandom(32)
    try:
        backend = keyring.backend_name()
    except KeyringUnavailable as exc:
        return [str(exc)]
    refreshed = dict(data, slots={k: v for k, v in data["slots"].items() if k != "keyring"})
    slot = _wrap(key, secret, data["vault_id"], "keyring")
    slot["backend"] = backend
    refreshed["slots"]["keyring"] = slot
    try:
        _write_vault(paths, _seal(refreshed))
    except KnownError as exc:
        return [_("Der Schlüsselbund wurde nicht aktualisiert: {reason}").format(reason=exc)]
    try:
        keyring.set(data["vault_id"], _b64(secret))
    except KeyringUnavailable as exc:
        return [str(exc)]
    return []


def _put_back_moved_aside(database: Path) -> None:
    """Older versions renamed the database to desk.db.replaced-<stamp> while restoring; a kill
    right then left no database. The moved-aside file is the database as it was: put it back."""
    if database.exists():  # the usual case: no folder listing on every unlock
        return
    moved = sorted(database.parent.glob(f"{database.name}.replaced-*[0-9]"))
    if moved:
        with contextlib.suppress(OSError):
            os.replace(moved[-1], database)


def unlock(
    paths: DataPaths,
    passphrase_source: PassphraseSource,
    keyring: KeyringAccess | None = None,
    *,
    refresh_keyring: bool = True,
) -> UnlockResult:
    """Unlock the key of an existing desk: keyring first, then the passphrase. With refresh_keyring=False
    a fresh keyring entry after a passphrase unlock is left to refresh_keyring_slot (the GUI runs it
    in the background once the window is up)."""
    if not paths.vault.exists() and not paths.database.exists():
        raise DatabaseMissing(_("In {path} gibt es noch keine Datenbank.").format(path=paths.root))
    _read_vault(paths)  # a missing or damaged vault is said first
    _put_back_moved_aside(paths.database)
    if not paths.database.exists():
        raise DatabaseMissing(
            _(
                "Die Datenbank {db} fehlt, obwohl ihre Schlüsseldatei vorhanden ist. "
                "Stellen Sie sie aus einer Sicherung wieder her; es wird keine neue angelegt."
            ).format(db=paths.database)
        )
    return unlock_key(paths, passphrase_source, keyring, refresh_keyring=refresh_keyring)


def unlock_key(
    paths: DataPaths,
    passphrase_source: PassphraseSource,
    keyring: KeyringAccess | None = None,
    *,
    refresh_keyring: bool = True,
) -> UnlockResult:
    """Unlock the key in the vault whatever state the database is in (to restore a backup)."""
    data = _read_vault(paths)
    key, reason, refresh = _try_keyring(data, keyring)
    if key is not None:
        return UnlockResult(key, "keyring")
    _kdf_slot_of(paths, data, "passphrase")  # a damaged slot is said before the passphrase is asked
    passphrase = passphrase_source(reason)
    try:
        key = _open_slot(paths, data, "passphrase", passphrase)
    except InvalidTag:
        raise WrongPassphrase(_("Die Passphrase ist falsch.")) from None
    result = UnlockResult(key, "passphrase", [reason] if reason else [])
    if keyring is not None and refresh:
        if refresh_keyring:
            result.notes.extend(_refresh_keyring(paths, data, key, keyring))
        else:
            result.keyring_refresh_due = True
    return result


def refresh_keyring_slot(paths: DataPaths, key: bytes, keyring: KeyringAccess) -> list[str]:
    """The keyring refresh that unlock(refresh_keyring=False) left due; returns notes, never raises a
    KnownError (the desk is open already)."""
    try:
        data = _read_vault(paths)
    except KnownError as exc:
        return [str(exc)]
    return _refresh_keyring(paths, data, key, keyring)


def unlock_with_recovery_code(paths: DataPaths, code: str) -> bytes:
    data = _read_vault(paths)
    try:
        return _open_slot(paths, data, "recovery", normalise_recovery_code(code))
    except InvalidTag:
        raise WrongPassphrase(_("Der Wiederherstellungscode ist falsch.")) from None


def set_passphrase(paths: DataPaths, key: bytes, passphrase: str, kdf: KdfParams = DEFAULT_KDF) -> None:
    """Re-wrap the key under a new passphrase (after unlocking with the old one or the code)."""
    check_passphrase(passphrase)
    data = _read_vault(paths)
    data["slots"]["passphrase"] = _kdf_slot(key, passphrase, data["vault_id"], "passphrase", kdf)
    _write_vault(paths, _seal(data))


def passphrase_from_environment(reason: str) -> str:
    """Read the passphrase from KIM_DESK_PASSPHRASE_FILE, else ask on the terminal."""
    file_name = os.environ.get(PASSPHRASE_FILE_ENV)
    if file_name:
        try:
            return Path(file_name).read_text("utf-8").rstrip("\r\n")
        except OSError as exc:
            raise NoPassphraseSource(_("Die Passphrase-Datei {path} ist nicht lesbar.").format(path=file_name)) from exc
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        if reason:
            print(reason, file=sys.stderr)
        return getpass.getpass(_("Passphrase: "))
    raise NoPassphraseSource(
        _(
            "Die Datenbank ist gesperrt und es gibt keinen Weg, die Passphrase zu erfragen. "
            "Nennen Sie eine Passphrase-Datei in {env}."
        ).format(env=PASSPHRASE_FILE_ENV)
    )


def new_passphrase_from_environment() -> str:
    """For creating a desk: the file in KIM_DESK_PASSPHRASE_FILE, else ask twice."""
    file_name = os.environ.get(PASSPHRASE_FILE_ENV)
    if file_name or not (sys.stdin is not None and sys.stdin.isatty()):
        return passphrase_from_environment("")
    import getpass

    first = getpass.getpass(_("Neue Passphrase für diesen Arbeitsplatz: "))
    check_passphrase(first)
    if getpass.getpass(_("Passphrase wiederholen: ")) != first:
        raise KnownError(_("Die beiden Eingaben stimmen nicht überein."))
    return first
