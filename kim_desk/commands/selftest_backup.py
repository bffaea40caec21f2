"""Self-test: a backup is written, verifies, and restoring it applies a later erasure again."""

from __future__ import annotations

from pathlib import Path


def check_backup_round_trip(tmp: Path) -> None:
    from kim_desk import demo, vault
    from kim_desk.backup import create_backup, list_backups, restore_backup, verify_backup
    from kim_desk.desk import create_desk
    from kim_desk.paths import DataPaths
    from kim_desk.privacy.erasure import erase_client
    from kim_desk.store import open_store

    paths = DataPaths(tmp / "desk")
    fast = vault.KdfParams(iterations=1, lanes=1, memory_kib=8 * 1024)
    desk, _recovery = create_desk(paths, "self-test passphrase", None, fast)
    key = vault.unlock(paths, lambda _reason: "self-test passphrase", None).key
    demo.generate(desk.store, desk.catalog, clients=5)
    info = create_backup(desk.store, paths, key)
    if verify_backup(info.path, key):
        raise AssertionError("a fresh backup does not verify")
    first = int(desk.store.rows("SELECT min(id) FROM client")[0][0])
    erase_client(desk.store, paths, first)
    desk.close()
    result = restore_backup(paths, list_backups(paths)[0], key)
    if result.erasures_applied != 1 or result.clients != 4:
        raise AssertionError(f"restore gave {result.clients} clients, {result.erasures_applied} erasures applied")
    store = open_store(paths.database, key)
    try:
        if store.one("SELECT 1 FROM client WHERE id = ?", (first,)) is not None:
            raise AssertionError("an erased client came back with the restore")
    finally:
        store.close()


CHECKS = [("backup and restore", check_backup_round_trip)]
