"""Restoring a backup: check it, prepare it beside the database, apply later erasures, swap.

The order protects what exists: the backup is verified before anything is touched; it is
copied to a staging file where the journalled erasures are applied again and the result is
checked; only then does one rename put the staging file in the database's place. The old
database is never moved aside under another name, so no copy with erased people outlives
the restore. A restore that is killed leaves at most the staging file, which the next open
of the desk removes; the database is then either the old one or the restored one, whole.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from kim_desk.backup.core import (
    DB_NAME,
    VAULT_NAME,
    BackupInfo,
    backup_info,
    list_backups,
    open_keyed,
    verify_backup,
)
from kim_desk.clock import Clock
from kim_desk.errors import KnownError, StorageError
from kim_desk.fileutil import storage_error, write_atomic
from kim_desk.i18n import _
from kim_desk.paths import DataPaths
from kim_desk.privacy import journal
from kim_desk.privacy.erasure import reapply
from kim_desk.store import Store, audit, open_store
from kim_desk.store.connection import (
    STAGING_NAME,
    DatabaseError,
    database_error,
    drop_failed_side_files,
    side_files,
)
from kim_desk.store.ids import raise_sequences, sequences

log = logging.getLogger(__name__)

__all__ = ["STAGING_NAME", "BackupDamaged", "RestoreResult", "restore_backup", "restore_newest"]


class BackupDamaged(KnownError):
    """The backup failed its check; nothing was replaced."""


@dataclass(frozen=True)
class RestoreResult:
    backup: BackupInfo
    erasures_applied: int  # erasures made after the backup, applied again
    clients: int


def _remove(path: Path) -> None:
    for item in [path, *side_files(path)]:
        with contextlib.suppress(FileNotFoundError):
            item.unlink()


def _discard(path: Path) -> None:
    """Remove a staging copy after a failure; the failure itself is what gets reported."""
    with contextlib.suppress(OSError):
        _remove(path)


def _integrity_ok(store: Store) -> bool:
    return [row[0] for row in store.rows("PRAGMA integrity_check")] == ["ok"]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prepare(
    paths: DataPaths, backup: BackupInfo, key: bytes, clock: Clock | None
) -> tuple[Path, int, int, journal.Journal]:
    staging = paths.root / STAGING_NAME
    _remove(staging)
    shutil.copyfile(backup.path / DB_NAME, staging)  # a closed, verified file: copying it is safe
    os.chmod(staging, 0o600)
    merged = journal.read_journal(DataPaths(backup.path))
    for erasure in journal.read_journal(paths).erasures:  # the desk's journal is the newer one
        if not merged.has(erasure.uid, erasure.action):
            merged.erasures.append(erasure)
    given = _ids_given(paths.database, key)
    store = open_store(staging, key, clock=clock)  # migrates an older backup to this version
    try:
        applied = reapply(store, merged.erasures)
        with store.transaction():
            raise_sequences(store.conn, given)  # ids given out since the backup are not given again
            audit.record(store, "backup", "restore", None)
        if not _integrity_ok(store):
            raise BackupDamaged(_("Die wiederhergestellte Datenbank besteht die Integritätsprüfung nicht."))
        clients = int(store.rows("SELECT count(*) FROM client")[0][0])
        for erasure in journal.store_erasures(store):
            if not merged.has(erasure.uid, erasure.action):
                merged.erasures.append(erasure)
        merged.audit = journal.audit_head(store)
        store.conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to rename
    finally:
        store.close()
    _fsync(staging)
    return staging, len(applied), clients, merged


def _ids_given(database: Path, key: bytes) -> dict[str, int]:
    """The highest ids the database being replaced has given out; {} when it cannot be read
    (a damaged database, often the reason for the restore, or one older than schema v11)."""
    if not database.exists():
        return {}
    try:
        conn = open_keyed(database, key, read_only=True, timeout=1.0)
        try:
            return sequences(conn)
        finally:
            conn.close()
    except DatabaseError:
        return {}


def _busy(exc: Exception) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: another connection holds the database."""
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF in (5, 6)


def _settle_old(database: Path, key: bytes, *, drop_side_files: bool = True) -> None:
    """Make sure no one else has the old database open, fold its WAL into it, drop its side files.

    Folding the WAL in first means a kill before the swap loses nothing. A database too
    damaged to open has nothing to fold in; its side files would only harm the restored file
    that takes its name.
    """
    conn = None
    existed = {item for item in side_files(database) if item.exists()}
    if database.exists():
        try:
            conn = open_keyed(database, key, timeout=1.0)  # a desk open elsewhere: say so soon
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseError:
            if conn is not None:
                conn.close()
            conn = None
            drop_failed_side_files(database, existed)  # a full disk: only what this try made
    if conn is not None:
        try:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except DatabaseError as exc:
            if _busy(exc):
                raise KnownError(
                    _(
                        "Die Datenbank ist noch in einem anderen Fenster oder Programm geöffnet. "
                        "Bitte schließen Sie KIM Desk dort; es wurde nichts ersetzt."
                    )
                ) from exc
        finally:
            conn.close()
    if drop_side_files:
        for item in side_files(database):
            item.unlink(missing_ok=True)


def restore_backup(paths: DataPaths, backup: BackupInfo, key: bytes, clock: Clock | None = None) -> RestoreResult:
    """Replace the desk's database by `backup`; the desk must be closed. Applies later erasures."""
    problems = verify_backup(backup.path, key)
    if problems:
        raise BackupDamaged(
            _("Die Sicherung {name} ist fehlerhaft; es wurde nichts ersetzt: {problems}").format(
                name=backup.name, problems="; ".join(problems)
            )
        )
    staging = paths.root / STAGING_NAME
    try:
        _settle_old(paths.database, key, drop_side_files=False)  # refuse early while the desk is open elsewhere
        staging, applied, clients, merged = _prepare(paths, backup, key, clock)
        # Until the rename the old database stays; the journal first loses its audit anchor, so a
        # kill between the two steps cannot raise a false tampering alarm with either database.
        current = journal.read_journal(paths)
        current.audit = None
        journal.write_journal(paths, current)
        if not paths.vault.exists():  # after a lost vault: the one saved with the backup
            write_atomic(paths.vault, (backup.path / VAULT_NAME).read_bytes())
        _settle_old(paths.database, key)
        os.replace(staging, paths.database)
        with contextlib.suppress(OSError):
            _fsync(paths.root)
        with contextlib.suppress(KnownError):  # done; the next erasure or backup writes it again
            journal.write_journal(paths, merged)
    except OSError as exc:
        _discard(staging)
        raise storage_error(exc, paths.database) from exc
    except DatabaseError as exc:
        _discard(staging)
        known = database_error(exc, staging)
        raise StorageError(
            _("Die Sicherung konnte nicht wiederhergestellt werden ({reason}); es wurde nichts ersetzt.").format(
                reason=known or exc
            )
        ) from exc
    except BaseException:
        _discard(staging)
        raise
    log.info("backup_restored", extra={"backup": backup.name, "erasures_applied": applied})
    return RestoreResult(backup_info(backup.path), applied, clients)


def restore_newest(paths: DataPaths, key: bytes, clock: Clock | None = None) -> RestoreResult:
    """Restore the newest backup that passes its check (the app's "Sicherung wiederherstellen")."""
    for info in list_backups(paths):
        if not info.problem and not verify_backup(info.path, key):
            return restore_backup(paths, info, key, clock)
    raise BackupDamaged(
        _("In {path} gibt es keine Sicherung, die ihre Prüfung besteht; es wurde nichts ersetzt.").format(
            path=paths.backups
        )
    )
