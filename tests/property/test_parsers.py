"""Parsers of outside input never crash or hang: they accept, or refuse with one clear KnownError.

Inputs: application types from forms/ (parsed TOML data and raw TOML-ish text), settings
values, the desk journal file and backup manifests (both may be damaged on disk).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kim_desk import settings as desk_settings
from kim_desk.backup.core import backup_info
from kim_desk.catalog import load_catalog, parse_application_type
from kim_desk.errors import CatalogError, KnownError
from kim_desk.paths import DataPaths
from kim_desk.privacy import journal
from kim_desk.resources import resource_dir

SAMPLE = resource_dir("forms") / "applications" / "wohngeld.toml"
SAMPLE_DATA = tomllib.loads(SAMPLE.read_text("utf-8"))
SAMPLE_TEXT = SAMPLE.read_text("utf-8")
FAST = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(),
    st.times(),
)
toml_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=25,
)
known_keys = st.sampled_from(
    ["code", "title", "stand", "summary", "authority", "documents", "steps", "deadlines", "fields", "legal_basis",
     "acroform", "name", "label", "hint", "required", "after", "days", "source", "kind", "section", "text"]
)  # fmt: skip


def _mutate(data: Any, draw: Any, depth: int = 0) -> Any:
    """Replace, drop or add pieces of a real application type, at any depth."""
    if isinstance(data, dict) and depth < 4:
        out = {}
        for key, value in data.items():
            choice = draw(st.integers(0, 9))
            if choice == 0:
                continue  # drop the key
            out[key] = draw(toml_values) if choice == 1 else _mutate(value, draw, depth + 1)
        if draw(st.booleans()):
            out[draw(known_keys)] = draw(toml_values)
        return out
    if isinstance(data, list) and depth < 4:
        return [_mutate(item, draw, depth + 1) for item in data if draw(st.integers(0, 5))]
    return draw(toml_values) if draw(st.integers(0, 6)) == 0 else data


@FAST
@given(st.data())
def test_parse_application_type_reports_problems_instead_of_crashing(data: st.DataObject) -> None:
    mutated = _mutate(SAMPLE_DATA, data.draw)
    app_type, problems = parse_application_type(mutated, "zufall.toml")
    assert (app_type is None) == bool(problems)
    assert all(problem.startswith("zufall.toml") for problem in problems)


@FAST
@given(toml_values)
def test_parse_application_type_takes_any_value(value: Any) -> None:
    app_type, problems = parse_application_type(value, "zufall.toml")
    assert app_type is None and problems


def _text_variants() -> st.SearchStrategy[str]:
    lines = SAMPLE_TEXT.splitlines()
    return st.one_of(
        st.text(max_size=300),
        st.lists(st.sampled_from(lines), max_size=40).map("\n".join),
        st.tuples(st.integers(0, len(SAMPLE_TEXT)), st.integers(0, len(SAMPLE_TEXT)), st.text(max_size=20)).map(
            lambda t: SAMPLE_TEXT[: min(t[0], t[1])] + t[2] + SAMPLE_TEXT[max(t[0], t[1]) :]
        ),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    )


@settings(max_examples=80, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_text_variants(), min_size=1, max_size=3))
def test_load_catalog_on_toml_ish_files_gives_a_catalog_or_a_catalog_error(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for number, text in enumerate(texts):
            (Path(folder) / f"typ{number}.toml").write_text(text, "utf-8", errors="surrogatepass")
        try:
            catalog = load_catalog(Path(folder))
        except CatalogError as exc:
            assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        else:
            assert 1 <= len(catalog.types) <= len(texts)


@FAST
@given(st.one_of(st.sampled_from(sorted(desk_settings.SETTINGS)), st.text(max_size=20)), toml_values)
def test_check_value_accepts_or_refuses_clearly(key: str, value: Any) -> None:
    try:
        checked = desk_settings.check_value(key, value)
    except KnownError as exc:
        assert str(exc)
    else:
        assert isinstance(checked, desk_settings.SETTINGS[key].type)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
journal_like = st.fixed_dictionaries(
    {"format": st.sampled_from([journal.FORMAT, "x"]), "erasures": json_values, "audit": json_values}
)


@FAST
@given(st.one_of(st.binary(max_size=200), json_values.map(repr), journal_like.map(__import__("json").dumps)))
@example('{"format": "kim-desk-journal/1", "erasures": [], "audit": {"events": Infinity, "hash": "x"}}')
@example('{"format": "kim-desk-journal/1", "erasures": [{"uid": 1, "action": 2, "at": 3}], "audit": null}')
def test_a_damaged_journal_file_gives_a_clear_error(content: bytes | str) -> None:
    import json as json_module

    with tempfile.TemporaryDirectory() as folder:
        paths = DataPaths(Path(folder))
        raw = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
        journal.journal_path(paths).write_bytes(raw)
        try:
            read = journal.read_journal(paths)
        except KnownError as exc:
            assert "Löschprotokoll" in str(exc)
        else:
            assert isinstance(read.erasures, list)
        # the same through valid JSON with wrong shapes
        if not isinstance(content, bytes):
            journal.journal_path(paths).write_text(json_module.dumps({"format": journal.FORMAT, "erasures": [content]}))
            try:
                journal.read_journal(paths)
            except KnownError as exc:
                assert "Löschprotokoll" in str(exc)


@FAST
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: __import__("json").dumps(v))))
@example('{"format": "kim-desk-backup/1", "created_at": "2026-11-23", "schema": 2, "counts": {"client": Infinity}}')
def test_a_damaged_backup_manifest_is_listed_with_its_problem(content: bytes | str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        backup = Path(folder) / "2026-11-23T093000"
        backup.mkdir()
        (backup / "manifest.json").write_bytes(content if isinstance(content, bytes) else content.encode())
        info = backup_info(backup)
        assert info.problem or info.created_at.year >= 1
        assert isinstance(info.created_at, dt.datetime)
