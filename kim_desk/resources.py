"""One locator for the data folders (forms/, ui/, translations/, fonts).

They live at the top of a source checkout, under kim_desk/_data in an installed
wheel, and under sys._MEIPASS/kim_desk/_data in the frozen app.
"""

from __future__ import annotations

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
