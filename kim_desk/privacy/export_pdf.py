"""The readable copy of a client export: German headings with the client's language beside.

Text is set with kim_desk.documents.text (bidi, harfbuzz shaping, font per script), so a
Farsi or Arabic export reads right-to-left and every glyph comes from the shipped fonts.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from babel.support import NullTranslations
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kim_desk.documents import fonts
from kim_desk.documents.breaking import wrap
from kim_desk.documents.text import Style, draw_line, shape_line
from kim_desk.i18n import N_, format_date, language, translator
from kim_desk.taxonomy import BARRIERS, CASE_STATUSES, MUNICIPALITIES

TITLE = N_("Auskunft über Ihre gespeicherten Daten")
INTRO = N_(
    "Diese Auskunft nach Art. 15 DSGVO enthält alles, was die Beratungsstelle über Sie gespeichert hat. "
    "Erstellt am {date}."
)
SECTIONS = {
    "client": N_("Angaben zur Person"),
    "household": N_("Haushalt"),
    "cases": N_("Anträge"),
    "appointments": N_("Termine"),
    "contacts": N_("Beratungskontakte"),
    "access_log": N_("Wer hat Ihre Daten gesehen oder bearbeitet?"),
}
LABELS = {
    "family_name": N_("Familienname"),
    "given_names": N_("Vornamen"),
    "family_name_orig": N_("Familienname (Originalschrift)"),
    "given_names_orig": N_("Vornamen (Originalschrift)"),
    "birth_date": N_("Geburtsdatum"),
    "nationality": N_("Staatsangehörigkeit"),
    "street": N_("Straße"),
    "postcode": N_("Postleitzahl"),
    "city": N_("Ort"),
    "municipality": N_("Kommune"),
    "phone": N_("Telefon"),
    "email": N_("E-Mail"),
    "languages": N_("Sprachen"),
    "residence_status": N_("Aufenthaltsstatus"),
    "permit_expires": N_("Aufenthaltstitel gültig bis"),
    "notes": N_("Notizen"),
    "relation": N_("Beziehung"),
    "type_code": N_("Antrag"),
    "status": N_("Stand"),
    "opened_on": N_("begonnen am"),
    "closed_on": N_("abgeschlossen am"),
    "deadline": N_("Frist"),
    "authority_ref": N_("Aktenzeichen"),
    "next_steps": N_("Nächste Schritte"),
    "starts_at": N_("Termin"),
    "place": N_("Ort"),
    "topic": N_("Thema"),
    "contact_on": N_("Datum"),
    "channel": N_("Weg"),
    "barriers": N_("Hindernisse"),
    "missing": N_("Fehlende Unterlagen"),
}
NOTHING = N_("keine Einträge")

MARGIN = 18 * mm
BODY, HEAD, TITLE_SIZE = 9.5, 12.0, 15.0


class _Pages:
    """A cursor down A4 pages; lines in the client's language align to their reading side."""

    def __init__(self, lang: str, catalogue: NullTranslations) -> None:
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4, pageCompression=1)
        self.canvas.setTitle("KIM Desk")
        self.width, self.height = A4
        self.y = self.height - MARGIN
        self.lang = lang
        self.rtl = language(lang).rtl
        self.family = fonts.family_for_language_script(language(lang).script)
        self.catalogue = catalogue

    def text(self, text: str, size: float = BODY, *, bold: bool = False, client: bool = False, gap: float = 0) -> None:
        rtl = client and self.rtl
        style = Style(size, self.family if client else fonts.LATIN, bold, rtl)
        usable = self.width - 2 * MARGIN
        for piece in wrap(text, style, usable):
            if self.y < MARGIN + size:
                self.canvas.showPage()
                self.y = self.height - MARGIN
            self.y -= size * 1.35
            line = shape_line(piece, style)
            x = self.width - MARGIN - line.width if rtl else MARGIN
            draw_line(self.canvas, line, x, self.y, size)
        self.y -= gap

    def said(self, source: str, size: float = BODY, *, bold: bool = False, gap: float = 2, **values: str) -> None:
        """German first, then the client's language when a translation exists."""
        german = source.format(**values) if values else source
        self.text(german, size, bold=bold)
        translated = self.catalogue.gettext(source)
        if self.lang != "de" and translated != source:
            self.text(translated.format(**values) if values else translated, size, bold=bold, client=True)
        self.y -= gap

    def label(self, key: str) -> str:
        german = LABELS[key]
        translated = self.catalogue.gettext(german)
        return german if self.lang == "de" or translated == german else f"{german} / {translated}"

    def field(self, key: str, value: Any) -> None:
        if value in (None, "", []):
            return
        self.text(f"{self.label(key)}: {value}")

    def finish(self) -> bytes:
        self.canvas.save()
        return self.buffer.getvalue()


def _date(value: str | None, _lang: str) -> str:
    """Dates in the German numeric form, which the authorities' letters use too."""
    if not value:
        return ""
    try:
        return format_date(dt.date.fromisoformat(value[:10]), "de")
    except ValueError:
        return value


def _title(codes: dict[str, Any], code: str | None, catalogue: NullTranslations) -> str:
    entry = codes.get(code or "")
    return catalogue.gettext(entry.title) if entry else (code or "")


def render_export(data: dict[str, Any], lang: str, catalogue: NullTranslations | None = None) -> bytes:
    """The PDF of an export made by kim_desk.privacy.export.collect."""
    tr = catalogue if catalogue is not None else translator(lang)
    pages = _Pages(lang, tr)
    exported = _date(data["exported_at"], "de")
    pages.said(TITLE, TITLE_SIZE, bold=True, gap=4)
    pages.said(INTRO, date=exported, gap=8)
    client = data["client"]
    pages.said(SECTIONS["client"], HEAD, bold=True)
    for key in ("family_name", "given_names", "family_name_orig", "given_names_orig", "nationality", "street",
                "postcode", "city", "phone", "email", "residence_status", "notes"):  # fmt: skip
        pages.field(key, client.get(key))
    pages.field("birth_date", _date(client.get("birth_date"), lang))
    pages.field("permit_expires", _date(client.get("permit_expires"), lang))
    pages.field("municipality", _title(MUNICIPALITIES, client.get("municipality"), tr))
    pages.field("languages", ", ".join(language(code).native_name for code in client.get("languages", [])))
    pages.y -= 8
    _section(pages, "household", data["household"], lambda m: f"{m['family_name']}, {m['given_names']} "
             f"{_date(m['birth_date'], lang)} ({m['relation']})")  # fmt: skip
    pages.said(SECTIONS["cases"], HEAD, bold=True)
    if not data["cases"]:
        pages.said(NOTHING)
    for case in data["cases"]:
        pages.text(f"{pages.label('type_code')}: {case.get('type_title') or case['type_code']}", bold=True)
        pages.field("status", _title(CASE_STATUSES, case.get("status"), tr))
        pages.field("opened_on", _date(case.get("opened_on"), lang))
        pages.field("closed_on", _date(case.get("closed_on"), lang))
        pages.field("deadline", _date(case.get("deadline"), lang))
        pages.field("authority_ref", case.get("authority_ref"))
        pages.field("next_steps", case.get("next_steps"))
        pages.field("notes", case.get("notes"))
        missing = [
            item.get("document") or item["label"] or item["code"]
            for item in case["checklist"]
            if item["state"] == "missing"
        ]
        pages.field("missing", ", ".join(missing))
        pages.field("barriers", ", ".join(_title(BARRIERS, b["code"], tr) for b in case["barriers"]))
        pages.y -= 4
    pages.y -= 4
    _section(pages, "appointments", data["appointments"],
             lambda a: f"{a['starts_at'].replace('T', ' ')}  {a['place']}  {a['topic']}")  # fmt: skip
    _section(pages, "contacts", data["contacts"],
             lambda c: f"{_date(c['contact_on'], lang)}  {c['channel']}  {c['notes']}")  # fmt: skip
    _section(pages, "access_log", data["access_log"],
             lambda e: f"{e['at'].replace('T', ' ')}  {e['actor']}  {e['action']}  {e['entity']} "
                       f"{e['entity_id']}")  # fmt: skip
    return pages.finish()


def _section(pages: _Pages, key: str, rows: list[dict[str, Any]], describe: Any) -> None:
    pages.said(SECTIONS[key], HEAD, bold=True)
    if not rows:
        pages.said(NOTHING)
    for row in rows:
        pages.text(describe(row))
    pages.y -= 8
