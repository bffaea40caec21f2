"""PDF handouts and application aids in the client's language beside German.

    render(kind, data, lang, out_path) -> Path     write atomically, return the path
    render_bytes(kind, data, lang) -> bytes        for a print preview, off the GUI thread

`kind` is one of KINDS ("checklist", "next-steps", "appointment", "application-aid");
`data` is a model.DocumentData (see adapter.document_data to fill it from the store).
Rendering touches no widget and no database; it is safe to run on a worker thread.
"""

from __future__ import annotations

import threading
from pathlib import Path

from babel.support import NullTranslations

from kim_desk.documents.kinds import BUILDERS
from kim_desk.documents.layout import Sheet
from kim_desk.documents.model import DocumentData
from kim_desk.documents.templates import TemplateError, load_template
from kim_desk.documents.wording import Wording
from kim_desk.errors import UsageError
from kim_desk.fileutil import write_atomic
from kim_desk.i18n import _, format_date

# Command-line names of the kinds, and the template each uses.
KINDS = {
    "checklist": "checklist",
    "next-steps": "next_steps",
    "appointment": "appointment",
    "application-aid": "application_aid",
}

__all__ = ["KINDS", "TemplateError", "render", "render_bytes"]

_render_lock = threading.Lock()


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
    wording = Wording(lang, catalogue)
    with _render_lock:  # reportlab's font registry and glyph maps are process-wide
        return _render(template_kind, wording, data, template_dir)


def _render(template_kind: str, wording: Wording, data: DocumentData, template_dir: Path | None) -> bytes:
    template = load_template(template_kind, template_dir)
    client = data.client
    name = client.name or "—"
    if client.name_orig and client.name_orig != client.name:
        name = f"{name}  ·  {client.name_orig}"
    pages = 0
    for _pass in range(3):  # lay out once to count the pages, then with "Seite 1 von N"
        sheet = Sheet(
            wording,
            organisation=data.desk.organisation,
            client_name=name,
            printed=format_date(data.today, "de", "medium"),
            pages=pages,
        )
        BUILDERS[template_kind](sheet, wording, template, data)
        pdf = sheet.finish()
        if sheet.page == pages:
            break
        pages = sheet.page
    return pdf


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
