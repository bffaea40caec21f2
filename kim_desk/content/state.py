"""Which pack a desk has made current (content/state.json), read without the pack module.

A desk without an installed pack starts without zipfile and Ed25519 (kim_desk.content.pack, ~4 ms);
installing, checking and rolling back are in kim_desk.content.install.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from kim_desk import __version__
from kim_desk.errors import KnownError
from kim_desk.fileutil import write_atomic
from kim_desk.paths import DataPaths

STATE = "state.json"
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


def write_state(paths: DataPaths, state: ContentState) -> None:
    write_atomic(content_root(paths) / STATE, state.to_json())


def mark_validated(folder: Path) -> None:
    """Note that the pack in `folder` passed this app version's checks; a failed write only costs a re-check."""
    with contextlib.suppress(OSError, KnownError):
        write_atomic(folder / VALIDATED, __version__.encode("utf-8"))


def validated_for_this_app(folder: Path) -> bool:
    try:
        return (folder / VALIDATED).read_text("utf-8") == __version__
    except (OSError, UnicodeDecodeError):
        return False
