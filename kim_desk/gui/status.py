"""What the status bar reports besides the lock: last backup and sending to the district.

Both read from other parts of the desk when they are present (kim_desk.backup,
kim_desk.sync) and say so plainly when they are not. Run on the DB worker.
"""

from __future__ import annotations

import datetime as dt
import logging

from kim_desk.i18n import _
from kim_desk.paths import DataPaths
from kim_desk.store import Store

log = logging.getLogger(__name__)


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
        from kim_desk.sync import state
        from kim_desk.sync.service import enrolment
    except ImportError:
        return _("Senden an den Kreis: noch nicht verfügbar")
    if enrolment(store.conn) is None:
        return _("Senden an den Kreis: nicht eingerichtet")
    entries = state.outbox(store.conn)
    waiting = sum(1 for entry in entries if entry.state != "sent")
    if waiting:
        return _("Senden an den Kreis: {n} Bericht(e) warten").format(n=waiting)
    return _("Senden an den Kreis: alles gesendet")
