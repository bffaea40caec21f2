"""The referral, unmet-need and interpreter tables protect small counts like every other table.

The attacker knows every published figure of the desk's report — the referral table with all
its margins (per municipality, per offer, per outcome), the other new tables and the old ones —
the p-table and that true zeros stay zero. The auditor of test_disclosure.py asks for every
cell with a true count of 1 to 4 whether another true value is consistent with all of it.
With the p-table none is pinned; with the noise switched off every one is (so the attack works
and the test can fail). Typical target: "the one client of Beelen whom FIT had no place for".
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kim_desk.stats.ptable import STANDARD, PTable
from kim_desk.stats.synthetic import plain_schema
from kim_desk.store import Store
from tests.property.test_disclosure import NO_NOISE, QUARTER, Auditor, attack, published, truth

NEW = ("referrals_by_service_outcome", "unmet_needs_by_category", "mediator_requests_by_language_result")

client_st = st.tuples(
    st.sampled_from(["ahlen", "beelen", "telgte"]),
    st.lists(
        st.tuples(
            st.sampled_from(["fit", "patenprojekt", "mbe"]),
            st.sampled_from(["taken_up", "no_place", "not_offered_here", "waiting_list", "open"]),
        ),
        max_size=3,
    ),
    st.lists(st.sampled_from(["childcare_place", "housing", "language_course"]), max_size=2),
    st.lists(
        st.tuples(st.sampled_from(["ar", "uk", "fa", "ti"]), st.sampled_from(["came", "none_available"])), max_size=2
    ),
    st.integers(0, 3),  # contacts in the quarter (the old tables beside the new ones)
)


def make_db(clients: list[Any], seed: int) -> Store:
    """A desk with these clients' referrals, needs, interpreter requests and contacts; keys from `seed`."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(plain_schema())
    on = QUARTER.start.replace(day=15).isoformat()
    for n, (muni, referrals, needs, requests, contacts) in enumerate(clients, start=1):
        conn.execute(
            "INSERT INTO client (id, uid, family_name, birth_date, municipality, created_at, updated_at)"
            " VALUES (?, ?, 'X', '1990-01-01', ?, 'x', 'x')",
            (n, f"u{n}", muni),
        )
        for _ in range(contacts):
            conn.execute("INSERT INTO contact (client_id, contact_on, channel, language) VALUES (?, ?, 'phone', 'ar')",
                         (n, on))  # fmt: skip
        for service, outcome in referrals:
            conn.execute(
                "INSERT INTO referral (client_id, service_code, referred_on, outcome) VALUES (?, ?, ?, ?)",
                (n, service, on, outcome),
            )
        for category in needs:
            conn.execute("INSERT INTO unmet_need (client_id, category, noted_on) VALUES (?, ?, ?)", (n, category, on))
        for language, result in requests:
            appointment = conn.execute(
                "INSERT INTO appointment (client_id, starts_at, created_at, updated_at) VALUES (?, ?, 'x', 'x')",
                (n, on + "T10:00"),
            ).lastrowid
            conn.execute(
                "INSERT INTO mediator_request (appointment_id, language, result, requested_on) VALUES (?, ?, ?, ?)",
                (appointment, language, result, on),
            )
    rng = random.Random(seed)
    for table in ("client", "contact", "referral", "unmet_need", "mediator_request"):
        ids = [row[0] for row in conn.execute(f"SELECT id FROM {table} ORDER BY id")]
        conn.executemany(f"UPDATE {table} SET ckey = ? WHERE id = ?", [(rng.getrandbits(32), i) for i in ids])
    return Store(conn=conn, path=Path(":memory:"))


@pytest.mark.parametrize(("ptable", "noise"), [(STANDARD, True), (NO_NOISE, False)], ids=["p-table", "no-noise"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clients=st.lists(client_st, min_size=1, max_size=25), seed=st.integers(0, 2**32 - 1))
def test_no_small_referral_count_is_pinned_by_its_margins_and_without_noise_every_one_is(
    ptable: PTable, noise: bool, clients: list[Any], seed: int
) -> None:
    attack(make_db(clients, seed), ptable, noise)


def test_the_one_client_without_a_place_is_not_read_off_the_margins() -> None:
    """One client of Beelen found no place at FIT; everything else of Beelen is large or zero.

    Without noise the cell is the margin minus the other cells; with the p-table the published
    figures are consistent with several true counts for it, for every choice of record keys.
    """
    clients: list[Any] = [("beelen", [("fit", "no_place")], [], [], 1)]
    clients += [("beelen", [("fit", "taken_up"), ("mbe", "taken_up")], ["housing"], [("ar", "came")], 2)] * 12
    clients += [("ahlen", [("fit", "no_place")], [], [("uk", "none_available")], 1)] * 6
    cell = ("referrals_by_service_outcome", ("beelen", "fit", "no_place"))
    for seed in range(40):
        conn = make_db(clients, seed)
        true = truth(conn)
        assert true[cell] == 1
        assert cell in dict(Auditor(published(conn, NO_NOISE), NO_NOISE).pinned(true))
        assert Auditor(published(conn, STANDARD), STANDARD).pinned(true) == []
    assert {name for name, _key in true} >= set(NEW)
