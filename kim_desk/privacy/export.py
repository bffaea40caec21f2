"""Everything the desk holds about one client (GDPR Art. 15 and 20): JSON and a readable PDF.

The collection reads whole rows (`SELECT *`), so a column added later is exported without
anyone remembering to add it here. File names carry the client's random uid, never a name.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.support import NullTranslations

from kim_desk import __version__
from kim_desk.catalog import Catalog
from kim_desk.errors import NotFound
from kim_desk.fileutil import storage_error, write_atomic
from kim_desk.i18n import _
from kim_desk.store import Store, audit

log = logging.getLogger(__name__)

FORMAT = "kim-desk-client-export/1"


@dataclass(frozen=True)
class ExportFiles:
    json_path: Path
    pdf_path: Path
    language: str


RECORD_KEY = "ckey"  # the record key of the statistics (cell key method): random, never leaves the desk


def _public(row: Any) -> dict[str, Any]:
    return {name: value for name, value in dict(row).items() if name != RECORD_KEY}


def _dicts(store: Store, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [_public(row) for row in store.rows(sql, params)]


def collect(store: Store, client_id: int, catalog: Catalog | None = None) -> dict[str, Any]:
    """All stored data about one client, grouped as a counsellor would explain it.

    With the catalogue, application types and documents also get their German titles.
    """
    row = store.one("SELECT * FROM client WHERE id = ?", (client_id,))
    if row is None:
        raise NotFound(_("Es gibt keine Klientin / keinen Klienten mit der Nummer {id}.").format(id=client_id))
    client = _public(row)
    client["languages"] = json.loads(client["languages"] or "[]")
    cases = _dicts(store, 'SELECT * FROM "case" WHERE client_id = ? ORDER BY id', (client_id,))
    for case in cases:
        case_id = (case["id"],)
        case["status_changes"] = _dicts(
            store, "SELECT * FROM case_status_change WHERE case_id = ? ORDER BY id", case_id
        )
        case["checklist"] = _dicts(
            store, "SELECT * FROM checklist_item WHERE case_id = ? ORDER BY position, id", case_id
        )
        case["barriers"] = _dicts(store, "SELECT * FROM barrier WHERE case_id = ? ORDER BY id", case_id)
        _add_titles(case, catalog)
    appointments = _dicts(store, "SELECT * FROM appointment WHERE client_id = ? ORDER BY starts_at, id", (client_id,))
    contacts = _dicts(store, "SELECT * FROM contact WHERE client_id = ? ORDER BY contact_on, id", (client_id,))
    access = _access_log(store, client_id, cases, appointments, contacts)
    return {
        "format": FORMAT,
        "app": __version__,
        "exported_at": store.now_text(),
        "client": client,
        "household": _dicts(store, "SELECT * FROM household_member WHERE client_id = ? ORDER BY id", (client_id,)),
        "cases": cases,
        "appointments": appointments,
        "contacts": contacts,
        "access_log": access,
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
