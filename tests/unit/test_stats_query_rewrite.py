"""The report's rewritten queries (issue 19: faster report) count exactly what the old ones counted.

The old SQL is kept here as the reference; on the demo desk and on synthetic district-like data
(a smaller size) every cell's count and key sum must be the same, in every quarter and with late
records of a frozen quarter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from kim_desk import taxonomy
from kim_desk.desk import Desk
from kim_desk.stats import tables as t
from kim_desk.stats.cellkey import KEY_MODULUS, Key, Tally
from kim_desk.stats.payload import canonical_json, content_hash
from kim_desk.stats.periods import Quarter
from kim_desk.stats.report import build_report
from kim_desk.stats.synthetic import plain_store, populate
from kim_desk.store import Store, migrations, open_store
from kim_desk.store.clients import get_client, list_clients, update_client
from kim_desk.store.connection import connect
from kim_desk.store.contacts import Contact, list_contacts, record_contact
from tests.unit.test_migration_fixtures import KEY, schema

_WINDOW = t._in_window

OLD_CONTACTS = f"""
SELECT cl.municipality, c.language, c.channel, SUM(c.n), SUM(c.keys)
FROM (SELECT client_id, language, channel, COUNT(*) AS n, SUM(ckey) AS keys FROM contact
      WHERE {_WINDOW("contact_on", "wm_contact", "id")}
      GROUP BY client_id, language, channel) c
JOIN client cl ON cl.id = c.client_id
GROUP BY 1, 2, 3
"""
OLD_CLIENTS = f"""
SELECT cl.municipality,
       CASE WHEN cl.birth_date IS NULL OR length(cl.birth_date) < 10 THEN NULL
            ELSE CAST(substr(:next, 1, 4) AS INTEGER) - 1 - CAST(substr(cl.birth_date, 1, 4) AS INTEGER)
                 + (substr(cl.birth_date, 6, 5) < substr(:next, 6, 5)) END AS age,
       COUNT(*), SUM(cl.ckey)
FROM client cl
WHERE cl.id IN (SELECT client_id FROM contact
                WHERE {_WINDOW("contact_on", "wm_contact", "id")})
GROUP BY 1, 2
"""
OLD_CASES = """
SELECT municipality, type_code,
       CASE WHEN status_at_end IN ('decided', 'closed') AND outcome IS NOT NULL
                 AND decided_on IS NOT NULL AND decided_on < :next
            THEN outcome ELSE status_at_end END,
       COUNT(*), SUM(ckey)
FROM (
  SELECT cl.municipality, k.type_code, k.outcome, k.decided_on, k.ckey,
         COALESCE(
           (SELECT s.status FROM case_status_change s
            WHERE s.case_id = k.id AND s.changed_on < :next
            ORDER BY s.changed_on DESC, s.id DESC LIMIT 1),
           CASE WHEN EXISTS (SELECT 1 FROM case_status_change s WHERE s.case_id = k.id)
                THEN 'planned' ELSE k.status END) AS status_at_end
  FROM "case" k JOIN client cl ON cl.id = k.client_id
  WHERE k.opened_on < :next AND (k.closed_on IS NULL OR k.closed_on >= :start)
)
GROUP BY 1, 2, 3
"""
OLD_BARRIERS = f"""
SELECT cl.municipality, k.type_code, b.code, COUNT(*), SUM(b.ckey)
FROM barrier b JOIN "case" k ON k.id = b.case_id JOIN client cl ON cl.id = k.client_id
WHERE {_WINDOW("b.noted_on", "wm_barrier", "b.id")}
GROUP BY 1, 2, 3
"""
OLD_SUBMISSIONS = f"""
SELECT cl.municipality, k.type_code,
       CAST(julianday(substr(s.changed_on, 1, 10)) - julianday(substr(k.opened_on, 1, 10))
            AS INTEGER),
       COUNT(*), SUM(k.ckey)
FROM case_status_change s JOIN "case" k ON k.id = s.case_id JOIN client cl ON cl.id = k.client_id
WHERE s.status = 'submitted'
  AND {_WINDOW("s.changed_on", "wm_status", "s.id")}
  AND NOT EXISTS (SELECT 1 FROM case_status_change e
                  WHERE e.case_id = s.case_id AND e.status = 'submitted'
                    AND (e.changed_on < s.changed_on OR (e.changed_on = s.changed_on AND e.id < s.id)))
GROUP BY 1, 2, 3
"""
OLD_REFERRALS = f"""
SELECT cl.municipality, r.service_code, r.outcome, COUNT(*), SUM(r.ckey)
FROM referral r JOIN client cl ON cl.id = r.client_id
WHERE {_WINDOW("r.referred_on", "wm_referral", "r.id")}
GROUP BY 1, 2, 3
"""
OLD_NEEDS = f"""
SELECT cl.municipality, n.category, COUNT(*), SUM(n.ckey)
FROM unmet_need n JOIN client cl ON cl.id = n.client_id
WHERE {_WINDOW("n.noted_on", "wm_need", "n.id")}
GROUP BY 1, 2
"""
OLD_MEDIATOR = f"""
SELECT cl.municipality, m.language, m.result, COUNT(*), SUM(m.ckey)
FROM mediator_request m JOIN appointment a ON a.id = m.appointment_id JOIN client cl ON cl.id = a.client_id
WHERE {_WINDOW("m.requested_on", "wm_mediator", "m.id")}
GROUP BY 1, 2, 3
"""


def old_counts(store: Store, window: t.Window) -> dict[str, dict[Key, tuple[int, int]]]:
    """Every table counted with the old SQL (before issue 19's rewrites): (count, key sum) per cell."""
    params = window.params()
    found: dict[str, defaultdict[Key, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))

    def add(table: str, key: Key, n: int, keys: int | None) -> None:
        found[table][key][0] += n
        found[table][key][1] = (found[table][key][1] + (keys or 0)) % KEY_MODULUS

    for muni, lang, channel, n, keys in store.conn.execute(OLD_CONTACTS, params):
        add("contacts_by_language_group", (t._municipality(muni), t.LANGUAGE_GROUPS.get(lang, t.OTHER)), n, keys)
        add("contacts_by_channel", (t._municipality(muni), t._code(channel, taxonomy.CHANNELS)), n, keys)
    for muni, age, n, keys in store.conn.execute(OLD_CLIENTS, params):
        add("clients_by_age_band", (t._municipality(muni), t.age_band(age)), n, keys)
    for muni, type_code, state, n, keys in store.conn.execute(OLD_CASES, params):
        add("cases_by_type_state", (t._municipality(muni), t._type(type_code), t._code(state, t.STATES)), n, keys)
    for muni, type_code, code, n, keys in store.conn.execute(OLD_BARRIERS, params):
        key = (t._municipality(muni), t._type(type_code), t._code(code, taxonomy.BARRIERS))
        add("barriers_by_type", key, n, keys)
    for muni, type_code, days, n, keys in store.conn.execute(OLD_SUBMISSIONS, params):
        add("submission_time_by_type", (t._municipality(muni), t._type(type_code), t.submission_band(days)), n, keys)
    for muni, service, outcome, n, keys in store.conn.execute(OLD_REFERRALS, params):
        key = (t._municipality(muni), t._service(service), t._code(outcome, taxonomy.REFERRAL_OUTCOMES))
        add("referrals_by_service_outcome", key, n, keys)
    for muni, category, n, keys in store.conn.execute(OLD_NEEDS, params):
        add("unmet_needs_by_category", (t._municipality(muni), t._code(category, t.NEED_CODES)), n, keys)
    for muni, lang, outcome, n, keys in store.conn.execute(OLD_MEDIATOR, params):
        key = (t._municipality(muni), t.LANGUAGE_GROUPS.get(lang, t.OTHER), t._code(outcome, taxonomy.MEDIATOR_RESULTS))
        add("mediator_requests_by_language_result", key, n, keys)
    return {name: {key: (v[0], v[1]) for key, v in cells.items()} for name, cells in found.items()}


def assert_same(store: Store, window: t.Window) -> int:
    old = old_counts(store, window)
    tallies = t.count_tables(store, window)
    for name, cells in old.items():
        assert {key: (tally.count, tally.keys) for key, tally in tallies[name].items()} == cells, name
    for name in set(tallies) - set(old):
        assert not tallies[name], name  # a table the old queries found nothing for
    return sum(n for cells in old.values() for n, _keys in cells.values())


QUARTERS = [Quarter(2025, 3), Quarter(2025, 4), Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3), Quarter(2026, 4)]


def test_demo_desk_same_figures_as_the_old_queries(desk: Desk) -> None:
    counted = 0
    for quarter in QUARTERS:
        counted += assert_same(desk.store, t.Window(quarter))
    late = t.Window(
        Quarter(2026, 3),
        late_from="2025-07-01",
        late_before="2026-07-01",
        watermarks={table: 5 for table in t.WATERMARK_TABLES},
    )
    counted += assert_same(desk.store, late)
    assert counted > 100  # the demo desk has cases, referrals and submissions in these quarters


@pytest.mark.parametrize("seed", [1, 7])
def test_synthetic_district_data_same_figures_as_the_old_queries(seed: int) -> None:
    store = plain_store()
    quarters = [Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3)]
    populate(
        store,
        clients=3000,
        contacts_per_client=10,
        quarters=quarters,
        municipalities=("ahlen", "beckum", "telgte"),
        seed=seed,
    )
    counted = 0
    for quarter in quarters:
        counted += assert_same(store, t.Window(quarter))
    counted += assert_same(
        store,
        t.Window(
            Quarter(2026, 3),
            late_from="2026-01-01",
            late_before="2026-07-01",
            watermarks={"barrier": 100, "case_status_change": 100},
        ),
    )
    assert counted > 1000


def old_tables(store: Store, window: t.Window) -> dict[str, dict[Key, Tally]]:
    """count_tables as the old SQL counted."""
    return {
        name: {key: Tally(n, keys) for key, (n, keys) in cells.items()}
        for name, cells in old_counts(store, window).items()
    }


def assert_same_payload(store: Store, window: t.Window, monkeypatch: pytest.MonkeyPatch) -> int:
    """The whole report (perturbed, validated) is byte for byte what the old queries gave."""

    def build() -> dict[str, Any]:
        return build_report(
            store, desk_id="d1", municipality="ahlen", quarter=window.quarter, app_version="1", window=window
        )

    new = build()
    with monkeypatch.context() as patched:
        patched.setattr(t, "count_tables", old_tables)
        old = build()
    assert canonical_json(new) == canonical_json(old)
    assert content_hash(new) == content_hash(old)
    return sum(table["total"] for table in new["tables"].values())


def test_demo_desk_same_payload_as_with_the_old_queries(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    published = sum(assert_same_payload(desk.store, t.Window(quarter), monkeypatch) for quarter in QUARTERS)
    assert published > 100


def test_synthetic_data_same_payload_as_with_the_old_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    store = plain_store()
    quarters = [Quarter(2026, 2), Quarter(2026, 3)]
    populate(store, clients=2000, contacts_per_client=6, quarters=quarters, municipalities=("ahlen", "telgte"))
    late = t.Window(
        Quarter(2026, 3),
        late_from="2026-04-01",
        late_before="2026-07-01",
        watermarks={table: 50 for table in t.WATERMARK_TABLES},
    )
    assert assert_same_payload(store, late, monkeypatch) > 1000


def desk_at(version: int, path: Path) -> Store:
    """A new desk as the code of schema `version` made it."""
    conn = connect(path, KEY, create=True)
    migrations.migrate(conn, target=version)
    return Store(conn=conn, path=path)


@pytest.mark.parametrize("version", [11, 12])
def test_the_report_schema_migrations_give_an_old_desk_the_report_indexes(version: int, tmp_path: Path) -> None:
    fresh = open_store(tmp_path / "fresh.db", KEY, create=True)
    old = desk_at(version, tmp_path / "old.db")
    try:
        with pytest.raises(Exception, match=r"no such (index|column)"):  # it cannot run on the old schema
            t.count_tables(old, t.Window(Quarter(2026, 3)))
        assert migrations.migrate(old.conn) == list(range(version + 1, migrations.LATEST_VERSION + 1))
        assert schema(old) == schema(fresh)
        assert all(not cells for cells in t.count_tables(old, t.Window(Quarter(2026, 3))).values())
    finally:
        old.close()
        fresh.close()


def test_schema_v13_gives_the_contacts_of_a_version_12_desk_their_clients_municipality(tmp_path: Path) -> None:
    store = desk_at(12, tmp_path / "old.db")
    try:
        populate(
            store, clients=300, contacts_per_client=3, quarters=[Quarter(2026, 3)], municipalities=("ahlen", "telgte")
        )
        window = t.Window(Quarter(2026, 3))
        before = {name: cells for name, cells in old_counts(store, window).items() if name.startswith("contacts")}
        assert migrations.migrate(store.conn) == [13]
        assert store.rows("SELECT COUNT(*) FROM contact c JOIN client cl ON cl.id = c.client_id"
                          " WHERE c.municipality IS NOT cl.municipality")[0][0] == 0  # fmt: skip
        tallies = t.count_tables(store, window)
        assert {name: {key: (v.count, v.keys) for key, v in tallies[name].items()} for name in before} == before
        assert sum(n for n, _keys in before["contacts_by_channel"].values()) == 900
    finally:
        store.close()


def _municipalities(store: Store) -> dict[int, str]:
    return {int(row[0]): str(row[1]) for row in store.rows("SELECT id, municipality FROM contact")}


def test_a_contact_keeps_its_clients_municipality_through_every_change(desk: Desk) -> None:
    """The copy the report counts by (schema v13) follows the client: recorded, moved, the client moved."""
    store = desk.store
    first, second = list_clients(store)[:2]
    assert first.id is not None and second.id is not None
    if first.municipality == second.municipality:
        update_client(
            store, dataclasses.replace(second, municipality="telgte" if first.municipality != "telgte" else "ahlen")
        )
        second = get_client(store, second.id)
    record_contact(store, Contact(client_id=first.id, contact_on=dt.date(2026, 8, 3), channel="phone", language="ar"))
    contact_id = int(store.rows("SELECT MAX(id) FROM contact")[0][0])
    assert _municipalities(store)[contact_id] == first.municipality

    with store.transaction():  # the app does not move contacts (update_contact refuses): a repair by hand might
        store.conn.execute("UPDATE contact SET client_id = ? WHERE id = ?", (second.id, contact_id))
    assert _municipalities(store)[contact_id] == second.municipality

    update_client(store, dataclasses.replace(second, municipality="wadersloh"))
    assert all(
        municipality == "wadersloh"
        for contact in list_contacts(store, second.id)
        for municipality in [_municipalities(store)[contact.id or 0]]
    )
    mismatched = "SELECT COUNT(*) FROM contact c JOIN client cl ON cl.id = c.client_id"
    assert store.rows(mismatched + " WHERE c.municipality IS NOT cl.municipality")[0][0] == 0
    late = t.Window(Quarter(2026, 3), late_from="2025-07-01", late_before="2026-07-01", watermarks={"contact": 3})
    for window in (t.Window(Quarter(2026, 3)), late):
        assert_same(store, window)  # and the report still counts what the old SQL counts


def test_the_submission_index_holds_only_submissions(desk: Desk) -> None:
    """The partial index the submission table reads is the history's 'submitted' changes, all of them."""
    in_index = desk.store.rows(
        "SELECT id FROM case_status_change INDEXED BY case_status_change_submitted"
        " WHERE status = 'submitted' ORDER BY id"
    )
    submitted = desk.store.rows("SELECT id FROM case_status_change NOT INDEXED WHERE status = 'submitted' ORDER BY id")
    assert [row[0] for row in in_index] == [row[0] for row in submitted] and submitted
