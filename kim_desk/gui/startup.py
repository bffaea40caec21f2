"""What follows the main window's first show, in the pool: the keyring refresh after a passphrase
unlock, and the warm-up of what the first print and the other pages need (issue 19: the first
handout of a session waited ~1 s for fonts and hyphenation patterns, the start ~0.2 s for keyring)."""

from __future__ import annotations

import linecache
import logging
from collections.abc import Callable
from pathlib import Path

from kim_desk import vault
from kim_desk.gui import pages
from kim_desk.gui.background import Runner
from kim_desk.paths import DataPaths

log = logging.getLogger(__name__)


def keyring_refresh(paths: DataPaths, key: bytes, keyring: vault.KeyringAccess) -> Callable[[object], list[str]]:
    def refresh(_progress: object) -> list[str]:
        return vault.refresh_keyring_slot(paths, key, keyring)

    return refresh


def log_refreshed(notes: list[str]) -> None:
    log.info("keyring.refreshed", extra={"notes": len(notes)})


def warm_up(runner: Runner, cache: Path, names: tuple[str, ...]) -> Callable[[object], int]:
    """Fonts and hyphenation patterns, then the modules of the pages `names`
    (imports only: widgets are made on the GUI thread). Stops when the desk locks. PDFium is left
    to the first preview: warming it cost 40 MB for 70 ms."""

    def warm(_progress: object) -> int:
        from kim_desk.documents.warm import warm_up

        ran = warm_up(cancelled=lambda: runner.locked, cache=cache)
        if ran and not runner.locked:  # the first time in this process
            for name in names:
                pages.page_class(name)
            # PySide6's import hook has read the source of every module imported since it (reportlab's
            # included: about 440 files, 6 MB of text) into the traceback line cache; not needed now
            linecache.clearcache()
        return ran

    return warm


def log_failed(error: Exception) -> None:
    """A failed warm-up costs the first print its time only; that print says what is wrong, in words."""
    log.warning("warm_up_failed", extra={"kind": type(error).__name__})
