"""Headless check of an installed or frozen app: each check returns None or what failed.

The checks of each part sit beside this module (selftest_*.py); the GUI keeps its own in kim_desk.gui.selftest.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kim_desk.commands.base import Check


def check_catalog(_tmp: Path) -> None:
    from kim_desk.catalog import load_catalog

    catalog = load_catalog()
    if len(catalog.types) < 10:
        raise AssertionError(f"only {len(catalog.types)} application types")


def check_store(tmp: Path) -> None:
    from kim_desk import demo, vault
    from kim_desk.desk import create_desk, open_desk
    from kim_desk.paths import DataPaths
    from kim_desk.store import audit
    from kim_desk.store.search import search_clients

    paths = DataPaths(tmp / "desk")
    fast = vault.KdfParams(iterations=1, lanes=1, memory_kib=8 * 1024)
    desk, _recovery = create_desk(paths, "self-test passphrase", None, fast)
    demo.generate(desk.store, desk.catalog, clients=20)
    desk.close()
    if paths.database.read_bytes()[:16] == b"SQLite format 3\x00":
        raise AssertionError("database is not encrypted")
    desk = open_desk(paths, lambda _reason: "self-test passphrase", keyring=None)
    try:
        if not search_clients(desk.store, "a"):
            raise AssertionError("search finds nothing")
        if desk.store.rows("PRAGMA integrity_check")[0][0] != "ok":
            raise AssertionError("integrity check failed")
        audit.verify(desk.store)
    finally:
        desk.close()


CHECKS: list[tuple[str, Check]] = [
    ("catalogue", check_catalog),
    ("encrypted store", check_store),
]


def _all_checks() -> list[tuple[str, Check]]:
    # imported here: the GUI checks import Qt
    from kim_desk.commands import selftest_backup, selftest_documents, selftest_i18n, selftest_platform
    from kim_desk.gui import selftest as selftest_gui

    return [
        *CHECKS,
        *selftest_documents.CHECKS,
        *selftest_gui.CHECKS,
        *selftest_i18n.CHECKS,
        *selftest_backup.CHECKS,
        *selftest_platform.CHECKS,
    ]


@contextlib.contextmanager
def _log_into(folder: Path) -> Iterator[None]:
    """The checks' synthetic events (erasures, restores) go to the temp folder, not a real desk's log."""
    from kim_desk.logs import setup_logging

    logger = logging.getLogger("kim_desk")
    saved = list(logger.handlers)
    for handler in saved:
        logger.removeHandler(handler)
    try:
        setup_logging(folder / "logs")
        yield
    finally:
        setup_logging(None)
        for handler in saved:
            logger.addHandler(handler)


def run_checks() -> Iterator[tuple[str, str | None]]:
    for name, check in _all_checks():
        # Windows cannot remove a file something still holds open: that must not fail the check itself
        with tempfile.TemporaryDirectory(prefix="kim-self-test-", ignore_cleanup_errors=True) as tmp:
            with _log_into(Path(tmp)):
                try:
                    check(Path(tmp))
                except Exception as exc:  # noqa: BLE001 - every failure is reported by name
                    problem: str | None = f"{type(exc).__name__}: {exc}"
                else:
                    problem = None
            yield name, problem
