"""The gettext catalogue files: read, update and compile them with Babel alone.

translations/kim_desk.pot is the template; translations/<lang>/LC_MESSAGES/kim_desk.po are the
catalogues; the .mo files beside them are compiled on setup and in the wheel build, never
committed. Babel drops header fields it does not know, so `PoCatalog` keeps the X- fields
that record the review state (X-Reviewed-By: who checked the catalogue; empty = nobody).

Only the standard library and Babel are imported here: the wheel build hook uses this module.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import string
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileParser, write_po

from kim_desk.i18n import DOMAIN

TEMPLATE_NAME = f"{DOMAIN}.pot"
REVIEWED_BY = "X-Reviewed-By"  # who reviewed the catalogue, with the date; empty = not reviewed
REVIEWED_FLAG = "X-Reviewed"  # derived into the .mo only, for readers of compiled catalogues
PROJECT = "KIM Desk"
TRANSLATOR = "KIM Desk translators"
HEADER_COMMENT = """\
# Translation of KIM Desk into {lang}. German is the source language.
# Review: once a person has checked every message, put their name and the date into
# the header field X-Reviewed-By (e.g. "X-Reviewed-By: Name, 2026-12-01"); empty = not reviewed.
#"""
# Header lines that change on every run; a file differing only there is not rewritten.
_VOLATILE = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): .*\\n"$', re.MULTILINE)
_PRINTF = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")


class PoCatalog(Catalog):
    """A Babel catalogue that keeps the X- header fields (the review state)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.extra_headers: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    def _get_all_headers(self) -> list[tuple[str, str]]:
        # before Generated-By: Babel ends that value with a blank line, which ends the header
        headers = list(self._get_mime_headers())
        at = next((index for index, (name, _value) in enumerate(headers) if name == "Generated-By"), len(headers))
        return [*headers[:at], *self.extra_headers.items(), *headers[at:]]

    def _set_all_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        headers = list(headers)
        self._set_mime_headers(headers)
        for name, value in headers:
            if name.lower().startswith("x-"):
                self.extra_headers[name] = value.strip()

    mime_headers = property(_get_all_headers, _set_all_headers)

    def header(self, name: str) -> str:
        for key, value in self.extra_headers.items():
            if key.lower() == name.lower():
                return value
        return ""


def po_path(translations: Path, lang: str) -> Path:
    return translations / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(translations: Path, lang: str) -> Path:
    return po_path(translations, lang).with_suffix(".mo")


def catalogue_languages(translations: Path) -> list[str]:
    """The languages that have a .po file, sorted by code."""
    return sorted(path.parent.parent.name for path in translations.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read_catalogue(path: Path, locale: str | None = None) -> PoCatalog:
    catalog = PoCatalog(locale=locale, domain=DOMAIN)
    with path.open("rb") as handle:
        PoFileParser(catalog, ignore_obsolete=False).parse(handle)
    return catalog


def po_text(catalog: Catalog) -> str:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_previous=True)
    return buffer.getvalue().decode("utf-8")


def write_if_changed(path: Path, text: str) -> bool:
    """Write `text` unless the file says the same apart from its dates; True when written."""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if _VOLATILE.sub("", old) == _VOLATILE.sub("", text):
            return False
    _write_atomic(path, text.encode("utf-8"))
    return True


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def new_catalogue(template: Catalog, lang: str) -> PoCatalog:
    """A fresh catalogue for `lang` from the template: nothing translated, not reviewed."""
    catalog = PoCatalog(
        locale=lang,
        domain=DOMAIN,
        project=PROJECT,
        version=template.version,
        copyright_holder="",
        msgid_bugs_address="",
        last_translator=TRANSLATOR,
        language_team=TRANSLATOR,
        revision_date=dt.datetime.now(dt.UTC),
        header_comment=HEADER_COMMENT.format(lang=lang),
        fuzzy=False,
    )
    catalog.creation_date = template.creation_date
    catalog.extra_headers[REVIEWED_BY] = ""
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=True)
    return catalog


def update_catalogue(path: Path, template: Catalog, lang: str) -> bool:
    """Merge the template into the catalogue at `path` (created when missing); True when written."""
    if path.exists():
        catalog = read_catalogue(path)
        catalog.update(template, update_creation_date=True)
    else:
        catalog = new_catalogue(template, lang)
    catalog.extra_headers.setdefault(REVIEWED_BY, "")
    return write_if_changed(path, po_text(catalog))


def compile_catalogue(po: Path, mo: Path | None = None, *, force: bool = False) -> bool:
    """Compile `po` into `mo` (beside it by default) unless that is up to date; True when written.

    Fuzzy and empty translations are left out, so the German source text stands in for them.
    """
    mo = mo or po.with_suffix(".mo")
    if not force and mo.exists() and mo.stat().st_mtime_ns >= po.stat().st_mtime_ns:
        return False
    catalog = read_catalogue(po)
    catalog.extra_headers[REVIEWED_FLAG] = "yes" if catalog.header(REVIEWED_BY) else "no"
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    _write_atomic(mo, buffer.getvalue())
    return True


def compile_all(translations: Path, *, force: bool = False) -> list[Path]:
    """Compile every catalogue under `translations` that changed; the .mo files written."""
    written = []
    for lang in catalogue_languages(translations):
        po = po_path(translations, lang)
        if compile_catalogue(po, force=force):
            written.append(mo_path(translations, lang))
    return written


def is_translated(message: Message) -> bool:
    if message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return bool(strings) and all(strings)


def messages(catalog: Catalog) -> Iterator[Message]:
    """The real messages of a catalogue (not its header)."""
    for message in catalog:
        if message.id:
            yield message


def brace_names(text: str) -> set[str]:
    """The {named} placeholders of `text`; a broken format string yields a marker."""
    try:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<broken format>"}


def printf_names(text: str) -> list[str]:
    return sorted(match.group(0) for match in _PRINTF.finditer(text) if match.group(0) != "%%")


def placeholder_problems(catalog: Catalog) -> list[str]:
    """Translations whose {named} or %-style placeholders differ from the German source."""
    problems = []
    for message in messages(catalog):
        if not is_translated(message):
            continue
        sources = _texts(message.id)
        targets = _texts(message.string)
        # %-style only where Babel saw it in the source: "50 %" in plain text is no placeholder
        printf = "python-format" in message.flags
        if len(sources) == 1:
            wanted = brace_names(sources[0])
            for target in targets:
                printf_differs = printf and printf_names(target) != printf_names(sources[0])
                if brace_names(target) != wanted or printf_differs:
                    problems.append(_describe(message.id, target, wanted))
            continue
        # plural forms: each form uses only the source's placeholders, together all of them
        allowed = set().union(*(brace_names(text) for text in sources))
        used: set[str] = set()
        for target in targets:
            names = brace_names(target)
            used |= names
            if not names <= allowed:
                problems.append(_describe(message.id, target, allowed))
        if used != allowed:
            problems.append(_describe(message.id, " | ".join(targets), allowed))
    return problems


def _describe(source: object, target: str, wanted: set[str]) -> str:
    names = ", ".join(sorted(wanted)) or "keine"
    return f"{source!r} → {target!r}: Platzhalter erwartet: {names}"


def _texts(value: object) -> list[str]:
    return [str(text or "") for text in value] if isinstance(value, (list, tuple)) else [str(value or "")]
