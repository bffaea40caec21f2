"""How far each language's catalogue is: share translated (UI and forms/ content) and review state.

Figures are counted from the files in translations/: the template (.pot) says which messages
exist, each language's .po which of them are translated (not fuzzy, not empty). A catalogue
is reviewed when its header field X-Reviewed-By names who checked it.

COMPLETE_UI and COMPLETE_CONTENT declare which languages are finished; the tests then require
every message of that part to be translated. Translators add their language when done.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message

from kim_desk.i18n import LANGUAGES, SOURCE_LANGUAGE, translator
from kim_desk.i18n.po import (
    REVIEWED_BY,
    REVIEWED_FLAG,
    TEMPLATE_NAME,
    is_translated,
    messages,
    po_path,
    read_catalogue,
)
from kim_desk.i18n.review import is_marked_reviewed
from kim_desk.resources import resource_dir

# Languages whose catalogue is declared finished: UI = kim_desk/ and ui/ messages, content = forms/.
COMPLETE_UI: tuple[str, ...] = ("en", "ar", "uk", "ru", "tr", "fa")
COMPLETE_CONTENT: tuple[str, ...] = (*COMPLETE_UI, "ps", "kmr", "ckb", "ti", "ro", "bg", "pl", "fr")

UI_PREFIXES = ("kim_desk/", "ui/")
CONTENT_PREFIXES = ("forms/",)


@dataclass(frozen=True)
class LanguageStatus:
    code: str
    native_name: str
    ui_total: int
    ui_translated: int
    content_total: int
    content_translated: int
    reviewed: bool
    ui_checked: int = 0  # translated messages a reviewer returned (marked "reviewed:")
    content_checked: int = 0

    @property
    def ui_share(self) -> float:
        return self.ui_translated / self.ui_total if self.ui_total else 1.0

    @property
    def content_share(self) -> float:
        return self.content_translated / self.content_total if self.content_total else 1.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ui_share": round(self.ui_share, 4), "content_share": round(self.content_share, 4)}


def is_ui(message: Message) -> bool:
    return any(filename.startswith(UI_PREFIXES) for filename, _line in message.locations)


def is_content(message: Message) -> bool:
    return any(filename.startswith(CONTENT_PREFIXES) for filename, _line in message.locations)


def _translations_dir(translations: Path | None) -> Path | None:
    if translations is not None:
        return translations
    try:
        return resource_dir("translations")
    except FileNotFoundError:
        return None


def catalogue_status(translations: Path | None = None) -> list[LanguageStatus]:
    """One line per language of LANGUAGES, in their declared order; German is the source."""
    folder = _translations_dir(translations)
    template = _template(folder)
    wanted = list(messages(template)) if template is not None else []
    ui_total = sum(1 for message in wanted if is_ui(message))
    content_total = sum(1 for message in wanted if is_content(message))
    result = []
    for code, lang in LANGUAGES.items():
        if code == SOURCE_LANGUAGE:
            result.append(
                LanguageStatus(code, lang.native_name, ui_total, ui_total, content_total, content_total, True)
            )
            continue
        path = po_path(folder, code) if folder else None
        if path is None or not path.exists():
            result.append(LanguageStatus(code, lang.native_name, ui_total, 0, content_total, 0, False))
            continue
        catalog = read_catalogue(path)
        done = [message for message in wanted if _translated_in(catalog, message)]
        checked = [message for message in done if is_marked_reviewed(catalog[message.id])]
        result.append(
            LanguageStatus(
                code,
                lang.native_name,
                ui_total,
                sum(1 for message in done if is_ui(message)),
                content_total,
                sum(1 for message in done if is_content(message)),
                bool(catalog.header(REVIEWED_BY)),
                sum(1 for message in checked if is_ui(message)),
                sum(1 for message in checked if is_content(message)),
            )
        )
    return result


def _template(folder: Path | None) -> Catalog | None:
    if folder is None or not (folder / TEMPLATE_NAME).exists():
        return None
    return read_catalogue(folder / TEMPLATE_NAME)


def _translated_in(catalog: Catalog, message: Message) -> bool:
    found = catalog.get(message.id, context=message.context)
    return found is not None and is_translated(found)


def is_reviewed(lang: str, translations: Path | None = None) -> bool:
    """Whether a person has reviewed the catalogue of `lang` (German, the source, always is).

    Reads the .po header; where only compiled catalogues ship, the .mo header.
    """
    if lang == SOURCE_LANGUAGE:
        return True
    folder = _translations_dir(translations)
    if folder is not None and po_path(folder, lang).exists():
        path = po_path(folder, lang)
        return _po_reviewed(str(path), path.stat().st_mtime_ns)
    if translations is not None:
        return False
    return str(translator(lang).info().get(REVIEWED_FLAG.lower(), "")).strip().lower() == "yes"


@cache
def _po_reviewed(path: str, _mtime_ns: int) -> bool:
    # keyed on the modification time: a handout run reads each catalogue once
    return bool(read_catalogue(Path(path)).header(REVIEWED_BY))
