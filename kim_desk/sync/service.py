"""Enrolment, and sending the quarterly reports in three steps (DESIGN.md §2):

1. `take_due(store, today)`: freeze the due reports into the outbox and read the queued ones
   (database work, on the DB worker in the app);
2. `deliver(client, outgoing, backoff)`: send them over HTTP with retries, exponential backoff and
   jitter; it gets plain data and an HTTP client, never the store (in the app: the thread pool);
3. `record(store, delivery)`: write the answers into the outbox and the journal (DB worker).

`run_sync` does the three in a row (the command line). Functions take their collaborators
(store, HTTP client, today, sleep, random) as arguments so tests can drive time and faults.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from kim_desk import __version__, settings
from kim_desk.i18n import _
from kim_desk.stats import tables
from kim_desk.stats.payload import canonical_json, content_hash, validate_payload
from kim_desk.stats.periods import Quarter, last_closed_quarter, parse_quarter, quarter_of
from kim_desk.stats.ptable import KNOWN, STANDARD, PTable
from kim_desk.stats.report import build_report, window_for
from kim_desk.store import Store
from kim_desk.sync import state as st
from kim_desk.sync.client import Retryable, SendResult, SyncError, district_ptable, enrol, send_report, unreachable

log = logging.getLogger("kim_desk.sync")

DEFAULT_GRACE_DAYS = 10  # counsellors enter contacts a few days late
MAX_QUARTERS_BACK = 8


@dataclass(frozen=True)
class Enrolment:
    url: str
    desk_id: str
    token: str
    municipality: str
    first_period: str
    ca_bundle: str | None = None
    grace_days: int = DEFAULT_GRACE_DAYS
    ptable: str = STANDARD.id  # the district's p-table (cell key method), by id

    def perturbation(self) -> PTable:
        return KNOWN.get(self.ptable, STANDARD)


def enrolment(store: Store) -> Enrolment | None:
    data = st.get_state(store, "enrolment")
    if data is not None:
        data.pop("k", None)  # suppression era
    return None if data is None else Enrolment(**data)


def require_enrolment(store: Store) -> Enrolment:
    found = enrolment(store)
    if found is None:
        raise SyncError(_("Dieser Arbeitsplatz ist noch nicht beim Kreis angemeldet (kim-desk sync enrol)."))
    return found


def first_period_for(store: Store, today: dt.date) -> Quarter:
    """The earliest quarter with records, but not more than two years back."""
    row = store.one("SELECT MIN(contact_on) FROM contact")
    earliest = quarter_of(dt.date.fromisoformat(row[0][:10])) if row and row[0] else None
    limit = quarter_of(today)
    for _step in range(MAX_QUARTERS_BACK):
        limit = limit.previous()
    current = last_closed_quarter(today)
    if earliest is None:
        return current.next()
    return min(max(earliest, limit), current.next())


def enrol_desk(
    store: Store,
    client: httpx.Client,
    url: str,
    code: str,
    today: dt.date,
    ca_bundle: str | None = None,
) -> Enrolment:
    first = first_period_for(store, today)
    data = enrol(client, code, str(first), __version__)
    result = Enrolment(
        url=url,
        desk_id=str(data["desk_id"]),
        token=str(data["token"]),
        municipality=str(data["municipality"]),
        first_period=str(data.get("first_period") or first),
        ca_bundle=ca_bundle,
        ptable=district_ptable(data["protection"]).id,
    )
    with store.transaction():
        st.set_state(store, "enrolment", result.__dict__)
        if data.get("content_key"):  # pinned now: later content packs must be signed with this key
            settings.put(store, "content_key", str(data["content_key"]))
    log.info("sync.enrolled", extra={"desk_id": result.desk_id, "first_period": result.first_period})
    return result


def preview(store: Store, quarter: Quarter, desk: Enrolment | None) -> dict[str, Any]:
    """What would be (or was) sent for `quarter`: the frozen payload, or a fresh build."""
    entry = st.outbox_entry(store, str(quarter))
    if entry is not None:
        return dict(json.loads(entry.payload))
    first = parse_quarter(desk.first_period) if desk else quarter
    window = window_for(quarter, first, st.last_frozen(store, quarter))
    return build_report(
        store,
        desk_id=desk.desk_id if desk else "unenrolled",
        municipality=desk.municipality if desk else "unknown",
        quarter=quarter,
        ptable=desk.perturbation() if desk else STANDARD,
        app_version=__version__,
        window=window,
    )


def freeze_due_reports(store: Store, desk: Enrolment, today: dt.date) -> list[str]:
    """Build and queue every closed quarter not yet in the outbox, oldest first."""
    first = parse_quarter(desk.first_period)
    last = last_closed_quarter(today, desk.grace_days)
    queued: list[str] = []
    quarter = first
    while quarter <= last:
        if st.outbox_entry(store, str(quarter)) is None:
            queued.append(_freeze(store, desk, first, quarter))
        quarter = quarter.next()
    return queued


def _freeze(store: Store, desk: Enrolment, first: Quarter, quarter: Quarter) -> str:
    # Count and take the watermarks in one transaction: they describe the same records.
    with store.transaction():
        window = window_for(quarter, first, st.last_frozen(store, quarter))
        payload = build_report(
            store,
            desk_id=desk.desk_id,
            municipality=desk.municipality,
            quarter=quarter,
            ptable=desk.perturbation(),
            app_version=__version__,
            window=window,
        )
        body = canonical_json(validate_payload(payload))
        digest = content_hash(payload)
        store.conn.execute(
            "INSERT INTO sync_outbox (report_id, period, payload, content_hash, watermarks,"
            " queued_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                payload["report_id"],
                str(quarter),
                body.decode("utf-8"),
                digest,
                json.dumps(tables.current_watermarks(store)),
                st.utc_now(),
            ),
        )
        st.journal(store, payload["report_id"], "queued", digest)
    log.info("sync.queued", extra={"report_id": payload["report_id"], "bytes": len(body)})
    return str(payload["report_id"])


@dataclass
class RunSummary:
    queued: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    error: str = ""


@dataclass(frozen=True)
class Backoff:
    attempts: int = 5
    base: float = 1.0
    cap: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random

    def delay(self, attempt: int) -> float:
        """Exponential with equal jitter: half fixed, half random, so desks spread out."""
        ceiling = min(self.cap, self.base * 2.0**attempt)
        return ceiling / 2 + self.jitter() * ceiling / 2


@dataclass(frozen=True)
class Outgoing:
    """Step 1's result: plain data, safe to hand to another thread (no store, no connection)."""

    desk: Enrolment
    queued: list[str]  # report ids frozen by this step
    entries: list[st.OutboxEntry]  # every queued report, oldest first


@dataclass(frozen=True)
class Answer:
    """One try at one report: the service's answer, or why it could not take it now."""

    report_id: str
    content_hash: str
    result: SendResult | None = None
    error: str = ""


@dataclass
class Delivery:
    """Step 2's result: the answers in the order they came, what is still waiting, and a
    known error (enrolment revoked, untrusted certificate) that ended the run early."""

    outgoing: Outgoing
    answers: list[Answer] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    error: str = ""
    stopped: SyncError | None = None


def take_due(store: Store, today: dt.date) -> Outgoing:
    """Step 1 (database): freeze what is due, then read the queued reports."""
    desk = require_enrolment(store)
    queued = freeze_due_reports(store, desk, today)
    return Outgoing(desk, queued, st.outbox(store, "queued"))


def deliver(client: httpx.Client, outgoing: Outgoing, backoff: Backoff | None = None) -> Delivery:
    """Step 2 (network only): send the queued reports in order until one cannot go."""
    backoff = backoff or Backoff()
    delivery = Delivery(outgoing)
    for index, entry in enumerate(outgoing.entries):
        try:
            result = _send_with_retries(client, outgoing.desk, entry, backoff, delivery.answers)
        except Retryable as error:
            delivery.pending = [e.report_id for e in outgoing.entries[index:]]
            delivery.error = str(error)
            break
        except SyncError as error:  # recorded with what came before it, then raised by record()
            delivery.stopped = error
            break
        except httpx.HTTPError as error:  # anything send_report does not classify: calm words
            delivery.stopped = unreachable(error)
            break
        delivery.answers.append(Answer(entry.report_id, entry.content_hash, result))
    return delivery


def _send_with_retries(
    client: httpx.Client, desk: Enrolment, entry: st.OutboxEntry, backoff: Backoff, answers: list[Answer]
) -> SendResult:
    for attempt in range(backoff.attempts):
        try:
            return send_report(client, desk.token, entry.payload)
        except Retryable as error:
            answers.append(Answer(entry.report_id, entry.content_hash, error=str(error)))
            log.warning(
                "sync.retry", extra={"report_id": entry.report_id, "attempt": attempt + 1, "reason": str(error)}
            )
            if attempt + 1 == backoff.attempts:
                raise
            backoff.sleep(backoff.delay(attempt))
    raise AssertionError("unreachable")


def record(store: Store, delivery: Delivery) -> RunSummary:
    """Step 3 (database): the answers into the outbox and the journal, in one transaction."""
    summary = RunSummary(queued=list(delivery.outgoing.queued), pending=list(delivery.pending), error=delivery.error)
    with store.transaction():
        for answer in delivery.answers:
            _record_answer(store, answer)
            _take_parameters(store, answer)
    for answer in delivery.answers:
        if answer.result is None:
            continue
        {"stored": summary.sent, "already": summary.already, "refused": summary.refused}[answer.result.status].append(
            answer.report_id
        )
        log.info(
            "sync.result",
            extra={"report_id": answer.report_id, "result": answer.result.status, "http": answer.result.http_status},
        )
    if delivery.stopped is not None:
        raise delivery.stopped
    return summary


def _take_parameters(store: Store, answer: Answer) -> None:
    """An answer may name the district's (new) protection parameters: the next reports use them."""
    if answer.result is None or answer.result.ptable is None:
        return
    desk = enrolment(store)
    if desk is not None and answer.result.ptable.id != desk.ptable:
        st.set_state(store, "enrolment", replace(desk, ptable=answer.result.ptable.id).__dict__)


def _record_answer(store: Store, answer: Answer) -> None:
    result = answer.result
    if result is None:
        store.conn.execute(
            "UPDATE sync_outbox SET attempts = attempts + 1, last_error = ? WHERE report_id = ?",
            (answer.error, answer.report_id),
        )
        st.journal(store, answer.report_id, "error", answer.content_hash, answer.error)
        return
    if result.status == "refused":
        store.conn.execute(
            "UPDATE sync_outbox SET state = 'refused', last_error = ? WHERE report_id = ?",
            (f"HTTP {result.http_status}", answer.report_id),
        )
    else:
        store.conn.execute(
            "UPDATE sync_outbox SET state = 'sent', sent_at = ?, last_error = '' WHERE report_id = ?",
            (st.utc_now(), answer.report_id),
        )
    event = "sent" if result.status == "stored" else result.status
    st.journal(store, answer.report_id, event, answer.content_hash, f"HTTP {result.http_status}")


def run_sync(store: Store, client: httpx.Client, today: dt.date, backoff: Backoff | None = None) -> RunSummary:
    """The three steps in a row, on one thread (the command line)."""
    return record(store, deliver(client, take_due(store, today), backoff))
