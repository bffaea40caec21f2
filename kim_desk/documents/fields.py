"""The field map of an application aid: where each field's value comes from.

The same map fills the printed aid and an official AcroForm PDF. A source the data cannot
answer leaves the field blank and marked "to fill in"; a source nobody knows is an error
that names the template and the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from kim_desk.catalog import FieldSpec
from kim_desk.documents.model import DocumentData
from kim_desk.documents.templates import TemplateError
from kim_desk.i18n import SOURCE_LANGUAGE, _, babel_locale
from kim_desk.taxonomy import RESIDENCE_STATUSES


class _Missing:
    def __repr__(self) -> str:
        return "FIELD_MISSING"


FIELD_MISSING: Final = _Missing()

FieldValue = str | int | dt.date | _Missing


def field_value(spec: FieldSpec, data: DocumentData, template: str) -> FieldValue:
    """The value of one field, or FIELD_MISSING where the desk does not know it."""
    source = spec.source
    if not source:
        return FIELD_MISSING
    owner, _dot, name = source.partition(".")
    value: object
    if source == "today":
        value = data.today
    elif owner == "client" and hasattr(data.client, name):
        value = getattr(data.client, name)
        if name == "residence_status" and value in RESIDENCE_STATUSES:
            value = RESIDENCE_STATUSES[str(value)].title
    elif owner == "case" and data.case is not None and hasattr(data.case, name):
        value = getattr(data.case, name)
    elif owner == "case" and data.case is None:
        return FIELD_MISSING
    elif owner == "desk" and hasattr(data.desk, name):
        value = getattr(data.desk, name)
    else:
        raise TemplateError(template, spec.code, _("unbekannte Datenquelle „{source}“").format(source=source))
    if value is None or value in ("", ()):
        return FIELD_MISSING
    if owner == "client" and name == "nationality":
        return country_name(str(value), SOURCE_LANGUAGE)
    if isinstance(value, tuple):
        return "; ".join(str(item) for item in value)
    if isinstance(value, str | int | dt.date):
        return value
    return str(value)


def country_name(code: str, lang: str) -> str:
    """A nationality stored as ISO code, by its name in `lang` ("SY" -> "Syrien"); unknown codes as they are."""
    code = code.strip().upper()
    return str(babel_locale(lang).territories.get(code) or babel_locale(SOURCE_LANGUAGE).territories.get(code) or code)


def german_value(value: FieldValue) -> str:
    """How a value is written into a German form."""
    if isinstance(value, _Missing):
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)
