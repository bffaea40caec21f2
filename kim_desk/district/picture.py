"""The district picture: all desks' figures for a quarter, summed.

Desks publish perturbed figures (cell key method): summing them is post-processing and
reveals nothing the desks' own figures did not, so nothing is suppressed and a desk that
joins only ever adds to a figure. Next to every figure stands its expected error: one
standard deviation of the summed noise, sqrt(sum of V) over the desks with a non-zero
figure for that cell. Reports of the suppression era (schema 1) are still read: a cell
that any of their desks suppressed is shown as suppressed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass

from kim_desk.district.store import DistrictStore
from kim_desk.i18n import _
from kim_desk.stats.cellkey import TOTAL, CellId
from kim_desk.stats.payload import TABLES
from kim_desk.stats.periods import last_closed_quarter, parse_quarter, quarters_between


@dataclass(frozen=True)
class Figure:
    value: int | None  # None: suppressed by a desk (reports of the suppression era only)
    error: float = 0.0  # expected error (±): one standard deviation of the summed noise


ZERO = Figure(0)
Figures = dict[CellId, Figure]


def picture(store: DistrictStore, period: str) -> Figures:
    """The district picture of a quarter; recomputed only when reports arrived."""
    key = (period, store.report_count(period))
    if key not in store.picture_cache:
        for old in [k for k in store.picture_cache if k[0] == period]:
            del store.picture_cache[old]
        store.picture_cache[key] = {
            cell: Figure(value, math.sqrt(variance)) for cell, (value, variance) in store.merged(period).items()
        }
    figures: Figures = store.picture_cache[key]
    return figures


def csv_text(store: DistrictStore, periods: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            _("Quartal"),
            _("Tabelle"),
            _("Gemeinde"),
            _("Merkmal 1"),
            _("Merkmal 2"),
            _("Anzahl"),
            _("Erwarteter Fehler (±)"),
            _("Gesperrt"),
        ]
    )
    for period in periods:
        figures = picture(store, period)
        for (name, key), figure in sorted(figures.items()):
            if figure.value == 0:
                continue  # zeros would be most of the rows; what is absent is 0
            rest = [*key[1:], "", ""][:2]
            suppressed = figure.value is None
            value = "" if suppressed else figure.value
            writer.writerow([period, name, key[0], *rest, value, f"{figure.error:.1f}", 1 if suppressed else 0])
    return out.getvalue()


def margin(figures: Figures, table: str, position: int) -> list[tuple[str, Figure]]:
    """One dimension's totals: the cells with a code at `position` and "*" elsewhere."""
    rows = []
    for (name, key), figure in sorted(figures.items()):
        if (
            name == table
            and key[position] != TOTAL
            and all(part == TOTAL for i, part in enumerate(key) if i != position)
        ):
            rows.append((key[position], figure))
    return rows


def total(figures: Figures, table: str) -> Figure:
    dims = len(TABLES[table].dims)
    return figures.get((table, (TOTAL,) * dims), ZERO)


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


def trend(store: DistrictStore, table: str) -> list[tuple[str, Figure]]:
    return [(period, total(picture(store, period), table)) for period in store.periods()]
