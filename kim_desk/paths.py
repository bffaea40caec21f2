"""Where a desk's data lives: --data-dir, else KIM_DESK_HOME, else the platform data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

import platformdirs.api

ENV_HOME = "KIM_DESK_HOME"
APP_NAME = "KIM Desk"  # the folder name on Windows and macOS
UNIX_APP_NAME = "kim-desk"  # the folder name on Linux, as desks there have used since the start


def _platform_dirs() -> platformdirs.api.PlatformDirsABC:
    """platformdirs' answer for the platform running now (chosen per call, so tests can simulate one)."""
    if sys.platform == "win32":
        from platformdirs.windows import Windows

        # the local (not roaming) folder: a desk's database stays on this machine, never in a roaming profile
        return Windows(APP_NAME, appauthor=False, roaming=False)
    if sys.platform == "darwin":
        from platformdirs.macos import MacOS

        return MacOS(APP_NAME)
    from platformdirs.unix import Unix

    return Unix(UNIX_APP_NAME)


def platform_data_dir() -> Path:
    r"""%LOCALAPPDATA%\KIM Desk, ~/Library/Application Support/KIM Desk, or $XDG_DATA_HOME/kim-desk."""
    return Path(_platform_dirs().user_data_dir)


class DataPaths(NamedTuple):
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "desk.db"

    @property
    def vault(self) -> Path:
        return self.root / "vault.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def cache(self) -> Path:
        """Derived public data kept to start faster (parsed hyphenation patterns); safe to delete."""
        return self.root / "cache"


def data_paths(data_dir: str | os.PathLike[str] | None = None) -> DataPaths:
    if data_dir:
        return DataPaths(Path(data_dir).expanduser().resolve())
    env = os.environ.get(ENV_HOME)
    if env:
        return DataPaths(Path(env).expanduser().resolve())
    return DataPaths(platform_data_dir())
