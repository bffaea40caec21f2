"""The report payload: its tables, canonical JSON, content hash and validation.

Shared by the desk (which checks every report before it is queued) and the district
service (which checks every report it receives). Key parts are short codes only,
never free text; "*" stands for the total over a dimension.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from kim_desk.errors import KnownError
from kim_desk.i18n import N_, _
from kim_desk.stats.periods import is_period

SCHEMA = "kim-desk.report/1"
MAX_PAYLOAD_BYTES = 2_000_000
_CODE = re.compile(r"^[a-z0-9_.*-]{1,48}$")
_DESK_ID = re.compile(r"^[a-z0-9-]{1,64}$")


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
    )
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


def validate_payload(payload: Any) -> dict[str, Any]:
    """Check structure, codes and figures; returns the payload or raises PayloadError."""
    if not isinstance(payload, dict):
        raise _fail("payload")
    expected = {"schema", "report_id", "desk_id", "period", "municipality", "k", "app_version", "tables"}
    if set(payload) != expected:
        raise _fail("keys")
    if payload["schema"] != SCHEMA:
        raise _fail("schema")
    desk_id, period = payload["desk_id"], payload["period"]
    if not isinstance(desk_id, str) or not _DESK_ID.match(desk_id):
        raise _fail("desk_id")
    if not is_period(period):
        raise _fail("period")
    if payload["report_id"] != report_id(desk_id, period):
        raise _fail("report_id")
    if not isinstance(payload["municipality"], str) or not _CODE.match(payload["municipality"]):
        raise _fail("municipality")
    k = payload["k"]
    if not isinstance(k, int) or isinstance(k, bool) or not 2 <= k <= 100:
        raise _fail("k")
    version = payload["app_version"]
    if not isinstance(version, str) or not re.match(r"^[0-9A-Za-z.+-]{1,32}$", version):
        raise _fail("app_version")
    tables = payload["tables"]
    if not isinstance(tables, dict) or set(tables) != set(TABLES):
        raise _fail("tables")
    for name, table in tables.items():
        _validate_table(name, table)
    return payload


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9


def _validate_table(name: str, table: Any) -> None:
    spec = TABLES[name]
    if not isinstance(table, dict) or set(table) != {"dims", "cells", "total"}:
        raise _fail(name)
    if table["dims"] != list(spec.dims):
        raise _fail(f"{name}.dims")
    total = table["total"]
    if total is not None and not _is_count(total):
        raise _fail(f"{name}.total")
    cells = table["cells"]
    if not isinstance(cells, list) or len(cells) > 50_000:
        raise _fail(f"{name}.cells")
    seen: set[tuple[str, ...]] = set()
    for cell in cells:
        if not isinstance(cell, dict) or set(cell) != {"key", "value", "suppressed"}:
            raise _fail(f"{name}.cells")
        key = cell["key"]
        if (
            not isinstance(key, list)
            or len(key) != len(spec.dims)
            or not all(isinstance(p, str) and _CODE.match(p) for p in key)
        ):
            raise _fail(f"{name}.key")
        if tuple(key) in seen:
            raise _fail(f"{name}.key")
        seen.add(tuple(key))
        value, suppressed = cell["value"], cell["suppressed"]
        if not isinstance(suppressed, bool) or suppressed != (value is None):
            raise _fail(f"{name}.suppressed")
        if value is not None and not _is_count(value):
            raise _fail(f"{name}.value")
