"""Sending in three steps: the DB worker takes the reports and records the answers, the pool waits
on the network, and a page asked for meanwhile is answered by the DB worker."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from kim_desk.desk import Desk
from kim_desk.stats.ptable import STANDARD
from kim_desk.store import Store
from kim_desk.sync import state
from kim_desk.sync.client import make_client
from kim_desk.sync.service import Backoff, deliver, enrol_desk, record, take_due
from kim_desk.views import jobs, lists
from tests.conftest import TODAY

URL = "http://127.0.0.1:9"
WAIT = 30  # seconds: only a guard against hanging forever, never what a test measures


class ThreadRunner:
    """The GUI runner's contract without Qt: one database worker thread and a pool; callbacks run
    on the thread that finished the job."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db")
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pool")
        self.threads: list[str] = []  # which kind of thread ran each job, in order

    def db(self, fn: Callable[[Store], Any], on_done: Any = None, on_error: Any = None) -> Future[None]:
        return self._submit(self.db_worker, "db", lambda: fn(self.store), on_done, on_error)

    def run(self, fn: Callable[[Any], Any], on_done: Any = None, on_error: Any = None) -> Future[None]:
        return self._submit(self.pool, "pool", lambda: fn(None), on_done, on_error)

    def _submit(self, executor: ThreadPoolExecutor, kind: str, call: Any, on_done: Any, on_error: Any) -> Future[None]:
        def job() -> None:
            self.threads.append(kind)
            try:
                result = call()
            except Exception as error:  # noqa: BLE001 - handed to the caller's error callback
                on_error(error)
                return
            if on_done is not None:
                on_done(result)

        return executor.submit(job)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True)
        self.db_worker.shutdown(wait=True)


class SlowDistrict:
    """A district service that answers the probe and then holds every report until released."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.reports: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/enrol":
            return httpx.Response(
                200,
                json={
                    "desk_id": "d1",
                    "token": "t1",
                    "protection": STANDARD.params(),
                    "municipality": "ahlen",
                    "first_period": "2026Q3",
                },
            )
        if request.url.path == "/healthz":
            return httpx.Response(200, json={"status": "ok"})
        self.entered.set()
        if not self.release.wait(2 * WAIT):  # longer than any wait of the test: the test fails first
            raise httpx.ReadTimeout("the test never released the district", request=request)
        self.reports.append(request.content)
        return httpx.Response(201, json={"status": "stored"})

    def client(self, _enrolled: object = None) -> httpx.Client:
        return make_client(URL, transport=httpx.MockTransport(self))


@pytest.fixture
def slow(desk: Desk) -> Iterator[SlowDistrict]:
    district = SlowDistrict()
    with district.client() as client:
        enrol_desk(desk.store, client, URL, "CODE", TODAY.date())
    yield district
    district.release.set()


def test_a_page_is_answered_while_the_district_does_not_answer(desk: Desk, slow: SlowDistrict) -> None:
    expected = lists.today_overview(desk.store, desk.catalog, TODAY.date())
    assert expected.appointments  # the demo desk has appointments today: something real to show
    runner = ThreadRunner(desk.store)
    results: queue.Queue[Any] = queue.Queue()
    try:
        jobs.send_in_background(
            runner, slow.client, 1, TODAY.date(), results.put, results.put, only_if_configured=False
        )
        assert slow.entered.wait(WAIT)  # the report is on the wire and the district holds it

        pages: queue.Queue[Any] = queue.Queue()
        runner.db(lambda store: lists.today_overview(store, desk.catalog, TODAY.date()), pages.put, pages.put)
        overview = pages.get(timeout=WAIT)  # the DB worker answers although sending has not ended
        assert overview == expected
        assert not slow.release.is_set() and results.empty() and slow.reports == []

        slow.release.set()
        summary = results.get(timeout=WAIT)
    finally:
        slow.release.set()
        runner.shutdown()
    assert summary.sent == ["d1:2026Q3"] and summary.pending == []
    assert [entry.state for entry in state.outbox(desk.store)] == ["sent"]
    # take (DB worker), send (pool), the page (DB worker), record (DB worker)
    assert runner.threads == ["db", "pool", "db", "db"]


def test_the_send_step_needs_no_store(desk: Desk) -> None:
    """Step 2 gets plain data: it runs with the desk closed, and only step 3 writes the answers."""
    answered: list[str] = []

    def district(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/enrol":
            return httpx.Response(
                200,
                json={
                    "desk_id": "d1",
                    "token": "t1",
                    "protection": STANDARD.params(),
                    "municipality": "ahlen",
                    "first_period": "2026Q3",
                },
            )
        answered.append(request.url.path)
        return httpx.Response(503) if len(answered) == 1 else httpx.Response(201, json={"status": "stored"})

    with make_client(URL, transport=httpx.MockTransport(district)) as client:
        enrol_desk(desk.store, client, URL, "CODE", TODAY.date())
        outgoing = take_due(desk.store, TODAY.date())
        assert [entry.period for entry in outgoing.entries] == ["2026Q3"]
        path = desk.store.path
        desk.store.close()  # no connection at all while sending
        delivery = deliver(client, outgoing, Backoff(attempts=3, sleep=lambda _s: None, jitter=lambda: 0.0))
    assert answered == ["/api/v1/reports", "/api/v1/reports"]
    assert [(a.error, a.result.status if a.result else None) for a in delivery.answers] == [
        ("HTTP 503", None),
        ("", "stored"),
    ]
    from kim_desk.store import open_store

    store = open_store(path, desk.key)
    try:
        assert [e.state for e in state.outbox(store)] == ["queued"]  # nothing recorded yet
        summary = record(store, delivery)
        assert summary.sent == ["d1:2026Q3"]
        entry = state.outbox(store)[0]
        assert (entry.state, entry.attempts, entry.last_error) == ("sent", 1, "")
        assert [row[2] for row in state.journal_rows(store)] == ["sent", "error", "queued"]
    finally:
        store.close()
        desk.store = open_store(path, desk.key)  # the fixture closes it again


def test_the_answers_before_a_revoked_enrolment_are_kept(desk: Desk) -> None:
    """A known error in the middle of a run ends it, but what the district already took is recorded."""
    from kim_desk.sync.client import SyncError

    def district(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/enrol":
            return httpx.Response(
                200,
                json={
                    "desk_id": "d1",
                    "token": "t1",
                    "protection": STANDARD.params(),
                    "municipality": "ahlen",
                    "first_period": "2026Q2",
                },
            )
        return httpx.Response(201, json={"status": "stored"}) if b"2026Q2" in request.content else httpx.Response(401)

    with make_client(URL, transport=httpx.MockTransport(district)) as client:
        enrol_desk(desk.store, client, URL, "CODE", TODAY.date())
        delivery = deliver(client, take_due(desk.store, TODAY.date()), Backoff(attempts=1))
    with pytest.raises(SyncError, match="neu anmelden"):
        record(desk.store, delivery)
    assert [(e.period, e.state) for e in state.outbox(desk.store)] == [("2026Q2", "sent"), ("2026Q3", "queued")]


def test_two_runs_at_once_send_a_report_once(desk: Desk, slow: SlowDistrict) -> None:
    """The button while the timer's run is on the wire: the second run finds nothing to take."""
    runner = ThreadRunner(desk.store)
    first: queue.Queue[Any] = queue.Queue()
    second: queue.Queue[Any] = queue.Queue()
    try:
        jobs.send_in_background(runner, slow.client, 1, TODAY.date(), first.put, first.put, only_if_configured=False)
        assert slow.entered.wait(WAIT)
        jobs.send_in_background(runner, slow.client, 1, TODAY.date(), second.put, second.put, only_if_configured=False)
        other = second.get(timeout=WAIT)
        assert (other.sent, other.pending, other.queued) == ([], [], [])
        slow.release.set()
        done = first.get(timeout=WAIT)
    finally:
        slow.release.set()
        runner.shutdown()
    assert done.sent == ["d1:2026Q3"] and len(slow.reports) == 1
    assert [row[2] for row in state.journal_rows(desk.store)] == ["sent", "queued"]
