"""Opening the SQLCipher database with a raw 256-bit key and the house PRAGMAs.

Every failure names its real cause: a missing, empty, cut-off or damaged file is an incident
(restore a backup), a read-only folder or a full disk is a storage problem, and only a file
that the key cannot read at all is reported as possibly belonging to another key file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlcipher3

from kim_desk.errors import DatabaseMissing, KnownError, NotADatabase, StorageError
from kim_desk.i18n import _

# sqlcipher3 has its own exception classes; catch both families everywhere.
DatabaseError: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher3.DatabaseError)
OperationalError: tuple[type[Exception], ...] = (
    sqlite3.OperationalError,
    sqlcipher3.OperationalError,
)
IntegrityError: tuple[type[Exception], ...] = (sqlite3.IntegrityError, sqlcipher3.IntegrityError)

Connection = Any  # sqlcipher3.Connection has no type stubs

PAGE_SIZE = 4096  # SQLCipher 4's default page size
CACHE_KIB = 32 * 1024  # the page cache of the desk's connection
STAGING_NAME = ".restore-staging.db"  # a restore prepares the backup here; never outlives it
SIDE_FILES = ("-wal", "-shm", "-journal")

# SQLite's primary result codes that name a cause
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 3, 5, 6, 8, 10, 11, 13, 14, 26


class DatabaseDamaged(NotADatabase):
    """The database file is empty, cut off or has damaged pages: restore a backup."""


def damaged(path: Path, detail: str) -> DatabaseDamaged:
    return DatabaseDamaged(
        _("Die Datenbank {path} ist beschädigt ({detail}); es wurde nichts verändert.").format(path=path, detail=detail)
    )


def _read_only(path: Path) -> bool:
    try:
        flags = os.statvfs(path.parent).f_flag
    except OSError:
        return False
    return bool(flags & os.ST_RDONLY) or not os.access(path.parent, os.W_OK) or not os.access(path, os.W_OK)


def _disk_full(path: Path) -> bool:
    try:
        stat = os.statvfs(path.parent)
    except OSError:
        return False
    return stat.f_bavail * stat.f_frsize < 256 * 1024


def database_error(exc: Exception, path: Path) -> KnownError | None:
    """The known condition behind an SQLite error, or None when it is a bug."""
    code = int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if code in (_CORRUPT, _NOTADB):
        return damaged(path, _("beschädigte Seiten"))
    if code == _FULL or (code in (_IOERR, _CANTOPEN) and _disk_full(path)):
        return StorageError(_("Der Datenträger ist voll: {path} konnte nicht geschrieben werden.").format(path=path))
    if code in (_READONLY, _PERM, _CANTOPEN) or (code == _IOERR and _read_only(path)):
        if _read_only(path):
            return StorageError(_("Keine Schreibberechtigung für {path}.").format(path=path.parent))
        return StorageError(
            _("Die Datenbank {path} kann nicht geöffnet werden ({reason}).").format(path=path, reason=exc)
        )
    if code == _IOERR:
        return StorageError(_("Die Datenbank {path} lässt sich nicht lesen ({reason}).").format(path=path, reason=exc))
    if code in (_BUSY, _LOCKED):
        return KnownError(
            _("Die Datenbank wird gerade von einem anderen Programm benutzt. Bitte gleich noch einmal versuchen.")
        )
    return None


def side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in SIDE_FILES]


TEMP_PREFIX = ".tmp-"  # backups/.tmp-* while a backup is written; .tmp-* beside files written atomically
STALE_SECONDS = 60  # an atomic write's temp file older than this belongs to a killed process


def hold(folder: Path) -> int | None:
    """Mark a work folder as in use for as long as the returned descriptor is open (POSIX flock)."""
    try:
        import fcntl
    except ImportError:  # Windows: the age of the folder decides instead
        return None
    fd = os.open(folder, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def release(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing drops the lock


def _abandoned(folder: Path) -> bool:
    """True for a backup work folder no running process holds (left by a killed backup)."""
    try:
        fd = hold(folder)
    except OSError:
        return False  # in use by a backup running now
    if fd is None:
        return time.time() - folder.stat().st_mtime > 3600
    release(fd)
    return True


def remove_abandoned_backups(backups: Path) -> None:
    """Half-written backups of killed processes; they may hold people erased since."""
    with contextlib.suppress(OSError):
        for folder in backups.glob(TEMP_PREFIX + "*"):
            if folder.is_dir() and _abandoned(folder):
                shutil.rmtree(folder, ignore_errors=True)


def remove_leftovers(path: Path) -> None:
    """Remove what interrupted restores and backups left in the data folder (erased people may be in it)."""
    staging = path.with_name(STAGING_NAME)
    for item in [staging, *side_files(staging)]:
        with contextlib.suppress(OSError):
            item.unlink(missing_ok=True)
    remove_abandoned_backups(path.parent / "backups")
    with contextlib.suppress(OSError):
        for item in path.parent.glob(TEMP_PREFIX + "*"):
            if item.is_file() and time.time() - item.stat().st_mtime > STALE_SECONDS:
                item.unlink(missing_ok=True)
    # older versions moved the database aside as desk.db.replaced-<stamp> while restoring
    for item in path.parent.glob(f"{path.name}.replaced-*"):
        with contextlib.suppress(OSError):
            item.unlink()


def _check_file(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DatabaseMissing(_("Die Datenbank {path} fehlt.").format(path=path)) from None
    except OSError as exc:
        raise StorageError(
            _("Die Datenbank {path} lässt sich nicht lesen ({reason}).").format(path=path, reason=exc.strerror or exc)
        ) from exc
    if size == 0:
        raise damaged(path, _("die Datei ist leer"))
    if size % PAGE_SIZE:
        raise damaged(path, _("die Datei ist unvollständig"))
    if not os.access(path, os.R_OK):
        raise StorageError(_("Keine Leseberechtigung für {path}.").format(path=path))


def _open_failure(exc: Exception, path: Path) -> KnownError:
    known = database_error(exc, path)
    code = int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if code == _NOTADB:
        return NotADatabase(
            _(
                "Die Datenbank {path} lässt sich mit dem Schlüssel aus der Schlüsseldatei nicht lesen: "
                "Die Datei ist beschädigt, oder die Schlüsseldatei gehört zu einer anderen Datenbank. "
                "Es wurde nichts verändert."
            ).format(path=path)
        )
    if known is not None:
        return known
    return StorageError(_("Die Datenbank {path} kann nicht geöffnet werden ({reason}).").format(path=path, reason=exc))


def quiet(conn: Connection) -> None:
    """SQLCipher writes 'ERROR CORE' lines to stderr on damaged pages; the message says it better."""
    with contextlib.suppress(*DatabaseError):
        conn.execute("PRAGMA cipher_log_level = NONE")


def connect(path: Path, key: bytes, *, create: bool = False) -> Connection:
    """Open (or with create=True make) the keyed database; never makes one where a file is expected."""
    if len(key) != 32:
        raise ValueError("the database key must be 32 bytes")
    if not create:
        _check_file(path)
    existed = {item for item in side_files(path) if item.exists()}
    try:
        return _connect(path, key, create)
    except KnownError:
        drop_failed_side_files(path, existed)
        raise


def drop_failed_side_files(path: Path, existed: set[Path]) -> None:
    """A failed open (full disk) may leave an empty -wal and a torn -shm of its own: remove just those."""
    wal, shm, _journal = side_files(path)
    with contextlib.suppress(OSError):
        if wal not in existed and wal.exists() and wal.stat().st_size == 0:
            wal.unlink()
            if shm not in existed and shm.exists() and shm.stat().st_size < 32 * 1024:
                shm.unlink()


def _connect(path: Path, key: bytes, create: bool) -> Connection:
    try:
        uri = path.resolve().as_uri() + ("?mode=rwc" if create else "?mode=rw")
        conn = sqlcipher3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    except DatabaseError as exc:
        raise _open_failure(exc, path) from exc
    quiet(conn)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseError as exc:
        conn.close()
        raise _open_failure(exc, path) from exc
    try:
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = FULL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 5000",
            "PRAGMA secure_delete = ON",
            "PRAGMA temp_store = MEMORY",
            # every page read from disk is decrypted (~11 us a page), so hot pages stay cached; 64 MiB
            # was a fifth of the app's peak memory at 100,000 clients, 32 MiB costs the quarter's
            # report ~15,000 more page reads (~0.17 s), the search nothing measurable
            f"PRAGMA cache_size = -{CACHE_KIB}",
        ):
            conn.execute(pragma)
    except DatabaseError as exc:
        conn.close()
        raise _open_failure(exc, path) from exc
    return conn


def split_sql(script: str) -> list[str]:
    """Split a schema script into statements (executescript would commit early)."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.splitlines():
        code = line.split("--", 1)[0].rstrip()
        if not code:
            continue
        current.append(code)
        candidate = "\n".join(current)
        if code.endswith(";") and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            current = []
    if current:
        statements.append("\n".join(current))
    return statements
