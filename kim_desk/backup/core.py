"""Making, listing, checking and rotating backups."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import itertools
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3

from kim_desk import __version__, vault
from kim_desk.errors import KnownError, StorageError
from kim_desk.fileutil import storage_error, write_atomic
from kim_desk.i18n import _
from kim_desk.paths import DataPaths
from kim_desk.privacy import journal
from kim_desk.store import Store, audit
from kim_desk.store.connection import (
    Connection,
    DatabaseError,
    hold,
    quiet,
    release,
    remove_abandoned_backups,
    side_files,
)

log = logging.getLogger(__name__)

FORMAT = "kim-desk-backup/1"
DB_NAME = "desk.db"
VAULT_NAME = "vault.json"
JOURNAL_NAME = journal.FILE_NAME
MANIFEST_NAME = "manifest.json"
SMALL = 0.5  # a backup with fewer than half the people of the one before is suspicious
NAME_FORMAT = "%Y-%m-%dT%H%M%S"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: dt.datetime
    counts: dict[str, int] = field(default_factory=dict)
    schema: int = 0
    problem: str = ""  # why the manifest could not be read

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def clients(self) -> int:
        return self.counts.get("client", 0)


def _full_disk(exc: Exception) -> bool:
    return "full" in str(exc).lower()


def _db_storage_error(exc: Exception, path: Path) -> StorageError:
    if _full_disk(exc):
        return storage_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), path)
    return StorageError(
        _("Die Sicherung {path} konnte nicht geschrieben werden ({reason}).").format(path=path, reason=exc)
    )


def open_keyed(path: Path, key: bytes, *, read_only: bool = False, timeout: float = 5.0) -> Connection:
    """A bare keyed connection (no migrations, no WAL) for backup files."""
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=timeout)
    quiet(conn)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def table_counts(conn: Connection, schema: str = "main") -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )
    ]
    return {name: int(conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0]) for name in names}


def _read_manifest(folder: Path) -> dict[str, Any]:
    data: Any = json.loads((folder / MANIFEST_NAME).read_text("utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("unknown manifest format")
    return data


def backup_info(folder: Path) -> BackupInfo:
    try:
        data = _read_manifest(folder)
        return BackupInfo(
            folder,
            dt.datetime.fromisoformat(data["created_at"]),
            {str(k): int(v) for k, v in data["counts"].items()},
            int(data["schema"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, OverflowError):
        created = _time_from_name(folder.name) or dt.datetime.fromtimestamp(folder.stat().st_mtime)
        return BackupInfo(folder, created, problem=_("Die Beschreibung (manifest.json) fehlt oder ist beschädigt."))


def _time_from_name(name: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(name[:17], NAME_FORMAT)
    except ValueError:
        return None


def list_backups(paths: DataPaths) -> list[BackupInfo]:
    """Every finished backup, newest first (temp folders of unfinished ones are skipped)."""
    if not paths.backups.is_dir():
        return []
    infos = [
        backup_info(folder)
        for folder in paths.backups.iterdir()
        if folder.is_dir() and not folder.name.startswith(".") and _time_from_name(folder.name)
    ]
    return sorted(infos, key=lambda info: (info.created_at, info.name), reverse=True)


def restore_advice(paths: DataPaths, *, in_app: bool = False) -> str:
    """Which backup to restore, in words, for a missing or damaged database."""
    backups = [info for info in list_backups(paths) if not info.problem]
    if not backups:
        return _("Es gibt in {path} keine Sicherung; bitte die IT Ihrer Organisation fragen.").format(
            path=paths.backups
        )
    newest = backups[0]
    if in_app:
        return _(
            "Die neueste Sicherung ist {name} ({clients} Personen). „Sicherung wiederherstellen“ spielt "
            "die neueste Sicherung zurück, die ihre Prüfung besteht; spätere Löschungen werden erneut angewandt."
        ).format(name=newest.name, clients=newest.clients)
    return _(
        "Stellen Sie die neueste Sicherung {name} ({clients} Personen) wieder her: kim-desk backup restore {name}"
    ).format(name=newest.name, clients=newest.clients)


def find_backup(paths: DataPaths, name: str) -> BackupInfo:
    """A backup by folder name, or by a path to a backup folder elsewhere (a USB stick)."""
    candidate = Path(name).expanduser()
    folder = candidate if candidate.is_dir() and (candidate / DB_NAME).exists() else paths.backups / name
    if not (folder / DB_NAME).is_file():
        raise KnownError(_("Es gibt keine Sicherung „{name}“ (siehe: kim-desk backup list).").format(name=name))
    return backup_info(folder)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _side_file_sound(folder: Path, name: str, digest: object) -> bool:
    """Unchanged since the backup was made (older backups: at least readable)."""
    try:
        if digest is not None:
            return _digest(folder / name) == digest
        if name == VAULT_NAME:
            return not vault.vault_problems(DataPaths(folder))
        journal.read_journal(DataPaths(folder))
    except (OSError, KnownError):
        return False
    return True


def _side_problems(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """The key file and the erasure journal saved with the backup: present, unchanged, readable."""
    problems: list[str] = []
    files = manifest.get("files")
    recorded: dict[str, Any] = files if isinstance(files, dict) else {}
    for name, missing, changed in (
        (VAULT_NAME, _("Die Schlüsseldatei (vault.json) fehlt in der Sicherung."),
         _("Die Schlüsseldatei (vault.json) der Sicherung ist verändert oder beschädigt.")),
        (JOURNAL_NAME, _("Das Löschprotokoll (journal.json) fehlt in der Sicherung."),
         _("Das Löschprotokoll (journal.json) der Sicherung ist verändert oder beschädigt.")),
    ):  # fmt: skip
        path = folder / name
        if not path.is_file():
            if name == VAULT_NAME or name in recorded:
                problems.append(missing)
            continue
        if not _side_file_sound(folder, name, recorded.get(name)):
            problems.append(changed)
    return problems


def verify_backup(folder: Path, key: bytes) -> list[str]:
    """Open the backup with the key and check it page by page, and its files against the manifest."""
    problems: list[str] = []
    try:
        manifest = _read_manifest(folder)
    except (OSError, ValueError) as exc:
        return [_("Die Beschreibung (manifest.json) fehlt oder ist beschädigt ({reason}).").format(reason=exc)]
    problems.extend(_side_problems(folder, manifest))
    if not (folder / DB_NAME).is_file():
        return [*problems, _("Die Datenbank fehlt in der Sicherung.")]
    try:
        conn = open_keyed(folder / DB_NAME, key, read_only=True)
    except DatabaseError as exc:
        return [*problems, _("Die Datenbank der Sicherung lässt sich nicht öffnen ({reason}).").format(reason=exc)]
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append(_("Integritätsprüfung fehlgeschlagen: {detail}").format(detail="; ".join(integrity[:3])))
        cipher = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]
        if cipher:
            problems.append(_("Verschlüsselte Seiten sind beschädigt: {detail}").format(detail="; ".join(cipher[:3])))
        counts = table_counts(conn)
        if counts != manifest.get("counts"):
            problems.append(_("Die Zahl der Datensätze stimmt nicht mit der Beschreibung überein."))
        schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if schema != manifest.get("schema"):
            problems.append(_("Die Schemaversion stimmt nicht mit der Beschreibung überein."))
    except DatabaseError as exc:
        problems.append(
            _(
                "Die Datenbank der Sicherung ist beschädigt oder gehört zu einem anderen Arbeitsplatz ({reason})."
            ).format(reason=exc)
        )
    finally:
        conn.close()
    return problems


def _unique_folder(paths: DataPaths, now: dt.datetime) -> Path:
    base = now.strftime(NAME_FORMAT)
    folder = paths.backups / base
    number = 2
    while folder.exists():
        folder = paths.backups / f"{base}-{number}"
        number += 1
    return folder


def _write_copy(store: Store, target_path: Path, key: bytes) -> tuple[dict[str, int], int]:
    """The online backup API: a consistent copy of the live database, keyed like it.

    The copy is made in one step inside a read transaction, so other writers cannot change it
    half-way; the rows are counted in the copy itself, so the manifest describes what is in it.
    """
    target = open_keyed(target_path, key)
    try:
        store.conn.execute("BEGIN")
        try:
            store.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts here
            store.conn.backup(target)
        finally:
            store.conn.execute("COMMIT")
        # a standalone file: no WAL beside it, so it can be opened read-only anywhere
        target.execute("PRAGMA journal_mode = DELETE")
        counts = table_counts(target)
        schema = int(target.execute("PRAGMA user_version").fetchone()[0])
    finally:
        target.close()
    for leftover in side_files(target_path):
        leftover.unlink(missing_ok=True)
    os.chmod(target_path, 0o600)
    return counts, schema


def _fsync_folder(folder: Path) -> None:
    for path in [*folder.iterdir(), folder]:
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def create_backup(store: Store, paths: DataPaths, key: bytes) -> BackupInfo:
    """Write a verified backup folder; on any failure nothing half-written is left behind."""
    now = store.clock.now()
    try:
        paths.backups.mkdir(parents=True, exist_ok=True)
        os.chmod(paths.backups, 0o700)
        remove_abandoned_backups(paths.backups)  # left by backups that were killed half-way
        work = Path(tempfile.mkdtemp(prefix=".tmp-", dir=paths.backups))
        lock = hold(work)  # another process's cleanup leaves a folder in use alone
    except OSError as exc:
        raise storage_error(exc, paths.backups) from exc
    try:
        counts, schema = _write_copy(store, work / DB_NAME, key)
        write_atomic(work / VAULT_NAME, paths.vault.read_bytes())
        synced = journal.sync_from_store(store, paths)
        journal.write_journal(DataPaths(work), synced)
        files = {name: _digest(work / name) for name in (VAULT_NAME, JOURNAL_NAME)}
        manifest = {"format": FORMAT, "created_at": now.isoformat(), "schema": schema, "counts": counts,
                    "files": files, "app": __version__}  # fmt: skip
        write_atomic(work / MANIFEST_NAME, json.dumps(manifest, indent=1).encode("utf-8"))
        problems = verify_backup(work, key)
        if problems:
            raise StorageError(_("Die neue Sicherung ist fehlerhaft: {problems}").format(problems="; ".join(problems)))
        _fsync_folder(work)
        folder = _unique_folder(paths, now)
        os.replace(work, folder)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise storage_error(exc, paths.backups) from exc
    except DatabaseError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise _db_storage_error(exc, paths.backups) from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        release(lock)
    with store.transaction():
        audit.record(store, "backup", "backup", None)
    journal.anchor_audit(store, paths)
    log.info("backup_created", extra={"backup": folder.name})
    rotate(paths)
    return BackupInfo(folder, now, counts, schema)


def _kept(backups: list[BackupInfo]) -> set[Path]:
    """Grandfather-father-son: the newest backup of each of the last 7 days, 4 weeks and 12 months."""
    keep: set[Path] = set()
    for bucket, limit in (
        (lambda d: d.date(), KEEP_DAILY),
        (lambda d: d.isocalendar()[:2], KEEP_WEEKLY),
        (lambda d: (d.year, d.month), KEEP_MONTHLY),
    ):
        seen: list[object] = []
        for info in backups:  # newest first
            period = bucket(info.created_at)
            if period in seen:
                continue
            if len(seen) == limit:
                break
            seen.append(period)
            keep.add(info.path)
    return keep


def _suspicious(newer: BackupInfo, older: BackupInfo) -> bool:
    """Far fewer people than the backup before: an emptied or replaced database, not a day's work."""
    return older.clients >= 2 and newer.clients < older.clients * SMALL


def rotate(paths: DataPaths) -> list[Path]:
    """Remove backups no rotation slot needs; damaged ones are left for a person to look at.

    A kept backup that is suspiciously small never pushes out the one made before it.
    """
    backups = [info for info in list_backups(paths) if not info.problem]
    keep = _kept(backups)
    for newer, older in itertools.pairwise(backups):
        if newer.path in keep and _suspicious(newer, older):
            keep.add(older.path)
    removed = []
    for info in backups:
        if info.path not in keep:
            shutil.rmtree(info.path, ignore_errors=True)
            removed.append(info.path)
            log.info("backup_rotated_out", extra={"backup": info.name})
    return removed


def backup_if_due(
    desk: Any, key: bytes | None = None, max_age: dt.timedelta = dt.timedelta(days=1)
) -> BackupInfo | None:
    """Make a backup when the newest is older than `max_age` (the app calls this daily).

    `key` defaults to `desk.key` (the unlocked database key kept by the desk).
    """
    key = key if key is not None else getattr(desk, "key", None)
    if key is None:
        raise ValueError("backup_if_due needs the database key")
    backups = [info for info in list_backups(desk.paths) if not info.problem]
    now = desk.store.clock.now()
    if backups and now - backups[0].created_at < max_age:
        return None
    return create_backup(desk.store, desk.paths, key)
