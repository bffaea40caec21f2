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
import json
import logging
import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from kim_desk import __version__
from kim_desk.content.changes import describe_changes
from kim_desk.content.pack import MANIFEST, SIGNATURE, Manifest, PackRefused, parse_manifest, read_pack
from kim_desk.errors import KnownError, StorageError
from kim_desk.fileutil import storage_error, write_atomic
from kim_desk.i18n import _
from kim_desk.paths import DataPaths

log = logging.getLogger(__name__)

STATE = "state.json"
STAGING_PREFIX = ".staging-"
# The app version whose checks (content_problems, ~0.5-1 s) the pack passed. Its files are hashed
# against the signed manifest at every start, so the checks need repeating only after an app update.
VALIDATED = ".validated-for"


class ContentState(NamedTuple):
    current: int = 0  # 0: the content shipped with the app
    previous: int = 0
    installed_at: str = ""
    changes: tuple[str, ...] = ()  # what changed with the current pack, in German
    refused: Mapping[str, Any] = MappingProxyType({})  # the last refusal: at, version, reason (read-only)

    def to_json(self) -> bytes:
        data = {
            "current": self.current,
            "previous": self.previous,
            "installed_at": self.installed_at,
            "changes": list(self.changes),
            "refused": dict(self.refused),
        }
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def content_root(paths: DataPaths) -> Path:
    return paths.root / "content"


def pack_dir(paths: DataPaths, version: int) -> Path:
    return content_root(paths) / "packs" / str(version)


def read_state(paths: DataPaths) -> ContentState:
    """The recorded state; a missing or damaged state file means the shipped content."""
    try:
        raw = json.loads((content_root(paths) / STATE).read_text("utf-8"))
        return ContentState(
            current=int(raw.get("current", 0)),
            previous=int(raw.get("previous", 0)),
            installed_at=str(raw.get("installed_at", "")),
            changes=tuple(str(c) for c in raw.get("changes", [])),
            refused=dict(raw.get("refused") or {}),
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return ContentState()


def _write_state(paths: DataPaths, state: ContentState) -> None:
    write_atomic(content_root(paths) / STATE, state.to_json())


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
            _write_state(paths, state._replace(refused=refused))
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
    _write_state(paths, new_state)  # the one step that makes the new pack current
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
    _write_state(paths, new_state)
    return new_state


def mark_validated(folder: Path) -> None:
    """Note that the pack in `folder` passed this app version's checks; a failed write only costs a re-check."""
    with contextlib.suppress(OSError, KnownError):
        write_atomic(folder / VALIDATED, __version__.encode("utf-8"))


def validated_for_this_app(folder: Path) -> bool:
    try:
        return (folder / VALIDATED).read_text("utf-8") == __version__
    except (OSError, UnicodeDecodeError):
        return False


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
