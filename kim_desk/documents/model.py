"""What a document is made from: plain data, filled from the store by `adapter`.

Texts from the catalogue and the templates are German source and are translated when a
sheet is laid out; names, addresses and the counsellor's own notes are printed as they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kim_desk.catalog import ApplicationType
from kim_desk.services import Service


@dataclass(frozen=True)
class DeskInfo:
    organisation: str = ""
    counsellor: str = ""
    phone: str = ""
    hours: str = ""  # opening hours as the desk writes them, e.g. "Mo–Do 9–12 Uhr"


@dataclass(frozen=True)
class ClientView:
    family_name: str
    given_names: str = ""
    family_name_orig: str = ""
    given_names_orig: str = ""
    birth_date: dt.date | None = None
    nationality: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    residence_status: str = ""
    permit_expires: dt.date | None = None
    household_size: int | None = None  # None: no household recorded
    children: tuple[str, ...] = ()  # each child's name and birth date, as printed
    spouse: str = ""

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part)

    @property
    def name_orig(self) -> str:
        return " ".join(part for part in (self.given_names_orig, self.family_name_orig) if part)

    @property
    def postcode_city(self) -> str:
        return " ".join(part for part in (self.postcode, self.city) if part)

    @property
    def address(self) -> str:
        """Street, postcode and town: a complete postal address on one line."""
        return ", ".join(part for part in (self.street, self.postcode_city) if part)


@dataclass(frozen=True)
class ChecklistLine:
    label: str  # German source text from the catalogue, or the counsellor's own words
    state: str = "missing"  # taxonomy.CHECKLIST_STATES
    hint: str = ""
    required: bool = True
    custom: bool = False  # the counsellor's own words: printed as written, not translated


@dataclass(frozen=True)
class DeadlineLine:
    label: str  # German source text of what to do, from the catalogue
    kind: str  # catalog.DEADLINE_KINDS: legal ("Spätestens am"), recommended ("Empfohlen bis"), ...
    date: dt.date
    basis: str = ""  # the legal basis, printed as it is


@dataclass(frozen=True)
class CaseView:
    id: int
    type: ApplicationType
    status: str = "planned"  # taxonomy.CASE_STATUSES
    outcome: str | None = None
    opened_on: dt.date | None = None
    submitted_on: dt.date | None = None
    decided_on: dt.date | None = None
    deadline: dt.date | None = None
    deadline_label: str = ""  # German source text of the deadline kind
    deadlines: tuple[DeadlineLine, ...] = ()  # what is still to do, by date; replaces deadline/deadline_label
    authority_ref: str = ""
    next_steps: str = ""  # the counsellor's note, German, printed as written
    checklist: tuple[ChecklistLine, ...] = ()


@dataclass(frozen=True)
class AppointmentView:
    starts_at: dt.datetime  # the desk's wall clock (Europe/Berlin)
    duration_min: int = 30
    place: str = ""
    counsellor: str = ""
    topic: str = ""
    uid: str = ""  # the calendar entry's UID, the same as in the .ics export


@dataclass(frozen=True)
class ReferralView:
    """A referral slip's offer: the catalogue entry as the desk knows it, and when the client was sent."""

    id: int
    service: Service
    referred_on: dt.date


@dataclass(frozen=True)
class MediatorView:
    """An interpreter request for the appointment: only what the pool needs (no notes, no outcome)."""

    id: int
    language: str  # i18n.LANGUAGES code
    requested_on: dt.date


@dataclass(frozen=True)
class DocumentData:
    client: ClientView
    today: dt.date
    desk: DeskInfo = field(default_factory=DeskInfo)
    case: CaseView | None = None
    appointment: AppointmentView | None = None
    created: dt.datetime | None = None  # when the document was made (the calendar entry's DTSTAMP)
    referral: ReferralView | None = None
    mediator: MediatorView | None = None
