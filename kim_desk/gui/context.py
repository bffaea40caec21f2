"""What every page is given: the open desk's parts, the background runner, options.

Built once in app.py (or by a test) and passed in; there is no global to reach for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from kim_desk import i18n, vault
from kim_desk.catalog import Catalog
from kim_desk.clock import Clock, SystemClock
from kim_desk.gui.background import Runner
from kim_desk.paths import DataPaths
from kim_desk.store import Change


class _SystemKeyring:
    """GuiOptions' default keyring: the OS keyring (None means: no keyring)."""


class GuiOptions:
    """Knobs that tests and benchmarks turn; defaults are what the desk uses. A plain class: a dataclass costs
    ~1 ms of every start (Python 3.11 compiles its methods)."""

    def __init__(
        self,
        *,
        synchronous: bool = False,  # background work runs at once (tests)
        clock: Clock | None = None,  # the system's
        keyring: vault.KeyringAccess | type[_SystemKeyring] | None = _SystemKeyring,
        kdf: vault.KdfParams = vault.DEFAULT_KDF,
        minute_ms: int = 60_000,  # length of an idle-lock "minute"; tests shorten it
        search_delay_ms: int = 250,  # debounce of search-as-you-type
        sync_interval_ms: int = 15 * 60_000,  # background sending of due reports to the district
        sync_attempts: int = 2,  # tries per report and run, on the pool; few, the timer tries again later
        # Opens the HTTP client for an enrolment (kim_desk.sync.client.make_client when None);
        # tests put a fake transport behind it.
        sync_connect: Callable[[Any], Any] | None = None,
        backup_check_ms: int = 60 * 60_000,  # how often to ask whether the daily backup is due
        auto_backup: bool = True,  # backup_if_due after unlock and then on the timer
        # fonts, hyphenation and page modules warmed in the pool after the window shows; None: when the
        # runner is asynchronous (a synchronous test runner would hold the event loop for a second)
        warm_up: bool | None = None,
    ) -> None:
        self.synchronous = synchronous
        self.clock: Clock = SystemClock() if clock is None else clock
        self.keyring: vault.KeyringAccess | None = vault.SystemKeyring() if keyring is _SystemKeyring else keyring  # type: ignore[assignment]
        self.kdf = kdf
        self.minute_ms = minute_ms
        self.search_delay_ms = search_delay_ms
        self.sync_interval_ms = sync_interval_ms
        self.sync_attempts = sync_attempts
        self.sync_connect = sync_connect
        self.backup_check_ms = backup_check_ms
        self.auto_backup = auto_backup
        self.warm_up = warm_up


class Context:
    def __init__(
        self,
        paths: DataPaths,
        catalog: Catalog,
        runner: Runner,
        options: GuiOptions,
        notify: Callable[[str], None] = print,  # the main window passes its status bar
        show_error: Callable[[Exception], None] = print,  # and its error display
        # every successful mutation is reported here; the main window passes it to every open view
        changed: Callable[[Change], None] = lambda _change: None,
    ) -> None:
        self.paths = paths
        self.catalog = catalog
        self.runner = runner
        self.options = options
        self.notify = notify
        self.show_error = show_error
        self.changed = changed

    def today(self) -> dt.date:
        return self.options.clock.today()

    def now(self) -> dt.datetime:
        return self.options.clock.now()

    @property
    def lang(self) -> str:
        return i18n.ui_language()
