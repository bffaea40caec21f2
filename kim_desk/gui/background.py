"""The one way to do background work in the GUI (DESIGN.md §2).

`Runner.db(fn, on_done)` runs `fn(store)` on the single database worker thread, so
SQLCipher calls never interleave; `Runner.run(fn, on_done)` runs `fn(progress)` on a
thread pool for work that needs no database (PDF, network). Results and errors come
back on the GUI thread. The function never touches a widget.

With `synchronous=True` (tests, like Picard's fake thread pool) everything runs at
once on the calling thread, so a test sees the result right after the call.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

from kim_desk.errors import KnownError
from kim_desk.gui import crash
from kim_desk.i18n import _
from kim_desk.store import Store

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[Exception], None]


def _gone(callback: Callable[..., Any] | None) -> bool:
    """The callback is a method of a Qt object that has been deleted (a page dropped when the desk locked)."""
    owner = getattr(callback, "__self__", None)
    return isinstance(owner, QObject) and not shiboken6.isValid(owner)


class Locked(KnownError):
    """The desk is locked; nothing can be read or written until it is unlocked."""


class Cancelled(Exception):
    """Raised inside a job when the user cancelled it."""


class Progress:
    """Handed to a pool job: throttled progress, status text, cooperative cancel."""

    def __init__(self, report: Callable[[int, int, str], None], interval: float = 0.1) -> None:
        self._report = report
        self._interval = interval
        self._last = 0.0
        self._cancel = threading.Event()
        self.text = ""

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled

    def update(self, done: int, total: int, text: str | None = None) -> None:
        if text is not None:
            self.text = text
        now = time.monotonic()
        if done >= total or now - self._last >= self._interval:  # at most ~10 reports a second
            self._last = now
            self._report(done, total, self.text)


class Job:
    __slots__ = ("cancelled", "fn", "needs_store", "on_done", "on_error", "progress")

    def __init__(
        self,
        fn: Callable[..., Any],
        on_done: Done | None,
        on_error: Failed | None,
        progress: Progress | None = None,
        needs_store: bool = True,
    ) -> None:
        self.fn = fn
        self.on_done = on_done
        self.on_error = on_error
        self.progress = progress
        self.needs_store = needs_store
        self.cancelled = False


class _Relay(QObject):
    """Lives on the GUI thread. Workers put results in a queue and only ring this bell.

    Python objects never travel through a queued Qt signal: with PySide6 on Python 3.11
    that path miscounts references under load (a crash seen in the stall benchmark).
    """

    ring = Signal()

    def __init__(self, deliver: Callable[[Job, Any, Exception | None], None]) -> None:
        super().__init__()
        self._deliver = deliver
        self._inbox: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.ring.connect(self._drain)

    def finished(self, job: Job, result: Any, error: Exception | None) -> None:
        """Called on any thread."""
        self._inbox.put(lambda: self._deliver(job, result, error))
        self.ring.emit()

    def progressed(self, callback: Callable[[int, int, str], None], done: int, total: int, text: str) -> None:
        self._inbox.put(lambda: callback(done, total, text))
        self.ring.emit()

    @Slot()
    def _drain(self) -> None:
        while True:
            try:
                deliver = self._inbox.get_nowait()
            except queue.Empty:
                return
            try:
                deliver()
            except Exception as exc:  # noqa: BLE001 - a bug in one callback must not strand the others
                # The one crash path: the installed hook writes the crash report and shows the dialog.
                sys.excepthook(type(exc), exc, exc.__traceback__)


class _DbThread(QThread):
    def __init__(self, runner: Runner) -> None:
        super().__init__()
        self.setObjectName("kim-desk-db")
        self._runner = runner
        self.jobs: queue.Queue[Job | None] = queue.Queue()

    def run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            result, error = self._runner.execute_db(job)
            self._runner.relay.finished(job, result, error)


class _PoolTask(QRunnable):
    def __init__(self, runner: Runner, job: Job) -> None:
        super().__init__()
        self._runner = runner
        self._job = job

    def run(self) -> None:
        try:
            assert self._job.progress is not None
            result, error = self._job.fn(self._job.progress), None
        except Exception as exc:  # noqa: BLE001 - delivered to the GUI thread's error callback
            result, error = None, exc
        self._runner.relay.finished(self._job, result, error)


class Runner:
    """Runs core functions off the GUI thread; holds the open store (None when locked)."""

    def __init__(self, store: Store | None, *, synchronous: bool = False, on_error: Failed | None = None) -> None:
        self.synchronous = synchronous
        self._store = store
        self._lock = threading.Lock()
        self.default_error = on_error
        self.relay = _Relay(self._deliver)
        self.pending = 0
        self._thread: _DbThread | None = None
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(2)
        if not synchronous:
            self._thread = _DbThread(self)
            self._thread.start()

    # --- the store -------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self._store is None

    def set_store(self, store: Store | None) -> None:
        with self._lock:
            self._store = store

    def execute_db(self, job: Job) -> tuple[Any, Exception | None]:
        with self._lock:
            store = self._store
        try:
            if store is None and job.needs_store:
                raise Locked(_("Der Arbeitsplatz ist gesperrt."))
            return job.fn(store), None
        except Exception as exc:  # noqa: BLE001 - delivered to the GUI thread's error callback
            return None, exc

    # --- submitting work -------------------------------------------------------------
    def db(self, fn: Callable[[Store], Any], on_done: Done | None = None, on_error: Failed | None = None) -> Job:
        """Run fn(store) on the database worker; on_done(result) on the GUI thread."""
        job = Job(fn, on_done, on_error)
        self.pending += 1
        if self._thread is None:
            result, error = self.execute_db(job)
            self._deliver(job, result, error)
        else:
            self._thread.jobs.put(job)
        return job

    def run(
        self,
        fn: Callable[[Progress], Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> Job:
        """Run fn(progress) on the pool; progress reports arrive on the GUI thread, throttled."""

        def report(done: int, total: int, text: str) -> None:
            if on_progress is None:
                return
            if self.synchronous:
                on_progress(done, total, text)
            else:
                self.relay.progressed(on_progress, done, total, text)

        progress = Progress(report)
        job = Job(fn, on_done, on_error, progress)
        self.pending += 1
        if self.synchronous:
            try:
                result, error = fn(progress), None
            except Exception as exc:  # noqa: BLE001
                result, error = None, exc
            self._deliver(job, result, error)
        else:
            self._pool.start(_PoolTask(self, job))
        return job

    def _deliver(self, job: Job, result: Any, error: Exception | None) -> None:
        self.pending -= 1
        if job.cancelled or (job.progress is not None and job.progress.cancelled and error is None):
            return
        if _gone(job.on_done if error is None else job.on_error):
            # the page that asked was deleted meanwhile (the desk locked): nobody to show the answer to
            log.info("background.answer_for_deleted_view", extra={"error": type(error).__name__ if error else ""})
            return
        if error is None:
            if job.on_done is not None:
                job.on_done(result)
            return
        if isinstance(error, Cancelled):
            return
        handler = job.on_error or self.default_error
        if handler is None:
            raise error  # on the relay this reaches sys.excepthook, the crash path
        if not isinstance(error, KnownError):
            # A bug in a job: the crash report, no second dialog (the handler shows a calm note).
            crash.report_bug(error, dialog=False)
        handler(error)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Block until queued database work is done (shutdown, locking, benchmarks)."""
        if self._thread is None:
            return
        done = threading.Event()
        self._thread.jobs.put(Job(lambda _store: done.set(), None, None, needs_store=False))
        self.pending += 1
        done.wait(timeout)

    def close_store(self, on_done: Done | None = None) -> None:
        """Close the store on the worker (after the work queued before) and forget it."""

        def close(store: Store | None) -> None:
            self.set_store(None)
            if store is not None:
                store.close()

        job = Job(close, on_done, None, needs_store=False)
        self.pending += 1
        if self._thread is None:
            result, error = self.execute_db(job)
            self._deliver(job, result, error)
        else:
            self._thread.jobs.put(job)

    def shutdown(self) -> None:
        if self._thread is not None:
            self._thread.jobs.put(None)
            self._thread.wait(10_000)
            self._thread = None
        self._pool.waitForDone(10_000)
