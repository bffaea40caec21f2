"""Warming the handout machinery before the first print of a session.

The first handout of a process used to wait about a second: reportlab searched ~90 Type 1
metrics files and parsed the fonts, pyphen parsed 66,000 German hyphenation patterns. `warm_up`
does the rest of that work ahead, one small step at a time; the GUI runs it in its pool once the
window is up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from kim_desk.documents import breaking, fonts

# pyphen's German rules (German text, and German words in Arabic-script text): the largest single
# cost. The other scripts' fonts and rules are left to their first handout (tens of ms, and memory
# the 300 MB budget of a day's work has no room for).
HYPHENATION = ("de_DE",)
WARMED_FONTS = tuple((family, bold) for family, bold in fonts.FILES if family in (fonts.LATIN, fonts.ARABIC))


def steps(cache: Path | None = None) -> list[Callable[[], object]]:
    """The warm-up in steps of a few tens of milliseconds each."""
    work: list[Callable[[], object]] = []
    work += [partial(fonts.face, family, bold) for family, bold in WARMED_FONTS]
    work += [partial(breaking.hyphenator, code, cache) for code in HYPHENATION]
    return work


_done: list[bool] = []  # what is warmed stays warm for the process (caches are process-wide)


def warm_up(cancelled: Callable[[], bool] = lambda: False, cache: Path | None = None) -> int:
    """Run every step unless cancelled or done before; returns how many ran. Between steps the
    thread hands the interpreter lock on, so the GUI thread never waits for more than one step.
    `cache`: a folder for the parsed hyphenation patterns (kim_desk.hyphenation)."""
    if _done:
        return 0
    done = 0
    for step in steps(cache):
        if cancelled():
            return done
        step()
        done += 1
        time.sleep(0)
    _done.append(True)
    return done
