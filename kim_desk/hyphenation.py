"""pyphen's hyphenation rules, read once per process and kept parsed in a cache file.

Reading a .dic file parses every pattern: about 66,000 for German, 0.5-0.7 s. The parsed patterns
are public data (no one's details), written once as JSON lines into the desk's cache folder and
read back in chunks of a few milliseconds, about 0.1 s in all; between chunks the thread lets the
GUI thread run. A cache that does not fit this pyphen version or dictionary file is not used.
"""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kim_desk.errors import KnownError
from kim_desk.fileutil import write_atomic

if TYPE_CHECKING:
    import pyphen

CHUNK = 4000  # patterns per line: a few milliseconds to read
_folder: list[Path] = []  # the desk's cache folder, once the app knows it (use_cache)


def use_cache(folder: Path | None) -> None:
    """Read and keep parsed rules in `folder` from now on (the GUI sets the desk's cache folder)."""
    _folder[:] = [folder] if folder is not None else []


def _source(code: str) -> Path:
    import pyphen  # lists its dictionaries when imported: not on the app's start path

    return Path(pyphen.LANGUAGES[pyphen.language_fallback(code)])


def cache_file(folder: Path, code: str) -> Path:
    import pyphen

    source = _source(code)
    return folder / f"hyphenation-{source.stem}-{pyphen.__version__}-{source.stat().st_size}.jsonl"


def read(code: str, folder: Path | None = None) -> pyphen.Pyphen:
    """The rules of language `code` (left and right 3): from the cache when it has them, else parsed
    (and then written to the cache, when there is a folder: `folder`, else the one of use_cache)."""
    import pyphen

    folder = folder or (_folder[0] if _folder else None)
    source = _source(code)
    if folder is not None and source not in pyphen.hdcache:
        patterns = _load(cache_file(folder, code))
        if patterns is not None:
            pyphen.hdcache[source] = patterns
    fresh = source not in pyphen.hdcache
    rules = pyphen.Pyphen(lang=code, left=3, right=3)
    if fresh and folder is not None:
        _save(cache_file(folder, code), rules.hd)
    return rules


def _load(path: Path) -> Any:
    try:
        lines = path.read_text("utf-8").splitlines()
        maxlen = int(json.loads(lines[0])["maxlen"])
        patterns: dict[str, tuple[int, tuple[int, ...]]] = {}
        shared: dict[tuple[int, tuple[int, ...]], tuple[int, tuple[int, ...]]] = {}  # ~1,000 distinct of 66,000
        for line in lines[1:]:
            for pattern, start, values in json.loads(line):
                entry = (int(start), tuple(int(v) for v in values))
                patterns[str(pattern)] = shared.setdefault(entry, entry)
            time.sleep(0)  # let the GUI thread run between chunks
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    if not patterns:
        return None
    import pyphen

    rules = pyphen.HyphDict.__new__(pyphen.HyphDict)  # filled as HyphDict.__init__ would, without parsing
    rules.patterns, rules.cache, rules.maxlen = patterns, {}, maxlen
    return rules


def _save(path: Path, rules: Any) -> None:
    """Write the parsed patterns; a failure only means the next start parses again."""
    items = list(rules.patterns.items())
    if not all(type(v) is int for _key, (_start, values) in items for v in values):
        return  # alternative hyphenations (not in the shipped languages' rules) stay unparsed
    lines = [json.dumps({"maxlen": rules.maxlen})]
    for index in range(0, len(items), CHUNK):
        lines.append(json.dumps([[k, s, list(v)] for k, (s, v) in items[index : index + CHUNK]], ensure_ascii=False))
        time.sleep(0)
    with contextlib.suppress(OSError, KnownError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"), mode=0o644)
