"""Date fields in the UI language's own short format (dd.MM.yyyy in German, d/M/yyyy in Arabic ...)."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateEdit, QWidget

from kim_desk import i18n


def date_format(lang: str | None = None) -> str:
    """A Qt display format with a four-digit year, from the language's short date format."""
    lang = lang or i18n.ui_language()
    if lang == "de":
        return "dd.MM.yyyy"
    text = QLocale(lang).dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in text:
        text = text.replace("yy", "yyyy")
    return text


def apply_date_formats(root: QWidget) -> None:
    """Every QDateEdit below root shows dates the way the UI language writes them."""
    fmt = date_format()
    for edit in root.findChildren(QDateEdit):
        edit.setDisplayFormat(fmt)
    if isinstance(root, QDateEdit):
        root.setDisplayFormat(fmt)
