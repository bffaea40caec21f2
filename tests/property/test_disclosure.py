"""An auditor who knows every published figure cannot pin a suppressed cell below k."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kim_desk.stats.periods import Quarter
from kim_desk.stats.report import build_report
from kim_desk.store import Store
from kim_desk.store.schema_v1 import SCHEMA_V1

QUARTER = Quarter(2026, 3)
PLAIN_SCHEMA = SCHEMA_V1.split("CREATE VIRTUAL TABLE")[0]
INF = float("inf")

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


def make_db(
    clients: list[tuple[str, int, list[tuple[str, str, int]], list[tuple[str, str, str]]]],
) -> Store:
    conn = sqlite3.connect(":memory:")
    conn.executescript(PLAIN_SCHEMA)
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
    return Store(conn, Path(":memory:"))


def relations(payload: dict) -> list[tuple[tuple, list[tuple]]]:
    """Every sum the published layout implies, derived from the payload alone."""
    found: list[tuple[tuple, list[tuple]]] = []
    for name, table in payload["tables"].items():
        keys = [tuple(c["key"]) for c in table["cells"]] + [("*",) * len(table["dims"])]
        for key in keys:
            for pos, part in enumerate(key):
                if part == "*":
                    parts = [
                        (name, other)
                        for other in keys
                        if other[pos] != "*" and all(other[i] == key[i] for i in range(len(key)) if i != pos)
                    ]
                    found.append(((name, key), parts))
    muni_keys = [c["key"] for c in payload["tables"]["contacts_by_channel"]["cells"] if c["key"][1] == "*"] + [
        ["*", "*"]
    ]
    for key in muni_keys:
        found.append((("contacts_by_language_group", tuple(key)), [("contacts_by_channel", tuple(key))]))
    return found


def audit(payload: dict) -> dict[tuple, list[float]]:
    known: dict[tuple, float] = {}
    bounds: dict[tuple, list[float]] = {}
    for name, table in payload["tables"].items():
        cells = [(tuple(c["key"]), c["value"]) for c in table["cells"]]
        cells.append((("*",) * len(table["dims"]), table["total"]))
        for key, value in cells:
            if value is None:
                bounds[(name, key)] = [0.0, INF]
            else:
                known[(name, key)] = float(value)

    def lo(c: tuple) -> float:
        return known[c] if c in known else bounds[c][0]

    def hi(c: tuple) -> float:
        return known[c] if c in known else bounds[c][1]

    rels = relations(payload)
    for _ in range(1000):
        changed = False
        for whole, parts in rels:
            # whole - sum(parts) = 0, read as one equation over all its members
            members = [(whole, 1)] + [(p, -1) for p in parts]
            for cell, sign in members:
                if cell in known:
                    continue
                rest_lo = rest_hi = 0.0
                for other, s in members:
                    if other is cell:
                        continue
                    a, b = (lo(other), hi(other)) if s * sign < 0 else (-hi(other), -lo(other))
                    rest_lo += a
                    rest_hi += b
                # cell = sum of the others with the sign flipped appropriately
                new_lo, new_hi = max(bounds[cell][0], rest_lo), min(bounds[cell][1], rest_hi)
                if new_lo > bounds[cell][0] or new_hi < bounds[cell][1]:
                    bounds[cell] = [new_lo, new_hi]
                    changed = True
        if not changed:
            break
    return bounds


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clients=st.lists(client_st, min_size=0, max_size=40), k=st.sampled_from([3, 5, 10]))
def test_no_suppressed_cell_can_be_pinned_below_k(clients: list, k: int) -> None:
    payload = build_report(
        make_db(clients), desk_id="d1", municipality="ahlen", quarter=QUARTER, k=k, app_version="0.1.0"
    )
    for name, table in payload["tables"].items():
        for cell in table["cells"] + [{"value": table["total"], "key": ["*"]}]:
            assert cell["value"] is None or cell["value"] == 0 or cell["value"] >= k, (name, cell)
    for cell, (low, high) in audit(payload).items():
        assert high >= k, (cell, low, high)
        assert low < high, (cell, low, high)


@settings(max_examples=30, deadline=None)
@given(clients=st.lists(client_st, min_size=1, max_size=40))
def test_published_figures_are_the_true_counts(clients: list) -> None:
    payload = build_report(
        make_db(clients), desk_id="d1", municipality="ahlen", quarter=QUARTER, k=5, app_version="0.1.0"
    )
    truth: Counter[tuple[str, ...]] = Counter()
    for muni, _year, contacts, _cases in clients:
        for _lang, channel, _day in contacts:
            truth[(muni, channel)] += 1
            truth[(muni, "*")] += 1
            truth[("*", channel)] += 1
    for cell in payload["tables"]["contacts_by_channel"]["cells"]:
        if cell["value"] is not None:
            assert cell["value"] == truth[tuple(cell["key"])]
        else:
            assert truth[tuple(cell["key"])] > 0  # only non-zero cells are ever suppressed
    total = sum(len(c[2]) for c in clients)
    assert payload["tables"]["contacts_by_channel"]["total"] in (None, total)
