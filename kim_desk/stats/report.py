"""Building a quarter's report: count, perturb (cell key method), and lay out the payload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kim_desk.stats import tables as t
from kim_desk.stats.cellkey import TOTAL, CellId, Key, Tally, cube, perturb
from kim_desk.stats.payload import CODES, SCHEMA, TABLES, report_id, validate_payload
from kim_desk.stats.periods import Quarter
from kim_desk.stats.ptable import STANDARD, PTable
from kim_desk.store import Store


@dataclass(frozen=True)
class Frozen:
    """The last report already frozen before the one being built."""

    period: Quarter
    watermarks: dict[str, int]


def window_for(quarter: Quarter, first: Quarter, previous: Frozen | None) -> t.Window:
    """Late records: dated in [first quarter, previous frozen quarter], entered after it froze."""
    if previous is None or previous.period >= quarter or first > previous.period:
        return t.Window(quarter)
    return t.Window(
        quarter,
        late_from=first.start.isoformat(),
        late_before=previous.period.next().start.isoformat(),
        watermarks=dict(previous.watermarks),
    )


def categories(counts: Mapping[str, Mapping[Key, Any]]) -> dict[str, list[str]]:
    """The values of every dimension: the fixed code list, plus what occurs (open dimensions)."""
    found: dict[str, set[str]] = {}
    for name, cells in counts.items():
        for key in cells:
            for dim, part in zip(TABLES[name].dims, key, strict=True):
                found.setdefault(dim, set()).add(part)
    result: dict[str, list[str]] = {}
    for spec in TABLES.values():
        for dim in spec.dims:
            fixed = list(CODES.get(dim, ()))
            result[dim] = fixed + sorted(found.get(dim, set()) - set(fixed))
    return result


def perturbed_tables(tallies: Mapping[str, Mapping[Key, Tally]], ptable: PTable) -> dict[str, dict[str, Any]]:
    """Every table as a full cube with its margins, each cell perturbed on its own (stable order)."""
    dims_values = categories(tallies)
    result: dict[str, dict[str, Any]] = {}
    for name, spec in TABLES.items():
        values = perturb(cube([dims_values[d] for d in spec.dims], tallies.get(name, {})), ptable)
        total = (TOTAL,) * len(spec.dims)
        cells = [{"key": list(key), "value": value} for key, value in sorted(values.items()) if key != total]
        result[name] = {"dims": list(spec.dims), "cells": cells, "total": values[total]}
    return result


def build_report(
    store: Store,
    *,
    desk_id: str,
    municipality: str,
    quarter: Quarter,
    app_version: str,
    ptable: PTable = STANDARD,
    window: t.Window | None = None,
) -> dict[str, Any]:
    """The payload for `quarter`, perturbed with `ptable`; validated before return."""
    tallies = t.count_tables(store, window or t.Window(quarter))
    payload = {
        "schema": SCHEMA,
        "report_id": report_id(desk_id, str(quarter)),
        "desk_id": desk_id,
        "period": str(quarter),
        "municipality": municipality,
        "protection": ptable.params(),
        "app_version": app_version,
        "tables": perturbed_tables(tallies, ptable),
    }
    return validate_payload(payload)


def cell_values(payload: Mapping[str, Any]) -> dict[CellId, int | None]:
    """Every published figure of a payload, keyed by (table, key) with the total as all-"*"."""
    values: dict[CellId, int | None] = {}
    for name, table in payload["tables"].items():
        for cell in table["cells"]:
            values[(name, tuple(cell["key"]))] = cell["value"]
        values[(name, (TOTAL,) * len(table["dims"]))] = table["total"]
    return values
