"""Everything the desk holds about one client (GDPR Art. 15 and 20): JSON and a readable PDF.

The collection reads whole rows through sqlite-utils and finds the tables about a client from the
schema's foreign keys, so a column or table added later is exported without anyone remembering to
add it here. File names carry the client's random uid, never a name.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.support import NullTranslations

from kim_desk import __version__
from kim_desk.catalog import Catalog
from kim_desk.errors import NotFound
from kim_desk.fileutil import storage_error, write_atomic
from kim_desk.i18n import _
from kim_desk.store import Store, audit

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

FORMAT = "kim-desk-client-export/1"


@dataclass(frozen=True)
class ExportFiles:
    json_path: Path
    pdf_path: Path
    language: str


RECORD_KEY = "ckey"  # the record key of the statistics (cell key method): random, never leaves the desk
# How the tables named in the export are ordered; any other table is read in primary-key order.
_ORDER = {
    "household_member": "id",
    "case": "id",
    "appointment": "starts_at, id",
    "contact": "contact_on, id",
    "case_status_change": "id",
    "checklist_item": "position, id",
    "barrier": "id",
}
# Where the tables named here go in the export (the PDF reads these keys).
_CLIENT_PARTS = {"household_member": "household", "case": "cases", "appointment": "appointments", "contact": "contacts"}
_CASE_PARTS = {"case_status_change": "status_changes", "checklist_item": "checklist", "barrier": "barriers"}


def _linked_tables(db: sqlite_utils.Database) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Every table with a foreign key to a client, and every other one with a foreign key to a case
    or to an appointment: {table: column} each. Read from the schema, so a table a later migration
    adds is exported too."""
    by_client: dict[str, str] = {}
    by_case: dict[str, str] = {}
    by_appointment: dict[str, str] = {}
    for table in db.tables:
        for key in table.foreign_keys:
            if key.column and key.other_table == "client":
                by_client[table.name] = key.column
            elif key.column and key.other_table == "case":
                by_case.setdefault(table.name, key.column)
            elif key.column and key.other_table == "appointment":
                by_appointment.setdefault(table.name, key.column)
    return (
        by_client,
        {name: column for name, column in by_case.items() if name not in by_client},
        {name: column for name, column in by_appointment.items() if name not in by_client and name not in by_case},
    )


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in row.items() if name != RECORD_KEY}


def _rows(db: sqlite_utils.Database, table: str, column: str, value: int) -> list[dict[str, Any]]:
    found = db.table(table)
    order = _ORDER.get(table) or ", ".join(f'"{pk}"' for pk in found.pks)
    return [_public(row) for row in found.rows_where(f'"{column}" = ?', [value], order_by=order)]


def collect(store: Store, client_id: int, catalog: Catalog | None = None) -> dict[str, Any]:
    """All stored data about one client, grouped as a counsellor would explain it: the client's
    row, then the rows of every table that refers to the client, and within each case the rows of
    every table that refers to the case. With the catalogue, application types and documents also
    get their German titles.
    """
    db = store.db
    rows = list(db["client"].rows_where("id = ?", [client_id]))
    if not rows:
        raise NotFound(_("Es gibt keine Klientin / keinen Klienten mit der Nummer {id}.").format(id=client_id))
    client = _public(rows[0])
    client["languages"] = json.loads(client["languages"] or "[]")
    by_client, by_case, by_appointment = _linked_tables(db)
    parts = {
        _CLIENT_PARTS.get(table, table): _rows(db, table, column, client_id) for table, column in by_client.items()
    }
    cases = parts.get("cases", [])
    for case in cases:
        for table, column in by_case.items():
            case[_CASE_PARTS.get(table, table)] = _rows(db, table, column, case["id"])
        _add_titles(case, catalog)
    appointments, contacts = parts.get("appointments", []), parts.get("contacts", [])
    for appointment in appointments:  # e.g. the interpreter requested for it
        for table, column in by_appointment.items():
            appointment[table] = _rows(db, table, column, appointment["id"])
    return {
        "format": FORMAT,
        "app": __version__,
        "exported_at": store.now_text(),
        "client": client,
        **{part: parts[part] for part in ("household", "cases", "appointments", "contacts") if part in parts},
        **{part: found for part, found in sorted(parts.items()) if part not in _CLIENT_PARTS.values()},
        "access_log": _access_log(store, client_id, cases, appointments, contacts),
    }


def _add_titles(case: dict[str, Any], catalog: Catalog | None) -> None:
    app_type = catalog.types.get(case["type_code"]) if catalog else None
    if app_type is None:
        return
    case["type_title"] = app_type.title
    for item in case["checklist"]:
        spec = app_type.document(item["code"])
        if spec is not None:
            item["document"] = spec.label


def _access_log(
    store: Store, client_id: int, cases: list[dict[str, Any]], appointments: list[dict[str, Any]],
    contacts: list[dict[str, Any]],
) -> list[dict[str, Any]]:  # fmt: skip
    """Who viewed, changed, printed or exported this client's records (Art. 15(1)(c))."""
    wanted = {("client", client_id)}
    wanted |= {("case", c["id"]) for c in cases}
    wanted |= {("appointment", a["id"]) for a in appointments}
    wanted |= {("contact", c["id"]) for c in contacts}
    return [
        {"at": row["at"], "actor": row["actor"], "action": row["action"], "entity": row["entity"],
         "entity_id": row["entity_id"]}
        for row in store.rows("SELECT at, actor, action, entity, entity_id FROM audit_event ORDER BY id")
        if (row["entity"], row["entity_id"]) in wanted
    ]  # fmt: skip


def export_client(
    store: Store,
    client_id: int,
    out_dir: Path,
    *,
    catalog: Catalog | None = None,
    lang: str | None = None,
    catalogue: NullTranslations | None = None,
) -> ExportFiles:
    """Write the JSON and the PDF into `out_dir` and record the export in the audit trail."""
    from kim_desk.privacy.export_pdf import render_export

    data = collect(store, client_id, catalog)
    languages = data["client"]["languages"]
    language = lang or (languages[0] if languages else "de")
    short = str(data["client"]["uid"])[:12]
    json_path = out_dir / f"auskunft-{short}.json"
    pdf_path = out_dir / f"auskunft-{short}.pdf"
    pdf = render_export(data, language, catalogue)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage_error(exc, out_dir) from exc
    write_atomic(json_path, json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8"))
    write_atomic(pdf_path, pdf)
    with store.transaction():
        audit.record(store, "export", "client", client_id)
    log.info("client_exported", extra={"client_id": client_id})
    return ExportFiles(json_path, pdf_path, language)
