"""Fill the document data from the store: the one place that knows both sides."""

from __future__ import annotations

import datetime as dt

from kim_desk import ics, settings
from kim_desk.catalog import ApplicationType, Catalog
from kim_desk.documents.model import (
    AppointmentView,
    CaseView,
    ChecklistLine,
    ClientView,
    DeadlineLine,
    DeskInfo,
    DocumentData,
    MediatorView,
    ReferralView,
)
from kim_desk.errors import NotFound
from kim_desk.i18n import _
from kim_desk.services import Service, load_services
from kim_desk.store import Store
from kim_desk.store.appointments import get_appointment
from kim_desk.store.cases import Case, case_deadlines, get_case
from kim_desk.store.clients import Client, HouseholdMember, get_client
from kim_desk.store.referrals import get_referral, mediator_request_for


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def client_view(client: Client) -> ClientView:
    spouse = next((m for m in client.household if m.relation == "spouse"), None)
    return ClientView(
        family_name=client.family_name,
        given_names=client.given_names,
        family_name_orig=client.family_name_orig,
        given_names_orig=client.given_names_orig,
        birth_date=_date(client.birth_date),
        nationality=client.nationality,
        street=client.street,
        postcode=client.postcode,
        city=client.city,
        phone=client.phone,
        email=client.email,
        residence_status=client.residence_status,
        permit_expires=_date(client.permit_expires),
        household_size=1 + len(client.household) if client.household else None,
        children=tuple(_person(m) for m in client.household if m.relation == "child"),
        spouse=" ".join(p for p in (spouse.given_names, spouse.family_name) if p) if spouse else "",
    )


def _person(member: HouseholdMember) -> str:
    name = " ".join(p for p in (member.given_names, member.family_name) if p)
    born = _date(member.birth_date)
    return f"{name} ({born:%d.%m.%Y})" if born else name


def deadline_lines(
    case: Case, app_type: ApplicationType, permit_expires: str | None, today: dt.date
) -> tuple[DeadlineLine, ...]:
    """What is still to do, by date: a passed recommendation is left out where a legal limit remains."""
    dues = [due for due in case_deadlines(app_type, vars(case), permit_expires, today) if not due.done]
    legal_codes = {due.spec.code for due in dues if due.spec.kind == "legal"}
    lines = [
        DeadlineLine(due.spec.label, due.spec.kind, due.date, due.spec.basis)
        for due in dues
        if not (due.spec.kind == "recommended" and due.date < today and due.spec.code in legal_codes)
    ]
    return tuple(sorted(lines, key=lambda line: line.date))


def case_view(
    case: Case, app_type: ApplicationType, permit_expires: str | None = None, today: dt.date | None = None
) -> CaseView:
    lines = []
    for item in sorted(case.checklist, key=lambda i: i.position):
        spec = app_type.document(item.code)
        if spec is None:  # a custom item, in the counsellor's words
            lines.append(ChecklistLine(item.label or item.code, item.state, "", item.required, custom=True))
        else:
            lines.append(ChecklistLine(spec.label, item.state, spec.hint, item.required))
    deadline_label = next((d.label for d in app_type.deadlines if d.code == case.deadline_kind), "")
    return CaseView(
        id=case.id,
        type=app_type,
        status=case.status,
        outcome=case.outcome,
        opened_on=_date(case.opened_on),
        submitted_on=_date(case.submitted_on),
        decided_on=_date(case.decided_on),
        deadline=_date(case.deadline),
        deadline_label=deadline_label,
        deadlines=deadline_lines(case, app_type, permit_expires, today) if today else (),
        authority_ref=case.authority_ref,
        next_steps=case.next_steps,
        checklist=tuple(lines),
    )


def document_data(
    store: Store,
    catalog: Catalog,
    *,
    case_id: int | None = None,
    appointment_id: int | None = None,
    referral_id: int | None = None,
    services: dict[str, Service] | None = None,
) -> DocumentData:
    """The data of one document, for a case, an appointment (which may belong to a case) or a referral.

    `services` are the local offers by code (default: forms/services as installed)."""
    if referral_id is not None:
        return _referral_data(store, referral_id, services)
    slot: AppointmentView | None = None
    mediator: MediatorView | None = None
    place_default = str(settings.get(store, "place") or "")
    if appointment_id is not None:
        appointment = get_appointment(store, appointment_id)
        slot = AppointmentView(
            appointment.starts_at,
            appointment.duration_min,
            appointment.place or place_default,
            appointment.counsellor or str(settings.get(store, "counsellor") or ""),
            appointment.topic,
            uid=ics.appointment_uid(appointment.id),
        )
        client_id = appointment.client_id
        case_id = case_id if case_id is not None else appointment.case_id
        request = mediator_request_for(store, appointment_id)
        if request is not None and request.id is not None:
            mediator = MediatorView(request.id, request.language, request.requested_on)
    case: CaseView | None = None
    if case_id is not None:
        stored = get_case(store, case_id)
        client_id = stored.client_id
        permit = get_client(store, client_id, with_household=False).permit_expires
        case = case_view(stored, catalog.get(stored.type_code), permit, store.clock.today())
    if case is None and slot is None:
        raise ValueError("document_data needs a case or an appointment")
    client = client_view(get_client(store, client_id))
    return DocumentData(
        client, store.clock.today(), _desk(store), case, slot, created=store.clock.now(), mediator=mediator
    )


def _desk(store: Store) -> DeskInfo:
    return DeskInfo(
        organisation=str(settings.get(store, "organisation") or ""),
        counsellor=str(settings.get(store, "counsellor") or ""),
        phone=str(settings.get(store, "desk_phone") or ""),
        hours=str(settings.get(store, "desk_hours") or ""),
    )


def _referral_data(store: Store, referral_id: int, services: dict[str, Service] | None) -> DocumentData:
    """A referral slip's data: the offer and the date; of the client only the name is printed."""
    referral = get_referral(store, referral_id)
    offers = services if services is not None else load_services()
    service = offers.get(referral.service_code)
    if service is None:
        raise NotFound(
            _("Das Angebot „{code}“ der Vermittlung Nr. {id} steht nicht mehr im Verzeichnis der Angebote.").format(
                code=referral.service_code, id=referral_id
            )
        )
    client = client_view(get_client(store, referral.client_id, with_household=False))
    view = ReferralView(referral_id, service, referral.referred_on)
    return DocumentData(client, store.clock.today(), _desk(store), created=store.clock.now(), referral=view)


def client_language(
    store: Store, *, case_id: int | None = None, appointment_id: int | None = None, referral_id: int | None = None
) -> str:
    """The preferred language of the client a case, appointment or referral belongs to."""
    if referral_id is not None:
        client_id = get_referral(store, referral_id).client_id
    elif appointment_id is not None:
        client_id = get_appointment(store, appointment_id).client_id
    elif case_id is not None:
        client_id = get_case(store, case_id).client_id
    else:
        raise ValueError("client_language needs a case, an appointment or a referral")
    return get_client(store, client_id, with_household=False).preferred_language
