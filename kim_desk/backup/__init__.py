"""Encrypted, verified, rotated backups of the desk database, and restoring them.

    create_backup(store, paths, key) -> BackupInfo    online backup API into a temp folder, verified, renamed
    list_backups(paths) -> list[BackupInfo]           newest first
    verify_backup(folder, key) -> list[str]           problems; empty when the backup is sound
    restore_backup(paths, folder, key) -> RestoreResult
    restore_newest(paths, key) -> RestoreResult       the newest backup that verifies (the app's button)
    backup_if_due(desk, key) -> BackupInfo | None     the app calls this once a day

A backup is a folder backups/<YYYY-MM-DDTHHMMSS>/ with desk.db (SQLCipher, same key as the
desk), vault.json (so the backup can be unlocked with the passphrase or the recovery code of
the time it was made), journal.json (the erasure journal at the time) and manifest.json.
"""

from kim_desk.backup.core import (
    BackupInfo,
    backup_if_due,
    create_backup,
    list_backups,
    rotate,
    verify_backup,
)
from kim_desk.backup.restore import RestoreResult, restore_backup, restore_newest

__all__ = [
    "BackupInfo",
    "RestoreResult",
    "backup_if_due",
    "create_backup",
    "list_backups",
    "restore_backup",
    "restore_newest",
    "rotate",
    "verify_backup",
]
