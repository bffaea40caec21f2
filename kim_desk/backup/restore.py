"""Restoring a backup: check it, prepare it beside the database, apply later erasures, swap.

The order protects what exists: the backup is verified before anything is touched; it is
copied to a staging file where the journalled erasures are applied again and the result is
checked; only then is the current database moved aside (not deleted) and the staging file
put in its place. The moved-aside database is removed once the restored one opened and
passed its integrity check; if anything fails, it is moved back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from kim_desk.backup.core import DB_NAME, VAULT_NAME, BackupInfo, backup_info, verify_backup
from kim_desk.clock import Clock
from kim_desk.errors import KnownError, StorageError
from kim_desk.fileutil import storage_error
from kim_desk.i18n import _
from kim_desk.paths import DataPaths
from kim_desk.privacy import journal
from kim_desk.privacy.erasure import reapply
from kim_desk.store import Store, audit, open_store
from kim_desk.store.connection import DatabaseError

log = logging.getLogger(__name__)

STAGING_NAME = ".restore-staging.db"
SIDE_FILES = ("-wal", "-shm")


class BackupDamaged(KnownError):
    """The backup failed its check; nothing was replaced."""


@dataclass(frozen=True)
class RestoreResult:
    backup: BackupInfo
    erasures_applied: int  # erasures made after the backup, applied again
    clients: int


def _with_side_files(path: Path) -> list[Path]:
    return [path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)]


def _remove(path: Path) -> None:
    for item in _with_side_files(path):
        item.unlink(missing_ok=True)


def _move(source: Path, target: Path) -> None:
    """Move a database with its WAL and shared-memory files."""
    for src, dst in zip(_with_side_files(source), _with_side_files(target), strict=True):
        if src.exists():
            os.replace(src, dst)


def _integrity_ok(store: Store) -> bool:
    return [row[0] for row in store.rows("PRAGMA integrity_check")] == ["ok"]


def _prepare(paths: DataPaths, backup: BackupInfo, key: bytes, clock: Clock | None) -> tuple[Path, int, int]:
    staging = paths.root / STAGING_NAME
    _remove(staging)
    shutil.copyfile(backup.path / DB_NAME, staging)  # a closed, verified file: copying it is safe
    os.chmod(staging, 0o600)
    erasures = journal.read_journal(DataPaths(backup.path)).erasures
    for erasure in journal.read_journal(paths).erasures:  # the desk's journal is the newer one
        if erasure not in erasures:
            erasures.append(erasure)
    store = open_store(staging, key, clock=clock)  # migrates an older backup to this version
    try:
        applied = reapply(store, erasures)
        with store.transaction():
            audit.record(store, "backup", "restore", None)
        if not _integrity_ok(store):
            raise BackupDamaged(_("Die wiederhergestellte Datenbank besteht die Integritätsprüfung nicht."))
        clients = int(store.rows("SELECT count(*) FROM client")[0][0])
    finally:
        store.close()
    return staging, len(applied), clients


def restore_backup(paths: DataPaths, backup: BackupInfo, key: bytes, clock: Clock | None = None) -> RestoreResult:
    """Replace the desk's database by `backup`; the desk must be closed. Applies later erasures."""
    problems = verify_backup(backup.path, key)
    if problems:
        raise BackupDamaged(
            _("Die Sicherung {name} ist fehlerhaft; es wurde nichts ersetzt: {problems}").format(
                name=backup.name, problems="; ".join(problems)
            )
        )
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    replaced = paths.root / f"{DB_NAME}.replaced-{stamp}"
    try:
        staging, applied, clients = _prepare(paths, backup, key, clock)
        _move(paths.database, replaced)
        try:
            _move(staging, paths.database)
            store = open_store(paths.database, key, clock=clock)
            try:
                if not _integrity_ok(store):
                    raise BackupDamaged(_("Die wiederhergestellte Datenbank besteht die Integritätsprüfung nicht."))
                current = journal.read_journal(paths)
                current.audit = journal.audit_head(store)  # the restore is itself in the trail
                journal.write_journal(paths, current)
                journal.sync_from_store(store, paths)
            finally:
                store.close()
        except BaseException:
            _remove(paths.database)
            _move(replaced, paths.database)
            raise
        if not paths.vault.exists():
            shutil.copyfile(backup.path / VAULT_NAME, paths.vault)
    except OSError as exc:
        _remove(paths.root / STAGING_NAME)
        raise storage_error(exc, paths.database) from exc
    except DatabaseError as exc:
        _remove(paths.root / STAGING_NAME)
        raise StorageError(
            _("Die Sicherung konnte nicht wiederhergestellt werden ({reason}); es wurde nichts ersetzt.").format(
                reason=exc
            )
        ) from exc
    with contextlib.suppress(OSError):
        _remove(replaced)
    log.info("backup_restored", extra={"backup": backup.name, "erasures_applied": applied})
    return RestoreResult(backup_info(backup.path), applied, clients)
