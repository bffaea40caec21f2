"""Babel extractors for the forms/ content (TOML) and Qt Designer .ui files, and the extraction run.

Registered as Babel extraction methods `kim_forms` and `kim_ui` (pyproject.toml) and used by
babel.cfg. Which TOML values are translatable is declared here, per folder of forms/, as key
paths: `documents[].label` is the label of every entry of the array `documents`, `*` any key.
Each message carries its key path as an extracted comment, so translators see what it is.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from kim_desk import __version__
from kim_desk.i18n import DOMAIN
from kim_desk.i18n.po import PROJECT, brace_names

# forms/<folder>/*.toml -> the key paths whose string values are German text for the client.
# Addresses, phone numbers, URLs, codes and legal citations stay as they are.
TRANSLATABLE_KEYS: dict[str, tuple[str, ...]] = {
    "applications": (
        "title",
        "summary",
        "authority.name",
        "documents[].label",
        "documents[].hint",
        "steps[]",
        "steps[].text",
        "deadlines[].label",
        "fields[].label",
        "fields[].explain",
        "fields[].section",
    ),
    # handout templates: every text except the kind; tables of texts (status_texts.*) too
    "documents": ("*", "*.*"),
    # local offers: what the client reads on a referral slip (provider, contacts and sources are not translated)
    "services": ("title", "summary", "target_group", "how_to_refer", "bring[]"),
}
NOT_TRANSLATABLE = ("kind", "code", "*.code", "*[].code")
# Sheets for German-speaking offices only (documents.templates.GERMAN_ONLY): never translated.
NOT_TRANSLATED_FILES = ("documents/mediator_request.toml",)

# Babel keywords of the Python sources (babel.cfg documents the same set).
PYTHON_KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
COMMENT_TAGS = ["TRANSLATORS:"]
# Extraction methods of babel.cfg, resolved here so extraction works before the package is installed.
_METHODS = {
    "kim_forms": "kim_desk.i18n.extract:extract_forms",
    "kim_ui": "kim_desk.i18n.extract:extract_ui",
}

Extracted = tuple[int, str | None, str, list[str]]


def extract_forms(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: list[str], options: Mapping[str, Any]
) -> Iterator[Extracted]:
    """Babel method `kim_forms`: the translatable string values of one forms/ TOML file.

    The key set follows the file's folder (TRANSLATABLE_KEYS); the option `keys` in babel.cfg
    (space-separated key paths) overrides it.
    """
    raw = fileobj.read()
    text = raw.decode("utf-8")
    data = tomllib.loads(text)
    name = str(getattr(fileobj, "name", ""))
    if _folder_file(name) in NOT_TRANSLATED_FILES:
        return
    patterns = tuple(str(options["keys"]).split()) if options.get("keys") else _keys_for(name)
    lines = text.splitlines()
    cursor = 0
    for path, key, value in _strings(data, ""):
        if not _wanted(path, patterns):
            continue
        lineno, cursor = _find_line(lines, key, value, cursor)
        yield lineno, None, value, [f"{_folder_file(name)}: {path}"]


def _keys_for(file_name: str) -> tuple[str, ...]:
    parts = Path(file_name).parts
    for folder in reversed(parts[:-1]):
        if folder in TRANSLATABLE_KEYS:
            return TRANSLATABLE_KEYS[folder]
    return TRANSLATABLE_KEYS["applications"]


def _folder_file(file_name: str) -> str:
    path = Path(file_name)
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def _strings(value: object, path: str) -> Iterator[tuple[str, str, str]]:
    """(key path with indices, last key, text) of every string, in document order."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, str) and value.strip():
        yield path, path.rsplit(".", 1)[-1].split("[", 1)[0], value


def _wanted(path: str, patterns: tuple[str, ...]) -> bool:
    generic = re.sub(r"\[\d+\]", "[]", path)
    if any(_matches(generic, pattern) for pattern in NOT_TRANSLATABLE):
        return False
    return any(_matches(generic, pattern) for pattern in patterns)


def _matches(generic: str, pattern: str) -> bool:
    # `*` stands for one key, never for a deeper path
    regex = re.escape(pattern).replace(r"\*", r"[^.\[\]]+")
    return re.fullmatch(regex, generic) is not None


def _find_line(lines: list[str], key: str, value: str, cursor: int) -> tuple[int, int]:
    """The 1-based line where `key = value` starts, searching on from the last hit."""
    start = re.compile(rf"^\s*(?:{re.escape(key)}\s*=|\")")
    head = value.splitlines()[0][:30] if value else ""
    for offset in (cursor, 0):
        for index in range(offset, len(lines)):
            line = lines[index]
            if start.match(line) and head in line:
                return index + 1, index + 1
    return cursor or 1, cursor


def extract_ui(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: list[str], options: Mapping[str, Any]
) -> Iterator[Extracted]:
    """Babel method `kim_ui`: the <string> texts of a Qt Designer file, except notr="true".

    The widget and property names become an extracted comment; Qt's `comment` and
    `extracomment` attributes are passed on to the translator.
    """
    found: list[Extracted] = []
    stack: list[tuple[str, dict[str, str]]] = []
    current: dict[str, Any] | None = None
    parser = expat.ParserCreate()

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal current
        stack.append((tag, attrs))
        if tag == "string" and attrs.get("notr", "").lower() not in {"true", "yes"}:
            current = {"line": parser.CurrentLineNumber, "text": [], "attrs": attrs, "where": _ui_where(stack)}

    def data(chunk: str) -> None:
        if current is not None:
            current["text"].append(chunk)

    def end(tag: str) -> None:
        nonlocal current
        stack.pop()
        if tag == "string" and current is not None:
            text = "".join(current["text"])
            if text.strip():
                attrs = current["attrs"]
                notes = [note for note in (attrs.get("extracomment"), attrs.get("comment")) if note]
                found.append((current["line"], None, text, [current["where"], *notes]))
            current = None

    parser.StartElementHandler = start
    parser.CharacterDataHandler = data
    parser.EndElementHandler = end
    parser.buffer_text = True
    parser.Parse(fileobj.read(), True)
    yield from found


def _ui_where(stack: list[tuple[str, dict[str, str]]]) -> str:
    widget = next((attrs.get("name", "") for tag, attrs in reversed(stack) if tag in {"widget", "action"}), "")
    prop = next((attrs.get("name", "") for tag, attrs in reversed(stack) if tag in {"property", "attribute"}), "")
    return f"{widget}.{prop}".strip(".") or "ui"


def extract_catalog(root: Path, mapping: Path, creation_date: dt.datetime | None = None) -> Catalog:
    """Run every extractor of `mapping` (babel.cfg) over the tree at `root` into one template."""
    with mapping.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)  # type: ignore[no-untyped-call]
    method_map = [(pattern, _METHODS.get(method, method)) for pattern, method in method_map]
    catalog = Catalog(
        project=PROJECT,
        version=__version__,
        domain=DOMAIN,
        charset="utf-8",
        creation_date=creation_date,
        msgid_bugs_address="",
        copyright_holder="",
        fuzzy=False,
    )
    found = extract_from_dir(
        str(root),
        method_map,
        options_map,
        keywords=PYTHON_KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        location = Path(filename).as_posix()
        flags = ("python-brace-format",) if _braced(message) else ()
        catalog.add(message, None, [(location, lineno)], auto_comments=comments, context=context, flags=flags)
    return catalog


def _braced(message: str | tuple[str, ...]) -> bool:
    texts = message if isinstance(message, tuple) else (message,)
    return any(brace_names(text) for text in texts if text)
