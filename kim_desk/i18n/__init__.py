"""gettext through Babel: one catalogue domain, German source text.

`_` translates into the current UI language; `translator(lang)` gives the
catalogue of any language, for handouts printed in the client's language.
Import explicitly: ``from kim_desk.i18n import _, N_, ngettext, pgettext``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.support import NullTranslations, Translations

from kim_desk.resources import translation_dirs

DOMAIN = "kim_desk"
SOURCE_LANGUAGE = "de"


class Language(NamedTuple):
    code: str  # gettext/Babel locale code
    native_name: str  # the language's name in its own script
    german_name: str
    rtl: bool = False
    script: str = "Latn"


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("de", "Deutsch", "Deutsch"),
        Language("en", "English", "Englisch"),
        Language("ar", "العربية", "Arabisch", rtl=True, script="Arab"),
        Language("uk", "Українська", "Ukrainisch", script="Cyrl"),
        Language("ru", "Русский", "Russisch", script="Cyrl"),
        Language("tr", "Türkçe", "Türkisch"),
        Language("fa", "فارسی", "Persisch (Farsi)", rtl=True, script="Arab"),
        Language("ps", "پښتو", "Paschtu", rtl=True, script="Arab"),
        Language("kmr", "Kurmancî", "Kurdisch (Kurmandschi)"),
        Language("ckb", "کوردی", "Kurdisch (Sorani)", rtl=True, script="Arab"),
        Language("ti", "ትግርኛ", "Tigrinya", script="Ethi"),
        Language("ro", "Română", "Rumänisch"),
        Language("bg", "Български", "Bulgarisch", script="Cyrl"),
        Language("pl", "Polski", "Polnisch"),
        Language("fr", "Français", "Französisch"),
    )
}

# Babel has no locale data for some codes; format dates and numbers with a neighbour.
_BABEL_LOCALE_FALLBACK = {"kmr": "ku", "ckb": "ckb"}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it (yet)."""
    return message


def is_rtl(lang: str) -> bool:
    language = LANGUAGES.get(lang)
    return bool(language and language.rtl)


def language(lang: str) -> Language:
    try:
        return LANGUAGES[lang]
    except KeyError:
        from kim_desk.errors import UsageError

        known = ", ".join(sorted(LANGUAGES))
        raise UsageError(
            _("Unbekannte Sprache „{code}“. Bekannt sind: {known}").format(code=lang, known=known)
        ) from None


@cache
def translator(lang: str) -> NullTranslations:
    """The compiled catalogue of `lang`; German and missing catalogues translate to the source."""
    if lang == SOURCE_LANGUAGE:
        return NullTranslations()
    for directory in translation_dirs():  # an installed content pack first, then the shipped catalogues
        if (directory / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file():
            return Translations.load(str(directory), [lang], DOMAIN)
    return NullTranslations()


class _State:
    ui_language = SOURCE_LANGUAGE
    listeners: list[Callable[[str], None]] = []  # noqa: RUF012 - process-wide by design


def ui_language() -> str:
    return _State.ui_language


def set_ui_language(lang: str) -> None:
    """Switch the language of `_`; listeners (the GUI) retranslate what is shown."""
    language(lang)
    _State.ui_language = lang
    for listener in list(_State.listeners):
        listener(lang)


def add_language_listener(listener: Callable[[str], None]) -> None:
    _State.listeners.append(listener)


def _(message: str) -> str:
    return translator(_State.ui_language).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translator(_State.ui_language).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return str(translator(_State.ui_language).pgettext(context, message))


def babel_locale(lang: str) -> Locale:
    code = _BABEL_LOCALE_FALLBACK.get(lang, lang)
    try:
        return Locale.parse(code)
    except Exception:  # noqa: BLE001 - unknown locale data falls back to German formats
        return Locale.parse(SOURCE_LANGUAGE)


def format_date(value: dt.date, lang: str, form: str = "medium") -> str:
    return str(babel_dates.format_date(value, format=form, locale=babel_locale(lang)))


def format_datetime(value: dt.datetime, lang: str, form: str = "medium") -> str:
    return str(babel_dates.format_datetime(value, format=form, locale=babel_locale(lang)))


def format_time(value: dt.time | dt.datetime, lang: str, form: str = "short") -> str:
    return str(babel_dates.format_time(value, format=form, locale=babel_locale(lang)))


def format_weekday(value: dt.date, lang: str) -> str:
    return str(babel_dates.format_date(value, format="EEEE", locale=babel_locale(lang)))


def format_number(value: int | float | Decimal, lang: str) -> str:
    return str(babel_numbers.format_decimal(value, locale=babel_locale(lang)))
