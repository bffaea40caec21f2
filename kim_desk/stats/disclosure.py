"""Disclosure control: primary and secondary cell suppression with an interval audit.

A report is one system of linear relations: every table is published as a cube of
cells with all its margins ("*" in a key position means "all values of that dimension"),
and tables that count the same population share margins. Cells from 1 to k-1 are
suppressed (primary). Further cells are suppressed (secondary) until an auditor who
knows every published figure and that counts are non-negative cannot bound any
suppressed cell to an exact value or to an interval below k.

The auditor is interval propagation over the relations `whole = sum(parts)`: weaker
than linear programming on some patterns but exact on the row/column structure of
small tables; the property tests check the result with an independently written one.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

TOTAL = "*"
CellId = tuple[str, tuple[str, ...]]  # (table name, key)
Relation = tuple[CellId, tuple[CellId, ...]]  # whole, parts


@dataclass
class System:
    """Cell values (None = unknown, already suppressed upstream) and their relations."""

    values: dict[CellId, int | None] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)

    def add_cube(
        self, table: str, categories: Sequence[Sequence[str]], counts: Mapping[tuple[str, ...], int | None]
    ) -> None:
        """Add a table's cells and all its margins; keys missing from `counts` are zero."""
        add_cube(self, table, categories, counts)

    def link(self, a: CellId, b: CellId) -> None:
        """Two tables publish the same quantity (for example: contacts per municipality)."""
        self.relations.append((a, (b,)))


def add_cube(
    system: System,
    table: str,
    categories: Sequence[Sequence[str]],
    counts: Mapping[tuple[str, ...], int | None],
) -> None:
    axes = [[*values, TOTAL] for values in categories]
    keys = list(itertools.product(*axes))
    for key in keys:
        if TOTAL not in key:
            system.values[(table, key)] = counts.get(key, 0)
    # Margins are summed from the base cells; unknown parts make the margin unknown.
    for key in keys:
        if TOTAL in key:
            system.values[(table, key)] = _sum_known(counts.get(base, 0) for base in _bases(key, categories))
    for key in keys:
        for position, part in enumerate(key):
            if part != TOTAL:
                continue
            parts = tuple((table, (*key[:position], value, *key[position + 1 :])) for value in categories[position])
            system.relations.append(((table, key), parts))


def _bases(key: tuple[str, ...], categories: Sequence[Sequence[str]]) -> Iterable[tuple[str, ...]]:
    axes = [list(categories[i]) if part == TOTAL else [part] for i, part in enumerate(key)]
    return itertools.product(*axes)


def _sum_known(values: Iterable[int | None]) -> int | None:
    total = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


Bounds = dict[CellId, tuple[float, float]]


def interval_bounds(
    published: Mapping[CellId, int | None], relations: Sequence[Relation], max_passes: int = 500
) -> Bounds:
    """What an auditor can infer about every unpublished (None) cell: [low, high]."""
    low: dict[CellId, float] = {}
    high: dict[CellId, float] = {}
    for cell, value in published.items():
        if value is None:
            low[cell], high[cell] = 0.0, math.inf
    active = [(w, ps) for w, ps in relations if w in low or any(p in low for p in ps)]

    def get(cell: CellId) -> tuple[float, float]:
        if cell in low:
            return low[cell], high[cell]
        value = float(published[cell] or 0)
        return value, value

    for _pass in range(max_passes):
        changed = False
        for whole, parts in active:
            w_lo, w_hi = get(whole)
            part_bounds = [get(p) for p in parts]
            sum_lo = sum(b[0] for b in part_bounds)
            finite_hi = sum(b[1] for b in part_bounds if b[1] != math.inf)
            infinite = sum(1 for b in part_bounds if b[1] == math.inf)
            if whole in low:
                new_lo = max(w_lo, sum_lo)
                new_hi = min(w_hi, finite_hi if infinite == 0 else math.inf)
                if new_lo > w_lo or new_hi < w_hi:
                    low[whole], high[whole] = new_lo, new_hi
                    w_lo, w_hi, changed = new_lo, new_hi, True
            for part, (p_lo, p_hi) in zip(parts, part_bounds, strict=True):
                if part not in low:
                    continue
                others_lo = sum_lo - p_lo
                others_inf = infinite - (1 if p_hi == math.inf else 0)
                others_hi = math.inf if others_inf else finite_hi - (0 if p_hi == math.inf else p_hi)
                new_lo = max(low[part], w_lo - others_hi)
                new_hi = min(high[part], w_hi - others_lo)
                if new_lo > low[part] or new_hi < high[part]:
                    low[part], high[part], changed = new_lo, new_hi, True
        if not changed:
            break
    return {cell: (low[cell], high[cell]) for cell in low}


def exposed_cells(bounds: Bounds, k: int) -> list[CellId]:
    """Suppressed cells an auditor pins exactly or proves to be below k."""
    return sorted(cell for cell, (lo, hi) in bounds.items() if hi < k or lo == hi)


def protect(system: System, k: int) -> set[CellId]:
    """The set of cells to suppress so that no suppressed cell is exposed."""
    values = system.values
    suppressed = {c for c, v in values.items() if v is None or 0 < v < k}
    by_cell: dict[CellId, list[int]] = {}
    for index, (whole, parts) in enumerate(system.relations):
        for cell in (whole, *parts):
            by_cell.setdefault(cell, []).append(index)

    def members(index: int) -> tuple[CellId, ...]:
        whole, parts = system.relations[index]
        return (whole, *parts)

    def complement(cells: Iterable[CellId]) -> CellId | None:
        """The published cell with the smallest positive value (zeros add no cover)."""
        candidates = [c for c in cells if c not in suppressed and (values[c] or 0) > 0]
        if not candidates:
            return None
        return min(candidates, key=lambda c: (values[c] or 0, c))

    # Quick pass: no relation may hold exactly one suppressed cell.
    pending = sorted({i for c in suppressed for i in by_cell.get(c, [])})
    while pending:
        index = pending.pop()
        cells = members(index)
        if sum(1 for c in cells if c in suppressed) == 1:
            extra = complement(cells)
            if extra is not None:
                suppressed.add(extra)
                pending.extend(by_cell.get(extra, []))

    # Audit and repair until the auditor learns nothing below k.
    while True:
        published = {c: (None if c in suppressed else v) for c, v in values.items()}
        exposed = exposed_cells(interval_bounds(published, system.relations), k)
        if not exposed:
            return suppressed
        added = False
        for cell in exposed:
            neighbours = [m for i in by_cell.get(cell, []) for m in members(i)]
            extra = complement(neighbours) or complement(c for c in values if c[0] == cell[0]) or complement(values)
            if extra is not None and extra not in suppressed:
                suppressed.add(extra)
                added = True
        if not added:
            return suppressed  # everything positive is suppressed: nothing left to learn
