"""A review pack for one language, and bringing the reviewer's corrections back.

The pack is a folder a reviewer can work with offline: a spreadsheet (ODS: the texts with where
they appear, their state and the glossary terms they use; a second sheet with the glossary), the
language's .po file to correct in any PO editor, and the glossary. `import_review` takes the
corrected .po back: it changes only translations of messages that exist, marks each message the
reviewer returned with a `reviewed:` comment, names the reviewer in X-Reviewed-By, and refuses
(changing nothing) when the result breaks a placeholder or the glossary.
Only the standard library and Babel are used here.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from babel.messages.catalog import Catalog, Message

from kim_desk.i18n.glossary import GLOSSARY_NAME, Glossary, fuzzy_placeholder_problems, is_client_text, term_problems
from kim_desk.i18n.po import (
    REVIEWED_BY,
    is_translated,
    messages,
    placeholder_problems,
    po_path,
    po_text,
    read_catalogue,
    write_if_changed,
)

REVIEWED_MARK = "reviewed:"  # translator comment on a message a person has checked: "reviewed: Name, date"
ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


class ReviewError(ValueError):
    """The returned catalogue cannot be taken over; nothing was changed."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def is_marked_reviewed(message: Message) -> bool:
    return is_translated(message) and any(c.startswith(REVIEWED_MARK) for c in message.user_comments)


def _state(message: Message) -> str:
    if is_marked_reviewed(message):
        return "geprüft"
    if message.fuzzy:
        return "unscharf"
    return "übersetzt" if is_translated(message) else "leer"


def _text(value: object) -> str:
    return " | ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value or "")


def _terms_in(glossary: Glossary, lang: str, message: Message) -> str:
    found = [
        f"{term.de} → {term.render[lang]}{' (+ Deutsch in Klammern)' if term.keep_german else ''}"
        for term in glossary.terms
        if lang in term.render and term.source.search(_text(message.id))
    ]
    return "; ".join(found)


def _cell(value: str) -> str:
    lines = "".join(f"<text:p>{escape(line)}</text:p>" for line in value.split("\n")) or "<text:p/>"
    return f'<table:table-cell office:value-type="string">{lines}</table:table-cell>'


def _sheet(name: str, rows: list[list[str]]) -> str:
    body = "".join("<table:table-row>" + "".join(_cell(v) for v in row) + "</table:table-row>" for row in rows)
    return f'<table:table table:name="{escape(name)}">{body}</table:table>'


def write_ods(path: Path, sheets: dict[str, list[list[str]]]) -> None:
    """A minimal OpenDocument spreadsheet (LibreOffice, Excel and Google Sheets open it)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>"
        + "".join(_sheet(name, rows) for name, rows in sheets.items())
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)


def review_rows(catalog: Catalog, glossary: Glossary, lang: str) -> list[list[str]]:
    rows = [["Nr.", "Wo (Datei, Feld)", "Deutsch", "Übersetzung", "Stand", "Glossar", "Anmerkung der Prüfung"]]
    ordered = sorted(messages(catalog), key=lambda m: (not is_client_text(m), m.locations[:1]))
    for number, message in enumerate(ordered, start=1):
        where = "\n".join([*message.auto_comments, *(f"{name}:{line}" for name, line in message.locations[:3])])
        rows.append(
            [
                str(number),
                where,
                _text(message.id),
                _text(message.string),
                _state(message),
                _terms_in(glossary, lang, message),
                "",
            ]
        )
    return rows


def glossary_rows(glossary: Glossary, lang: str) -> list[list[str]]:
    rows = [["Deutsch", "Wiedergabe", "Deutsch in Klammern behalten", "Hinweis"]]
    for term in glossary.terms:
        rows.append([term.de, term.render.get(lang, ""), "ja" if term.keep_german else "nein", term.note])
    for name, text in glossary.decisions.items():
        rows.append([name, "", "", " ".join(text.split())])
    return rows


@dataclass(frozen=True)
class ReviewPack:
    folder: Path
    ods: Path
    po: Path
    messages: int


def write_review_pack(translations: Path, glossary: Glossary, lang: str, out: Path) -> ReviewPack:
    catalog = read_catalogue(po_path(translations, lang))
    folder = out / f"kim_desk-review-{lang}"
    folder.mkdir(parents=True, exist_ok=True)
    ods = folder / f"kim_desk-{lang}.ods"
    rows = review_rows(catalog, glossary, lang)
    write_ods(ods, {"Texte": rows, "Glossar": glossary_rows(glossary, lang)})
    po_copy = folder / f"kim_desk-{lang}.po"
    shutil.copyfile(po_path(translations, lang), po_copy)
    shutil.copyfile(translations / GLOSSARY_NAME, folder / GLOSSARY_NAME)
    (folder / "LIESMICH.txt").write_bytes(  # bytes: the same line ends on every platform
        (
            f"Prüfung der Sprache {lang} für KIM Desk\n\n"
            f"{ods.name}: alle Texte mit Fundort, Stand und Glossarbegriffen; Blatt „Glossar“.\n"
            f"{po_copy.name}: hier die Übersetzungen korrigieren (z. B. mit Poedit); jede Meldung,\n"
            "die Sie zurückgeben, gilt als von Ihnen geprüft.\n"
            "Zurück: tools/i18n.py review-import "
            f"{lang} {po_copy.name} --reviewer 'Name'\n"
        ).encode()
    )
    return ReviewPack(folder, ods, po_copy, len(rows) - 1)


def import_review(
    translations: Path, glossary: Glossary, lang: str, returned: Path, reviewer: str, today: dt.date
) -> int:
    """Take over the reviewer's translations; returns how many messages were marked reviewed."""
    reviewer = " ".join(reviewer.split())
    if not reviewer:
        raise ReviewError(["Bitte den Namen der prüfenden Person angeben (--reviewer)."])
    path = po_path(translations, lang)
    catalog = read_catalogue(path)
    theirs = read_catalogue(returned)
    mark = f"{REVIEWED_MARK} {reviewer}, {today.isoformat()}"
    count = 0
    for message in messages(theirs):
        ours = catalog.get(message.id, context=message.context)
        if ours is None or message.fuzzy or not is_translated(message):
            continue
        ours.string = message.string
        ours.flags.discard("fuzzy")
        ours.user_comments = [c for c in ours.user_comments if not c.startswith(REVIEWED_MARK)] + [mark]
        count += 1
    problems = placeholder_problems(catalog) + fuzzy_placeholder_problems(catalog)
    problems += term_problems(glossary, lang, messages(catalog))
    if problems:
        raise ReviewError(problems)
    catalog.extra_headers[REVIEWED_BY] = f"{reviewer}, {today.isoformat()}"
    write_if_changed(path, po_text(catalog))
    return count
