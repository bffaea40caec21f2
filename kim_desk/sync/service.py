"""Enrolment, freezing due reports into the outbox, and draining the outbox.

Functions take their collaborators (connection, HTTP client, today, sleep, random)
as arguments so tests can drive time and faults.
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

from kim_desk import __version__
from kim_desk.i18n import _
from kim_desk.stats import tables
from kim_desk.stats.payload import canonical_json, content_hash, validate_payload
from kim_desk.stats.periods import Quarter, last_closed_quarter, parse_quarter, quarter_of
from kim_desk.stats.ptable import KNOWN, STANDARD, PTable
from kim_desk.stats.report import build_report, window_for
from kim_desk.sync import state as st
from kim_desk.sync.client import Retryable, SyncError, district_ptable, enrol, send_report

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


def enrolment(conn: Any) -> Enrolment | None:
    st.ensure_sync_tables(conn)
    data = st.get_state(conn, "enrolment")
    if data is not None:
        data.pop("k", None)  # suppression era
    return None if data is None else Enrolment(**data)


def require_enrolment(conn: Any) -> Enrolment:
    found = enrolment(conn)
    if found is None:
        raise SyncError(_("Dieser Arbeitsplatz ist noch nicht beim Kreis angemeldet (kim-desk sync enrol)."))
    return found


def first_period_for(conn: Any, today: dt.date) -> Quarter:
    """The earliest quarter with records, but not more than two years back."""
    row = conn.execute("SELECT MIN(contact_on) FROM contact").fetchone()
    earliest = quarter_of(dt.date.fromisoformat(row[0][:10])) if row and row[0] else None
    limit = quarter_of(today)
    for _step in range(MAX_QUARTERS_BACK):
        limit = limit.previous()
    current = last_closed_quarter(today)
    if earliest is None:
        return current.next()
    return min(max(earliest, limit), current.next())


def enrol_desk(
    conn: Any,
    client: httpx.Client,
    url: str,
    code: str,
    today: dt.date,
    ca_bundle: str | None = None,
) -> Enrolment:
    st.ensure_sync_tables(conn)
    first = first_period_for(conn, today)
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
    with st.transaction(conn):
        st.set_state(conn, "enrolment", result.__dict__)
    log.info("sync.enrolled", extra={"desk_id": result.desk_id, "first_period": result.first_period})
    return result


def preview(conn: Any, quarter: Quarter, desk: Enrolment | None) -> dict[str, Any]:
    """What would be (or was) sent for `quarter`: the frozen payload, or a fresh build."""
    st.ensure_sync_tables(conn)
    entry = st.outbox_entry(conn, str(quarter))
    if entry is not None:
        return dict(json.loads(entry.payload))
    first = parse_quarter(desk.first_period) if desk else quarter
    window = window_for(quarter, first, st.last_frozen(conn, quarter))
    return build_report(
        conn,
        desk_id=desk.desk_id if desk else "unenrolled",
        municipality=desk.municipality if desk else "unknown",
        quarter=quarter,
        ptable=desk.perturbation() if desk else STANDARD,
        app_version=__version__,
        window=window,
    )


def freeze_due_reports(conn: Any, desk: Enrolment, today: dt.date) -> list[str]:
    """Build and queue every closed quarter not yet in the outbox, oldest first."""
    st.ensure_sync_tables(conn)
    first = parse_quarter(desk.first_period)
    last = last_closed_quarter(today, desk.grace_days)
    queued: list[str] = []
    quarter = first
    while quarter <= last:
        if st.outbox_entry(conn, str(quarter)) is None:
            queued.append(_freeze(conn, desk, first, quarter))
        quarter = quarter.next()
    return queued


def _freeze(conn: Any, desk: Enrolment, first: Quarter, quarter: Quarter) -> str:
    # Count and take the watermarks in one transaction: they describe the same records.
    with st.transaction(conn):
        window = window_for(quarter, first, st.last_frozen(conn, quarter))
        payload = build_report(
            conn,
            desk_id=desk.desk_id,
            municipality=desk.municipality,
            quarter=quarter,
            ptable=desk.perturbation(),
            app_version=__version__,
            window=window,
        )
        body = canonical_json(validate_payload(payload))
        digest = content_hash(payload)
        conn.execute(
            "INSERT INTO sync_outbox (report_id, period, payload, content_hash, watermarks,"
            " queued_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                payload["report_id"],
                str(quarter),
                body.decode("utf-8"),
                digest,
                json.dumps(tables.current_watermarks(conn)),
                st.utc_now(),
            ),
        )
        st.journal(conn, payload["report_id"], "queued", digest)
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


def run_sync(conn: Any, client: httpx.Client, today: dt.date, backoff: Backoff | None = None) -> RunSummary:
    """Freeze what is due, then send the queued reports in order until one cannot go."""
    backoff = backoff or Backoff()
    desk = require_enrolment(conn)
    summary = RunSummary(queued=freeze_due_reports(conn, desk, today))
    entries = st.outbox(conn, "queued")
    for index, entry in enumerate(entries):
        try:
            result = _send_with_retries(conn, client, desk, entry, backoff)
        except Retryable as error:
            summary.pending = [e.report_id for e in entries[index:]]
            summary.error = str(error)
            break
        with st.transaction(conn):
            if result.ptable is not None and result.ptable.id != desk.ptable:  # the district's new parameters
                desk = replace(desk, ptable=result.ptable.id)
                st.set_state(conn, "enrolment", desk.__dict__)
            if result.status == "refused":
                conn.execute(
                    "UPDATE sync_outbox SET state = 'refused', last_error = ? WHERE report_id = ?",
                    (f"HTTP {result.http_status}", entry.report_id),
                )
            else:
                conn.execute(
                    "UPDATE sync_outbox SET state = 'sent', sent_at = ?, last_error = '' WHERE report_id = ?",
                    (st.utc_now(), entry.report_id),
                )
            event = "sent" if result.status == "stored" else result.status
            st.journal(conn, entry.report_id, event, entry.content_hash, f"HTTP {result.http_status}")
        {"stored": summary.sent, "already": summary.already, "refused": summary.refused}[result.status].append(
            entry.report_id
        )
        log.info(
            "sync.result", extra={"report_id": entry.report_id, "result": result.status, "http": result.http_status}
        )
    return summary


def _send_with_retries(
    conn: Any, client: httpx.Client, desk: Enrolment, entry: st.OutboxEntry, backoff: Backoff
) -> Any:
    for attempt in range(backoff.attempts):
        try:
            return send_report(client, desk.token, entry.payload)
        except Retryable as error:
            with st.transaction(conn):
                conn.execute(
                    "UPDATE sync_outbox SET attempts = attempts + 1, last_error = ? WHERE report_id = ?",
                    (str(error), entry.report_id),
                )
                st.journal(conn, entry.report_id, "error", entry.content_hash, str(error))
            log.warning(
                "sync.retry", extra={"report_id": entry.report_id, "attempt": attempt + 1, "reason": str(error)}
            )
            if attempt + 1 == backoff.attempts:
                raise
            backoff.sleep(backoff.delay(attempt))
    raise AssertionError("unreachable")
