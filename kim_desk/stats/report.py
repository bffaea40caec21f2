"""Building a quarter's report: count, protect, and lay out the payload."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kim_desk.stats import tables as t
from kim_desk.stats.disclosure import TOTAL, CellId, System, protect
from kim_desk.stats.payload import LINKED_MARGINS, SCHEMA, TABLES, report_id, validate_payload
from kim_desk.stats.periods import Quarter
from kim_desk.store import Store

DEFAULT_K = 5


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


def categories(counts: Mapping[str, Counter[t.Key]]) -> dict[str, list[str]]:
    """The values of every dimension: fixed code lists, plus what occurs for the open ones."""
    municipalities = sorted({key[0] for table in counts.values() for key in table})
    types = sorted(
        {
            key[1]
            for name in ("cases_by_type_state", "barriers_by_type", "submission_time_by_type")
            for key in counts[name]
        }
    )
    return {
        "municipality": municipalities,
        "application_type": types,
        "state": list(t.STATES),
        "barrier": list(t.BARRIER_CODES),
        "time_to_submission": list(t.SUBMISSION_BANDS),
        "language_group": list(t.LANGUAGE_GROUP_CODES),
        "channel": list(t.CHANNEL_CODES),
        "age_band": list(t.AGE_BANDS),
    }


def build_system(counts: Mapping[str, Mapping[t.Key, int | None]], dims_values: Mapping[str, list[str]]) -> System:
    system = System()
    for name, spec in TABLES.items():
        system.add_cube(name, [dims_values[d] for d in spec.dims], counts.get(name, {}))
    for first, second in LINKED_MARGINS:
        for municipality in [*dims_values["municipality"], TOTAL]:
            system.link((first, (municipality, TOTAL)), (second, (municipality, TOTAL)))
    return system


def protected_tables(system: System, k: int) -> dict[str, dict[str, Any]]:
    """Lay out the protected system as payload tables (cells in a stable order)."""
    suppressed = protect(system, k)
    tables: dict[str, dict[str, Any]] = {
        name: {"dims": list(spec.dims), "cells": [], "total": None} for name, spec in TABLES.items()
    }
    for cell_id in sorted(system.values):
        name, key = cell_id
        value = None if cell_id in suppressed else system.values[cell_id]
        if all(part == TOTAL for part in key):
            tables[name]["total"] = value
        else:
            tables[name]["cells"].append({"key": list(key), "value": value, "suppressed": value is None})
    return tables


def build_report(
    store: Store,
    *,
    desk_id: str,
    municipality: str,
    quarter: Quarter,
    k: int = DEFAULT_K,
    app_version: str,
    window: t.Window | None = None,
) -> dict[str, Any]:
    """The payload for `quarter`, with disclosure control applied; validated before return."""
    counts = t.count_tables(store, window or t.Window(quarter))
    system = build_system(counts, categories(counts))
    payload = {
        "schema": SCHEMA,
        "report_id": report_id(desk_id, str(quarter)),
        "desk_id": desk_id,
        "period": str(quarter),
        "municipality": municipality,
        "k": k,
        "app_version": app_version,
        "tables": protected_tables(system, k),
    }
    return validate_payload(payload)


def cell_values(payload: Mapping[str, Any]) -> dict[CellId, int | None]:
    """Every published figure of a payload, keyed like the disclosure system (total included)."""
    values: dict[CellId, int | None] = {}
    for name, table in payload["tables"].items():
        for cell in table["cells"]:
            values[(name, tuple(cell["key"]))] = cell["value"]
        values[(name, (TOTAL,) * len(table["dims"]))] = table["total"]
    return values
