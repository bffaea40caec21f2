"""Referrals, unmet needs and interpreter requests as the pages show them (DESIGN.md §7). No Qt in here.

An offer's contact detail that nobody has checked is shown as "nicht bekannt", never guessed.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from kim_desk.errors import CatalogError
from kim_desk.i18n import LANGUAGES, N_, _
from kim_desk.services import Service, load_services, services_for
from kim_desk.store import Store
from kim_desk.store.referrals import waiting_for_answer
from kim_desk.views.format import date_text

FOLLOW_UP_WEEKS = 4  # Today asks about referrals without an answer for this long
FOLLOW_UP_LIMIT = 300  # rows on Today; more is not readable
UNKNOWN = N_("nicht bekannt")


def local_services() -> tuple[dict[str, Service], str]:
    """The offers by code, and '' — or none and the reason, when the catalogue of offers is broken."""
    try:
        return load_services(), ""
    except CatalogError as error:
        return {}, str(error)


def service_title(services: dict[str, Service], code: str) -> str:
    service = services.get(code)
    return _(service.title) if service is not None else code


def facts(service: Service) -> dict[str, str]:
    """What the referral dialog shows about an offer, translated; unknown details say so."""
    contact = service.contact

    def known(value: str) -> str:
        return value or _(UNKNOWN)

    languages = ", ".join(LANGUAGES[code].native_name for code in service.languages if code in LANGUAGES)
    return {
        "provider": known(service.provider),
        "target_group": known(_(service.target_group) if service.target_group else ""),
        "summary": known(_(service.summary) if service.summary else ""),
        "how_to_refer": known(_(service.how_to_refer) if service.how_to_refer else ""),
        "languages": known(languages),
        "contact_name": known(contact.name),
        "phone": known(contact.phone),
        "email": known(contact.email),
        "address": known(contact.address),
        "url": known(contact.url),
        "stand": date_text(service.stand),
    }


class Offers(NamedTuple):
    """The offers open to one client: those of their municipality, the ones in their language first."""

    client_name: str
    municipality: str
    language: str  # the client's preferred language ('' when none is recorded)
    services: list[Service]


def offers_for(store: Store, services: dict[str, Service], client_id: int) -> Offers:
    from kim_desk.store.clients import get_client  # not for the first window (its records are dataclasses)

    client = get_client(store, client_id, with_household=False)
    language = client.languages[0] if client.languages else ""
    found = services_for(services, client.municipality, language)
    return Offers(client.display_name, client.municipality, language, found)


class FollowUp(NamedTuple):
    """A referral still open after FOLLOW_UP_WEEKS: Today asks for its outcome."""

    referral_id: int
    client_id: int
    client_name: str
    service_code: str
    referred_on: dt.date


def follow_ups(store: Store, today: dt.date) -> list[FollowUp]:
    waiting = waiting_for_answer(store, today, FOLLOW_UP_WEEKS)[:FOLLOW_UP_LIMIT]
    ids = sorted({r.client_id for r in waiting})
    marks = ", ".join("?" for _id in ids)
    rows = store.rows(f"SELECT id, family_name, given_names FROM client WHERE id IN ({marks})", ids) if ids else []
    names = {int(r["id"]): f"{r['family_name']}, {r['given_names']}".strip(", ") for r in rows}
    return [
        FollowUp(r.id or 0, r.client_id, names.get(r.client_id, ""), r.service_code, r.referred_on) for r in waiting
    ]
