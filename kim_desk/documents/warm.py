"""Warming the handout machinery before the first print of a session.

The first handout of a process used to wait about a second: reportlab parsed the font files,
pyphen read the German hyphenation patterns, templates and catalogues were loaded. `warm_up`
does that work ahead, one small step at a time, with a sample document that holds no one's data;
the GUI runs it in its pool once the window is up.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from kim_desk.catalog import Catalog
from kim_desk.documents import breaking, fonts, render_bytes
from kim_desk.documents.model import CaseView, ChecklistLine, ClientView, DocumentData

# Languages whose first handout is warmed by a whole sample render: German beside Arabic covers
# the Latin and Arabic fonts, the German hyphenation patterns and the right-to-left path.
SAMPLE_LANGUAGES = ("ar",)
# pyphen dictionaries, the largest single cost: German (German text, and German words in
# Arabic-script text) first, Cyrillic after the sample
FIRST_HYPHENATION = ("de_DE",)
LATER_HYPHENATION = ("uk", "ru")


def sample(catalog: Catalog) -> DocumentData:
    """A checklist of the catalogue's first application type for a made-up person."""
    app_type = catalog.sorted()[0]
    case = CaseView(0, app_type, checklist=tuple(ChecklistLine(doc.label) for doc in app_type.documents))
    return DocumentData(ClientView("Muster", "Erika"), dt.date(2026, 1, 5), case=case)


def steps(catalog: Catalog, cache: Path | None = None) -> list[Callable[[], object]]:
    """The warm-up in steps of a few tens of milliseconds each (the sample render is the longest)."""
    first = [(family, bold) for family, bold in fonts.FILES if family != fonts.ETHIOPIC]
    later = [(family, bold) for family, bold in fonts.FILES if family == fonts.ETHIOPIC]
    work: list[Callable[[], object]] = []
    work += [partial(fonts.face, family, bold) for family, bold in first]
    work += [partial(breaking.hyphenator, code, cache) for code in FIRST_HYPHENATION]
    work += [partial(render_bytes, "checklist", sample(catalog), lang) for lang in SAMPLE_LANGUAGES]
    work += [partial(fonts.face, family, bold) for family, bold in later]
    work += [partial(breaking.hyphenator, code, cache) for code in LATER_HYPHENATION]
    return work


_done: list[bool] = []  # what is warmed stays warm for the process (caches are process-wide)


def warm_up(catalog: Catalog, cancelled: Callable[[], bool] = lambda: False, cache: Path | None = None) -> int:
    """Run every step unless cancelled or done before; returns how many ran. Between steps the
    thread hands the interpreter lock on, so the GUI thread never waits for more than one step.
    `cache`: a folder for the parsed hyphenation patterns (documents.hyphcache)."""
    if _done:
        return 0
    done = 0
    for step in steps(catalog, cache):
        if cancelled():
            return done
        step()
        done += 1
        time.sleep(0)
    _done.append(True)
    return done
