"""The referral slip for the client and the interpreter request for the district's pool (DESIGN.md §7).

The slip says what the offer is, who runs it, what to bring, how it goes on and whom to contact;
a contact detail the catalogue does not know is printed as "nicht bekannt", never guessed. It
carries the client's name in the page header at most: no notes, no outcome.

The interpreter request is German only and names nobody: the pool plans with the language, the
time, the place and the requesting desk. A name or initials would add nothing to that plan but,
with a date and a small town, could point to a person; the counsellor introduces the client at
the appointment. The topic is the application type at most, never the appointment's free text.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from kim_desk.documents.layout import GREY, Sheet
from kim_desk.documents.model import DocumentData
from kim_desk.documents.templates import Template, TemplateError
from kim_desk.documents.text import isolate
from kim_desk.documents.wording import Wording, date_value, time_value, translated_value, weekday_value
from kim_desk.i18n import LANGUAGES, _


def referral(sheet: Sheet, wording: Wording, template: Template, data: DocumentData) -> None:
    slip = data.referral
    if slip is None:
        raise TemplateError(template.file_name, "referral", _("dieses Dokument braucht eine Vermittlung (--referral)"))
    text = template.text
    service = slip.service
    sheet.title(wording.say(text("title")))
    sheet.row(wording.say(text("intro"), date=date_value(slip.referred_on), number=str(slip.id)))
    sheet.row(wording.say(service.title), size=13, bold=True, gap=1 * mm)
    sheet.row(wording.say(service.summary))
    sheet.row(wording.say(text("provider_line"), provider=service.provider), size=9)
    sheet.heading(wording.say(text("how_heading")))
    sheet.row(wording.say(service.how_to_refer))
    if service.bring:
        sheet.heading(wording.say(text("bring_heading")))
        for item in service.bring:
            sheet.row(wording.say(item), box="missing")
    asked = _offer_contact(sheet, wording, template, data)
    desk = data.desk
    if desk.organisation or desk.counsellor or desk.phone:
        if not asked:  # after "ask your desk" the desk follows without a heading of its own
            sheet.heading(wording.say(text("desk_heading")))
        who = ", ".join(part for part in (desk.counsellor, desk.organisation) if part)
        if who:
            sheet.row(wording.verbatim(who))
        if desk.phone:
            sheet.row(wording.say(text("phone_line"), phone=desk.phone))
    sheet.space(3 * mm)
    stand = wording.say(text("stand_line"), date=date_value(service.stand, "medium"), basis=service.source)
    sheet.row(stand, size=8, color=GREY)


def _offer_contact(sheet: Sheet, wording: Wording, template: Template, data: DocumentData) -> bool:
    """Every contact line is printed; one the catalogue does not know says so (and True is returned)."""
    assert data.referral is not None
    text = template.text
    contact = data.referral.service.contact
    unknown = translated_value(text("unknown"), wording)
    sheet.heading(wording.say(text("contact_heading")))
    if contact.name:
        sheet.row(wording.verbatim(contact.name))
    lines = (
        ("phone_line", "phone", contact.phone),
        ("address_line", "address", contact.address),
        ("email_line", "email", contact.email),
        ("web_line", "url", contact.url),
    )
    for key, field, value in lines:
        sheet.row(wording.say(text(key), **{field: value or unknown}), gap=0.8 * mm)
    if all(value for _key, _field, value in lines):
        return False
    sheet.space(1.5 * mm)
    sheet.row(wording.say(text("unknown_hint")), gap=0.8 * mm)
    return True


def mediator_request(sheet: Sheet, wording: Wording, template: Template, data: DocumentData) -> None:
    request, slot = data.mediator, data.appointment
    if request is None or slot is None:
        raise TemplateError(
            template.file_name, "appointment", _("für diesen Termin ist keine Sprachmittlung angefragt")
        )
    text = template.text
    sheet.title(wording.say(text("title")))
    sheet.row(wording.say(text("intro")))
    sheet.row(
        wording.say(text("reference_line"), number=str(request.id), date=date_value(request.requested_on, "medium")),
        size=8.5,
        color=GREY,
    )
    sheet.heading(wording.say(text("language_heading")))
    sheet.row(wording.verbatim(language_label(request.language)), size=14, bold=True)
    sheet.heading(wording.say(text("when_heading")))
    when = wording.say(
        text("when_line"),
        weekday=weekday_value(slot.starts_at.date()),
        date=date_value(slot.starts_at.date()),
        time=time_value(slot.starts_at),
        minutes=str(slot.duration_min),
    )
    sheet.row(when, size=12, bold=True)
    place = slot.place or data.desk.organisation
    if place:
        sheet.heading(wording.say(text("where_heading")))
        sheet.row(wording.verbatim(place), size=12)
    sheet.heading(wording.say(text("topic_heading")))
    sheet.row(wording.say(data.case.type.title) if data.case is not None else wording.say(text("general_topic")))
    desk = data.desk
    sheet.heading(wording.say(text("desk_heading")))
    for part in (desk.organisation, desk.counsellor):
        if part:
            sheet.row(wording.verbatim(part), gap=0.8 * mm)
    if desk.phone:
        sheet.row(wording.say(text("phone_line"), phone=desk.phone), gap=0.8 * mm)
    if desk.hours:
        sheet.row(wording.say(text("hours_line"), hours=desk.hours))
    sheet.heading(wording.say(text("reply_heading")))
    sheet.row(wording.say(text("reply_hint")))
    sheet.space(3 * mm)
    sheet.row(wording.say(text("privacy_note")), size=8.5, color=GREY)


def language_label(code: str) -> str:
    """ "Arabisch (العربية)": the German name for the office, the language's own for the interpreter."""
    lang = LANGUAGES.get(code)
    if lang is None:
        return code
    if lang.native_name == lang.german_name:
        return lang.german_name
    return f"{lang.german_name} ({isolate(lang.native_name)})"


BUILDERS = {"referral": referral, "mediator_request": mediator_request}
