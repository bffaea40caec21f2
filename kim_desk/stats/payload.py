"""The report payload: its tables, canonical JSON, content hash and validation.

Shared by the desk (which checks every report before it is queued) and the district
service (which checks every report it receives). Key parts are known codes only, never
free text; "*" (a whole key part, never inside a code) stands for the total over a
dimension. Every table is a full cube: its cells and all margins, the grand total apart.

Schemas: report/3 (now) adds referrals, unmet needs and interpreter requests to the tables
of report/2; the district still takes report/2 from desks not yet updated (and reports a desk
froze before its update), with exactly the tables of report/2. Report/1 (the suppression era)
is only read from the district's store, never taken in.

Service codes are the codes of the services catalogue (forms/services, or a district content
pack). The district checks them by the catalogue's code rule, not against its own list: desks
may run an older or newer catalogue than the district, and one unknown offer must not cost the
whole report. The district shows an offer's title from its catalogue, the code only for an
offer it does not know.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from kim_desk import taxonomy
from kim_desk.errors import KnownError
from kim_desk.i18n import N_, _
from kim_desk.stats import tables as t
from kim_desk.stats.cellkey import TOTAL, Key
from kim_desk.stats.periods import is_period
from kim_desk.stats.ptable import by_params

SCHEMA = "kim-desk.report/3"  # cell key method, with referrals, unmet needs and interpreter requests
SCHEMA_V2 = "kim-desk.report/2"  # cell key method, before referrals: still taken in
SCHEMA_SUPPRESSION = "kim-desk.report/1"  # the suppression era: stored reports are still read
MAX_PAYLOAD_BYTES = 2_000_000
OTHER = t.OTHER
_TYPE_CODE = re.compile(r"^[a-z0-9_.-]{1,48}$")
_DESK_ID = re.compile(r"^[a-z0-9-]{1,64}$")
_KEYS = {"schema", "report_id", "desk_id", "period", "municipality", "protection", "app_version", "tables"}
CODES: dict[str, tuple[str, ...]] = {
    "state": (*t.STATES, OTHER),
    "barrier": t.BARRIER_CODES,
    "time_to_submission": t.SUBMISSION_BANDS,
    "language_group": t.LANGUAGE_GROUP_CODES,
    "channel": t.CHANNEL_CODES,
    "age_band": t.AGE_BANDS,
    "referral_outcome": t.REFERRAL_OUTCOME_CODES,
    "need": t.NEED_CODES,
    "mediator_result": t.MEDIATOR_RESULT_CODES,
}


@dataclass(frozen=True)
class TableSpec:
    name: str
    dims: tuple[str, ...]
    title: str  # German source, N_-marked


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "cases_by_type_state",
            ("municipality", "application_type", "state"),
            N_("Anträge nach Art und Stand am Quartalsende"),
        ),
        TableSpec(
            "barriers_by_type",
            ("municipality", "application_type", "barrier"),
            N_("Im Quartal erfasste Hürden nach Antragsart"),
        ),
        TableSpec(
            "submission_time_by_type",
            ("municipality", "application_type", "time_to_submission"),
            N_("Eingereichte Anträge nach Zeit von der Eröffnung bis zur Einreichung"),
        ),
        TableSpec(
            "contacts_by_language_group",
            ("municipality", "language_group"),
            N_("Beratungskontakte nach Sprachgruppe"),
        ),
        TableSpec(
            "contacts_by_channel",
            ("municipality", "channel"),
            N_("Beratungskontakte nach Kontaktweg"),
        ),
        TableSpec(
            "clients_by_age_band",
            ("municipality", "age_band"),
            N_("Beratene Personen nach Altersgruppe"),
        ),
        TableSpec(
            "referrals_by_service_outcome",
            ("municipality", "service", "referral_outcome"),
            N_("Vermittlungen nach Angebot und Ergebnis"),
        ),
        TableSpec(
            "unmet_needs_by_category",
            ("municipality", "need"),
            N_("Bedarfe ohne passendes Angebot"),
        ),
        TableSpec(
            "mediator_requests_by_language_result",
            ("municipality", "language_group", "mediator_result"),
            N_("Anfragen an den Sprachmittlerpool nach Sprachgruppe und Ergebnis"),
        ),
    )
}
_NEW_IN_3 = ("referrals_by_service_outcome", "unmet_needs_by_category", "mediator_requests_by_language_result")
# The tables each accepted schema carries.
SCHEMA_TABLES: dict[str, frozenset[str]] = {
    SCHEMA: frozenset(TABLES),
    SCHEMA_V2: frozenset(TABLES) - frozenset(_NEW_IN_3),
}

# Both contact tables count the same contacts: their municipality margins are one figure.
LINKED_MARGINS = (("contacts_by_language_group", "contacts_by_channel"),)


class PayloadError(KnownError):
    """A report does not follow the schema; the message says where."""


def canonical_json(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def report_id(desk_id: str, period: str) -> str:
    return f"{desk_id}:{period}"


def _fail(where: str) -> PayloadError:
    return PayloadError(_("Der Bericht ist ungültig: {where}").format(where=where))


def validate_payload(payload: Any, protection: dict[str, Any] | None = None) -> dict[str, Any]:
    """Check structure, codes and the internal consistency of every table; returns the payload.

    With `protection` (the district's parameters) also: the report was perturbed with exactly
    those parameters, and is sent for a municipality of the district. Raises PayloadError.
    """
    if not isinstance(payload, dict):
        raise _fail("payload")
    if set(payload) != _KEYS:
        raise _fail("keys")
    if not isinstance(payload["schema"], str) or payload["schema"] not in SCHEMA_TABLES:
        raise _fail("schema")
    desk_id, period = payload["desk_id"], payload["period"]
    if not isinstance(desk_id, str) or not _DESK_ID.match(desk_id):
        raise _fail("desk_id")
    if not is_period(period):
        raise _fail("period")
    if payload["report_id"] != report_id(desk_id, period):
        raise _fail("report_id")
    if not isinstance(payload["municipality"], str) or not _TYPE_CODE.match(payload["municipality"]):
        raise _fail("municipality")
    version = payload["app_version"]
    if not isinstance(version, str) or not re.match(r"^[0-9A-Za-z.+-]{1,32}$", version):
        raise _fail("app_version")
    ptable = by_params(payload["protection"])
    if ptable is None:
        raise _fail("protection")
    if protection is not None:
        if canonical_json(payload["protection"]) != canonical_json(protection):
            raise _fail("protection")
        if payload["municipality"] not in taxonomy.MUNICIPALITIES:
            raise _fail("municipality")
    tables = payload["tables"]
    if not isinstance(tables, dict) or set(tables) != SCHEMA_TABLES[payload["schema"]]:
        raise _fail("tables")
    values = {name: _validate_table(name, table, ptable.max_deviation) for name, table in tables.items()}
    _check_linked(values)
    return payload


def _is_count(value: Any) -> bool:
    return type(value) is int and 0 <= value < 10**9


def _code_ok(dim: str, part: Any) -> bool:
    if not isinstance(part, str):
        return False
    if dim == "municipality":
        return part in taxonomy.MUNICIPALITIES or part == OTHER
    if dim == "application_type":
        return _TYPE_CODE.match(part) is not None
    if dim == "service":
        return t.SERVICE_CODE.match(part) is not None or part == OTHER
    return part in CODES[dim]


def _validate_table(name: str, table: Any, max_deviation: int) -> dict[Key, int]:
    """The table's figures by key (total as all-"*"), after checking its layout and consistency."""
    spec = TABLES[name]
    if not isinstance(table, dict) or set(table) != {"dims", "cells", "total"}:
        raise _fail(name)
    if table["dims"] != list(spec.dims):
        raise _fail(f"{name}.dims")
    if not _is_count(table["total"]):
        raise _fail(f"{name}.total")
    cells = table["cells"]
    if not isinstance(cells, list) or len(cells) > 50_000:
        raise _fail(f"{name}.cells")
    total_key = (TOTAL,) * len(spec.dims)
    values: dict[Key, int] = {total_key: table["total"]}
    accepted: list[set[str]] = [{TOTAL} for _dim in spec.dims]  # each code is checked once per table
    for cell in cells:
        if not isinstance(cell, dict) or len(cell) != 2 or "key" not in cell or "value" not in cell:
            raise _fail(f"{name}.cells")
        key = cell["key"]
        if not isinstance(key, list) or len(key) != len(spec.dims):
            raise _fail(f"{name}.key")
        for known, dim, part in zip(accepted, spec.dims, key, strict=True):
            if isinstance(part, str) and part in known:
                continue
            if not _code_ok(dim, part):
                raise _fail(f"{name}.key")
            known.add(part)
        if tuple(key) in values:  # a duplicate, or a second total
            raise _fail(f"{name}.key")
        if not _is_count(cell["value"]):
            raise _fail(f"{name}.value")
        values[tuple(key)] = cell["value"]
    _check_cube(name, values, len(spec.dims), max_deviation)
    return values


def _check_cube(name: str, values: dict[Key, int], dims: int, max_deviation: int) -> None:
    """Every margin present, and each within reach of its parts.

    A published v comes from a true count in [max(1, v - D), v + D] (v > 0) or [0, D]
    (v = 0: true zeros stay zero, small counts may become 0); a margin's true count is
    the sum of its parts', and it is published at most D away from it.
    """
    codes = [sorted({key[i] for key in values if key[i] != TOTAL}) for i in range(dims)]
    size = 1
    for values_of_dim in codes:
        size *= len(values_of_dim) + 1
    if len(values) != size:
        raise _fail(f"{name}.margins")
    d = max_deviation
    for key, value in values.items():
        for position, part in enumerate(key):
            if part != TOTAL:
                continue
            parts = [values[(*key[:position], code, *key[position + 1 :])] for code in codes[position]]
            low = sum(max(1, v - d) if v else 0 for v in parts)
            high = sum(v + d for v in parts)
            if not low - d <= value <= high + d:
                raise _fail(f"{name}.margins")


def _check_linked(values: dict[str, dict[Key, int]]) -> None:
    """Tables that count the same records publish their shared margins with the same value."""
    for first, second in LINKED_MARGINS:
        a = {key: v for key, v in values[first].items() if all(part == TOTAL for part in key[1:])}
        b = {key: v for key, v in values[second].items() if all(part == TOTAL for part in key[1:])}
        if a != b:
            raise _fail(f"{first}.{second}")
