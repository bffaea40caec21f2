"""The forms' TOML kept parsed in the cache folder: the same data as tomllib, parsed anew when a file changes."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from kim_desk import tomlcache
from kim_desk.catalog import load_catalog
from kim_desk.desk import open_desk
from kim_desk.errors import CatalogError
from kim_desk.paths import DataPaths
from kim_desk.resources import content_dir
from kim_desk.services import load_services
from tests.conftest import PASSPHRASE, always


@pytest.fixture(autouse=True)
def cache(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "cache"
    tomlcache.use_cache(folder)
    yield folder
    tomlcache.use_cache(None)


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_text: str) -> dict[str, object]:
        raise AssertionError("parsed although the cache holds the file")

    monkeypatch.setattr(tomlcache, "_parse", refuse)


@pytest.mark.parametrize("kind", ["applications", "services"])
def test_every_shipped_form_reads_back_as_tomllib_reads_it(
    kind: str, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = sorted(content_dir("forms", kind).glob("*.toml"))
    expected = [(path, tomllib.loads(path.read_text("utf-8"))) for path in files]
    assert tomlcache.parsed(files) == expected
    assert len(list(cache.glob("toml-*.json"))) == 1
    no_parsing(monkeypatch)
    assert tomlcache.parsed(files) == expected  # from the cache, dates and all


def test_cached_catalogue_equals_a_freshly_parsed_one(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tomlcache.use_cache(None)
    fresh_catalog, fresh_services = load_catalog(), load_services()
    tomlcache.use_cache(cache)
    load_catalog(), load_services()  # writes the cache
    no_parsing(monkeypatch)
    assert load_catalog() == fresh_catalog
    assert load_services() == fresh_services


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def test_a_changed_file_is_parsed_anew(tmp_path: Path) -> None:
    path = write(tmp_path / "forms", "a.toml", 'title = "Wohngeld"\nstand = 2026-01-01\n')
    assert tomlcache.parsed([path]) == [(path, {"title": "Wohngeld", "stand": dt.date(2026, 1, 1)})]
    path.write_text('title = "Wohngeld"\nstand = 2026-07-01\n', "utf-8")  # same size, other bytes
    assert tomlcache.parsed([path]) == [(path, {"title": "Wohngeld", "stand": dt.date(2026, 7, 1)})]


def test_dates_and_times_come_back_as_tomllib_gives_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "d = 2026-12-02\nlocal = 2026-12-02T08:30:00\noffset = 2026-12-02T08:30:00+01:00\nt = 07:15:00\n"
        'nested = [{ when = 2026-01-01, what = "x" }]\nf = 1.5\nb = true\n'
    )
    path = write(tmp_path / "forms", "a.toml", text)
    expected = [(path, tomllib.loads(text))]
    assert tomlcache.parsed([path]) == expected
    no_parsing(monkeypatch)
    assert tomlcache.parsed([path]) == expected


@pytest.mark.parametrize(
    "damage", [b"", b"\x00\xff not json", b'{"format": 1, "files": [', b"[1, 2]", b'{"format": 99}']
)
def test_a_damaged_cache_is_ignored_and_written_again(tmp_path: Path, cache: Path, damage: bytes) -> None:
    path = write(tmp_path / "forms", "a.toml", 'title = "Kindergeld"\n')
    tomlcache.parsed([path])
    (cached,) = cache.glob("toml-*.json")
    cached.write_bytes(damage)
    assert tomlcache.parsed([path]) == [(path, {"title": "Kindergeld"})]
    assert b"Kindergeld" in cached.read_bytes()


def damaged_entries() -> list[object]:
    """Cache files of the right format whose entries are not what tomlcache writes."""
    return [[1], "Kindergeld", {"sha256": 1, "data": {}}, {"sha256": "x"}, {"data": {"title": "falsch"}}]


@pytest.mark.parametrize("entry", damaged_entries())
def test_a_damaged_entry_is_parsed_anew(tmp_path: Path, cache: Path, entry: object) -> None:
    path = write(tmp_path / "forms", "a.toml", 'title = "Kindergeld"\n')
    tomlcache.parsed([path])
    (cached,) = cache.glob("toml-*.json")
    envelope = json.loads(cached.read_text("utf-8"))
    envelope["files"]["a.toml"] = entry
    cached.write_text(json.dumps(envelope), "utf-8")
    assert tomlcache.parsed([path]) == [(path, {"title": "Kindergeld"})]


def test_a_cache_nested_too_deep_is_ignored(tmp_path: Path, cache: Path) -> None:
    path = write(tmp_path / "forms", "a.toml", 'title = "Kindergeld"\n')
    tomlcache.parsed([path])
    (cached,) = cache.glob("toml-*.json")
    cached.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    assert tomlcache.parsed([path]) == [(path, {"title": "Kindergeld"})]


def test_a_broken_file_says_why_every_time_and_is_not_cached(tmp_path: Path) -> None:
    good = write(tmp_path / "forms", "a.toml", 'title = "Kindergeld"\n')
    broken = write(tmp_path / "forms", "b.toml", 'title = "Kindergeld\n')
    with pytest.raises(tomllib.TOMLDecodeError) as error:
        tomllib.loads(broken.read_text("utf-8"))
    for _ in range(2):
        assert tomlcache.parsed([good, broken]) == [(good, {"title": "Kindergeld"}), (broken, str(error.value))]


def test_a_broken_form_still_stops_the_catalogue(tmp_path: Path) -> None:
    write(tmp_path / "forms", "a.toml", 'code = "x"\ntitle = "Kindergeld\n')
    with pytest.raises(CatalogError) as error:
        load_catalog(tmp_path / "forms")
    assert "a.toml" in str(error.value)


def test_an_unwritable_cache_folder_only_means_parsing(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    tomlcache.use_cache(blocker)
    path = write(tmp_path / "forms", "a.toml", 'title = "Kindergeld"\n')
    assert tomlcache.parsed([path]) == [(path, {"title": "Kindergeld"})]
    assert blocker.read_text("utf-8") == "a file where the cache folder should be"


def test_crlf_files_read_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    path = folder / "a.toml"
    path.write_bytes(b'text = """\r\nzwei\r\nZeilen"""\r\n')
    expected = [(path, tomllib.loads(path.read_text("utf-8")))]
    assert tomlcache.parsed([path]) == expected
    no_parsing(monkeypatch)
    assert tomlcache.parsed([path]) == expected


def test_an_opened_desk_keeps_the_forms_parsed_in_its_cache_folder(
    desk_paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    tomlcache.use_cache(None)
    first = open_desk(desk_paths, always(PASSPHRASE), keyring=None)
    first.close()
    assert [path.name for path in (desk_paths.root / "cache").glob("toml-*.json")]
    no_parsing(monkeypatch)
    second = open_desk(desk_paths, always(PASSPHRASE), keyring=None)
    try:
        assert second.catalog == first.catalog
    finally:
        second.close()
