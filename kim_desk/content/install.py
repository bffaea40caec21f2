"""Installing a verified pack into the data folder, atomically, with one step of rollback.

Layout under <data dir>/content/:
  state.json        which pack is current and which was before (replaced in one step)
  packs/<version>/  one complete, extracted pack each (at most the current and the previous)
A pack is extracted into a staging folder, checked, renamed into place, and only then does
state.json name it: a kill at any point leaves either the old or the new pack current, never a mix.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import shutil
import uuid
from pathlib import Path
from typing import NamedTuple

from kim_desk.content.changes import describe_changes
from kim_desk.content.pack import MANIFEST, SIGNATURE, Manifest, PackRefused, parse_manifest, read_pack
from kim_desk.content.state import ContentState, content_root, mark_validated, pack_dir, read_state, write_state
from kim_desk.errors import KnownError, StorageError
from kim_desk.fileutil import storage_error
from kim_desk.i18n import _
from kim_desk.paths import DataPaths

log = logging.getLogger(__name__)

STAGING_PREFIX = ".staging-"


def installed_manifest(paths: DataPaths, version: int) -> Manifest | None:
    try:
        return parse_manifest((pack_dir(paths, version) / MANIFEST).read_bytes())
    except (OSError, PackRefused):
        return None


def check_extracted(folder: Path) -> list[str]:
    """Every file of an extracted pack is there with the size and hash its manifest names."""
    try:
        manifest = parse_manifest((folder / MANIFEST).read_bytes())
    except (OSError, PackRefused) as exc:
        return [str(exc) or type(exc).__name__]
    problems = []
    for name, (size, digest) in manifest.files.items():
        try:
            data = (folder / name).read_bytes()
        except OSError:
            problems.append(_("{name} fehlt").format(name=name))
            continue
        if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
            problems.append(_("{name} wurde verändert").format(name=name))
    return problems


class Installed(NamedTuple):
    version: int
    changes: tuple[str, ...]


def install_pack(paths: DataPaths, blob: bytes, public_key: bytes, now: dt.datetime) -> Installed:
    """Verify and install a pack; on refusal record why and raise PackRefused (the old content stays)."""
    state = read_state(paths)
    try:
        return _install(paths, blob, public_key, now, state)
    except PackRefused as refusal:
        with contextlib.suppress(KnownError):
            refused = {"at": now.isoformat(timespec="seconds"), "reason": str(refusal)}
            write_state(paths, state._replace(refused=refused))
        log.warning("content_pack_refused")
        raise


def _install(paths: DataPaths, blob: bytes, public_key: bytes, now: dt.datetime, state: ContentState) -> Installed:
    pack = read_pack(blob, public_key, installed=state.current, now=now)
    root = content_root(paths)
    packs = root / "packs"
    staging = packs / f"{STAGING_PREFIX}{pack.manifest.version}-{uuid.uuid4().hex[:8]}"
    try:
        _clean_staging(packs)
        for name, data in pack.files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MANIFEST).write_bytes(pack.manifest_bytes)
        (staging / SIGNATURE).write_bytes(pack.signature)
        _fsync_tree(staging)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise storage_error(exc, staging) from exc
    from kim_desk.content.validate import content_problems  # not needed to activate content at start

    problems = content_problems(staging)
    if problems:
        shutil.rmtree(staging, ignore_errors=True)
        raise PackRefused(
            _("Das Inhaltspaket Version {version} enthält ungültige Dateien:").format(version=pack.manifest.version)
            + "\n"
            + "\n".join(problems[:20])
        )
    mark_validated(staging)
    from kim_desk.i18n.po import compile_catalogue  # Babel's catalogue tools: only when installing

    try:
        for po in staging.glob("translations/*/LC_MESSAGES/kim_desk.po"):
            compile_catalogue(po, force=True)  # compiled here, from the signed source: no binary is trusted
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise storage_error(exc, staging) from exc
    final = pack_dir(paths, pack.manifest.version)
    old = active_root(paths, state)
    changes = describe_changes(old, staging) + tuple(pack.manifest.notes)
    try:
        if final.exists():  # left by an install that was killed before state.json named it
            shutil.rmtree(final)
        os.replace(staging, final)
        _fsync_dir(packs)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise storage_error(exc, final) from exc
    new_state = ContentState(
        current=pack.manifest.version,
        previous=state.current,
        installed_at=now.isoformat(timespec="seconds"),
        changes=changes,
    )
    write_state(paths, new_state)  # the one step that makes the new pack current
    _prune(paths, keep={new_state.current, new_state.previous})
    log.info("content_pack_installed", extra={"version": pack.manifest.version})
    return Installed(pack.manifest.version, changes)


def rollback(paths: DataPaths, now: dt.datetime) -> ContentState:
    """Make the previous pack (or the shipped content) current again; one step back only."""
    state = read_state(paths)
    if not state.current:
        raise KnownError(_("Es ist kein Inhaltspaket installiert; es gibt nichts zurückzunehmen."))
    if state.previous and check_extracted(pack_dir(paths, state.previous)):
        raise StorageError(_("Das vorige Inhaltspaket ist nicht mehr vollständig; Rücknahme nicht möglich."))
    new_state = ContentState(
        current=state.previous,
        previous=0,
        installed_at=now.isoformat(timespec="seconds"),
        changes=(_("Inhaltspaket Version {version} zurückgenommen.").format(version=state.current),),
    )
    write_state(paths, new_state)
    return new_state


def active_root(paths: DataPaths, state: ContentState | None = None) -> Path | None:
    """The folder of the current pack when it is complete and valid for this app, else None (shipped)."""
    state = state or read_state(paths)
    if not state.current:
        return None
    folder = pack_dir(paths, state.current)
    if check_extracted(folder):
        log.warning("content_pack_incomplete", extra={"version": state.current})
        return None
    return folder


def _clean_staging(packs: Path) -> None:
    packs.mkdir(parents=True, exist_ok=True)
    for leftover in packs.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _prune(paths: DataPaths, keep: set[int]) -> None:
    packs = content_root(paths) / "packs"
    for folder in packs.iterdir():
        if folder.name.isdigit() and int(folder.name) not in keep:
            shutil.rmtree(folder, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        else:
            _fsync_dir(path)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # directories cannot be opened for fsync on every platform
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
