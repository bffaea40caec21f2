"""Desk settings, declared once with type, default and translatable title; unknown keys are errors."""

from __future__ import annotations

import base64
import json
from typing import Any, NamedTuple

from kim_desk.errors import UsageError, ValidationError
from kim_desk.i18n import LANGUAGES, N_, _
from kim_desk.store import Store
from kim_desk.taxonomy import MUNICIPALITIES


class Setting(NamedTuple):
    key: str
    type: type
    default: Any
    title: str  # German source, N_-marked
    choices: tuple[str, ...] = ()


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("counsellor", str, "", N_("Beraterin / Berater")),
        Setting("organisation", str, "", N_("Organisation")),
        Setting("municipality", str, "warendorf", N_("Kommune des Arbeitsplatzes"), tuple(MUNICIPALITIES)),
        Setting("ui_language", str, "de", N_("Sprache der Oberfläche"), tuple(LANGUAGES)),
        Setting("idle_lock_minutes", int, 10, N_("Sperren nach Minuten ohne Eingabe")),
        Setting("district_url", str, "", N_("Adresse des Kreisdienstes (KIM)")),
        Setting("place", str, "", N_("Ort der Beratung (für Terminzettel)")),
        Setting("desk_phone", str, "", N_("Telefon der Beratungsstelle (für Terminzettel)")),
        Setting("desk_hours", str, "", N_("Sprechzeiten (für Terminzettel)")),
        Setting("retention_years", int, 3, N_("Aufbewahrung nach Abschluss des letzten Antrags (Jahre)")),
        # pinned at enrolment: the district's Ed25519 key that signs content packs (base64 of 32 bytes)
        Setting("content_key", str, "", N_("Schlüssel des Kreises für Inhaltspakete")),
    )
}


def _setting(key: str) -> Setting:
    try:
        return SETTINGS[key]
    except KeyError:
        raise UsageError(_("Unbekannte Einstellung „{key}“.").format(key=key)) from None


def check_value(key: str, value: Any) -> Any:
    setting = _setting(key)
    if setting.type is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if not isinstance(value, setting.type) or isinstance(value, bool):
        raise ValidationError(key, _("Falscher Wert für „{key}“.").format(key=key))
    if setting.choices and value not in setting.choices:
        raise ValidationError(key, _("„{value}“ ist für „{key}“ nicht zulässig.").format(value=value, key=key))
    if key == "content_key" and isinstance(value, str) and value and not _is_public_key(value):
        raise ValidationError(key, _("Das ist kein gültiger Schlüssel des Kreises."))
    if key == "idle_lock_minutes" and isinstance(value, int) and not 1 <= value <= 240:
        raise ValidationError(key, _("Bitte zwischen 1 und 240 Minuten wählen."))
    return value


def _is_public_key(value: str) -> bool:
    try:
        return len(base64.b64decode(value, validate=True)) == 32
    except ValueError:
        return False


def get(store: Store, key: str) -> Any:
    setting = _setting(key)
    row = store.one("SELECT value FROM setting WHERE key = ?", (key,))
    if row is None:
        return setting.default
    try:
        return check_value(key, json.loads(row["value"]))
    except (ValueError, ValidationError):
        return setting.default  # a damaged value must not stop the desk


def put(store: Store, key: str, value: Any) -> None:
    value = check_value(key, value)
    with store.transaction():
        store.conn.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )


def all_settings(store: Store) -> dict[str, Any]:
    return {key: get(store, key) for key in SETTINGS}
