"""Formatting of dates, times and codes for display in the UI language."""

from __future__ import annotations

import datetime as dt

from kim_desk import i18n
from kim_desk.catalog import Catalog
from kim_desk.i18n import _
from kim_desk.taxonomy import Code

# Unicode isolates keep a date or name in its own direction inside a sentence of the other
# direction (an Arabic-formatted date inside German text, a Latin name inside Arabic text).
FSI, PDI = "\u2068", "\u2069"


def isolate(text: str) -> str:
    return f"{FSI}{text}{PDI}" if text else ""


def date_text(value: str | dt.date | None) -> str:
    if not value:
        return ""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return isolate(i18n.format_date(day, i18n.ui_language()))


def time_text(value: dt.datetime) -> str:
    return i18n.format_time(value, i18n.ui_language())


def datetime_text(value: dt.datetime) -> str:
    return i18n.format_datetime(value, i18n.ui_language(), "short")


def code_text(codes: dict[str, Code], code: str | None) -> str:
    if not code:
        return ""
    found = codes.get(code)
    return _(found.title) if found else code


def type_title(catalog: Catalog, code: str) -> str:
    app_type = catalog.types.get(code)
    return _(app_type.title) if app_type else code
