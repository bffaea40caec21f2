"""`kim-desk content status [--json] | install FILE | rollback`: the district's content packs on this desk."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from kim_desk.commands.base import open_desk, print_json
from kim_desk.errors import KnownError
from kim_desk.i18n import _
from kim_desk.paths import DataPaths


def register(sub: argparse._SubParsersAction[Any]) -> None:
    content = sub.add_parser("content", help=_("Inhaltspakete des Kreises (Antragsarten, Vorlagen, Übersetzungen)"))
    actions = content.add_subparsers(dest="content_command", required=True)
    status = actions.add_parser("status", help=_("welcher Inhalt gerade gilt und was sich geändert hat"))
    status.add_argument("--json", action="store_true", help=_("als JSON ausgeben"))
    status.set_defaults(handler=run_status)
    install = actions.add_parser("install", help=_("ein Inhaltspaket aus einer Datei einspielen (z. B. vom USB-Stick)"))
    install.add_argument("file", type=Path, help=_("die Paketdatei (.kimpack)"))
    install.set_defaults(handler=run_install)
    actions.add_parser("rollback", help=_("das vorige Inhaltspaket wieder verwenden")).set_defaults(
        handler=run_rollback
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def run_status(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.content.active import content_status

    status = content_status(paths, _now())
    if args.json:
        print_json(status._asdict())
        return 0
    if status.source == "pack":
        print(
            _("Inhalt: Paket des Kreises, Version {version} vom {published} (gültig bis {expires}).").format(
                version=status.version, published=status.published, expires=status.expires
            )
        )
        if status.expired:
            print(_("Achtung: das Paket ist abgelaufen; bitte mit dem Kreis synchronisieren."))
    else:
        print(_("Inhalt: mit dem Programm ausgeliefert (kein Paket des Kreises installiert)."))
    for line in status.changes:
        print("  " + line)
    if status.last_refusal:
        print(_("Zuletzt abgelehnt: {reason}").format(reason=status.last_refusal))
    return 0


def run_install(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.content.active import activate, pinned_key
    from kim_desk.content.install import install_pack

    try:
        blob = args.file.read_bytes()
    except OSError as exc:
        raise KnownError(
            _("{path} kann nicht gelesen werden ({reason}).").format(path=args.file, reason=exc.strerror)
        ) from exc
    desk = open_desk(paths)
    try:
        key = pinned_key(desk.store)
    finally:
        desk.close()
    if key is None:
        raise KnownError(
            _("Dieser Arbeitsplatz kennt den Schlüssel des Kreises noch nicht: bitte erst beim Kreis anmelden.")
        )
    installed = install_pack(paths, blob, key, _now())
    activate(paths)
    print(_("Inhaltspaket Version {version} installiert.").format(version=installed.version))
    for line in installed.changes:
        print("  " + line)
    return 0


def run_rollback(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.content.install import rollback

    state = rollback(paths, _now())
    if state.current:
        print(_("Wieder in Gebrauch: Inhaltspaket Version {version}.").format(version=state.current))
    else:
        print(_("Wieder in Gebrauch: der mit dem Programm ausgelieferte Inhalt."))
    return 0
