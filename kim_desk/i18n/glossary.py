"""The glossary of desk terms (translations/glossary.toml) and the checks `tools/i18n.py check` runs with it.

Each term is a German word of the advice desk (Bescheid, Widerspruch, Bedarfsgemeinschaft ...)
with its rendering per language. On client texts (the forms/ content) a translation whose
German source uses the term must render it as the glossary says, and where the term is flagged
`keep_german` it keeps the German word in brackets, so the client can say it at the counter:
"housing benefit (Wohngeld)". Only the standard library is used here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message

GLOSSARY_NAME = "glossary.toml"
CONTENT_PREFIXES = ("forms/",)


@dataclass(frozen=True)
class Term:
    de: str
    source: re.Pattern[str]  # where the German source text uses the term
    keep_german: bool
    render: dict[str, str]  # language -> rendering (for people)
    accept: dict[str, re.Pattern[str]]  # language -> what the check accepts (inflected forms)
    note: str = ""


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]
    decisions: dict[str, str] = field(default_factory=dict)
    avoid: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> words it must not use


class GlossaryError(ValueError):
    """The glossary file itself is broken."""


def load_glossary(path: Path) -> Glossary:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GlossaryError(f"{path.name}: {exc}") from None
    terms = []
    for index, item in enumerate(data.get("term", [])):
        where = f"{path.name}: term[{index}]"
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("de"), str)
            or not isinstance(item.get("render"), dict)
        ):
            raise GlossaryError(f"{where}: needs de and [term.render]")
        de = item["de"]
        try:
            source = re.compile(item.get("source", rf"\b{re.escape(de)}(?:s|es|n|en)?\b"))
            render = {lang: str(text) for lang, text in item["render"].items()}
            accept = {
                lang: re.compile(item.get("accept", {}).get(lang) or re.escape(text), re.IGNORECASE)
                for lang, text in render.items()
            }
        except re.error as exc:
            raise GlossaryError(f"{where} ({de}): {exc}") from None
        terms.append(Term(de, source, bool(item.get("keep_german", False)), render, accept, str(item.get("note", ""))))
    decisions = {str(key): str(value) for key, value in data.get("decisions", {}).items()}
    avoid = {str(lang): tuple(str(word) for word in words) for lang, words in data.get("avoid", {}).items()}
    return Glossary(tuple(terms), decisions, avoid)


def is_client_text(message: Message) -> bool:
    return any(filename.startswith(CONTENT_PREFIXES) for filename, _line in message.locations)


def _bracketed(text: str, needle: re.Pattern[str]) -> bool:
    return any(needle.search(group) for group in re.findall(r"\(([^()]*)\)", text))


def term_problems(glossary: Glossary, lang: str, messages: Iterable[Message]) -> list[str]:
    """Client texts of `lang` that render a glossary term otherwise, or drop its German in brackets."""
    problems = []
    for message in messages:
        if not isinstance(message.id, str) or not isinstance(message.string, str):
            continue
        if message.fuzzy or not message.string:
            continue
        text = message.string
        for word in glossary.avoid.get(lang, ()):
            if word in text:
                problems.append(f"{message.id!r}: „{word}“ gehört nicht in diesen Katalog (siehe glossary.toml)")
        if not is_client_text(message):
            continue
        for term in glossary.terms:
            if lang not in term.render or not term.source.search(message.id):
                continue
            accept = term.accept[lang]
            if not accept.search(text):
                problems.append(f"{message.id!r}: „{term.de}“ soll als „{term.render[lang]}“ übersetzt sein")
                continue
            german = re.compile(re.escape(term.de))
            if term.keep_german and not (
                german.search(text) and (_bracketed(text, german) or _bracketed(text, accept))
            ):
                problems.append(f"{message.id!r}: „{term.de}“ soll auf Deutsch in Klammern stehen: „({term.de})“")
    return problems


def fuzzy_placeholder_problems(catalog: Catalog) -> list[str]:
    """Fuzzy entries whose {placeholders} differ from the source: a reviewer would confirm a broken text."""
    from kim_desk.i18n.po import brace_names, messages

    problems = []
    for message in messages(catalog):
        if not message.fuzzy or not message.string:
            continue
        sources = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        targets = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        wanted = set().union(*(brace_names(str(s)) for s in sources))
        for target in targets:
            names = brace_names(str(target))
            if target and (names != wanted if len(sources) == 1 else not names <= wanted):
                problems.append(f"{message.id!r} → {target!r}: unscharfer Eintrag mit falschen Platzhaltern")
    return problems
