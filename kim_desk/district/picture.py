"""The district picture: all desks' figures merged, with disclosure control applied again.

Merging can make a suppressed contribution recomputable (another desk's published figures
fill in the rest), so the merged tables go through the same protection as a desk's:
unknown merged cells are primary, and complements are suppressed until the auditor
learns nothing below k.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass

from kim_desk.district.store import DistrictStore
from kim_desk.i18n import _
from kim_desk.stats.disclosure import TOTAL, CellId, System, add_cube, protect
from kim_desk.stats.payload import LINKED_MARGINS, TABLES
from kim_desk.stats.periods import last_closed_quarter, parse_quarter, quarters_between

Figures = dict[CellId, int | None]


def protected_picture(merged: Mapping[CellId, int | None], k: int) -> Figures:
    dims_values: dict[str, set[str]] = {}
    for name, key in merged:
        for dim, part in zip(TABLES[name].dims, key, strict=True):
            if part != TOTAL:
                dims_values.setdefault(dim, set()).add(part)
    system = System()
    for name, spec in TABLES.items():
        categories = [sorted(dims_values.get(dim, set())) for dim in spec.dims]
        counts = {key: value for (table, key), value in merged.items() if table == name}
        add_cube(system, name, categories, counts)
        # What the desks published for margins is known even where parts are not.
        for (table, key), value in merged.items():
            if table == name and TOTAL in key:
                system.values[(table, key)] = value
    for first, second in LINKED_MARGINS:
        for municipality in [*sorted(dims_values.get("municipality", set())), TOTAL]:
            system.link((first, (municipality, TOTAL)), (second, (municipality, TOTAL)))
    suppressed = protect(system, k)
    return {cell: (None if cell in suppressed else value) for cell, value in system.values.items()}


def picture(store: DistrictStore, period: str) -> Figures:
    """The protected picture of a quarter; recomputed only when reports arrived or k changed."""
    key = (period, store.report_count(period), store.k())
    if key not in store.picture_cache:
        for old in [k for k in store.picture_cache if k[0] == period]:
            del store.picture_cache[old]
        store.picture_cache[key] = protected_picture(store.merged(period), store.k())
    figures: Figures = store.picture_cache[key]
    return figures


def csv_text(store: DistrictStore, periods: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [_("Quartal"), _("Tabelle"), _("Gemeinde"), _("Merkmal 1"), _("Merkmal 2"), _("Anzahl"), _("Gesperrt")]
    )
    for period in periods:
        figures = picture(store, period)
        for (name, key), value in sorted(figures.items()):
            if value == 0:
                continue  # zeros would be most of the rows; what is absent is 0
            rest = [*key[1:], "", ""][:2]
            writer.writerow([period, name, key[0], *rest, "" if value is None else value, 1 if value is None else 0])
    return out.getvalue()


def margin(figures: Figures, table: str, position: int) -> list[tuple[str, int | None]]:
    """One dimension's totals: the cells with a code at `position` and "*" elsewhere."""
    rows = []
    for (name, key), value in sorted(figures.items()):
        if (
            name == table
            and key[position] != TOTAL
            and all(part == TOTAL for i, part in enumerate(key) if i != position)
        ):
            rows.append((key[position], value))
    return rows


def total(figures: Figures, table: str) -> int | None:
    dims = len(TABLES[table].dims)
    return figures.get((table, (TOTAL,) * dims))


@dataclass(frozen=True)
class ExpectedRow:
    desk_id: str
    name: str
    municipality: str
    received: dict[str, bool]  # period -> received


def expected_vs_received(store: DistrictStore, today: dt.date) -> tuple[list[str], list[ExpectedRow]]:
    last = last_closed_quarter(today)
    desks = store.desks()
    firsts = [parse_quarter(d.first_period) for d in desks if d.first_period]
    if not firsts:
        return [], []
    periods = [str(q) for q in quarters_between(min(firsts), last)][-8:]
    got = store.received()
    rows = []
    for desk in desks:
        if not desk.first_period:
            continue
        expected = {p for p in periods if p >= desk.first_period}
        rows.append(
            ExpectedRow(desk.id, desk.name, desk.municipality, {p: (desk.id, p) in got for p in sorted(expected)})
        )
    return periods, rows


def trend(store: DistrictStore, table: str) -> list[tuple[str, int | None]]:
    return [(period, total(picture(store, period), table)) for period in store.periods()]
