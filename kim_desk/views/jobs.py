"""What the status bar reports besides the lock: last backup and sending to the district.

Also the jobs behind it: sending due reports in three steps (take the reports on the DB worker,
send them on the pool with no store at hand, record the answers on the DB worker) and the
automatic backup (DB worker). They are plain functions; none touches a widget.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kim_desk import settings
from kim_desk.errors import KnownError
from kim_desk.i18n import _, ngettext
from kim_desk.paths import DataPaths
from kim_desk.store import Store

if TYPE_CHECKING:  # httpx is imported when something is sent: it adds ~70 ms to every start
    import httpx

    from kim_desk.sync.service import Delivery, Outgoing, RunSummary

log = logging.getLogger(__name__)

# Opens the HTTP client for an enrolment; tests inject one with a fake transport.
Connect = Callable[[Any], "httpx.Client"]


def last_backup(paths: DataPaths) -> dt.datetime | None:
    """Time of the newest finished backup, or None (also while the backup module is absent)."""
    try:
        from kim_desk.backup.core import list_backups
    except ImportError:
        return None
    found = [info for info in list_backups(paths) if not info.problem]
    return found[0].created_at if found else None


def sync_state(store: Store) -> str:
    """One short line on sending the anonymised figures to the district, in the UI language."""
    try:
        from kim_desk.sync import state  # not sync.service: httpx is imported only to send
    except ImportError:
        return _("Senden an den Kreis: noch nicht verfügbar")
    if not state.is_enrolled(store):
        return _("Senden an den Kreis: nicht eingerichtet")
    line = _outbox_line(state.outbox(store))
    if not settings.get(store, "district_url"):
        return _("{state}; automatisch: aus").format(state=line)
    return line


def _outbox_line(entries: list[Any]) -> str:
    waiting = [entry for entry in entries if entry.state == "queued"]
    refused = [entry for entry in entries if entry.state == "refused"]
    if refused:
        return ngettext(
            "Senden an den Kreis: {n} Bericht abgelehnt", "Senden an den Kreis: {n} Berichte abgelehnt", len(refused)
        ).format(n=len(refused))
    if waiting and any(entry.last_error for entry in waiting):
        return ngettext(
            "Senden an den Kreis: {n} Bericht wartet, Dienst nicht erreichbar",
            "Senden an den Kreis: {n} Berichte warten, Dienst nicht erreichbar",
            len(waiting),
        ).format(n=len(waiting))
    if waiting:
        return ngettext(
            "Senden an den Kreis: {n} Bericht wartet", "Senden an den Kreis: {n} Berichte warten", len(waiting)
        ).format(n=len(waiting))
    if not entries:
        return _("Senden an den Kreis: noch nichts gesendet")
    return _("Senden an den Kreis: alles gesendet")


def sending_text() -> str:
    return _("Senden an den Kreis: wird gesendet …")


def default_connect(enrolled: Any) -> httpx.Client:
    from kim_desk.sync.client import make_client

    return make_client(enrolled.url, enrolled.ca_bundle)


def sending_configured(store: Store) -> bool:
    """Background sending only once the district address is set and the desk is enrolled."""
    if not settings.get(store, "district_url"):
        return False  # decided without importing sync (httpx): an import holds the interpreter lock
    from kim_desk.sync import state

    return state.is_enrolled(store)


# Stores whose reports are between taking and recording: one sending at a time per desk, so the
# button and the timer do not send the same report twice (it would be answered "already").
_in_flight: set[int] = set()


def take_reports(store: Store, today: dt.date, *, only_if_configured: bool, busy: bool = False) -> Outgoing | None:
    """Step 1, on the DB worker: freeze the due reports and read the queued ones
    (kim_desk.sync.service.Outgoing); None when sending is not set up (only_if_configured);
    nothing to send when another run is `busy` sending them."""
    # sync pulls in httpx; a desk that does not send never imports it (even on a worker an import
    # holds the interpreter lock and stalls the window)
    if only_if_configured and not sending_configured(store):
        return None
    from kim_desk.sync.service import Outgoing, require_enrolment, take_due

    if busy:
        return Outgoing(require_enrolment(store), [], [])
    return take_due(store, today)


def send_reports(outgoing: Outgoing, connect: Connect | None, attempts: int = 2) -> Delivery:
    """Step 2, on the pool: ask whether the service answers at all, then send with few, short
    retries (the timer tries again later). Network only: no store, no database call."""
    import httpx

    from kim_desk.sync.client import unreachable
    from kim_desk.sync.service import Backoff, Delivery, deliver

    if not outgoing.entries:
        return Delivery(outgoing)
    backoff = Backoff(attempts=max(1, attempts), base=1.0, cap=4.0)
    try:
        with (connect or default_connect)(outgoing.desk) as client:
            client.get("/healthz", timeout=httpx.Timeout(5.0, connect=3.0))  # any HTTP answer counts
            return deliver(client, outgoing, backoff)
    except httpx.HTTPError as error:  # the probe: calm words, not a crash
        raise unreachable(error) from error


def record_answers(store: Store, delivery: Delivery) -> RunSummary:
    """Step 3, on the DB worker: the answers into the outbox and journal; the RunSummary."""
    from kim_desk.sync.service import record

    return record(store, delivery)


def send_in_background(
    runner: Any,
    connect: Connect | None,
    attempts: int,
    today: dt.date,
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    *,
    only_if_configured: bool,
    on_sending: Callable[[], None] | None = None,
) -> None:
    """Take the reports (DB worker), send them (pool), record the answers (DB worker).

    on_done gets the RunSummary, or None when sending is not set up (only_if_configured);
    on_sending is called once it is clear that something will be sent. While the pool waits on
    the network, the DB worker answers every page.
    """
    claimed: list[int] = []

    def release() -> None:
        for key in claimed:
            _in_flight.discard(key)
        claimed.clear()

    def failed(error: Exception) -> None:
        release()
        on_error(error)

    def recorded(summary: RunSummary) -> None:
        release()
        on_done(summary)

    def take(store: Store) -> Outgoing | None:
        key = id(store)
        outgoing = take_reports(store, today, only_if_configured=only_if_configured, busy=key in _in_flight)
        if outgoing is not None and outgoing.entries:
            _in_flight.add(key)
            claimed.append(key)
        return outgoing

    def taken(outgoing: Outgoing | None) -> None:
        if outgoing is None:
            on_done(None)
            return
        if on_sending is not None and outgoing.entries:
            on_sending()
        runner.run(lambda _progress: send_reports(outgoing, connect, attempts), sent, failed)

    def sent(delivery: Delivery) -> None:
        runner.db(lambda store: record_answers(store, delivery), recorded, failed)

    runner.db(take, taken, failed)


def update_content_in_background(
    runner: Any,
    paths: DataPaths,
    connect: Connect | None,
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
) -> None:
    """After sending: ask the district for a newer content pack (token and pinned key on the DB worker,
    fetch and install on the pool); on_done gets a views.content_job.ContentResult."""
    from kim_desk.views import content_job

    def ask(store: Store) -> Any:
        from kim_desk.sync.service import require_enrolment

        enrolled = require_enrolment(store)
        return enrolled, content_job.content_ask(store, paths, enrolled.token)

    def fetch(found: Any) -> None:
        enrolled, question = found

        def job(_progress: object) -> Any:
            with (connect or default_connect)(enrolled) as client:
                return content_job.fetch_and_install(client, paths, question, dt.datetime.now(dt.UTC))

        runner.run(job, on_done, on_error)

    runner.db(ask, fetch, on_error)


def summary_text(summary: Any) -> str:
    """What one sending run did, in one or two sentences."""
    parts = [
        _("Gesendet: {sent}; schon beim Kreis: {already}; abgelehnt: {refused}; wartend: {pending}.").format(
            sent=len(summary.sent),
            already=len(summary.already),
            refused=len(summary.refused),
            pending=len(summary.pending),
        )
    ]
    if summary.pending:
        parts.append(_("Der Dienst des Kreises ist gerade nicht erreichbar; die Berichte bleiben im Postausgang."))
    if summary.refused:
        parts.append(_("Der Kreis hat einen Bericht abgelehnt: bitte die KIM-Stelle ansprechen."))
    return " ".join(parts)


class BackupDesk:
    """What kim_desk.backup.core.backup_if_due reads from a desk: paths, store (its clock and connection)."""

    def __init__(self, paths: DataPaths, store: Store) -> None:
        self.paths = paths
        self.store = store


def backup_if_due(store: Store, paths: DataPaths, key: bytes) -> Any:
    """A backup when the newest is a day old (on the DB worker: it copies through the connection)."""
    from kim_desk.backup.core import backup_if_due as due

    return due(BackupDesk(paths, store), key)


def backup_now(store: Store, paths: DataPaths, key: bytes) -> Any:
    """A backup right away (the button); create_backup rotates the old ones itself."""
    from kim_desk.backup.core import create_backup

    return create_backup(store, paths, key)


def list_backups(paths: DataPaths) -> list[Any]:
    from kim_desk.backup.core import list_backups as listed

    return listed(paths)


def verify_backup(folder: Any, key: bytes) -> list[str]:
    """The problems found in one backup (empty when it is sound); opens its own connection."""
    from kim_desk.backup.core import verify_backup as verify

    return verify(folder, key)


# --- enrolment with the district from the settings page ------------------------------------------
def _target(url: str) -> Any:
    """What a Connect function reads: the address (and no certificate file of one's own)."""
    from types import SimpleNamespace

    return SimpleNamespace(url=url.strip(), ca_bundle=None)


def _district_unreachable(error: Exception) -> KnownError:
    return KnownError(
        _("Der Dienst des Kreises ist unter dieser Adresse nicht erreichbar ({kind}).").format(
            kind=type(error).__name__
        )
    )


def check_connection(connect: Connect | None, url: str) -> None:
    """The button "Verbindung testen": does the address answer at all? (On the pool; no database needed.)"""
    import httpx

    try:
        with (connect or default_connect)(_target(url)) as client:
            client.get("/healthz", timeout=httpx.Timeout(5.0, connect=3.0))
    except httpx.HTTPError as error:
        raise _district_unreachable(error) from error


def enrol(store: Store, connect: Connect | None, url: str, code: str, today: dt.date) -> Any:
    """Enrol this desk with the one-time code (kim_desk.sync.service.enrol_desk) and keep the address."""
    import httpx

    from kim_desk.sync.service import enrol_desk

    if not code.strip():
        raise KnownError(_("Bitte den Anmeldecode vom Kreis eingeben."))
    try:
        with (connect or default_connect)(_target(url)) as client:
            result = enrol_desk(store, client, url.strip(), code.strip(), today)
    except httpx.HTTPError as error:
        raise _district_unreachable(error) from error
    settings.put(store, "district_url", url.strip())
    return result


def enrolment_text(store: Store) -> str:
    """One line on this desk's enrolment, for the settings page."""
    from kim_desk.sync.service import enrolment

    found = enrolment(store)
    if found is None:
        return _("Noch nicht beim Kreis angemeldet.")
    return _("Angemeldet als {desk_id} (Gemeinde {municipality}); Berichte ab {period}.").format(
        desk_id=found.desk_id, municipality=found.municipality, period=found.first_period
    )
