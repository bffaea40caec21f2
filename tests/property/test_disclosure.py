"""An auditor who knows everything an attacker knows cannot pin a small true count.

The attacker knows every published figure of every desk and of the district, the layout
(each table is a cube with all its margins; both contact tables count the same contacts),
the p-table (so, for each published value, which true counts can lead to it) and that
true zeros stay zero. Desks count disjoint records, and the district only sums the
desks' published figures, so the district adds no relation the desks' figures did not
already imply. The auditor asks, for every cell whose true count is 1 to 4: is another
true value consistent with all of it? It first tries small changes of the true counts
(a witness that is itself the proof) and only then solves the integer program exactly.
With the noise switched off, the same auditor pins every small count.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import highspy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kim_desk.district.picture import ZERO, picture
from kim_desk.district.store import DistrictStore
from kim_desk.stats import tables as t
from kim_desk.stats.cellkey import TOTAL, CellId, Key, cube
from kim_desk.stats.payload import LINKED_MARGINS, TABLES
from kim_desk.stats.periods import Quarter
from kim_desk.stats.ptable import STANDARD, PTable
from kim_desk.stats.report import build_report, categories, cell_values, perturbed_tables
from kim_desk.stats.synthetic import plain_schema, plain_store, populate
from kim_desk.store import Store

QUARTER = Quarter(2026, 3)
SMALL = range(1, 5)
NO_NOISE = PTable("no-noise", 0, 0.0, {0: ((0, 1_000_000),), 1: ((0, 1_000_000),)})

client_st = st.tuples(
    st.sampled_from(["ahlen", "beckum", "telgte"]),
    st.integers(1930, 2024),
    st.lists(
        st.tuples(
            st.sampled_from(["de", "ar", "uk", "fa", "tr"]),
            st.sampled_from(["phone", "in_person", "video"]),
            st.integers(0, 91),
        ),
        max_size=4,
    ),
    st.lists(
        st.tuples(
            st.sampled_from(["buergergeld", "wohngeld", "kindergeld"]),
            st.sampled_from(["planned", "collecting", "submitted", "waiting"]),
            st.sampled_from(["language", "costs", "no_response"]),
        ),
        max_size=3,
    ),
)


def make_db(clients: list[Any], seed: int) -> Store:
    """A desk with these clients; record keys drawn from `seed` (uniform, as the desk's random())."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(plain_schema())
    for n, (muni, year, contacts, cases) in enumerate(clients, start=1):
        conn.execute(
            "INSERT INTO client (id, uid, family_name, birth_date, municipality, created_at,"
            " updated_at) VALUES (?, ?, 'X', ?, ?, '2026-01-01', '2026-01-01')",
            (n, f"u{n}", f"{year}-05-05", muni),
        )
        for lang, channel, day in contacts:
            on = (QUARTER.start + dt.timedelta(days=day)).isoformat()
            conn.execute(
                "INSERT INTO contact (client_id, contact_on, channel, language) VALUES (?,?,?,?)",
                (n, on, channel, lang),
            )
        for type_code, status, barrier in cases:
            case_id = conn.execute(
                'INSERT INTO "case" (client_id, type_code, status, opened_on, created_at,'
                " updated_at) VALUES (?, ?, ?, '2026-07-02', 'x', 'x')",
                (n, type_code, status),
            ).lastrowid
            conn.execute(
                "INSERT INTO barrier (case_id, code, noted_on) VALUES (?, ?, '2026-08-03')",
                (case_id, barrier),
            )
    rng = random.Random(seed)
    for table in ("client", '"case"', "contact", "barrier"):
        ids = [row[0] for row in conn.execute(f"SELECT id FROM {table} ORDER BY id")]
        conn.executemany(f"UPDATE {table} SET ckey = ? WHERE id = ?", [(rng.getrandbits(32), i) for i in ids])
    return Store(conn=conn, path=Path(":memory:"))


def truth(conn: Store) -> dict[CellId, int]:
    """True counts of every cell and margin (what the auditor must not learn)."""
    tallies = t.count_tables(conn, t.Window(QUARTER))
    values = categories(tallies)
    return {
        (name, key): tally.count
        for name, spec in TABLES.items()
        for key, tally in cube([values[d] for d in spec.dims], tallies.get(name, {})).items()
    }


def published(conn: Store, ptable: PTable) -> dict[CellId, int]:
    """Every figure the desk publishes with `ptable` (also with no noise, which no report may use)."""
    payload = {"tables": perturbed_tables(t.count_tables(conn, t.Window(QUARTER)), ptable)}
    return {cell: value for cell, value in cell_values(payload).items() if value is not None}


class Auditor:
    """Integer reasoning over one desk's published figures."""

    def __init__(self, figures: dict[CellId, int], ptable: PTable) -> None:
        self.figures = figures
        self.ptable = ptable
        self.inner: dict[str, list[Key]] = {}
        for name, key in figures:
            if TOTAL not in key:
                self.inner.setdefault(name, []).append(key)
        self.parts = {cell: self._members(cell) for cell in figures}
        self.models: dict[frozenset[str], tuple[highspy.Highs, dict[CellId, Any]]] = {}
        self.containing: dict[CellId, list[CellId]] = {}
        for cell, parts in self.parts.items():
            for part in parts:
                self.containing.setdefault(part, []).append(cell)

    def _members(self, cell: CellId) -> list[CellId]:
        name, key = cell
        return [
            (name, inner)
            for inner in self.inner.get(name, [])
            if all(p in (TOTAL, q) for p, q in zip(key, inner, strict=True))
        ]

    def candidates(self, value: int) -> tuple[int, int]:
        """The true counts that the p-table can publish as `value` (an interval for these tables)."""
        found = [
            n
            for n in range(value + self.ptable.max_deviation + 1)
            if any(n + noise == value and weight > 0 for noise, weight in self.ptable.row(n))
        ]
        assert found == list(range(found[0], found[-1] + 1)), (value, found)
        return found[0], found[-1]

    def consistent(self, counts: dict[CellId, int], changed: list[CellId]) -> bool:
        """Would the published figures hold if the true inner counts were `counts`?"""
        touched = {cell for part in changed for cell in self.containing.get(part, [])}
        for cell in touched:
            low, high = self.candidates(self.figures[cell])
            if not low <= sum(counts[p] for p in self.parts[cell]) <= high:
                return False
        return True

    def linked(self, part: CellId) -> list[CellId]:
        """Inner cells of the other contact table in the same municipality (one contact is in both)."""
        for first, second in LINKED_MARGINS:
            for mine, other in ((first, second), (second, first)):
                if part[0] == mine:
                    return [(other, key) for key in self.inner.get(other, []) if key[0] == part[1][0]]
        return [part]  # not linked: a stand-in that is never changed twice

    def witness(self, cell: CellId, true: dict[CellId, int]) -> bool:
        """A small change of the true counts that changes `cell` and keeps every figure consistent."""
        for part in self.parts[cell]:
            partners = self.linked(part)
            for delta in (1, -1):
                for partner in partners:
                    counts = dict(true)
                    counts[part] += delta
                    if partner != part:
                        counts[partner] += delta
                    changed = [part] if partner == part else [part, partner]
                    if min(counts[c] for c in changed) >= 0 and self.consistent(counts, changed):
                        return True
                    if partner == part:
                        break
        return False

    def model(self, group: frozenset[str]) -> tuple[highspy.Highs, dict[CellId, Any]]:
        """The integer program of a group of tables: every published figure's candidates, and links."""
        if group in self.models:
            return self.models[group]
        h = highspy.Highs()
        h.silent()
        var = {
            (name, key): h.addVariable(lb=0, ub=10**6, type=highspy.HighsVarType.kInteger)
            for name in sorted(group)
            for key in self.inner.get(name, [])
        }
        for other, figure in self.figures.items():
            if other[0] in group:
                low, high = self.candidates(figure)
                expr = h.qsum(var[p] for p in self.parts[other])
                h.addConstr(expr >= low)
                h.addConstr(expr <= high)
        for first, second in LINKED_MARGINS:
            if {first, second} == group:
                for key in {k[0] for k in self.inner.get(first, []) + self.inner.get(second, [])}:
                    a = h.qsum(var[p] for p in self._members((first, (key, TOTAL))))
                    b = h.qsum(var[p] for p in self._members((second, (key, TOTAL))))
                    h.addConstr(a - b == 0)
        self.models[group] = (h, var)
        return h, var

    def exact(self, cell: CellId, value: int) -> bool:
        """Whether a true value other than `value` is consistent (mixed-integer program)."""
        group = frozenset({cell[0]})
        for first, second in LINKED_MARGINS:
            if cell[0] in (first, second):
                group = frozenset({first, second})
        h, var = self.model(group)
        target = h.qsum(var[p] for p in self.parts[cell])
        for constraint in (target >= value + 1, target <= value - 1):
            row = h.addConstr(constraint)
            h.run()
            status = h.getModelStatus()
            h.removeConstr(row)
            if status == highspy.HighsModelStatus.kOptimal:
                return True
        return False

    def pinned(self, true: dict[CellId, int]) -> list[tuple[CellId, int]]:
        """Cells with a small true count that no other consistent assignment allows."""
        inner_truth = {part: true.get(part, 0) for parts in self.parts.values() for part in parts}
        found = []
        for cell in sorted(self.figures):
            value = true.get(cell, 0)
            if value in SMALL and not self.witness(cell, inner_truth) and not self.exact(cell, value):
                found.append((cell, value))
        return found


@pytest.mark.parametrize(("ptable", "noise"), [(STANDARD, True), (NO_NOISE, False)], ids=["p-table", "no-noise"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clients=st.lists(client_st, min_size=1, max_size=30), seed=st.integers(0, 2**32 - 1))
def test_no_small_count_is_pinned_and_without_noise_the_attack_succeeds(
    ptable: PTable, noise: bool, clients: list[Any], seed: int
) -> None:
    attack(make_db(clients, seed), ptable, noise)


def attack(conn: Any, ptable: PTable, noise: bool) -> None:
    """Try to read every small count off the published figures: with noise none is pinned, without it every one."""
    true = truth(conn)
    figures = published(conn, ptable)
    pinned = Auditor(figures, ptable).pinned(true)
    small = [cell for cell, value in true.items() if value in SMALL]
    if noise:
        assert pinned == [], pinned[:5]
        assert all(value == 0 for cell, value in figures.items() if true[cell] == 0)  # zeros stay zero
    else:
        assert len(pinned) == len(small)  # every small count is read off exactly


def test_the_auditor_knows_what_the_p_table_allows() -> None:
    auditor = Auditor({}, STANDARD)
    assert auditor.candidates(0) == (0, 5)  # a published 0 may be a true 1..5
    assert auditor.candidates(1) == (1, 6)  # positive: never a true 0
    assert auditor.candidates(3) == (2, 8)  # a true 1 becomes 0, 1 or 2 only
    assert Auditor({}, NO_NOISE).candidates(3) == (3, 3)


def test_the_auditor_pins_a_cell_when_margins_leave_one_choice() -> None:
    # Hand-made figures no p-table row would produce together: the witness search and the
    # integer program both see that (a, x) can only be 1.
    figures = {
        ("t", ("a", "x")): 1,
        ("t", ("b", "x")): 0,
        ("t", ("a", TOTAL)): 1,
        ("t", ("b", TOTAL)): 0,
        ("t", (TOTAL, "x")): 1,
        ("t", (TOTAL, TOTAL)): 1,
    }
    exact = PTable("exact", 0, 0.0, {0: ((0, 1_000_000),), 1: ((0, 1_000_000),)})
    true = dict(figures)
    ones = sorted(cell for cell, value in figures.items() if value == 1)
    assert Auditor(figures, exact).pinned(true) == [(cell, 1) for cell in ones]
    assert Auditor(figures, STANDARD).pinned(true) == []  # with the p-table, (a, x) may as well be 2


# --- the district: five small desks, and a desk joining --------------------------------------

HOMES = ("ahlen", "beckum", "oelde", "telgte", "warendorf")


def small_desk(index: int) -> tuple[Store, dict[str, Any]]:
    rng = random.Random(1000 + index)
    conn = plain_store()
    populate(
        conn,
        clients=rng.randint(20, 60),
        contacts_per_client=2,
        quarters=[QUARTER],
        municipalities=(HOMES[index],),
        seed=rng.randint(0, 10**6),
    )
    payload = build_report(
        conn, desk_id=f"desk-{index}", municipality=HOMES[index], quarter=QUARTER, app_version="0.1.0"
    )
    return conn, payload


@pytest.fixture(scope="module")
def five_desks() -> list[tuple[Store, dict[str, Any]]]:
    return [small_desk(i) for i in range(5)]


def district_with(tmp_path: Path, payloads: list[dict[str, Any]]) -> DistrictStore:
    store = DistrictStore(tmp_path / f"district-{len(payloads)}.sqlite3")
    for payload in payloads:
        desk, _code = store.add_desk(payload["desk_id"], payload["municipality"])
        own = {**payload, "desk_id": desk.id, "report_id": f"{desk.id}:{payload['period']}"}
        assert store.store_report(own) == "stored"
    return store


def test_five_small_desks_give_a_full_district_picture(tmp_path: Path, five_desks) -> None:
    store = district_with(tmp_path, [payload for _conn, payload in five_desks])
    figures = picture(store, str(QUARTER))
    true: Counter[CellId] = Counter()
    for conn, _payload in five_desks:
        true.update(truth(conn))
    non_zero = [cell for cell, value in true.items() if value > 0]
    shown = [cell for cell in non_zero if cell in figures and (figures[cell].value or 0) > 0]
    assert len(shown) >= 0.8 * len(non_zero), (len(shown), len(non_zero))
    totals = [(name, key) for name, key in non_zero if all(part == TOTAL for part in key[1:])]
    assert len(totals) == 5 * len(TABLES) + len(
        TABLES
    )  # every municipality's and the district's and all((figures[cell].value or 0) > 0 for cell in totals)
    assert all(figure.value is not None for figure in figures.values())  # nothing suppressed
    # Every figure is the sum of what the desks published, with its expected error beside it.
    sums: Counter[CellId] = Counter()
    desks_with: Counter[CellId] = Counter()
    for _conn, payload in five_desks:
        for cell, value in cell_values(payload).items():
            sums[cell] += value or 0
            desks_with[cell] += 1 if value else 0
    assert {cell: f.value for cell, f in figures.items()} == {c: v for c, v in sums.items() if v}
    for cell, figure in figures.items():
        assert figure.error == pytest.approx(desks_with[cell] ** 0.5)


def test_a_desk_joining_removes_nothing_and_reveals_only_its_own_perturbed_figures(tmp_path: Path, five_desks) -> None:
    before = picture(district_with(tmp_path, [p for _c, p in five_desks[:4]]), str(QUARTER))
    after = picture(district_with(tmp_path, [p for _c, p in five_desks]), str(QUARTER))
    assert set(before) <= set(after)
    assert all((after[cell].value or 0) >= (figure.value or 0) for cell, figure in before.items())
    # Differencing: after - before is exactly the new desk's published (perturbed) figures ...
    conn, payload = five_desks[4]
    difference = {cell: (after[cell].value or 0) - (before.get(cell, ZERO).value or 0) for cell in after}
    own = {cell: value for cell, value in cell_values(payload).items() if value}
    assert {cell: value for cell, value in difference.items() if value} == own
    # ... from which the auditor still cannot pin any of its small counts.
    figures = {cell: difference.get(cell, 0) or 0 for cell in cell_values(payload)}
    assert Auditor(figures, STANDARD).pinned(truth(conn)) == []


def test_every_cell_of_the_same_records_has_the_same_value_everywhere() -> None:
    conn = make_db([("ahlen", 1980, [("ar", "phone", 3), ("ar", "phone", 40)], [])] * 3, seed=5)
    figures = published(conn, STANDARD)
    by_key = {key: value for (name, key), value in figures.items() if name == "contacts_by_channel"}
    same = {by_key[("ahlen", "phone")], by_key[("ahlen", TOTAL)], by_key[(TOTAL, "phone")], by_key[(TOTAL, TOTAL)]}
    language = {value for (name, key), value in figures.items() if name == "contacts_by_language_group" and value}
    assert len(same) == 1 and language <= same


# An earlier p-table (D = 4) let one desk out of ~400 be attacked: its margin (Ahlen, Bürgergeld)
# of 6 cases was published as 2 (noise -4, the edge of the row), and its four parts were all at
# their least possible values, so each was pinned. With D = 5 that edge is one in a million.
EARLIER_D4 = PTable(
    "kim-ckm-d4-v1/1",
    4,
    1.0,
    {
        0: ((0, 1_000_000),),
        1: ((-1, 333333), (0, 333334), (1, 333333)),
        2: ((-2, 52427), (-1, 282989), (0, 333335), (1, 277732), (2, 50496), (3, 2965), (4, 56)),
        3: ((-3, 2586), (-2, 48572), (-1, 282219), (0, 333338), (1, 282119), (2, 48539), (3, 2584), (4, 43)),
        4: ((-4, 42), (-3, 2573), (-2, 48482), (-1, 282236), (0, 333334), (1, 282236), (2, 48482), (3, 2573), (4, 42)),
        5: (
            (-4, 134),
            (-3, 4433),
            (-2, 53997),
            (-1, 241971),
            (0, 398930),
            (1, 241971),
            (2, 53997),
            (3, 4433),
            (4, 134),
        ),
    },
)


def attacked_desk() -> tuple[list[Any], int]:
    """Desk number 410 of a seeded run of random desks (the run that found the attack)."""
    rng = random.Random(1)
    clients: list[Any] = []
    seed = 0
    for _desk in range(411):
        clients = [
            (
                rng.choice(["ahlen", "beckum", "telgte"]),
                rng.randint(1930, 2024),
                [
                    (
                        rng.choice(["de", "ar", "uk", "fa", "tr"]),
                        rng.choice(["phone", "in_person", "video"]),
                        rng.randint(0, 91),
                    )
                    for _ in range(rng.randint(0, 4))
                ],
                [
                    (
                        rng.choice(["buergergeld", "wohngeld", "kindergeld"]),
                        rng.choice(["planned", "collecting", "submitted", "waiting"]),
                        rng.choice(["language", "costs", "no_response"]),
                    )
                    for _ in range(rng.randint(0, 3))
                ],
            )
            for _ in range(rng.randint(1, 40))
        ]
        seed = rng.getrandbits(32)
    return clients, seed


@pytest.mark.parametrize(("ptable", "pinned"), [(EARLIER_D4, 4), (STANDARD, 0)], ids=["D4", "D5"])
def test_a_margin_at_the_edge_of_its_row_pins_its_parts_only_with_the_earlier_table(
    ptable: PTable, pinned: int
) -> None:
    conn = make_db(*attacked_desk())
    found = Auditor(published(conn, ptable), ptable).pinned(truth(conn))
    assert len(found) == pinned, found
    assert all(cell[1][:2] == ("ahlen", "buergergeld") for cell, _value in found)
