"""A deterministic synthetic desk population in plain SQL, for tests and benchmarks.

(The full demo data set is `kim-desk demo`; this one writes only what the report reads,
fast enough for a million contacts.)
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path
from typing import Any

from kim_desk import taxonomy
from kim_desk.stats.periods import Quarter
from kim_desk.store import Store

TYPES = ("buergergeld", "wohngeld", "kindergeld", "aufenthaltstitel", "einbuergerung")
LANGS = ("de", "ar", "uk", "ru", "fa", "tr", "ti", "en", "ps")
PLAIN_SCHEMA_MARK = "CREATE VIRTUAL TABLE"


def plain_schema() -> str:
    """The desk schema the report reads, without FTS5 (plain sqlite3 builds may lack it)."""
    from kim_desk.store.schema_v1 import SCHEMA_V1
    from kim_desk.store.schema_v3 import SCHEMA_V3
    from kim_desk.store.schema_v5 import SCHEMA_V5
    from kim_desk.store.schema_v9 import SCHEMA_V9
    from kim_desk.store.schema_v10 import SCHEMA_V10
    from kim_desk.store.schema_v12 import SCHEMA_V12
    from kim_desk.store.schema_v13 import SCHEMA_V13

    return (
        SCHEMA_V1.split(PLAIN_SCHEMA_MARK)[0] + SCHEMA_V3 + SCHEMA_V5 + SCHEMA_V9 + SCHEMA_V10 + SCHEMA_V12 + SCHEMA_V13
    )


def plain_store(path: Path | None = None) -> Store:
    """A Store over a plain (unkeyed) sqlite3 database with the report's tables: fast test data."""
    conn = sqlite3.connect(":memory:" if path is None else path, check_same_thread=False)
    conn.executescript(plain_schema())
    return Store(conn=conn, path=path or Path(":memory:"))


def populate(
    store: Store,
    *,
    clients: int,
    contacts_per_client: int,
    quarters: list[Quarter],
    municipalities: tuple[str, ...] = ("ahlen", "beckum"),
    seed: int = 7,
) -> None:
    """Clients with contacts, cases (with status history) and barriers spread over quarters."""
    rng = random.Random(seed)
    first, last = quarters[0].start, quarters[-1].end
    span = (last - first).days

    def day(lo: dt.date = first, hi: dt.date = last) -> dt.date:
        return lo + dt.timedelta(days=rng.randint(0, max((hi - lo).days, 0)))

    def key() -> int:  # record keys for the cell key method, from the seed (real desks: random())
        return rng.getrandbits(32)

    client_rows, contact_rows, case_rows, change_rows, barrier_rows = [], [], [], [], []
    case_id = 0
    for cid in range(1, clients + 1):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 70))
        client_rows.append((cid, f"u{cid}", f"Name{cid}", birth.isoformat(), rng.choice(municipalities), key()))
        for _ in range(contacts_per_client):
            channel, language = rng.choice(tuple(taxonomy.CHANNELS)), rng.choice(LANGS)
            contact_rows.append((cid, day().isoformat(), channel, language, key()))
        for _ in range(rng.randint(0, 2)):
            case_id += 1
            opened = first + dt.timedelta(days=rng.randint(0, span))
            status = "collecting"
            changes = [(case_id, "collecting", opened.isoformat())]
            if rng.random() < 0.6:
                submitted = opened + dt.timedelta(days=rng.randint(0, 120))
                if submitted <= last:
                    status = "submitted"
                    changes.append((case_id, "submitted", submitted.isoformat()))
            case_rows.append((case_id, cid, rng.choice(TYPES), status, opened.isoformat(), key()))
            change_rows.extend(changes)
            if rng.random() < 0.5:
                barrier_rows.append((case_id, rng.choice(tuple(taxonomy.BARRIERS)), day(opened).isoformat(), key()))
    contact_rows.sort(key=lambda row: row[1])  # desks enter contacts roughly in date order
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO client (id, uid, family_name, birth_date, municipality, ckey, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, '2025-01-01', '2025-01-01')",
            client_rows,
        )
        conn.executemany(
            "INSERT INTO contact (client_id, contact_on, channel, language, ckey) VALUES (?, ?, ?, ?, ?)",
            contact_rows,
        )
        conn.executemany(
            'INSERT INTO "case" (id, client_id, type_code, status, opened_on, ckey, created_at, updated_at)'
            " VALUES (?, ?, ?, ?, ?, ?, '2025-01-01', '2025-01-01')",
            case_rows,
        )
        conn.executemany("INSERT INTO case_status_change (case_id, status, changed_on) VALUES (?, ?, ?)", change_rows)
        conn.executemany("INSERT INTO barrier (case_id, code, noted_on, ckey) VALUES (?, ?, ?, ?)", barrier_rows)
    _populate_referrals(store, clients, first, last, random.Random(seed + 7919))


SERVICES = ("fit", "patenprojekt", "sprachhelfer", "integrationskurs", "mbe", "jmd")


def _populate_referrals(store: Store, clients: int, first: dt.date, last: dt.date, rng: random.Random) -> None:
    """Referrals, unmet needs and interpreter requests (own random stream: the rest stays as it was)."""
    span = (last - first).days
    referrals: list[tuple[Any, ...]] = []
    needs: list[tuple[Any, ...]] = []
    appointments: list[tuple[Any, ...]] = []
    requests: list[tuple[Any, ...]] = []
    for cid in range(1, clients + 1):
        for _ in range(rng.choice((0, 0, 0, 1, 2))):
            on = first + dt.timedelta(days=rng.randint(0, span))
            outcome = rng.choice(tuple(taxonomy.REFERRAL_OUTCOMES))
            referrals.append((cid, rng.choice(SERVICES), on.isoformat(), outcome, rng.getrandbits(32)))
        if rng.random() < 0.15:
            on = first + dt.timedelta(days=rng.randint(0, span))
            needs.append((cid, rng.choice(tuple(taxonomy.UNMET_NEEDS)), on.isoformat(), rng.getrandbits(32)))
        if rng.random() < 0.2:
            on = first + dt.timedelta(days=rng.randint(0, span))
            appointments.append((len(appointments) + 1, cid, f"{on.isoformat()}T10:00"))
            result = rng.choice(tuple(taxonomy.MEDIATOR_RESULTS))
            requests.append((len(appointments), rng.choice(LANGS[1:]), result, on.isoformat(), rng.getrandbits(32)))
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO referral (client_id, service_code, referred_on, outcome, ckey) VALUES (?, ?, ?, ?, ?)",
            referrals,
        )
        conn.executemany("INSERT INTO unmet_need (client_id, category, noted_on, ckey) VALUES (?, ?, ?, ?)", needs)
        conn.executemany(
            "INSERT INTO appointment (id, client_id, starts_at, created_at, updated_at)"
            " VALUES (?, ?, ?, '2025-01-01', '2025-01-01')",
            appointments,
        )
        conn.executemany(
            "INSERT INTO mediator_request (appointment_id, language, result, requested_on, ckey)"
            " VALUES (?, ?, ?, ?, ?)",
            requests,
        )
