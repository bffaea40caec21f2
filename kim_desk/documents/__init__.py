"""PDF handouts and application aids in the client's language beside German.

    render(kind, data, lang, out_path) -> Path     write atomically, return the path
    render_bytes(kind, data, lang) -> bytes        for a print preview, off the GUI thread

`kind` is one of KINDS ("checklist", "next-steps", "appointment", "application-aid", "referral",
"mediator-request"; the last is German only, whatever `lang` says);
`data` is a model.DocumentData (see adapter.document_data to fill it from the store).
Rendering touches no widget and no database; it is safe to run on a worker thread.
Every handout is a tagged PDF with its own title and language (see tagging).
"""

from __future__ import annotations

import threading
from pathlib import Path

from babel.support import NullTranslations

from kim_desk.documents import referral_sheets
from kim_desk.documents.kinds import BUILDERS
from kim_desk.documents.layout import Sheet
from kim_desk.documents.model import DocumentData
from kim_desk.documents.tagging import add_structure
from kim_desk.documents.templates import GERMAN_ONLY, TemplateError, load_template
from kim_desk.documents.wording import Wording
from kim_desk.errors import UsageError
from kim_desk.fileutil import write_atomic
from kim_desk.i18n import LANGUAGES, SOURCE_LANGUAGE, _, format_date

# Command-line names of the kinds, and the template each uses.
KINDS = {
    "checklist": "checklist",
    "next-steps": "next_steps",
    "appointment": "appointment",
    "application-aid": "application_aid",
    "referral": "referral",
    "mediator-request": "mediator_request",
}
_BUILDERS = {**BUILDERS, **referral_sheets.BUILDERS}

__all__ = ["KINDS", "TemplateError", "render", "render_bytes"]

_render_lock = threading.Lock()

# The document's title in its metadata (shown by viewers and screen readers): what it is, for which
# application, and the date; never the client's name. German, like the document's main language.
_TITLES = {
    "checklist": "Checkliste {application} – {date}",
    "next_steps": "Stand und nächste Schritte {application} – {date}",
    "appointment": "Termin am {date}",
    "application_aid": "Ausfüllhilfe {application} – {date}",
    "referral": "Vermittlung {offer} – {date}",
    "mediator_request": "Anfrage Sprachmittlung {language} – {date}",
}


def _template_kind(kind: str) -> str:
    if kind in KINDS:
        return KINDS[kind]
    if kind in KINDS.values():
        return kind
    raise UsageError(
        _("Unbekannte Art von Dokument „{kind}“. Bekannt sind: {known}").format(kind=kind, known=", ".join(KINDS))
    )


def render_bytes(
    kind: str,
    data: DocumentData,
    lang: str,
    *,
    template_dir: Path | None = None,
    catalogue: NullTranslations | None = None,
) -> bytes:
    """Lay out one document and return the PDF; raises a KnownError for bad input.

    `catalogue` replaces the installed translations of `lang` (tests, previews).
    """
    template_kind = _template_kind(kind)
    if template_kind in GERMAN_ONLY:
        lang, catalogue = SOURCE_LANGUAGE, None
    wording = Wording(lang, catalogue)
    with _render_lock:  # reportlab's font registry and glyph maps are process-wide
        return _render(template_kind, wording, data, template_dir)


def _render(template_kind: str, wording: Wording, data: DocumentData, template_dir: Path | None) -> bytes:
    template = load_template(template_kind, template_dir)
    name = _header_line(template_kind, data)
    pages = 0
    for _pass in range(3):  # lay out once to count the pages, then with "Seite 1 von N"
        sheet = Sheet(
            wording,
            organisation=data.desk.organisation,
            client_name=name,
            printed=format_date(data.today, "de", "medium"),
            pages=pages,
        )
        _BUILDERS[template_kind](sheet, wording, template, data)
        pdf = sheet.finish()
        if sheet.page == pages:
            break
        pages = sheet.page
    client_lang = wording.lang if wording.bilingual else None
    return add_structure(pdf, sheet.marker.marks, title=document_title(template_kind, data), client_lang=client_lang)


def _header_line(template_kind: str, data: DocumentData) -> str:
    """The line under each page's header: the client's name, or on the interpreter request what it is."""
    if template_kind == "mediator_request":
        number = data.mediator.id if data.mediator is not None else ""
        return f"Sprachmittlerpool  ·  Anfrage Nr. {number}"
    client = data.client
    name = client.name or "—"
    if client.name_orig and client.name_orig != client.name:
        name = f"{name}  ·  {client.name_orig}"
    return name


def document_title(template_kind: str, data: DocumentData) -> str:
    """The handout's title for its metadata, e.g. "Checkliste Kindergeld – 01.12.2026"."""
    application = data.case.type.title if data.case is not None else ""
    day = data.today
    if template_kind in ("appointment", "mediator_request") and data.appointment is not None:
        day = data.appointment.starts_at.date()
    offer = ""
    if template_kind == "referral" and data.referral is not None:
        offer, day = data.referral.service.title, data.referral.referred_on
    language = ""
    if data.mediator is not None:
        known = LANGUAGES.get(data.mediator.language)
        language = known.german_name if known is not None else data.mediator.language
    title = _TITLES[template_kind].format(
        application=application, offer=offer, language=language, date=day.strftime("%d.%m.%Y")
    )
    return " ".join(title.split())


def render(
    kind: str,
    data: DocumentData,
    lang: str,
    out_path: Path,
    *,
    template_dir: Path | None = None,
    catalogue: NullTranslations | None = None,
) -> Path:
    """Render and write `out_path` in one step: a failure leaves no partial file behind."""
    pdf = render_bytes(kind, data, lang, template_dir=template_dir, catalogue=catalogue)
    out_path = Path(out_path)
    write_atomic(out_path, pdf, mode=0o600)
    return out_path
