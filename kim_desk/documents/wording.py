"""German and client-language wording of one sheet: translation, review state, values.

Every text is produced twice, once in German and once in the client's language, from the
same German source. Values (dates, names, numbers) are formatted per language and kept in
their own direction inside right-to-left text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from babel.support import NullTranslations

from kim_desk.documents import fonts
from kim_desk.documents.text import BIDI_CONTROLS, NBSP, isolate
from kim_desk.i18n import (
    SOURCE_LANGUAGE,
    format_date,
    format_time,
    format_weekday,
    language,
    translator,
)

# A value is either the same in every language (a name) or formatted per language (a date).
Value = str | Callable[[str], str]

REVIEWED_HEADER = "x-reviewed"  # .po header "X-Reviewed: yes" once a person has checked it

# One digit rule per language, applied to everything in the client's column (translations,
# dates, amounts, phone and file numbers alike): European digits in every language, as on
# the German side, the authority's letters and the numbers a client types into a form.
# A language listed here would get its own digits everywhere instead.
NATIVE_DIGITS: dict[str, str] = {}
_EUROPEAN = "0123456789"
_TO_EUROPEAN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", _EUROPEAN * 2)


@dataclass(frozen=True)
class Said:
    """One text in both languages; `translated` is False where the German stands in."""

    german: str
    client: str
    translated: bool


@cache
def catalogue_reviewed(lang: str) -> bool:
    """Whether a person has reviewed the catalogue of `lang` (its header says X-Reviewed: yes)."""
    if lang == SOURCE_LANGUAGE:
        return True
    return _header_says_reviewed(translator(lang))


def _header_says_reviewed(catalogue: NullTranslations) -> bool:
    info = catalogue.info()
    return str(info.get(REVIEWED_HEADER, "")).strip().lower() in {"yes", "ja", "true", "1"}


class Wording:
    def __init__(self, lang: str, catalogue: NullTranslations | None = None) -> None:
        self.language = language(lang)  # raises a clear error for an unknown code
        self.lang = lang
        self.rtl = self.language.rtl
        self.family = fonts.family_for_language_script(self.language.script)
        self.bilingual = lang != SOURCE_LANGUAGE
        self._catalogue = catalogue if catalogue is not None else translator(lang)
        self._injected = catalogue is not None

    @property
    def reviewed(self) -> bool:
        if self._injected:
            return _header_says_reviewed(self._catalogue)
        return catalogue_reviewed(self.lang)

    def translate(self, source: str) -> tuple[str, bool]:
        if not self.bilingual or not source:
            return source, True
        text = self._catalogue.gettext(source)
        return text, text != source

    def say(self, source: str, **values: Value) -> Said:
        """Translate `source` and fill its placeholders, once per language."""
        client, translated = self.translate(source)
        german = source.format(**_resolve(values, SOURCE_LANGUAGE, rtl=False))
        client_lang = self.lang if translated else SOURCE_LANGUAGE
        client_rtl = self.rtl and translated
        try:
            client_text = client.format(**_resolve(values, client_lang, rtl=client_rtl))
        except (KeyError, IndexError, ValueError):
            # A translation with wrong placeholders must not break the sheet: German stands in.
            client_text, translated = german, False
        if source.startswith("{"):
            german = capitalise(german)
        if client.startswith("{"):
            client_text = capitalise(client_text)
        return Said(german, self.digits(client_text), translated)

    def verbatim(self, text: str) -> Said:
        """Names, places and the counsellor's notes: the same on both sides, each in an isolate."""
        kept = isolate(_whole(text))
        return Said(kept, self.digits(kept), True)

    def digits(self, text: str) -> str:
        """The language's digit rule (NATIVE_DIGITS) applied to a text of its column."""
        native = NATIVE_DIGITS.get(self.lang)
        if native is None:
            return text.translate(_TO_EUROPEAN)
        return text.translate(str.maketrans(_EUROPEAN, native))


def capitalise(text: str) -> str:
    """A sentence that starts with a value (a weekday in Ukrainian or Kurmanji) starts upper case."""
    for index, char in enumerate(text):
        if char in BIDI_CONTROLS:
            continue
        return text[:index] + char.upper() + text[index + 1 :] if char.islower() else text
    return text


def _resolve(values: dict[str, Value], lang: str, *, rtl: bool) -> dict[str, str]:
    return {key: isolate(_whole(value(lang) if callable(value) else value), rtl) for key, value in values.items()}


def _whole(value: str) -> str:
    """A short value with digits (file, phone or house number, amount, date) is never broken."""
    if len(value) <= 32 and any(ch.isdigit() for ch in value):
        return unbroken(value)
    return value


def unbroken(text: str) -> str:
    """A value whose parts must stay on one line: the spaces in it become no-break spaces."""
    return text.replace(" ", NBSP).replace("\u202f", NBSP)


def date_value(day: dt.date, form: str = "long") -> Callable[[str], str]:
    return lambda lang: unbroken(format_date(day, lang, form))


def weekday_value(day: dt.date) -> Callable[[str], str]:
    return lambda lang: format_weekday(day, lang)


def time_value(moment: dt.datetime) -> Callable[[str], str]:
    return lambda lang: unbroken(format_time(moment, lang))


def translated_value(source: str, wording: Wording) -> Callable[[str], str]:
    """A catalogue text (an application's title) used inside another sentence."""
    return lambda lang: source if lang == SOURCE_LANGUAGE else wording.translate(source)[0]


class DictCatalogue(NullTranslations):
    """A catalogue from a plain mapping: for previews of handouts before translations exist."""

    def __init__(self, messages: dict[str, str], *, reviewed: bool = False) -> None:
        super().__init__()
        self._messages = messages
        self._info = {REVIEWED_HEADER: "yes" if reviewed else "no"}

    def gettext(self, message: str) -> str:
        return self._messages.get(message, message)
