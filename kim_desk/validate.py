"""Field checks shared by the records; each failure names its field."""

from __future__ import annotations

import datetime as dt
import re

from kim_desk.errors import ValidationError
from kim_desk.i18n import LANGUAGES, _

_PHONE = re.compile(r"^\+?[0-9 ()/\-]{5,25}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTCODE = re.compile(r"^[0-9]{5}$")


def parse_date(field: str, value: str | dt.date | None, *, required: bool = False) -> str | None:
    """Return an ISO date string or None; raise ValidationError naming the field."""
    if value in (None, ""):
        if required:
            raise ValidationError(field, _("Bitte ein Datum angeben."))
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValidationError(field, _("„{value}“ ist kein gültiges Datum (JJJJ-MM-TT).").format(value=value)) from None


def check_birth_date(value: str | None, today: dt.date) -> None:
    if value is None:
        return
    born = dt.date.fromisoformat(value)
    if born > today:
        raise ValidationError("birth_date", _("Das Geburtsdatum liegt in der Zukunft."))
    if born.year < today.year - 120:
        raise ValidationError("birth_date", _("Das Geburtsdatum liegt zu weit zurück."))


def check_phone(value: str) -> None:
    if value and not _PHONE.match(value):
        raise ValidationError("phone", _("„{value}“ ist keine Telefonnummer.").format(value=value))


def check_email(value: str) -> None:
    if value and not _EMAIL.match(value):
        raise ValidationError("email", _("„{value}“ ist keine E-Mail-Adresse.").format(value=value))


def check_postcode(value: str) -> None:
    if value and not _POSTCODE.match(value):
        raise ValidationError("postcode", _("Die Postleitzahl muss fünf Ziffern haben."))


def check_code(field: str, value: str, allowed: dict[str, object]) -> None:
    if value not in allowed:
        raise ValidationError(field, _("„{value}“ ist hier nicht zulässig.").format(value=value))


def check_languages(values: list[str]) -> None:
    for value in values:
        if value not in LANGUAGES:
            raise ValidationError("languages", _("Unbekannte Sprache „{code}“.").format(code=value))


def check_required(field: str, value: str) -> None:
    if not value.strip():
        raise ValidationError(field, _("Dieses Feld darf nicht leer sein."))
