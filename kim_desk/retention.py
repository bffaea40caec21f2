"""Retention: a client's data is kept for a set number of years after their last case closed.

A client is due when every one of their cases is closed, and the last closing (or any later
consultation or appointment) lies `retention_years` or more in the past. Due clients are
listed for a person to confirm; then each is erased or anonymised (the coded case history
kept for statistics). Every deletion is in the audit trail and the desk journal, by number
and random uid only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kim_desk import settings
from kim_desk.errors import KnownError, ValidationError
from kim_desk.i18n import _
from kim_desk.paths import DataPaths
from kim_desk.privacy.erasure import anonymise_client, erase_client
from kim_desk.privacy.journal import ANONYMISE
from kim_desk.store import Change, Store

MODES = ("erase", "anonymise")
MAX_YEARS = 30


@dataclass(frozen=True)
class Due:
    client_id: int
    last_activity: dt.date  # the last case closing, consultation or appointment
    due_since: dt.date
    cases: int


def retention_years(store: Store) -> int:
    years = int(settings.get(store, "retention_years"))
    if not 1 <= years <= MAX_YEARS:
        raise ValidationError(
            "retention_years",
            _("Die Aufbewahrungsfrist muss zwischen 1 und {max} Jahren liegen.").format(max=MAX_YEARS),
        )
    return years


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


_LAST_ACTIVITY = """
SELECT c.id AS client_id,
       count(k.id) AS cases,
       sum(k.status != 'closed' OR k.closed_on IS NULL) AS still_open,
       max(max(k.closed_on),
           coalesce((SELECT max(contact_on) FROM contact WHERE client_id = c.id), ''),
           coalesce((SELECT max(substr(starts_at, 1, 10)) FROM appointment WHERE client_id = c.id), '')
       ) AS last_activity
FROM client c JOIN "case" k ON k.client_id = c.id
WHERE c.uid NOT IN (SELECT uid FROM erasure WHERE action = ?)
GROUP BY c.id
"""


def due_clients(store: Store, today: dt.date | None = None) -> list[Due]:
    """Clients whose retention period has run out, longest overdue first."""
    today = today or store.today()
    years = retention_years(store)
    due = []
    for row in store.each(_LAST_ACTIVITY, (ANONYMISE,)):  # a row per client: not all held at once
        if row["still_open"] or not row["last_activity"]:
            continue
        last = dt.date.fromisoformat(row["last_activity"])
        since = add_years(last, years)
        if since <= today:
            due.append(Due(int(row["client_id"]), last, since, int(row["cases"])))
    return sorted(due, key=lambda d: (d.due_since, d.client_id))


def apply(store: Store, paths: DataPaths | None, client_ids: list[int], mode: str) -> list[Change]:
    """Erase or anonymise the confirmed clients; each must still be due."""
    if mode not in MODES:
        raise KnownError(_("Unbekannte Art „{mode}“; möglich sind: {modes}").format(mode=mode, modes=", ".join(MODES)))
    due = {d.client_id for d in due_clients(store)}
    not_due = [client_id for client_id in client_ids if client_id not in due]
    if not_due:
        raise KnownError(
            _("Die Aufbewahrungsfrist ist noch nicht abgelaufen für: {ids}. Es wurde nichts gelöscht.").format(
                ids=", ".join(str(i) for i in not_due)
            )
        )
    action = erase_client if mode == "erase" else anonymise_client
    return [action(store, paths, client_id) for client_id in client_ids]
