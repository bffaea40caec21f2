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
from kim_desk.services import Service
from kim_desk.store import Store, audit
from kim_desk.store.appointments import Appointment
from kim_desk.store.cases import Case
from kim_desk.store.referrals import Referral
from kim_desk.taxonomy import CASE_STATUSES
from kim_desk.views.format import code_text, date_text, datetime_text, type_title

log = logging.getLogger(__name__)


# --- the print dialog's side of the work (no widgets here) ------------------------------

KIND_TITLES = {
    "checklist": N_("Checkliste"),
    "next-steps": N_("Nächste Schritte"),
    "application-aid": N_("Antragshilfe"),
    "appointment": N_("Terminzettel"),
    "mediator-request": N_("Anfrage Sprachmittlung"),
    "referral": N_("Vermittlungszettel"),
}
CASE_KINDS = ("checklist", "next-steps", "application-aid")
APPOINTMENT_KINDS = ("appointment",)
MEDIATOR_KINDS = ("appointment", "mediator-request")  # an appointment with an interpreter request
REFERRAL_KINDS = ("referral",)
GERMAN_ONLY_KINDS = ("mediator-request",)  # for the district's pool: German whatever the client reads


@dataclass(frozen=True)
class Target:
    """What a document is printed for: one case, appointment or referral, with a label for the chooser.

    `mediator` says the appointment has an interpreter request, so its sheet for the pool can be printed."""

    label: str
    case_id: int | None = None
    appointment_id: int | None = None
    referral_id: int | None = None
    mediator: bool = False

    @property
    def kinds(self) -> tuple[str, ...]:
        if self.referral_id is not None:
            return REFERRAL_KINDS
        if self.case_id is not None:
            return CASE_KINDS
        return MEDIATOR_KINDS if self.mediator else APPOINTMENT_KINDS

    @property
    def entity(self) -> tuple[str, int]:
        if self.referral_id is not None:
            return "referral", self.referral_id
        if self.case_id is not None:
            return "case", self.case_id
        return "appointment", self.appointment_id or 0

    @property
    def record(self) -> str:
        entity, entity_id = self.entity
        return f"{_RECORD_NAMES[entity]}-{entity_id}"


_RECORD_NAMES = {"case": "antrag", "appointment": "termin", "referral": "vermittlung"}


@dataclass(frozen=True)
class Loaded:
    data: object  # kim_desk.documents.model.DocumentData
    lang: str  # the client's preferred language


def load_document(store: Store, catalog: Catalog, target: Target) -> Loaded:
    """On the DB worker: what the documents of one target are made of. A preview is not a print."""
    from kim_desk.documents.adapter import client_language, document_data

    case_id, appointment_id, referral_id = target.case_id, target.appointment_id, target.referral_id
    data = document_data(store, catalog, case_id=case_id, appointment_id=appointment_id, referral_id=referral_id)
    lang = client_language(store, case_id=case_id, appointment_id=appointment_id, referral_id=referral_id)
    return Loaded(data, lang)


def record_print(store: Store, target: Target) -> None:
    """On the DB worker: the audit trail learns that a document left the desk, not what it said."""
    entity, entity_id = target.entity
    with store.transaction():
        audit.record(store, "print", entity, entity_id)
    log.info("document_printed", extra={"entity": entity, "entity_id": entity_id})


def document_language(kind: str, lang: str) -> str:
    """The language beside German a kind is printed in: none for the sheets that stay German."""
    return "de" if kind in GERMAN_ONLY_KINDS else lang


def render_pdf(kind: str, loaded: Loaded, lang: str) -> bytes:
    """On the pool: the PDF in memory; nothing touches the disk."""
    from kim_desk.documents import render_bytes

    return render_bytes(kind, loaded.data, document_language(kind, lang))  # type: ignore[arg-type]


def suggested_file_name(kind: str, target: Target, lang: str) -> str:
    """Kind, record number and language only: a file name is seen by many, a client's name must not be."""
    return f"{kind}-{target.record}-{document_language(kind, lang)}.pdf"


def case_target(catalog: Catalog, case: Case) -> Target:
    label = _("Antrag: {type} ({status})").format(
        type=type_title(catalog, case.type_code), status=code_text(CASE_STATUSES, case.status)
    )
    return Target(label, case_id=case.id)


def appointment_target(appointment: Appointment, *, mediator: bool = False) -> Target:
    """`mediator`: the appointment has an interpreter request (store.referrals.mediator_request_for)."""
    label = _("Termin: {when}").format(when=datetime_text(appointment.starts_at))
    if appointment.topic:
        label = f"{label} – {appointment.topic}"
    return Target(label, appointment_id=appointment.id, mediator=mediator)


def referral_target(services: dict[str, Service], referral: Referral) -> Target:
    """A referral's slip; `services` are the local offers by code (services.load_services)."""
    service = services.get(referral.service_code)
    title = _(service.title) if service is not None else referral.service_code
    label = _("Vermittlung: {service} ({date})").format(service=title, date=date_text(referral.referred_on))
    return Target(label, referral_id=referral.id)
