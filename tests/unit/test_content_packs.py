"""Signed content packs (DESIGN.md §8): installed only when signed, newer, current and valid; else nothing changes."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kim_desk import settings
from kim_desk.catalog import load_catalog
from kim_desk.content.active import activate, content_status
from kim_desk.content.install import install_pack, rollback
from kim_desk.content.pack import MANIFEST, PackRefused, build_pack
from kim_desk.content.state import read_state
from kim_desk.desk import Desk
from kim_desk.paths import DataPaths
from kim_desk.resources import resource_dir, use_installed_content
from tests.conftest import PASSPHRASE

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
NEW_LABEL = "Geburtsurkunde des Kindes (mit Übersetzung, falls nicht auf Deutsch)"


@pytest.fixture(autouse=True)
def shipped_content_after() -> Iterator[None]:
    yield
    use_installed_content(None)  # the locator is process-wide: leave it as the next test expects


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes_raw()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return pack_source(tmp_path)


def pack_source(tmp_path: Path) -> Path:
    """The shipped content as the district's project group would start from it, with one language."""
    folder = tmp_path / "source"
    shutil.copytree(resource_dir("forms") / "applications", folder / "forms" / "applications")
    shutil.copytree(resource_dir("forms") / "documents", folder / "forms" / "documents")
    po = folder / "translations" / "ar" / "LC_MESSAGES" / "kim_desk.po"
    po.parent.mkdir(parents=True)
    shutil.copy(resource_dir("translations") / "ar" / "LC_MESSAGES" / "kim_desk.po", po)
    kindergeld = folder / "forms" / "applications" / "kindergeld.toml"
    kindergeld.write_text(kindergeld.read_text("utf-8").replace("Geburtsurkunde des Kindes", NEW_LABEL), "utf-8")
    return folder


def pack(source: Path, key: Ed25519PrivateKey, version: int = 1, days: int = 90, published: dt.datetime = NOW) -> bytes:
    return build_pack(
        source, version, key, published=published - dt.timedelta(hours=1), expires=published + dt.timedelta(days=days)
    )


def kindergeld_labels() -> list[str]:
    return [doc.label for doc in load_catalog().types["kindergeld"].documents]


def test_a_signed_newer_pack_is_installed_and_used(tmp_path: Path, source: Path, key: Ed25519PrivateKey) -> None:
    paths = DataPaths(tmp_path / "desk")
    assert NEW_LABEL not in kindergeld_labels()
    installed = install_pack(paths, pack(source, key), public(key), NOW)
    assert installed.version == 1
    assert "Kindergeld: Unterlagen geändert" in installed.changes
    assert activate(paths) == 1
    assert NEW_LABEL in kindergeld_labels()
    status = content_status(paths, NOW)
    assert (status.source, status.version, status.expires) == ("pack", 1, "2027-03-01")
    # the Arabic catalogue of the pack was compiled from its signed source
    assert (paths.root / "content" / "packs" / "1" / "translations" / "ar" / "LC_MESSAGES" / "kim_desk.mo").exists()


def _refused(paths: DataPaths, blob: bytes, key: bytes, expect: str, now: dt.datetime = NOW) -> None:
    before = read_state(paths)
    with pytest.raises(PackRefused, match=expect):
        install_pack(paths, blob, key, now)
    after = read_state(paths)
    assert (after.current, after.previous) == (before.current, before.previous)
    assert after.refused["reason"]
    activate(paths)


def _rezip(blob: bytes, change: dict[str, bytes | None]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            if info.filename in change:
                data = change.pop(info.filename)
                if data is not None:
                    new.writestr(info.filename, data)
            else:
                new.writestr(info.filename, old.read(info.filename))
        for name, data in change.items():
            if data is not None:
                new.writestr(name, data)
    return out.getvalue()


def test_every_bad_pack_is_refused_and_the_old_content_stays(
    tmp_path: Path, source: Path, key: Ed25519PrivateKey
) -> None:
    paths = DataPaths(tmp_path / "desk")
    good = pack(source, key, version=2)
    name = "forms/applications/kindergeld.toml"
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        original = archive.read(name)
        manifest = archive.read(MANIFEST)
    flipped = bytes([original[0] ^ 0x01]) + original[1:]
    _refused(paths, _rezip(good, {name: flipped}), public(key), "verändert")
    _refused(
        paths, _rezip(good, {MANIFEST: manifest.replace(b'"version": 2', b'"version": 9')}), public(key), "Unterschrift"
    )
    _refused(paths, good, public(Ed25519PrivateKey.generate()), "Unterschrift")
    _refused(paths, pack(source, key, version=3, days=-1), public(key), "abgelaufen")
    _refused(paths, _rezip(good, {"../evil.toml": b"x = 1"}), public(key), "unzulässige Datei")
    _refused(paths, _rezip(good, {"forms/applications/extra.toml": b"x = 1"}), public(key), "genau die Dateien")
    _refused(paths, _rezip(good, {name: None}), public(key), "genau die Dateien")
    _refused(paths, b"PK\x03\x04" + b"\x00" * 64, public(key), "beschädigt")
    _refused(paths, b"\x00" * (33 * 1024 * 1024), public(key), "zu groß")
    (source / "forms" / "applications" / "kindergeld.toml").write_text("code = [unclosed", "utf-8")
    _refused(paths, pack(source, key, version=4), public(key), "ungültige Dateien")
    (source / "forms" / "applications" / "kindergeld.toml").unlink()
    _refused(paths, pack(source, key, version=5), public(key), "kindergeld")
    assert NEW_LABEL not in kindergeld_labels()
    assert content_status(paths, NOW).source == "shipped"
    assert not list((paths.root / "content" / "packs").glob("*"))  # no staging folder left behind


def test_no_rollback_to_an_older_or_the_same_version(tmp_path: Path, source: Path, key: Ed25519PrivateKey) -> None:
    paths = DataPaths(tmp_path / "desk")
    install_pack(paths, pack(source, key, version=5), public(key), NOW)
    _refused(paths, pack(source, key, version=4), public(key), "schon Version 5")
    _refused(paths, pack(source, key, version=5), public(key), "schon Version 5")
    assert read_state(paths).current == 5


def test_a_pack_is_checked_once_per_app_version_not_at_every_start(
    tmp_path: Path, source: Path, key: Ed25519PrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks take ~0.5-1 s; the files themselves are hashed against the manifest at every start."""
    from kim_desk import __version__
    from kim_desk.content import active, validate

    paths = DataPaths(tmp_path / "desk")
    install_pack(paths, pack(source, key), public(key), NOW)
    checked: list[Path] = []

    def lacking(root: Path) -> list[str]:  # what a newer app needs and the pack does not have
        checked.append(root)
        return ["forms/applications: die Antragsart „neu“ fehlt"]

    monkeypatch.setattr(validate, "content_problems", lacking)
    monkeypatch.setattr(active, "_validated", set())  # as in a fresh process
    assert activate(paths) == 1  # checked when installed, by this app version: used without a new check
    assert checked == []
    assert NEW_LABEL in kindergeld_labels()
    marker = paths.root / "content" / "packs" / "1" / ".validated-for"
    assert marker.read_text("utf-8") == __version__
    marker.write_text("0.0.1", "utf-8")  # checked by an older app version: after the update it is checked again
    monkeypatch.setattr(active, "_validated", set())
    assert activate(paths) == 0
    assert len(checked) == 1
    assert NEW_LABEL not in kindergeld_labels()
    monkeypatch.setattr(validate, "content_problems", lambda root: [])
    monkeypatch.setattr(active, "_validated", set())
    assert activate(paths) == 1
    assert marker.read_text("utf-8") == __version__


def test_one_step_rollback_and_a_damaged_pack_falls_back_to_shipped(
    tmp_path: Path, source: Path, key: Ed25519PrivateKey
) -> None:
    paths = DataPaths(tmp_path / "desk")
    install_pack(paths, pack(source, key, version=1), public(key), NOW)
    kindergeld = source / "forms" / "applications" / "kindergeld.toml"
    kindergeld.write_text(kindergeld.read_text("utf-8").replace(NEW_LABEL, "Geburtsurkunde (Version 2)"), "utf-8")
    install_pack(paths, pack(source, key, version=2), public(key), NOW)
    activate(paths)
    assert "Geburtsurkunde (Version 2)" in kindergeld_labels()
    assert rollback(paths, NOW).current == 1
    activate(paths)
    assert NEW_LABEL in kindergeld_labels()
    # a file of the installed pack changed on disk: the desk uses the shipped content, printing keeps working
    installed = paths.root / "content" / "packs" / "1" / "forms" / "applications" / "kindergeld.toml"
    installed.write_text("damaged", "utf-8")
    assert activate(paths) == 0
    assert NEW_LABEL not in kindergeld_labels()


def test_cli_installs_from_a_file_with_the_pinned_key_and_reports_status(
    desk: Desk,
    source: Path,
    key: Ed25519PrivateKey,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kim_desk.commands import main

    paths = desk.paths
    settings.put(desk.store, "content_key", base64.b64encode(public(key)).decode())
    desk.close()
    blob = source.parent / "pack-1.kimpack"
    blob.write_bytes(pack(source, key, published=dt.datetime.now(dt.UTC)))
    secret = source.parent / "passphrase.txt"
    secret.write_text(PASSPHRASE, "utf-8")
    monkeypatch.setenv("KIM_DESK_PASSPHRASE_FILE", str(secret))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert main(["--data-dir", str(paths.root), "content", "install", str(blob)]) == 0
    out = capsys.readouterr().out
    assert "Version 1 installiert" in out and "Kindergeld: Unterlagen geändert" in out
    assert main(["--data-dir", str(paths.root), "content", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["source"], status["version"]) == ("pack", 1)
    assert main(["--data-dir", str(paths.root), "content", "install", str(blob)]) == 1
    assert "schon Version 1" in capsys.readouterr().err


def test_district_keygen_and_publish(tmp_path: Path, source: Path) -> None:
    from kim_desk.district import content as district_content
    from kim_desk.errors import KnownError

    folder = tmp_path / "district"
    pinned = base64.b64decode(district_content.keygen(folder))
    assert (folder / district_content.KEY_FILE).stat().st_mode & 0o777 == 0o600
    with pytest.raises(KnownError, match="nicht ersetzt"):
        district_content.keygen(folder)
    version, path = district_content.publish(folder, source, 30, ("Kindergeld: Geburtsurkunde",), NOW)
    assert (version, district_content.latest(folder)) == (1, (1, path.read_bytes()))
    assert district_content.publish(folder, source, 30, (), NOW)[0] == 2
    desk = DataPaths(tmp_path / "desk")
    installed = install_pack(desk, path.read_bytes(), pinned, NOW)
    assert "Kindergeld: Geburtsurkunde" in installed.changes
    (source / "forms" / "documents" / "checklist.toml").write_text("title = 1", "utf-8")
    with pytest.raises(KnownError, match="ungültig"):
        district_content.publish(folder, source, 30, (), NOW)
    assert [v for v, _p in district_content.published(folder)] == [1, 2]
