"""The four kinds of handout, laid out from a template and the document data."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm

from kim_desk import ics
from kim_desk.documents.fields import FIELD_MISSING, country_name, field_value, german_value
from kim_desk.documents.layout import GREY, PAGE_W, Sheet
from kim_desk.documents.model import CaseView, DeadlineLine, DocumentData
from kim_desk.documents.templates import SPEC, Template, TemplateError
from kim_desk.documents.text import BIDI_CONTROLS, isolate
from kim_desk.documents.wording import (
    Said,
    Value,
    Wording,
    date_value,
    time_value,
    translated_value,
    weekday_value,
)
from kim_desk.i18n import N_, _
from kim_desk.taxonomy import CASE_STATUSES


def _need_case(data: DocumentData, template: Template) -> CaseView:
    if data.case is None:
        raise TemplateError(template.file_name, "case", _("dieses Dokument braucht einen Antrag (--case)"))
    return data.case


# Addresses in the catalogue that describe a place instead of naming it: translated.
DESCRIBED_PLACES = (N_("Rathaus des Wohnorts"),)


def _authority(sheet: Sheet, wording: Wording, case: CaseView, heading: str) -> None:
    authority = case.type.authority
    sheet.heading(wording.say(heading))
    sheet.row(wording.say(authority.name))
    if authority.address:
        described = wording.say(authority.address)
        sheet.row(described if described.translated else wording.verbatim(authority.address))
    for line in (authority.phone, authority.url):
        if line:
            sheet.row(wording.verbatim(line))


def checklist(sheet: Sheet, wording: Wording, template: Template, data: DocumentData) -> None:
    case = _need_case(data, template)
    text = template.text
    application = translated_value(case.type.title, wording)
    sheet.title(wording.say(text("title")))
    sheet.row(wording.say(text("intro"), application=application))
    missing = [line for line in case.checklist if line.state == "missing"]
    present = [line for line in case.checklist if line.state == "present"]
    sheet.heading(wording.say(text("missing_heading")))
    if not missing:
        sheet.row(wording.say(text("nothing_missing")))
    for line in missing:
        _checklist_line(sheet, wording, line.label, line.hint, line.custom, "missing")
        if not line.required:
            sheet.row(wording.say(text("optional")), size=8, color=GREY, indent=6 * mm, gap=1 * mm, role="LI+")
    if present:
        sheet.heading(wording.say(text("present_heading")))
        for line in present:
            _checklist_line(sheet, wording, line.label, "", line.custom, "present")
    _authority(sheet, wording, case, text("authority_heading"))


def _checklist_line(sheet: Sheet, wording: Wording, label: str, hint: str, custom: bool, state: str) -> None:
    said = wording.verbatim(label) if custom else wording.say(label)
    sheet.row(said, box=state, gap=0.8 * mm if hint else 1.8 * mm)
    if hint:
        sheet.row(wording.say(hint), size=8, color=GREY, indent=5.6 * mm, role="LI+")


def next_steps(sheet: Sheet, wording: Wording, template: Template, data: DocumentData) -> None:
    case = _need_case(data, template)
    text = template.text
    application = translated_value(case.type.title, wording)
    sheet.title(wording.say(text("title")))
    sheet.row(wording.say(text("intro"), application=application))
    sheet.heading(wording.say(text("status_heading")))
    status = CASE_STATUSES[case.status].title if case.status in CASE_STATUSES else case.status
    sheet.row(
        wording.say(text("status_line"), date=date_value(data.today), status=translated_value(status, wording)),
        bold=True,
    )
    sheet.row(wording.say(template.tables["status_texts"].get(case.status, "")))
    if case.submitted_on:
        sheet.row(wording.say(text("submitted_line"), date=date_value(case.submitted_on)))
    if case.authority_ref:
        sheet.row(wording.say(text("reference_line"), reference=case.authority_ref))
    sheet.heading(wording.say(text("next_heading")))
    _deadline_lines(sheet, wording, template, case)
    for number, step in enumerate(case.type.steps, start=1):
        said = wording.say(step.text)
        basis = f" ({step.basis})" if step.basis else ""  # a step that states a rule names its basis
        client_basis = f" ({isolate(step.basis, wording.rtl and said.translated)})" if step.basis else ""
        sheet.row(Said(f"{number}. {said.german}{basis}", f"{number}. {said.client}{client_basis}", said.translated))
    missing = [line for line in case.checklist if line.state == "missing" and line.required]
    if missing:
        sheet.heading(wording.say(text("missing_heading")))
        for line in missing:
            said = wording.verbatim(line.label) if line.custom else wording.say(line.label)
            sheet.row(said, box="missing")
    if case.next_steps:
        sheet.heading(wording.say(text("note_heading")))
        sheet.full(case.next_steps)
    _authority(sheet, wording, case, text("contact_heading"))
    if data.desk.organisation or data.desk.counsellor:
        who = ", ".join(part for part in (data.desk.counsellor, data.desk.organisation, data.desk.phone) if part)
        sheet.row(wording.verbatim(who))


def _deadline_lines(sheet: Sheet, wording: Wording, template: Template, case: CaseView) -> None:
    """Lines "Empfohlen bis …" and "Spätestens am …" apart; a legal limit with its basis and Stand."""
    text = template.text
    lines = case.deadlines
    if not lines and case.deadline and case.deadline_label:
        lines = (DeadlineLine(case.deadline_label, "expected", case.deadline),)
    keys = {"recommended": "recommended_line", "legal": "latest_line", "retroactive": "retroactive_line"}
    for line in lines:
        values: dict[str, Value] = {
            "deadline": translated_value(line.label, wording),
            "date": date_value(line.date),
            "weekday": weekday_value(line.date),
            "basis": line.basis,
            "stand": date_value(case.type.stand),
        }
        key = keys.get(line.kind, "deadline_line")
        wanted = SPEC["next_steps"][key]
        sheet.row(wording.say(text(key), **{k: v for k, v in values.items() if k in wanted}), bold=True)


def appointment(sheet: Sheet, wording: Wording, template: Template, data: DocumentData) -> None:
    slot = data.appointment
    if slot is None:
        raise TemplateError(
            template.file_name, "appointment", _("dieses Dokument braucht einen Termin (--appointment)")
        )
    text = template.text
    sheet.title(wording.say(text("title")))
    qr_size = 42 * mm  # a 750-byte calendar entry: modules of about 0.36 mm
    sheet.heading(wording.say(text("when_heading")))
    when = wording.say(
        text("when_line"),
        weekday=weekday_value(slot.starts_at.date()),
        date=date_value(slot.starts_at.date()),
        time=time_value(slot.starts_at),
    )
    sheet.row(when, size=14, bold=True)
    for heading, value in (
        (text("where_heading"), slot.place),
        (text("with_heading"), slot.counsellor),
        (text("topic_heading"), slot.topic),
    ):
        if value:
            sheet.heading(wording.say(heading))
            sheet.row(wording.verbatim(value), size=12)
    summary = wording.say(text("calendar_title"))
    title = _plain(summary.client if summary.translated and wording.bilingual else summary.german)
    if summary.translated and wording.bilingual and summary.client != summary.german:
        title = f"{title} / {summary.german}"
    event = ics.Event(
        uid=slot.uid or f"appointment-{slot.starts_at:%Y%m%dT%H%M}@kim-desk",
        starts_at=slot.starts_at,
        ends_at=slot.starts_at + dt.timedelta(minutes=slot.duration_min),
        summary=title,
        location=slot.place,
        description=", ".join(p for p in (slot.counsellor, data.desk.organisation, data.desk.phone) if p),
    )
    payload = ics.calendar([event], data.created or dt.datetime.combine(data.today, dt.time(0)), compact=True)
    sheet.space(3 * mm)
    sheet.ensure(qr_size + 14 * mm)
    x = (PAGE_W - qr_size) / 2
    sheet.qr(payload, x, sheet.y - qr_size, qr_size)
    sheet.y -= qr_size + 2 * mm
    sheet.row(wording.say(text("qr_caption")), size=8.5, color=GREY)
    desk = data.desk  # how to cancel comes before the list, so it stays on the first page
    sheet.heading(wording.say(text("cancel_heading")))
    sheet.row(wording.say(text("cancel_hint")))
    if desk.organisation:
        sheet.row(wording.verbatim(desk.organisation))
    if desk.phone:
        sheet.row(wording.say(text("cancel_phone"), phone=desk.phone), bold=True)
    if desk.hours:
        sheet.row(wording.say(text("cancel_hours"), hours=desk.hours))
    case = data.case
    if case is not None:
        missing = [line for line in case.checklist if line.state == "missing"]
        if missing:
            sheet.heading(wording.say(text("bring_heading")))
            for line in missing:
                said = wording.verbatim(line.label) if line.custom else wording.say(line.label)
                sheet.row(said, box="missing")


def _plain(text: str) -> str:
    """Text without bidi marks, for the calendar entry."""
    return "".join(ch for ch in text if ch not in BIDI_CONTROLS)


def application_aid(sheet: Sheet, wording: Wording, template: Template, data: DocumentData) -> None:
    case = _need_case(data, template)
    text = template.text
    kind = case.type
    sheet.title(wording.say(text("title"), application=translated_value(kind.title, wording)))
    sheet.row(wording.say(text("intro")))
    section = ""
    for spec in kind.fields:
        if spec.section and spec.section != section:
            section = spec.section
            sheet.heading(wording.say(section))
        label = wording.say(spec.label)
        sheet.ensure(24 * mm)
        sheet.row(label, bold=True, gap=0.6 * mm)
        value = field_value(spec, data, kind.source_file or kind.code)
        if spec.kind == "signature":
            sheet.row(wording.say(text("sign_here")), size=9, color=GREY, indent=4 * mm)
        elif value is FIELD_MISSING:
            gap = wording.say(text("to_fill"))
            marked = Said(f"[ {gap.german} ]", f"[ {gap.client} ]", gap.translated)
            sheet.row(marked, color=GREY, indent=4 * mm, gap=0.6 * mm)
        elif spec.source == "client.nationality":
            code = data.client.nationality
            said = Said(str(value), isolate(country_name(code, wording.lang)), True)
            sheet.row(said, indent=4 * mm, gap=0.6 * mm)
        else:
            sheet.row(wording.verbatim(german_value(value)), indent=4 * mm, gap=0.6 * mm)
        if spec.explain:
            sheet.row(wording.say(spec.explain), size=8.5, color=GREY, indent=4 * mm)
        sheet.space(1.5 * mm)
    _authority(sheet, wording, case, text("authority_heading"))


BUILDERS = {
    "checklist": checklist,
    "next_steps": next_steps,
    "appointment": appointment,
    "application_aid": application_aid,
}
