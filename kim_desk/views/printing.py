"""Printing handouts: the work behind the print dialog (dialogs/print_dialog.py), without widgets.

The dialog loads a target's document data on the DB worker (`load_document`), renders the
PDF in memory on the pool (`render_pdf`) and records every print or saved PDF in the audit
trail (`record_print`). File names carry only the kind, the record number and the language.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kim_desk.catalog import Catalog
from kim_desk.i18n import N_, _
from kim_desk.store import Store, audit
from kim_desk.store.appointments import Appointment
from kim_desk.store.cases import Case
from kim_desk.taxonomy import CASE_STATUSES
from kim_desk.views.format import code_text, datetime_text, type_title

log = logging.getLogger(__name__)


# --- the print dialog's side of the work (no widgets here) ------------------------------

KIND_TITLES = {
    "checklist": N_("Checkliste"),
    "next-steps": N_("Nächste Schritte"),
    "application-aid": N_("Antragshilfe"),
    "appointment": N_("Terminzettel"),
}
CASE_KINDS = ("checklist", "next-steps", "application-aid")
APPOINTMENT_KINDS = ("appointment",)


@dataclass(frozen=True)
class Target:
    """What a document is printed for: one case or one appointment, with a label for the chooser."""

    label: str
    case_id: int | None = None
    appointment_id: int | None = None

    @property
    def kinds(self) -> tuple[str, ...]:
        return CASE_KINDS if self.case_id is not None else APPOINTMENT_KINDS

    @property
    def entity(self) -> tuple[str, int]:
        if self.case_id is not None:
            return "case", self.case_id
        return "appointment", self.appointment_id or 0

    @property
    def record(self) -> str:
        entity, entity_id = self.entity
        return f"{'antrag' if entity == 'case' else 'termin'}-{entity_id}"


@dataclass(frozen=True)
class Loaded:
    data: object  # kim_desk.documents.model.DocumentData
    lang: str  # the client's preferred language


def load_document(store: Store, catalog: Catalog, target: Target) -> Loaded:
    """On the DB worker: what the documents of one target are made of. A preview is not a print."""
    from kim_desk.documents.adapter import client_language, document_data

    ids = {"case_id": target.case_id, "appointment_id": target.appointment_id}
    return Loaded(document_data(store, catalog, **ids), client_language(store, **ids))


def record_print(store: Store, target: Target) -> None:
    """On the DB worker: the audit trail learns that a document left the desk, not what it said."""
    entity, entity_id = target.entity
    with store.transaction():
        audit.record(store, "print", entity, entity_id)
    log.info("document_printed", extra={"entity": entity, "entity_id": entity_id})


def render_pdf(kind: str, loaded: Loaded, lang: str) -> bytes:
    """On the pool: the PDF in memory; nothing touches the disk."""
    from kim_desk.documents import render_bytes

    return render_bytes(kind, loaded.data, lang)  # type: ignore[arg-type]


def suggested_file_name(kind: str, target: Target, lang: str) -> str:
    """Kind, record number and language only: a file name is seen by many, a client's name must not be."""
    return f"{kind}-{target.record}-{lang}.pdf"


def case_target(catalog: Catalog, case: Case) -> Target:
    label = _("Antrag: {type} ({status})").format(
        type=type_title(catalog, case.type_code), status=code_text(CASE_STATUSES, case.status)
    )
    return Target(label, case_id=case.id)


def appointment_target(appointment: Appointment) -> Target:
    label = _("Termin: {when}").format(when=datetime_text(appointment.starts_at))
    if appointment.topic:
        label = f"{label} – {appointment.topic}"
    return Target(label, appointment_id=appointment.id)
