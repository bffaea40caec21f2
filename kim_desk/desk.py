"""The composition root for a desk: unlock the key, open the store, load the catalogue."""

from __future__ import annotations

import logging

from kim_desk import tomlcache, vault
from kim_desk.catalog import Catalog, load_catalog
from kim_desk.clock import Clock
from kim_desk.content.active import activate as activate_content
from kim_desk.paths import DataPaths
from kim_desk.store import Store, open_store

log = logging.getLogger(__name__)


class Desk:
    def __init__(
        self, paths: DataPaths, store: Store, catalog: Catalog, key: bytes = b"", keyring_refresh_due: bool = False
    ) -> None:
        self.paths = paths
        self.store = store
        self.catalog = catalog
        self.key = key  # needed for keyed backups; never logged or written
        # unlocked by passphrase: vault.refresh_keyring_slot still to run
        self.keyring_refresh_due = keyring_refresh_due

    def close(self) -> None:
        self.store.close()


def open_desk(
    paths: DataPaths,
    passphrase_source: vault.PassphraseSource = vault.passphrase_from_environment,
    keyring: vault.KeyringAccess | None = None,
    clock: Clock | None = None,
    *,
    refresh_keyring: bool = True,
) -> Desk:
    """Unlock and open an existing desk; never creates one. refresh_keyring: see vault.unlock."""
    chosen = keyring if keyring is not None else vault.SystemKeyring()
    result = vault.unlock(paths, passphrase_source, chosen, refresh_keyring=refresh_keyring)
    log.info("unlocked", extra={"method": result.method})
    store = open_store(paths.database, result.key, clock=clock)
    return opened_desk(paths, store, result.key, result.keyring_refresh_due)


def opened_desk(paths: DataPaths, store: Store, key: bytes, keyring_refresh_due: bool = False) -> Desk:
    """The desk around an opened store: the one place that activates the installed content pack, so the app's
    unlock screen and the command line print from the same forms."""
    activate_content(paths)  # the district's installed content pack, when whole and valid, overrides the shipped
    tomlcache.use_cache(paths.cache)
    return Desk(paths, store, load_catalog(), key, keyring_refresh_due)


def create_desk(
    paths: DataPaths,
    passphrase: str,
    keyring: vault.KeyringAccess | None = None,
    kdf: vault.KdfParams = vault.DEFAULT_KDF,
    clock: Clock | None = None,
) -> tuple[Desk, str]:
    """Set up a new desk in an empty folder; returns the desk and its recovery code."""
    catalog = load_catalog()
    key, recovery, _notes = vault.create_vault(paths, passphrase, keyring, kdf)
    try:
        store = open_store(paths.database, key, create=True, clock=clock)
    except BaseException:
        paths.vault.unlink(missing_ok=True)  # nothing else was written yet
        raise
    return Desk(paths, store, catalog, key), recovery
