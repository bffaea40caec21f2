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


def header() -> list[str]:
    """The columns of the district's tables of figures (CSV, ODS, XLSX)."""
    return [
        _("Quartal"),
        _("Tabelle"),
        _("Gemeinde"),
        _("Merkmal 1"),
        _("Merkmal 2"),
        _("Anzahl"),
        _("Erwarteter Fehler (±)"),
    ]


def csv_text(store: DistrictStore, periods: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*header(), _("Gesperrt")])
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


def margin(figures: Figures, table: str, position: int, municipality: str = TOTAL) -> list[tuple[str, Figure]]:
    """One dimension's totals: the cells with a code at `position` and "*" elsewhere
    (or, with `municipality`, that municipality's cells)."""
    rows = []
    for (name, key), figure in sorted(figures.items()):
        if (
            name == table
            and key[position] != TOTAL
            and (position == 0 or key[0] == municipality)
            and all(part == TOTAL for i, part in enumerate(key) if i not in (0, position))
        ):
            rows.append((key[position], figure))
    return rows


def grid(figures: Figures, table: str, municipality: str = TOTAL) -> dict[tuple[str, str], Figure]:
    """A three-dimensional table's inner cells (dimension 2 × dimension 3) for one municipality or all."""
    return {
        (key[1], key[2]): figure
        for (name, key), figure in figures.items()
        if name == table and key[0] == municipality and key[1] != TOTAL and key[2] != TOTAL
    }


def previous_period(period: str) -> str:
    return str(parse_quarter(period).previous())


def year_before(period: str) -> str:
    quarter = parse_quarter(period)
    return f"{quarter.year - 1}Q{quarter.number}"


def barrier_change(
    store: DistrictStore, period: str, municipality: str = TOTAL
) -> list[tuple[str, str, Figure, Figure, Figure]]:
    """Barriers per municipality × application type: this quarter, the one before and the same
    quarter a year before (0 when absent)."""
    periods = [period, previous_period(period), year_before(period)]
    found = store.table_by_period("barriers_by_type", periods, last_is_total=True)
    tables = [{key: Figure(v, math.sqrt(var)) for key, (v, var) in found[p].items()} for p in periods]
    keys = {
        key
        for figures in tables
        for key in figures
        if key[0] != TOTAL and key[1] != TOTAL and key[2] == TOTAL and municipality in (TOTAL, key[0])
    }
    now, before, last_year = tables
    rows = [
        (key[0], key[1], now.get(key, ZERO), before.get(key, ZERO), last_year.get(key, ZERO)) for key in sorted(keys)
    ]
    return [row for row in rows if row[2].value or row[3].value or row[4].value]


def total(figures: Figures, table: str) -> Figure:
    dims = len(TABLES[table].dims)
    return figures.get((table, (TOTAL,) * dims), ZERO)


@dataclass(frozen=True)
class ExpectedRow:
    desk_id: str
    name: str
    municipality: str
    state: str  # enrolled | code_open | code_expired | revoked
    received: dict[str, bool]  # period -> received, for the periods the desk owes
    last_contact: str | None  # UTC date of the last report received, YYYY-MM-DD
    content_version: int | None = None  # content pack the desk last said it runs (None: never asked)

    @property
    def missing(self) -> int:
        return sum(1 for ok in self.received.values() if not ok)


def expected_vs_received(store: DistrictStore, today: dt.date) -> tuple[list[str], list[ExpectedRow]]:
    """Every desk (enrolled or not) with the quarters it owes since its first one (at most the last 8)."""
    last = last_closed_quarter(today)
    desks = store.desks()
    if not desks:
        return [], []
    firsts = [parse_quarter(d.first_period) for d in desks if d.first_period]
    first = min([*firsts, last])
    periods = [str(q) for q in quarters_between(first, last)][-8:]
    got = store.received()
    contacts = dict(store.conn.execute("SELECT desk_id, MAX(received_at) FROM report GROUP BY desk_id").fetchall())
    rows = []
    for desk in desks:
        expected = {p for p in periods if desk.first_period and p >= desk.first_period}
        last_contact = contacts.get(desk.id)
        rows.append(
            ExpectedRow(
                desk.id,
                desk.name,
                desk.municipality,
                desk.state,
                {p: (desk.id, p) in got for p in sorted(expected)},
                str(last_contact)[:10] if last_contact else None,
                desk.content_version,
            )
        )
    return periods, rows


def trend(store: DistrictStore, table: str, municipality: str = TOTAL) -> list[tuple[str, Figure]]:
    """The table's total per quarter received (for one municipality or all), at most the last 8."""
    dims = len(TABLES[table].dims)
    cells = store.cell_by_period(table, (municipality,) + (TOTAL,) * (dims - 1))
    found = {period: Figure(value, math.sqrt(variance)) for period, (value, variance) in cells.items()}
    return [(period, found.get(period, ZERO)) for period in store.periods()[-8:]]
