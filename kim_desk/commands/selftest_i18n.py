"""Self-test: the compiled catalogue of every complete language loads and translates.

Checks the installed or frozen app's own translations folder, through the same loader the
app uses, so a missing or stale .mo is reported by language.
"""

from __future__ import annotations

from pathlib import Path

from babel.support import Translations

from kim_desk.i18n import DOMAIN, LANGUAGES
from kim_desk.i18n.po import TEMPLATE_NAME, messages, read_catalogue
from kim_desk.i18n.status import COMPLETE_CONTENT, COMPLETE_UI, is_content, is_ui
from kim_desk.resources import resource_dir


def check_catalogues_load(_tmp: Path, folder: Path | None = None) -> None:
    folder = folder or resource_dir("translations")
    samples = _samples(folder)
    problems = []
    for lang in LANGUAGES:
        parts = [part for part, complete in (("ui", COMPLETE_UI), ("content", COMPLETE_CONTENT)) if lang in complete]
        if not parts:
            continue
        catalogue = Translations.load(str(folder), [lang], DOMAIN)
        if not isinstance(catalogue, Translations):
            problems.append(f"{lang}: no compiled catalogue")
            continue
        for part in parts:
            source = samples.get(part)
            if source is not None and catalogue.gettext(source) == source:
                problems.append(f"{lang}: {part} message not translated: {source!r}")
    if problems:
        raise AssertionError("; ".join(problems))


def _samples(folder: Path) -> dict[str, str]:
    """One message of each part from the template (or nothing where the .pot is not shipped)."""
    template = folder / TEMPLATE_NAME
    if not template.exists():
        return {}
    found: dict[str, str] = {}
    for message in messages(read_catalogue(template)):
        if isinstance(message.id, str) and not message.context:
            if is_ui(message):
                found.setdefault("ui", message.id)
            if is_content(message):
                found.setdefault("content", message.id)
    return found


CHECKS = [("translations", check_catalogues_load)]
