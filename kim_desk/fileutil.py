"""Atomic file writes: temp file beside the target, permissions first, fsync, replace.

On Windows three things differ, and the helpers here hide them: file modes mean nothing there (the data folder
in the user's profile is protected by its ACL), a folder cannot be opened for fsync (NTFS journals the rename
itself), and a file another program holds open (a virus scanner, the search indexer, a PDF viewer) cannot be
replaced for a moment, so the replace is tried again for a short while before it gives up.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from cryptography.hazmat.primitives.hashes import SHA256, Hash

from kim_desk.errors import StorageError
from kim_desk.i18n import _


def sha256_hex(data: bytes) -> str:
    """SHA-256 in hex through cryptography's OpenSSL, which every start loads anyway: hashlib would load the
    system's libcrypto a second time (~3 ms of a start)."""
    digest = Hash(SHA256())
    digest.update(data)
    return digest.finalize().hex()


REPLACE_PAUSES = (0.05, 0.1, 0.2, 0.4, 0.8)  # seconds between tries on Windows: 1.55 s in all
_sleep = time.sleep  # tests count the pauses instead of waiting


class FileInUse(PermissionError):
    """Windows: the file could not be replaced because another program holds it open."""


def storage_error(exc: OSError, path: Path) -> StorageError:
    if exc.errno == errno.ENOSPC:
        message = _("Der Datenträger ist voll: {path} konnte nicht geschrieben werden.")
    elif isinstance(exc, FileInUse):
        message = _(
            "{path} konnte nicht ersetzt werden: Die Datei ist in einem anderen Programm geöffnet, "
            "oder es fehlt die Schreibberechtigung. Bitte das Programm schließen und es noch einmal versuchen."
        )
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        message = _("Keine Schreibberechtigung für {path}.")
    else:
        message = _("{path} konnte nicht geschrieben werden ({reason}).")
    return StorageError(message.format(path=path, reason=exc.strerror or exc))


def restrict(path: Path, mode: int) -> None:
    """Set POSIX permissions; on Windows os.chmod only toggles the read-only flag, so nothing is done."""
    if sys.platform == "win32":
        return
    os.chmod(path, mode)


def fsync_directory(folder: Path) -> None:
    """Make a rename in `folder` durable; Windows cannot open a folder for this and needs no such step."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def replace_file(source: Path, target: Path) -> None:
    """os.replace; on Windows retried for a moment while another program holds `target` (or `source`) open."""
    if sys.platform == "win32":
        _replace_retrying(source, target)
    else:
        os.replace(source, target)


def _replace_retrying(source: Path, target: Path) -> None:
    for pause in (*REPLACE_PAUSES, None):
        try:
            os.replace(source, target)
        except PermissionError as exc:
            if pause is None:
                raise FileInUse(exc.errno, exc.strerror, str(target)) from exc
            _sleep(pause)
        else:
            return


@contextlib.contextmanager
def atomic_writer(path: Path, mode: int = 0o600) -> Iterator[IO[bytes]]:
    """Yield a binary file; on success it replaces `path` in one step, else nothing changes.

    Bytes go to disk as they are: no newline translation on any platform.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    except OSError as exc:
        raise storage_error(exc, path) from exc
    tmp = Path(tmp_name)
    try:
        restrict(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        replace_file(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise storage_error(exc, path) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    with atomic_writer(path, mode) as handle:
        handle.write(data)
