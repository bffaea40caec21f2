"""The main window: navigation, pages, status bar, shortcuts, idle lock. Signals are wired in one place."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from kim_desk import hyphenation, i18n, settings
from kim_desk.desk import Desk
from kim_desk.errors import KnownError
from kim_desk.gui import pages, startup, unsaved
from kim_desk.gui.accessibility import fit_to_screen, show_text
from kim_desk.gui.background import Runner
from kim_desk.gui.context import Context, GuiOptions
from kim_desk.gui.idle import IdleWatcher
from kim_desk.gui.pages.base import Page
from kim_desk.gui.qt_translations import install_qt_translations
from kim_desk.gui.uiload import child, load_ui, retranslate
from kim_desk.i18n import _
from kim_desk.store import Change, Store, open_store
from kim_desk.views import jobs
from kim_desk.views.format import datetime_text

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from kim_desk.gui.pages.applications import ApplicationsPage
    from kim_desk.gui.pages.calendar import CalendarPage
    from kim_desk.gui.pages.clients import ClientsPage
    from kim_desk.gui.pages.settings import SettingsPage
    from kim_desk.gui.pages.statistics import StatisticsPage
    from kim_desk.gui.pages.today import TodayPage

log = logging.getLogger(__name__)
PAGES = ("today", "clients", "calendar", "applications", "statistics", "settings")
WARM_DELAY_MS = 200  # the warm-up starts in the pool this long after the window is up
FIRST_PAINT_POLL_MS = 5  # how often to look whether the window is on screen yet
FIRST_PAINT_LATEST_MS = 1000  # work kept for after the first paint runs by then even if the window is never drawn
PREBUILD_DELAY_MS = 1500  # without a warm-up, the other pages are built after this


Unlocker = Callable[[QMainWindow], Desk | None]


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk, options: GuiOptions, unlocker: Unlocker | None = None) -> None:
        super().__init__()
        self.options = options
        self.paths = desk.paths
        self._unlocker = unlocker
        self.runner = Runner(desk.store, synchronous=options.synchronous, on_error=self.show_error)
        self.ctx = Context(desk.paths, desk.catalog, self.runner, options, self.notify, self.show_error,
                           self.broadcast)  # fmt: skip
        self.last_error = ""
        self.warming: Any = None  # the warm-up job of the handout machinery, once started
        self.dialogs: list[Any] = []  # open non-modal dialogs, kept alive here
        self._key: bytes | None = desk.key or None  # for backups; dropped on lock
        self._painted = False
        self._after_paint: list[Callable[[], object]] = []
        self.setObjectName("MainWindow")
        fit_to_screen(self, 1280, 800)  # at 200 % the pages scroll inside (BITV 1.4.4)
        self._setup_frame()
        self._setup_status_bar()
        self.after_first_paint(self._setup_shortcuts)  # QKeySequence's and QEvent's enum classes: not before
        self._setup_idle_lock()
        self._setup_background()
        self._build_content()
        self.load_settings()
        self._refresh_keyring_later(desk)

    def _refresh_keyring_later(self, desk: Desk) -> None:
        """After a passphrase unlock the keyring gets a fresh entry, in the pool once the window is up."""
        keyring, key = self.options.keyring, desk.key
        if desk.keyring_refresh_due and keyring is not None and key:
            job = startup.keyring_refresh(self.paths, key, keyring)
            self.after_first_paint(lambda: self.runner.run(job, startup.log_refreshed, lambda _error: None))

    # --- the first paint -------------------------------------------------------------
    def after_first_paint(self, fn: Callable[[], object]) -> None:
        """Run fn once the window has been drawn for the first time (at once after that, and with a synchronous
        runner). Work on the DB worker or the pool holds the interpreter lock in turns with this thread, so
        anything started before slowed the first paint: the Today page's lists by ~30 ms, importing the sync
        client or keyring by ~0.1 s."""
        if self._painted or self.runner.synchronous:
            fn()
            return
        self._after_paint.append(fn)
        if len(self._after_paint) == 1:
            # Qt draws a window as it is exposed: once it is, it is on screen. Asked every few milliseconds (not a
            # paintEvent override: handing PySide6 the event makes it set up QEvent's Python type and its
            # 179-member enum class in the middle of the first paint).
            self._paint_watch = QTimer(self)
            self._paint_watch.setInterval(FIRST_PAINT_POLL_MS)
            self._paint_watch.timeout.connect(self._exposed_yet)
            self._paint_watch.start()
            QTimer.singleShot(FIRST_PAINT_LATEST_MS, self, self._first_paint_done)  # a window never drawn

    def _exposed_yet(self) -> None:
        handle = self.windowHandle()
        if handle is not None and handle.isExposed():
            self._first_paint_done()

    def _first_paint_done(self) -> None:
        if self._painted:
            return
        self._painted = True
        self._paint_watch.stop()
        pending, self._after_paint = self._after_paint, []
        for fn in pending:
            fn()

    # --- setup -----------------------------------------------------------------------
    def _setup_frame(self) -> None:
        self.frame = QStackedWidget(self)
        self.setCentralWidget(self.frame)
        self._lock_screen: QWidget | None = None
        self.content: Any = None
        self.pages: dict[str, Page] = {}

    @property
    def lock_screen(self) -> QWidget:
        return self._build_lock_screen()

    def _build_lock_screen(self) -> QWidget:
        """Built after the pages (or at a lock before that): the start does not wait for a screen it does not show."""
        if self._lock_screen is None:
            screen = load_ui("lock_screen", self.frame)
            child(screen, QLabel, "lockTitle").setObjectName("heading")
            child(screen, QPushButton, "unlockButton").clicked.connect(self.unlock)
            self.frame.addWidget(screen)
            self._lock_screen = screen
        return self._lock_screen

    def _setup_status_bar(self) -> None:
        bar = self.statusBar()
        self.lock_label = QLabel()
        self.backup_label = QLabel()
        self.sync_label = QLabel()
        for label in (self.lock_label, self.backup_label, self.sync_label):
            bar.addPermanentWidget(label)

    def _setup_shortcuts(self) -> None:
        from PySide6.QtGui import QKeySequence, QShortcut

        self.shortcuts = {
            "search": QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search),
            "new_appointment": QShortcut(QKeySequence.StandardKey.New, self, self.new_appointment),
            "print": QShortcut(QKeySequence.StandardKey.Print, self, self.print_current),
            "lock": QShortcut(QKeySequence("Ctrl+L"), self, self.lock),
            "contact": QShortcut(QKeySequence("Ctrl+K"), self, self.record_contact),
            "save": QShortcut(QKeySequence.StandardKey.Save, self, self.save_current),
        }
        for shortcut in self.shortcuts.values():
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)

    def _setup_idle_lock(self) -> None:
        self.idle = IdleWatcher(self.options.minute_ms, self)
        self.idle.set_minutes(settings.SETTINGS["idle_lock_minutes"].default)
        self.idle.idle.connect(self.idle_lock)

    def _setup_background(self) -> None:
        """Timers for sending due reports and for the daily backup; they run while unlocked."""
        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(self.options.sync_interval_ms)
        self.sync_timer.timeout.connect(self.send_due_reports)
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(self.options.backup_check_ms)
        self.backup_timer.timeout.connect(self.backup_if_due)
        self._sending = False

    def _start_background(self) -> None:
        if self.options.auto_backup:
            self.backup_if_due()
            self.backup_timer.start()
        self.send_due_reports()
        self.sync_timer.start()

    def _build_content(self) -> None:
        """Build the frame fresh (after every unlock), so nothing shown survives a lock. Pages are
        built when first shown: building all six with their Designer files took ~250 ms of every start."""
        self.content = load_ui("main_window", self.frame)
        self.navigation: QListWidget = child(self.content, QListWidget, "navigation")
        self.stack: QStackedWidget = child(self.content, QStackedWidget, "pages")
        self.pages = {}
        self.frame.addWidget(self.content)
        self.frame.setCurrentWidget(self.content)
        self.navigation.currentRowChanged.connect(lambda row: self.show_page(PAGES[row]) if row >= 0 else None)
        self.status_texts: dict[str, Callable[[], str]] = {}
        self.show_page("today")  # marks the navigation's row without a second show (the lists were read twice)
        self._update_lock_label(False)
        self.idle.start(watch=False)  # the input is watched once the other pages are built
        self.after_first_paint(self._start_status)
        # once the window is up: in the pool what the first print and the other pages need, then the
        # pages built one per event-loop turn, so neither the start nor the first click on a page waits;
        # the window is each timer's context, so none fires into a window already deleted
        hyphenation.use_cache(self.paths.cache)  # a print before the warm-up's end reads the parsed rules too
        warm = self.options.warm_up
        if warm or (warm is None and not self.runner.synchronous):
            self.after_first_paint(lambda: QTimer.singleShot(WARM_DELAY_MS, self, self._warm_up))
        else:
            QTimer.singleShot(PREBUILD_DELAY_MS, self, self._prebuild_next_page)

    def _start_status(self) -> None:
        """The status line (last backup, sending) and the timers for sending and the daily backup."""
        if self.content is None:
            return  # locked before the window was up
        self.refresh_status()
        self._start_background()

    def _warm_up(self) -> None:
        """What the first print and the other pages need, in the pool (startup.warm_up); then the
        pages are built one per event-loop turn."""
        if self.content is None:
            return

        def then(_result: object) -> None:
            QTimer.singleShot(0, self, self._prebuild_next_page)

        def failed(error: Exception) -> None:
            startup.log_failed(error)
            then(None)

        job = startup.warm_up(self.runner, self.paths.cache, PAGES)
        self.warming = self.runner.run(job, then, failed)

    def _prebuild_next_page(self) -> None:
        if self.content is None:
            return
        missing = [name for name in PAGES if name not in self.pages]
        if missing:
            self.page(missing[0])
            QTimer.singleShot(0, self, self._prebuild_next_page)
        else:
            self._build_lock_screen()  # the last one: a lock must not wait for it
            self.idle.watch_soon()

    def page(self, name: str) -> Page:
        """The page `name`, built and wired on first use (only while unlocked)."""
        if self.content is None:
            raise RuntimeError("the desk is locked: no page exists")
        if name not in self.pages:
            page = pages.page_class(name)(self.ctx, self.stack)  # made in place: moving a styled tree re-styles it
            self.pages[name] = page
            self.stack.addWidget(page)
            getattr(self, f"_wire_{name}")(page)
        return self.pages[name]

    def _wire_today(self, page: TodayPage) -> None:
        page.open_client.connect(self.open_client)
        page.open_case.connect(self.open_case)
        page.open_referral.connect(self.open_referral)

    def _wire_clients(self, page: ClientsPage) -> None:
        panel = page.panel
        panel.request_appointment.connect(self.new_appointment_for)
        panel.request_case.connect(self.new_case_for)
        panel.open_case.connect(self.open_case)

    def _wire_calendar(self, page: CalendarPage) -> None:
        pass

    def _wire_applications(self, page: ApplicationsPage) -> None:
        page.case_view.open_client.connect(self.open_client)

    def _wire_statistics(self, page: StatisticsPage) -> None:
        page.sync_started.connect(self._show_sending)
        page.sync_finished.connect(self.refresh_status)

    def _wire_settings(self, page: SettingsPage) -> None:
        page.saved.connect(self.apply_settings)
        page.key_source = lambda: self._key
        page.backup_made.connect(self.refresh_status)
        page.restore_requested.connect(self.restore_backup)
        page.district.enrolled.connect(self.refresh_status)
        page.district.enrolled.connect(page.refresh)  # the address is stored now: nothing unsaved

    @property
    def today_page(self) -> TodayPage:
        return cast("TodayPage", self.page("today"))

    @property
    def clients_page(self) -> ClientsPage:
        return cast("ClientsPage", self.page("clients"))

    @property
    def calendar_page(self) -> CalendarPage:
        return cast("CalendarPage", self.page("calendar"))

    @property
    def applications_page(self) -> ApplicationsPage:
        return cast("ApplicationsPage", self.page("applications"))

    @property
    def statistics_page(self) -> StatisticsPage:
        return cast("StatisticsPage", self.page("statistics"))

    @property
    def settings_page(self) -> SettingsPage:
        return cast("SettingsPage", self.page("settings"))

    # --- changes and unsaved edits ---------------------------------------------------
    def broadcast(self, change: Change) -> None:
        """A mutation was stored: every open page that shows it redraws (no stale views)."""
        for page in list(self.pages.values()):
            page.apply_change(change)

    def settle(self, then: Callable[[], None], *, on_cancel: Callable[[], None] | None = None) -> None:
        """Run `then` once the page shown has no unsaved changes: asks Speichern / Verwerfen / Abbrechen."""
        page = self.pages.get(self.current_page()) if self.content is not None else None
        what = page.unsaved() if page is not None else ""
        if page is None or not what:
            then()
            return
        answer = unsaved.ask(self, what)
        if answer == unsaved.SAVE:
            page.save_changes(then)
        elif answer == unsaved.DISCARD:
            page.discard_changes()
            then()
        elif on_cancel is not None:
            on_cancel()

    def save_current(self) -> None:
        page = self.pages.get(self.current_page()) if self.content is not None else None
        if page is not None and page.unsaved():
            page.save_changes(lambda: None)

    # --- navigation ------------------------------------------------------------------
    def show_page(self, name: str, then: Callable[[], None] | None = None) -> None:
        """Show page `name` (asking first about unsaved changes on the page left), then run `then`."""
        if self.content is not None and self.current_page() != name and name in self.pages.keys() | set(PAGES):
            current = self.current_page()
            self.settle(lambda: self._show_page(name, then), on_cancel=lambda: self._mark_navigation(current))
            return
        self._show_page(name, then)

    def _mark_navigation(self, name: str) -> None:
        row = PAGES.index(name)
        if self.navigation.currentRow() != row:
            self.navigation.blockSignals(True)
            self.navigation.setCurrentRow(row)
            self.navigation.blockSignals(False)

    def _show_page(self, name: str, then: Callable[[], None] | None = None) -> None:
        page = self.page(name)
        self._mark_navigation(name)
        self.stack.setCurrentWidget(page)
        if self.isVisible():
            if self._refresh_current in self._after_paint:
                self._after_paint.remove(self._refresh_current)  # read now, not twice
            page.refresh()
        elif self._refresh_current not in self._after_paint:
            self.after_first_paint(self._refresh_current)  # a window not shown yet: its page's lists once drawn
        if then is not None:
            then()

    def _refresh_current(self) -> None:
        if self.content is not None:
            self.page(self.current_page()).refresh()

    def current_page(self) -> str:
        current = self.stack.currentWidget()
        return next((name for name, page in self.pages.items() if page is current), PAGES[0])

    def open_client(self, client_id: int) -> None:
        self.show_page("clients", lambda: self.clients_page.open_client(client_id))

    def open_referral(self, client_id: int, referral_id: int) -> None:
        self.show_page("clients", lambda: self.clients_page.open_referral(client_id, referral_id))

    def open_case(self, case_id: int) -> None:
        self.show_page("applications", lambda: self.applications_page.open_case(case_id))

    def focus_search(self) -> None:
        if self.runner.locked:
            return
        self.show_page("clients", self.clients_page.focus_search)

    def record_contact(self) -> None:
        """Ctrl+K: a contact for the person open on the client page, or for the appointment chosen on Today."""
        if self.runner.locked or self.content is None:
            return
        if self.current_page() == "today":
            self.today_page.record_contact()
        elif self.current_page() == "clients" and self.clients_page.panel.client is not None:
            self.clients_page.panel.record_contact()
        else:
            self.notify(_("Kontakt erfassen: bitte zuerst eine Person oder einen Termin von heute wählen."))

    # --- quick actions ---------------------------------------------------------------
    def new_appointment(self) -> None:
        if self.runner.locked:
            return
        client = self.clients_page.panel.client
        if self.current_page() == "clients" and client is not None and client.id is not None:
            self.new_appointment_for(client.id)
            return
        self.show_page("calendar", self.calendar_page.new_appointment)

    def new_appointment_for(self, client_id: int) -> None:
        client = self.clients_page.panel.client
        name = client.display_name if client is not None and client.id == client_id else ""
        self.show_page("calendar", lambda: self.calendar_page.new_appointment(client_id, name))

    def new_case_for(self, client_id: int) -> None:
        client = self.clients_page.panel.client
        name = client.display_name if client is not None and client.id == client_id else ""
        from kim_desk.gui.dialogs.new_case import NewCaseDialog

        dialog = NewCaseDialog(self.ctx, self, client_id, name)
        dialog.opened.connect(self._case_opened)
        self.dialogs.append(dialog)
        dialog.open()

    def _case_opened(self, case_id: int) -> None:
        self.notify(_("Antrag angelegt."))
        self.open_case(case_id)

    def print_current(self) -> None:
        if self.runner.locked:
            return
        if self.current_page() == "applications" and self.applications_page.case_view.file is not None:
            self.applications_page.case_view.print_case()
        elif self.current_page() == "clients":
            self.clients_page.panel.print_selected()
        elif self.current_page() == "calendar":
            self.calendar_page.print_selected()

    def load_settings(self) -> None:
        self.runner.db(settings.all_settings, self.apply_settings)

    def apply_settings(self, values: dict[str, Any]) -> None:
        self.idle.set_minutes(int(values["idle_lock_minutes"]))
        if self.idle_running():
            self.idle.start(watch=False)  # a new interval; the watching is started by the pages' build
        if values["ui_language"] != i18n.ui_language():
            self.apply_language(values["ui_language"])

    def idle_running(self) -> bool:
        return not self.runner.locked

    def apply_language(self, lang: str) -> None:
        """Switch the UI language live: direction first, then every text."""
        i18n.set_ui_language(lang)
        direction = Qt.LayoutDirection.RightToLeft if i18n.is_rtl(lang) else Qt.LayoutDirection.LeftToRight
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setLayoutDirection(direction)
            install_qt_translations(app, lang)
        self.setLayoutDirection(direction)
        self.statusBar().clearMessage()  # a message of the old language must not stay
        if self._lock_screen is not None:
            retranslate(self._lock_screen)
        if self.content is not None:
            retranslate(self.content)
            for page in self.pages.values():
                page.retranslate()
        self._update_lock_label(self.runner.locked)
        self.refresh_status()

    # --- sending and backups in the background ---------------------------------------
    def send_due_reports(self) -> None:
        """The timer's run: only when the district address is set and the desk is enrolled."""
        if self.runner.locked or self._sending:
            return
        self._sending = True
        options = self.options
        jobs.send_in_background(
            self.runner, options.sync_connect, options.sync_attempts, self.ctx.today(),
            self._reports_sent, self._sending_failed, only_if_configured=True,
            on_sending=self._show_sending,
        )  # fmt: skip

    def _show_sending(self) -> None:
        show_text(self.sync_label, jobs.sending_text())
        self.sync_label.setToolTip("")

    def _reports_sent(self, summary: Any) -> None:
        self._sending = False
        if self.runner.locked:
            return
        if summary is not None:
            log.info("sync.background", extra={"sent": len(summary.sent), "pending": len(summary.pending)})
            if self.content is not None and self.current_page() == "statistics":
                self.statistics_page.refresh()
            jobs.update_content_in_background(
                self.runner, self.paths, self.options.sync_connect, self._content_updated, self._content_failed
            )
        self.refresh_status()

    def _content_updated(self, result: Any) -> None:
        """A newer content pack from the district was installed (or refused): use it and say so."""
        if result.installed:
            from kim_desk.content.active import activate

            activate(self.paths)  # on the GUI thread, between two prints
        if result.text():
            self.statusBar().showMessage(result.text(), 15000)

    def _content_failed(self, error: Exception) -> None:
        log.warning("content.fetch_failed", extra={"kind": type(error).__name__})

    def _sending_failed(self, error: Exception) -> None:
        """Calm: the reports wait in the outbox and the timer tries again; no dialog."""
        self._sending = False
        if self.runner.locked:
            return
        minutes = max(1, self.options.sync_interval_ms // 60_000)
        show_text(
            self.sync_label,
            _("Senden an den Kreis: nicht erreichbar, neuer Versuch in {minutes} Min.").format(minutes=minutes),
        )
        self.sync_label.setToolTip(str(error) if isinstance(error, KnownError) else "")

    def backup_if_due(self) -> None:
        """The daily backup (kim_desk.backup.core.backup_if_due) on the DB worker: it copies
        through the open connection."""
        key, paths = self._key, self.paths
        if self.runner.locked or key is None:
            return
        self.runner.db(lambda store: jobs.backup_if_due(store, paths, key), self._backup_done, self._backup_failed)

    def _backup_done(self, info: Any) -> None:
        if info is not None and not self.runner.locked:
            log.info("backup.automatic", extra={"backup": info.name})
            self.refresh_status()

    def _backup_failed(self, error: Exception) -> None:
        if self.runner.locked:
            return
        if isinstance(error, KnownError):  # disk full, folder not writable: say it where it stays visible
            show_text(self.backup_label, _("Letzte Sicherung: fehlgeschlagen"))
            self.backup_label.setToolTip(str(error))
        else:
            self.show_error(error)

    def restore_backup(self, info: Any) -> None:
        """Close the store, restore `info` (kim_desk.backup.restore: verified first, later erasures
        applied again, nothing replaced on failure), then open the desk again with the same key."""
        key, paths, clock = self._key, self.paths, self.options.clock
        if self.runner.locked or key is None:
            return
        self._lock()

        def restore(_progress: object) -> Any:
            from kim_desk.backup.restore import restore_backup

            return restore_backup(paths, info, key, clock)

        def reopen(result: Any, error: Exception | None) -> None:
            self.runner.set_store(open_store(paths.database, key, clock=clock))
            self._key = key
            self._build_content()
            self.load_settings()
            if error is not None:
                self.show_error(error)
            else:
                self.notify(
                    _("Sicherung {name} wiederhergestellt: {clients} Personen; {erased} spätere Löschungen erneut "
                      "angewandt.").format(name=info.name, clients=result.clients, erased=result.erasures_applied)
                )  # fmt: skip

        def closed(_result: object) -> None:
            self.runner.run(restore, lambda result: reopen(result, None), lambda error: reopen(None, error))

        self.runner.close_store(closed)

    # --- status bar ------------------------------------------------------------------
    def refresh_status(self) -> None:
        paths = self.paths

        def read(store: Store) -> tuple[Any, str]:
            return jobs.last_backup(paths), jobs.sync_state(store)

        self.runner.db(read, self._show_status, lambda _exc: None)

    def _show_status(self, values: tuple[Any, str]) -> None:
        backup, sync = values
        if backup is None:
            show_text(self.backup_label, _("Letzte Sicherung: noch keine Sicherung"))
        else:
            show_text(self.backup_label, _("Letzte Sicherung: {when}").format(when=datetime_text(backup)))
        self.backup_label.setToolTip("")
        if not self._sending and not self.statistics_page_sending():
            show_text(self.sync_label, sync)
            self.sync_label.setToolTip("")

    def statistics_page_sending(self) -> bool:
        return bool(getattr(self.pages.get("statistics"), "sending", False))

    def _update_lock_label(self, locked: bool) -> None:
        show_text(self.lock_label, _("Gesperrt") if locked else _("Entsperrt"))

    def notify(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def show_error(self, error: Exception) -> None:
        """Known conditions in plain words; bugs with a calm note (details only in the log)."""
        from kim_desk.backup.core import restore_advice
        from kim_desk.errors import NotADatabase
        from kim_desk.store.connection import database_error  # a damaged page, a full disk: the CLI's words

        error = database_error(error, self.paths.database) or error
        if isinstance(error, KnownError):
            text = str(error)
            if isinstance(error, NotADatabase):
                text += "\n" + restore_advice(self.paths)
        else:
            text = _("Das hat nicht geklappt. Der Fehler wurde im Protokoll vermerkt; Ihre Daten sind unverändert.")
        self.last_error = text
        from PySide6.QtWidgets import QMessageBox  # its Python type and enum classes: only when one is shown

        box = QMessageBox(QMessageBox.Icon.Warning, _("KIM Desk"), text, QMessageBox.StandardButton.Ok, self)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self.dialogs.append(box)

    # --- locking ---------------------------------------------------------------------
    def lock(self) -> None:
        """Lock on request (Ctrl+L): unsaved changes are asked about first."""
        if self.runner.locked:
            return
        self.settle(self._lock)

    def idle_lock(self) -> None:
        """Nobody is at the desk to answer: valid unsaved changes are stored (queued before the store
        closes), then the desk locks in any case. Changes that do not validate are lost; the log says so."""
        if self.runner.locked:
            return
        page = self.pages.get(self.current_page()) if self.content is not None else None
        if page is not None and page.unsaved():
            log.info("idle_lock.saving_unsaved_changes")
            page.save_changes(lambda: None)
            self.runner.wait_idle()  # its answer reaches the page before the page is deleted
        self._lock()

    def _lock(self) -> None:
        """Close the store and drop every page that showed data."""
        if self.runner.locked:
            return
        self.idle.stop()
        self.sync_timer.stop()
        self.backup_timer.stop()
        self._key = None
        for dialog in self.dialogs:
            target = getattr(dialog, "dialog", dialog)
            target.close()
        self.dialogs.clear()
        self.runner.close_store()
        self.statusBar().clearMessage()  # the lock screen shows nothing of the session's work
        self.frame.setCurrentWidget(self.lock_screen)
        if self.content is not None:
            self.frame.removeWidget(self.content)
            self.content.deleteLater()
            self.content = None
            for page in self.pages.values():
                page.deleteLater()
            self.pages = {}
        self._update_lock_label(True)
        self.backup_label.clear()
        self.sync_label.clear()
        log.info("locked")

    def unlock(self) -> bool:
        if not self.runner.locked or self._unlocker is None:
            return False
        desk = self._unlocker(self)
        if desk is None:
            return False
        self.runner.set_store(desk.store)
        self._key = desk.key or None
        self._build_content()
        self.load_settings()
        self._refresh_keyring_later(desk)
        log.info("unlocked")
        return True

    def _close_again(self) -> None:
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        page = self.pages.get(self.current_page()) if self.content is not None else None
        if page is not None and page.unsaved():
            event.ignore()
            self.settle(self._close_again)  # closes once saved or discarded; a failed save stays open and says why
            return
        self.idle.stop()
        self.sync_timer.stop()
        self.backup_timer.stop()
        self.idle.detach()
        self.runner.close_store()
        self.runner.shutdown()
        super().closeEvent(event)
