"""The forms' TOML files, parsed once and kept as JSON in the desk's cache folder.

Parsing the catalogue and the local offers took ~11 ms of every start and importing tomllib 2.5 ms more. A file's
cached entry is used only while the file's bytes have the same SHA-256, so a changed form is always parsed anew;
a damaged cache is ignored and rewritten. The cache lies in the data folder beside the installed content pack,
which is trusted no less.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from contextlib import suppress
from pathlib import Path
from typing import Any

from kim_desk.errors import StorageError
from kim_desk.fileutil import sha256_hex, write_atomic

FORMAT = 1
_TAG = "\x00toml"  # marks a date or time in the JSON; TOML files hold no NUL characters
_TYPES: dict[str, Any] = {"datetime": dt.datetime, "date": dt.date, "time": dt.time}
_folder: list[Path] = []  # the desk's cache folder, once the desk is open (use_cache)


def use_cache(folder: Path | None) -> None:
    """Keep parsed files in `folder` from now on (None: parse every time)."""
    _folder[:] = [folder] if folder is not None else []


def parsed(files: list[Path]) -> list[tuple[Path, dict[str, Any] | str]]:
    """Each file's TOML as tomllib reads it, or why it could not be read (the error's text)."""
    cache_file = _cache_file(files)
    cached = _read(cache_file) if cache_file is not None else {}
    entries: dict[str, Any] = {}
    result: list[tuple[Path, dict[str, Any] | str]] = []
    for path in files:
        try:
            raw = path.read_bytes()
            digest = sha256_hex(raw)
            entry = cached.get(path.name)
            if entry is not None and entry.get("sha256") == digest:
                data = entry["data"]
            else:
                data = _parse(raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"))  # as read_text
        except (OSError, UnicodeDecodeError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
            result.append((path, str(exc)))
            continue
        entries[path.name] = {"sha256": digest, "data": data}
        result.append((path, data))
    if cache_file is not None and entries != cached:
        with suppress(StorageError):  # a full disk or a read-only folder: parsed again next time
            write_atomic(cache_file, json.dumps(_encode(_envelope(entries)), ensure_ascii=False).encode("utf-8"))
    return result


def _parse(text: str) -> dict[str, Any]:
    import tomllib  # only when a file changed or the cache is new

    return tomllib.loads(text)


def _cache_file(files: list[Path]) -> Path | None:
    if not _folder or not files:
        return None
    source = sha256_hex(str(files[0].parent.resolve()).encode("utf-8"))[:16]
    return _folder[0] / f"toml-{source}.json"


def _envelope(entries: dict[str, Any]) -> dict[str, Any]:
    return {"format": FORMAT, "python": sys.version.split()[0], "files": entries}


def _read(cache_file: Path) -> dict[str, Any]:
    try:
        data = json.loads(cache_file.read_bytes(), object_hook=_decode)
    except (OSError, ValueError, TypeError, KeyError, RecursionError):  # damaged: as if there were none
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("python") != sys.version.split()[0]:
        return {}
    files = data.get("files")
    if not isinstance(files, dict):
        return {}
    # only entries of the shape written here; any other is parsed anew
    return {
        name: entry
        for name, entry in files.items()
        if isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and isinstance(entry.get("data"), dict)
    }


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    for name, kind in _TYPES.items():  # datetime before date: a datetime is a date too
        if isinstance(value, kind):
            return {_TAG: name, "iso": value.isoformat()}
    return value


def _decode(obj: dict[str, Any]) -> Any:
    kind = obj.get(_TAG)
    return _TYPES[kind].fromisoformat(obj["iso"]) if kind is not None else obj
