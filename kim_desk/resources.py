"""One locator for the data folders (forms/, ui/, translations/, fonts).

They live at the top of a source checkout, under kim_desk/_data in an installed
wheel, and under sys._MEIPASS/kim_desk/_data in the frozen app.
"""

from __future__ import annotations

import contextlib
import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
DATA_FOLDERS = ("forms", "ui", "translations")


@cache
def resource_dir(name: str) -> Path:
    """Return the folder holding the data set `name` (one of DATA_FOLDERS)."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"unknown data folder {name!r}")
    candidates = [_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.insert(0, Path(frozen_root) / "kim_desk" / "_data" / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data folder {name!r} not found in {candidates}")


def resource_path(name: str, *parts: str) -> Path:
    return resource_dir(name).joinpath(*parts)


# Installed content (a district pack, kim_desk.content) overrides the shipped content, folder by folder.
_installed: dict[str, Path] = {}
OVERRIDABLE = ("forms/applications", "forms/documents", "forms/services", "translations")


def use_installed_content(root: Path | None) -> None:
    """Let the pack extracted at `root` override the shipped content; None: the shipped content only."""
    _installed.clear()
    if root is not None:
        for key in OVERRIDABLE:
            if (root / key).is_dir():
                _installed[key] = root / key


def content_dir(name: str, sub: str = "") -> Path:
    """The folder of a kind of content (e.g. "forms", "applications"): installed pack first, then shipped."""
    key = f"{name}/{sub}" if sub else name
    if key in _installed:
        return _installed[key]
    folder = resource_dir(name)
    return folder / sub if sub else folder


def translation_dirs() -> list[Path]:
    """Where compiled catalogues are looked for, in order: the installed pack's, then the shipped ones."""
    folders = [_installed["translations"]] if "translations" in _installed else []
    with contextlib.suppress(FileNotFoundError):
        folders.append(resource_dir("translations"))
    return folders
