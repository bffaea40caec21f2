"""The district's side of content packs: its signing key and the packs it has published.

The private key stays in the district's data folder (0600) or offline; desks pin the public key
at enrolment. Publishing validates every file with the desk's own validators before signing.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kim_desk.content.pack import build_pack
from kim_desk.content.validate import content_problems
from kim_desk.errors import KnownError
from kim_desk.fileutil import write_atomic
from kim_desk.i18n import _

KEY_FILE = "content-signing.key"
PACKS = "content"
_PACK_NAME = re.compile(r"pack-(\d{6})\.kimpack")


def _key_path(folder: Path) -> Path:
    return folder / KEY_FILE


def keygen(folder: Path) -> str:
    """Make the signing key once; returns the public key (base64) desks will pin."""
    path = _key_path(folder)
    if path.exists():
        raise KnownError(_("Es gibt schon einen Signaturschlüssel in {path}; er wird nicht ersetzt.").format(path=path))
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(path, pem, mode=0o600)
    return base64.b64encode(key.public_key().public_bytes_raw()).decode("ascii")


def signing_key(folder: Path) -> Ed25519PrivateKey:
    try:
        loaded = serialization.load_pem_private_key(_key_path(folder).read_bytes(), password=None)
    except FileNotFoundError:
        raise KnownError(_("Noch kein Signaturschlüssel: zuerst `kim-district content keygen`.")) from None
    except (OSError, ValueError) as exc:
        raise KnownError(_("Der Signaturschlüssel ist nicht lesbar ({reason}).").format(reason=exc)) from exc
    if not isinstance(loaded, Ed25519PrivateKey):
        raise KnownError(_("Der Signaturschlüssel ist kein Ed25519-Schlüssel."))
    return loaded


def public_key(folder: Path) -> str | None:
    """The public key desks pin (base64), or None while the district has none."""
    if not _key_path(folder).exists():
        return None
    return base64.b64encode(signing_key(folder).public_key().public_bytes_raw()).decode("ascii")


def published(folder: Path) -> list[tuple[int, Path]]:
    found = []
    for path in (folder / PACKS).glob("pack-*.kimpack"):
        match = _PACK_NAME.fullmatch(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return sorted(found)


def latest(folder: Path) -> tuple[int, bytes] | None:
    packs = published(folder)
    if not packs:
        return None
    version, path = packs[-1]
    return version, path.read_bytes()


def publish(
    folder: Path, source: Path, expires_days: int, notes: tuple[str, ...], now: dt.datetime
) -> tuple[int, Path]:
    """Validate the content under `source` (forms/, translations/) and publish it as the next pack."""
    if not 1 <= expires_days <= 730:
        raise KnownError(_("--expires muss zwischen 1 und 730 Tagen liegen."))
    problems = content_problems(source)
    if problems:
        raise KnownError(_("Der Inhalt ist ungültig und wird nicht veröffentlicht:") + "\n" + "\n".join(problems))
    key = signing_key(folder)
    packs = published(folder)
    version = packs[-1][0] + 1 if packs else 1
    blob = build_pack(source, version, key, published=now, expires=now + dt.timedelta(days=expires_days), notes=notes)
    out = folder / PACKS / f"pack-{version:06d}.kimpack"
    write_atomic(out, blob, mode=0o600)
    return version, out


def register(sub: argparse._SubParsersAction[Any], data_dir: Callable[[str | None], Path]) -> list[Any]:
    """`kim-district content keygen | publish DIR [--expires DAYS] [--note TEXT]`; data_dir resolves --data-dir."""

    def cmd_keygen(args: argparse.Namespace) -> int:
        print(keygen(data_dir(args.data_dir)))
        return 0

    def cmd_publish(args: argparse.Namespace) -> int:
        now = dt.datetime.now(dt.UTC)
        version, path = publish(data_dir(args.data_dir), args.folder, args.expires, tuple(args.note), now)
        print(_("Inhaltspaket Version {version} veröffentlicht: {path}").format(version=version, path=path))
        return 0

    content = sub.add_parser("content", help=_("Inhaltspakete signieren und veröffentlichen"))
    actions = content.add_subparsers(dest="content_command", required=True)
    keygen_parser = actions.add_parser("keygen", help=_("den Signaturschlüssel des Kreises anlegen"))
    keygen_parser.set_defaults(func=cmd_keygen)
    publish_parser = actions.add_parser("publish", help=_("einen Inhaltsordner prüfen, signieren, veröffentlichen"))
    publish_parser.add_argument("folder", type=Path, help=_("Ordner mit forms/ und translations/"))
    publish_parser.add_argument("--expires", type=int, default=90, help=_("gültig für so viele Tage"))
    publish_parser.add_argument("--note", action="append", default=[], help=_("was sich geändert hat (mehrfach)"))
    publish_parser.set_defaults(func=cmd_publish)
    return [keygen_parser, publish_parser]
