"""Which content a desk uses now: the installed pack when it is complete and valid, else the shipped content."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import sys
from pathlib import Path
from typing import NamedTuple

from kim_desk import __version__, settings
from kim_desk.content.state import ContentState, mark_validated, read_state, validated_for_this_app
from kim_desk.i18n import translator
from kim_desk.paths import DataPaths
from kim_desk.resources import use_installed_content
from kim_desk.store import Store

log = logging.getLogger(__name__)
_validated: set[tuple[str, int, str]] = set()  # (folder, version, app version) checked in this process


class ContentStatus(NamedTuple):
    source: str  # "shipped" or "pack"
    version: int  # 0 for the shipped content
    published: str
    expires: str
    expired: bool
    installed_at: str
    changes: tuple[str, ...]
    last_refusal: str
    previous: int


def activate(paths: DataPaths) -> int:
    """Use the installed pack if it is whole and valid for this app version; returns its version (0: shipped)."""
    state = read_state(paths)
    folder = _pack_root(paths, state) if state.current else None
    version = state.current if folder is not None else 0
    if folder is not None and (str(folder), version, __version__) not in _validated:
        if not validated_for_this_app(folder):
            from kim_desk.content.validate import content_problems  # reportlab & co: only when checking

            problems = content_problems(folder)  # an app update may need what an older pack lacks
            if problems:
                log.warning("content_pack_unusable", extra={"version": version})
                folder, version = None, 0
            else:
                mark_validated(folder)
        if folder is not None:
            _validated.add((str(folder), version, __version__))
    use_installed_content(folder)
    translator.cache_clear()
    # the documents package (reportlab, ~0.3 s) is not imported for this: unimported, it has cached nothing
    wording = sys.modules.get("kim_desk.documents.wording")
    if wording is not None:
        wording.catalogue_reviewed.cache_clear()
    return version


def _pack_root(paths: DataPaths, state: ContentState) -> Path | None:
    # the pack module (zipfile, Ed25519) is imported only where a pack is installed: not at every start
    from kim_desk.content.install import active_root

    return active_root(paths, state)


def pinned_key(store: Store) -> bytes | None:
    value = settings.get(store, "content_key")
    return base64.b64decode(value) if value else None


def content_status(paths: DataPaths, now: dt.datetime) -> ContentStatus:
    from kim_desk.content.install import active_root, installed_manifest  # see _pack_root

    state = read_state(paths)
    in_use = active_root(paths, state) is not None
    manifest = installed_manifest(paths, state.current) if in_use else None
    refusal = state.refused.get("reason", "") if state.refused else ""
    return ContentStatus(
        source="pack" if manifest else "shipped",
        version=manifest.version if manifest else 0,
        published=manifest.published.date().isoformat() if manifest else "",
        expires=manifest.expires.date().isoformat() if manifest else "",
        expired=bool(manifest and manifest.expires <= now),
        installed_at=state.installed_at,
        changes=state.changes,
        last_refusal=str(refusal),
        previous=state.previous,
    )
