"""Reading, checking and writing the signed pack archive; nothing here touches the desk."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kim_desk.errors import KnownError
from kim_desk.i18n import _

FORMAT = 1
KIND = "kim-desk-content"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MAX_PACK_BYTES = 32 * 1024 * 1024  # the whole archive as received
MAX_FILE_BYTES = 4 * 1024 * 1024  # one file inside it
MAX_FILES = 500
# Data only: the folders and file kinds a pack may hold (no code, no fonts, no .ui layouts).
ALLOWED = (
    re.compile(r"forms/applications/[a-z0-9_]+\.toml"),
    re.compile(r"forms/documents/[a-z0-9_]+\.toml"),
    re.compile(r"forms/services/[a-z0-9_]+\.toml"),
    re.compile(r"translations/[a-z]{2,3}/LC_MESSAGES/kim_desk\.po"),
)


class PackRefused(KnownError):
    """A pack that is not installed; the message says why in plain words."""


class Manifest(NamedTuple):
    version: int
    published: dt.datetime
    expires: dt.datetime
    files: dict[str, tuple[int, str]]  # path -> (size, sha256 hex)
    notes: tuple[str, ...] = ()  # what the district says changed, in German

    def to_json(self) -> bytes:
        data = {
            "kind": KIND,
            "format": FORMAT,
            "version": self.version,
            "published": _iso(self.published),
            "expires": _iso(self.expires),
            "notes": list(self.notes),
            "files": {path: {"size": size, "sha256": digest} for path, (size, digest) in sorted(self.files.items())},
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


class Pack(NamedTuple):
    manifest: Manifest
    manifest_bytes: bytes
    signature: bytes
    files: dict[str, bytes]

    def __repr__(self) -> str:  # without the files' bytes
        return f"Pack(manifest={self.manifest!r}, manifest_bytes={self.manifest_bytes!r}, signature={self.signature!r})"


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def allowed_path(name: str) -> bool:
    """A relative POSIX path inside one of the data folders: no `..`, no absolute path, no backslash."""
    if "\\" in name or name.startswith("/") or "\x00" in name:
        return False
    parts = PurePosixPath(name).parts
    if any(part in ("", ".", "..") for part in parts):
        return False
    return any(pattern.fullmatch(name) for pattern in ALLOWED)


def build_pack(
    folder: Path,
    version: int,
    private_key: Ed25519PrivateKey,
    *,
    published: dt.datetime,
    expires: dt.datetime,
    notes: tuple[str, ...] = (),
) -> bytes:
    """Sign the content under `folder` (forms/ and translations/ inside) as pack `version`."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        if allowed_path(name):
            files[name] = path.read_bytes()
    manifest = Manifest(
        version,
        published,
        expires,
        {name: (len(data), hashlib.sha256(data).hexdigest()) for name, data in files.items()},
        notes,
    )
    manifest_bytes = manifest.to_json()
    signature = base64.b64encode(private_key.sign(manifest_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, signature)
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def read_pack(blob: bytes, public_key: bytes, *, installed: int, now: dt.datetime) -> Pack:
    """Check everything that can be checked without the app's validators; raise PackRefused."""
    if len(blob) > MAX_PACK_BYTES:
        raise PackRefused(_("Das Inhaltspaket ist zu groß ({size} Bytes).").format(size=len(blob)))
    try:
        archive = zipfile.ZipFile(io.BytesIO(blob))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PackRefused(_("Das Inhaltspaket ist beschädigt ({reason}).").format(reason=type(exc).__name__)) from exc
    with archive:
        if len(infos) > MAX_FILES + 2:
            raise PackRefused(_("Das Inhaltspaket enthält zu viele Dateien."))
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            raise PackRefused(_("Das Inhaltspaket enthält eine Datei doppelt."))
        for info in infos:
            if info.filename not in (MANIFEST, SIGNATURE) and not allowed_path(info.filename):
                raise PackRefused(
                    _("Das Inhaltspaket enthält eine unzulässige Datei: {name}").format(name=info.filename[:200])
                )
            if info.file_size > MAX_FILE_BYTES:
                raise PackRefused(_("Eine Datei im Inhaltspaket ist zu groß: {name}").format(name=info.filename))
        manifest_bytes = _member(archive, MANIFEST)
        signature = _member(archive, SIGNATURE)
        _verify_signature(manifest_bytes, signature, public_key)
        manifest = parse_manifest(manifest_bytes)  # parsed only after the signature holds
        if manifest.version <= installed:
            raise PackRefused(
                _("Das Inhaltspaket hat Version {version}; installiert ist schon Version {installed}.").format(
                    version=manifest.version, installed=installed
                )
            )
        if manifest.expires <= now:
            raise PackRefused(
                _("Das Inhaltspaket ist seit {date} abgelaufen.").format(date=manifest.expires.date().isoformat())
            )
        if manifest.published > now + dt.timedelta(days=1):
            raise PackRefused(_("Das Inhaltspaket trägt ein Veröffentlichungsdatum in der Zukunft."))
        listed = set(manifest.files)
        present = set(names) - {MANIFEST, SIGNATURE}
        if listed != present:
            raise PackRefused(_("Das Inhaltspaket enthält nicht genau die Dateien, die sein Verzeichnis nennt."))
        files: dict[str, bytes] = {}
        for name, (size, digest) in manifest.files.items():
            data = _member(archive, name, limit=MAX_FILE_BYTES)
            if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
                raise PackRefused(_("Die Datei {name} im Inhaltspaket wurde verändert.").format(name=name))
            files[name] = data
    return Pack(manifest, manifest_bytes, signature, files)


def _member(archive: zipfile.ZipFile, name: str, limit: int = 1024 * 1024) -> bytes:
    try:
        with archive.open(name) as handle:
            data = handle.read(limit + 1)
    except KeyError:
        raise PackRefused(_("Im Inhaltspaket fehlt {name}.").format(name=name)) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error) as exc:
        raise PackRefused(_("Das Inhaltspaket ist beschädigt ({reason}).").format(reason=type(exc).__name__)) from exc
    if len(data) > limit:
        raise PackRefused(_("Eine Datei im Inhaltspaket ist zu groß: {name}").format(name=name))
    return data


def _verify_signature(manifest: bytes, signature: bytes, public_key: bytes) -> None:
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
        Ed25519PublicKey.from_public_bytes(public_key).verify(raw, manifest)
    except (InvalidSignature, ValueError) as exc:
        raise PackRefused(
            _("Die Unterschrift des Inhaltspakets stimmt nicht: es stammt nicht vom Kreis oder wurde verändert.")
        ) from exc


def parse_manifest(data: bytes) -> Manifest:
    try:
        raw: Any = json.loads(data.decode("utf-8"))
        if raw.get("kind") != KIND or raw.get("format") != FORMAT:
            raise ValueError("kind/format")
        version = raw["version"]
        if not isinstance(version, int) or isinstance(version, bool) or not 0 < version < 2**31:
            raise ValueError("version")
        published = _time(raw["published"])
        expires = _time(raw["expires"])
        files: dict[str, tuple[int, str]] = {}
        for name, entry in dict(raw["files"]).items():
            size, digest = entry["size"], entry["sha256"]
            if not isinstance(size, int) or not re.fullmatch(r"[0-9a-f]{64}", str(digest)):
                raise ValueError("file entry")
            files[str(name)] = (size, str(digest))
        notes = tuple(str(note)[:300] for note in raw.get("notes", []))[:50]
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise PackRefused(_("Das Verzeichnis des Inhaltspakets ist ungültig.")) from exc
    return Manifest(version, published, expires, files, notes)


def _time(value: object) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("naive time")
    return parsed
