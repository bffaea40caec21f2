"""Document templates in forms/documents/*.toml: the German wording of each kind of handout.

Each kind declares the keys its template must have and the placeholders each key may use, so
a broken template is refused with one message naming the template and the field, before
anything is written.
"""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kim_desk.errors import KnownError
from kim_desk.i18n import _
from kim_desk.resources import content_dir, resource_dir
from kim_desk.taxonomy import CASE_STATUSES

KINDS = ("checklist", "next_steps", "appointment", "application_aid", "referral", "mediator_request")
# Kinds for German-speaking offices only: printed in German, their wording never translated.
GERMAN_ONLY = ("mediator_request",)

_NONE: frozenset[str] = frozenset()
_APP = frozenset({"application"})
_DATE = frozenset({"date"})

# kind -> key -> the placeholders the text may use
SPEC: dict[str, dict[str, frozenset[str]]] = {
    "checklist": {
        "title": _NONE,
        "intro": _APP,
        "missing_heading": _NONE,
        "present_heading": _NONE,
        "optional": _NONE,
        "nothing_missing": _NONE,
        "authority_heading": _NONE,
    },
    "next_steps": {
        "title": _NONE,
        "intro": _APP,
        "status_heading": _NONE,
        "status_line": frozenset({"date", "status"}),
        "submitted_line": _DATE,
        "reference_line": frozenset({"reference"}),
        "next_heading": _NONE,
        "deadline_line": frozenset({"deadline", "date", "weekday"}),
        "recommended_line": frozenset({"deadline", "date", "weekday"}),
        "latest_line": frozenset({"deadline", "date", "weekday", "basis", "stand"}),
        "retroactive_line": frozenset({"deadline", "date", "basis", "stand"}),
        "note_heading": _NONE,
        "contact_heading": _NONE,
        "missing_heading": _NONE,
    },
    "appointment": {
        "title": _NONE,
        "when_heading": _NONE,
        "when_line": frozenset({"weekday", "date", "time"}),
        "where_heading": _NONE,
        "with_heading": _NONE,
        "topic_heading": _NONE,
        "bring_heading": _NONE,
        "qr_caption": _NONE,
        "cancel_heading": _NONE,
        "cancel_hint": _NONE,
        "cancel_phone": frozenset({"phone"}),
        "cancel_hours": frozenset({"hours"}),
        "calendar_title": _NONE,
    },
    "application_aid": {
        "title": _APP,
        "intro": _NONE,
        "to_fill": _NONE,
        "sign_here": _NONE,
        "authority_heading": _NONE,
    },
    "referral": {
        "title": _NONE,
        "intro": frozenset({"date", "number"}),
        "provider_line": frozenset({"provider"}),
        "how_heading": _NONE,
        "bring_heading": _NONE,
        "contact_heading": _NONE,
        "phone_line": frozenset({"phone"}),
        "email_line": frozenset({"email"}),
        "address_line": frozenset({"address"}),
        "web_line": frozenset({"url"}),
        "unknown": _NONE,
        "unknown_hint": _NONE,
        "desk_heading": _NONE,
        "stand_line": frozenset({"date", "basis"}),
    },
    "mediator_request": {
        "title": _NONE,
        "intro": _NONE,
        "reference_line": frozenset({"number", "date"}),
        "language_heading": _NONE,
        "when_heading": _NONE,
        "when_line": frozenset({"weekday", "date", "time", "minutes"}),
        "where_heading": _NONE,
        "topic_heading": _NONE,
        "general_topic": _NONE,
        "desk_heading": _NONE,
        "phone_line": frozenset({"phone"}),
        "hours_line": frozenset({"hours"}),
        "reply_heading": _NONE,
        "reply_hint": _NONE,
        "privacy_note": _NONE,
    },
}
# Tables of texts keyed by code (the status texts of the feedback letter).
TABLES: dict[str, dict[str, tuple[str, ...]]] = {"next_steps": {"status_texts": tuple(CASE_STATUSES)}}


class TemplateError(KnownError):
    """A template in forms/documents is missing, unreadable or names what does not exist."""

    def __init__(self, template: str, field: str, message: str) -> None:
        self.template = template
        self.field = field
        super().__init__(
            _("Vorlage {template}, Feld „{field}“: {message}").format(template=template, field=field, message=message)
        )


@dataclass(frozen=True)
class Template:
    kind: str
    file_name: str
    texts: dict[str, str]
    tables: dict[str, dict[str, str]]

    def text(self, key: str) -> str:
        return self.texts[key]


def _placeholders(text: str, template: str, key: str) -> set[str]:
    try:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise TemplateError(template, key, _("ungültiger Platzhalter ({reason})").format(reason=exc)) from None


def parse_template(kind: str, data: object, file_name: str) -> Template:
    if not isinstance(data, dict):
        raise TemplateError(file_name, "", _("erwartet eine Tabelle"))
    spec = SPEC[kind]
    tables_spec = TABLES.get(kind, {})
    if data.get("kind") != kind:
        raise TemplateError(file_name, "kind", _("muss „{kind}“ sein").format(kind=kind))
    texts: dict[str, str] = {}
    tables: dict[str, dict[str, str]] = {}
    for key, value in data.items():
        if key == "kind":
            continue
        if key in tables_spec:
            tables[key] = _table(value, tables_spec[key], file_name, key)
            continue
        if key not in spec:
            raise TemplateError(file_name, key, _("unbekanntes Feld"))
        if not isinstance(value, str) or not value.strip():
            raise TemplateError(file_name, key, _("erwartet einen nicht leeren Text"))
        unknown = _placeholders(value, file_name, key) - spec[key]
        if unknown:
            raise TemplateError(
                file_name,
                key,
                _("unbekannter Platzhalter {{{name}}}").format(name=sorted(unknown)[0]),
            )
        texts[key] = value
    for key in spec:
        if key not in texts:
            raise TemplateError(file_name, key, _("Pflichtfeld fehlt"))
    for key in tables_spec:
        if key not in tables:
            raise TemplateError(file_name, key, _("Pflichtfeld fehlt"))
    return Template(kind, file_name, texts, tables)


def _table(value: object, codes: tuple[str, ...], file_name: str, key: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise TemplateError(file_name, key, _("erwartet eine Tabelle"))
    for code in value:
        if code not in codes:
            raise TemplateError(file_name, f"{key}.{code}", _("unbekanntes Feld"))
    result: dict[str, str] = {}
    for code in codes:
        text = value.get(code)
        if not isinstance(text, str) or not text.strip():
            raise TemplateError(file_name, f"{key}.{code}", _("Pflichtfeld fehlt"))
        if _placeholders(text, file_name, f"{key}.{code}"):
            raise TemplateError(file_name, f"{key}.{code}", _("hier sind keine Platzhalter erlaubt"))
        result[code] = text
    return result


def load_template(kind: str, folder: Path | None = None) -> Template:
    """Read and check the template of `kind`; raise TemplateError naming template and field."""
    if kind not in SPEC:
        raise TemplateError(f"{kind}.toml", "kind", _("unbekannte Art von Dokument"))
    if folder is None:
        folder = content_dir("forms", "documents")
        if not (folder / f"{kind}.toml").is_file():  # an installed pack older than this kind of document
            folder = resource_dir("forms") / "documents"
    path = folder / f"{kind}.toml"
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise TemplateError(path.name, "", _("Datei fehlt in {folder}").format(folder=folder)) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(path.name, "", _("nicht lesbar ({reason})").format(reason=exc)) from None
    return parse_template(kind, data, path.name)
