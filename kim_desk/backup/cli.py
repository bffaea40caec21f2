"""Sub-commands: backup create|list|verify|restore, client export|erase, audit verify, retention list|apply."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kim_desk.errors import KnownError, UsageError
from kim_desk.i18n import _
from kim_desk.paths import DataPaths


def register(sub: argparse._SubParsersAction[Any]) -> None:
    backup = sub.add_parser("backup", help=_("Sicherungen anlegen, auflisten, prüfen, wiederherstellen"))
    actions = backup.add_subparsers(dest="backup_command", required=True)
    actions.add_parser("create", help=_("jetzt eine Sicherung anlegen")).set_defaults(handler=backup_create)
    actions.add_parser("list", help=_("die Sicherungen auflisten")).set_defaults(handler=backup_list)
    verify = actions.add_parser("verify", help=_("Sicherungen prüfen (ohne Namen: alle)"))
    verify.add_argument("name", nargs="?", help=_("Name oder Ordner der Sicherung"))
    verify.set_defaults(handler=backup_verify)
    restore = actions.add_parser("restore", help=_("eine Sicherung zurückspielen"))
    restore.add_argument("name", help=_("Name oder Ordner der Sicherung"))
    restore.add_argument("--yes", action="store_true", help=_("ohne Rückfrage"))
    restore.set_defaults(handler=backup_restore)

    client = sub.add_parser("client", help=_("Auskunft und Löschung für eine Person (DSGVO)"))
    client_actions = client.add_subparsers(dest="client_command", required=True)
    export = client_actions.add_parser("export", help=_("alle Daten einer Person als JSON und PDF ausgeben"))
    export.add_argument("id", type=int, help=_("Nummer der Person"))
    export.add_argument("-o", "--output", required=True, help=_("Zielordner"))
    export.add_argument("--lang", default=None, help=_("Sprache des PDF (sonst die bevorzugte der Person)"))
    export.set_defaults(handler=client_export)
    erase = client_actions.add_parser("erase", help=_("eine Person mit allen Daten endgültig löschen"))
    erase.add_argument("id", type=int, help=_("Nummer der Person"))
    erase.add_argument("--yes", action="store_true", help=_("ohne Rückfrage"))
    erase.set_defaults(handler=client_erase)

    audit = sub.add_parser("audit", help=_("das Zugriffsprotokoll"))
    audit_actions = audit.add_subparsers(dest="audit_command", required=True)
    audit_actions.add_parser("verify", help=_("das Protokoll auf Veränderungen prüfen")).set_defaults(
        handler=audit_verify
    )

    retention = sub.add_parser("retention", help=_("abgelaufene Aufbewahrungsfristen"))
    retention_actions = retention.add_subparsers(dest="retention_command", required=True)
    listing = retention_actions.add_parser("list", help=_("Personen, deren Frist abgelaufen ist"))
    listing.add_argument("--json", action="store_true", help=_("als JSON ausgeben"))
    listing.set_defaults(handler=retention_list)
    apply = retention_actions.add_parser("apply", help=_("fällige Personen löschen oder anonymisieren"))
    apply.add_argument("ids", nargs="*", type=int, help=_("Nummern (ohne: alle fälligen)"))
    apply.add_argument("--mode", choices=("erase", "anonymise"), default="erase", help=_("löschen oder anonymisieren"))
    apply.add_argument("--yes", action="store_true", help=_("ohne Rückfrage"))
    apply.set_defaults(handler=retention_apply)


def _unlock(paths: DataPaths) -> bytes:
    from kim_desk import vault

    return vault.unlock(paths, vault.passphrase_from_environment, vault.SystemKeyring()).key


def _open(paths: DataPaths) -> tuple[Any, bytes]:
    """The desk and its key (backups are keyed like the database)."""
    from kim_desk.catalog import load_catalog
    from kim_desk.desk import Desk
    from kim_desk.store import open_store

    key = _unlock(paths)
    return Desk(paths, open_store(paths.database, key), load_catalog()), key


def _confirm(args: argparse.Namespace, question: str) -> None:
    if args.yes:
        return
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError(_("{question} Zum Bestätigen --yes angeben.").format(question=question))
    answer = input(_("{question} [ja/nein] ").format(question=question))
    if answer.strip().lower() not in ("ja", "j", "yes", "y"):
        raise KnownError(_("Abgebrochen; es wurde nichts geändert."))


def backup_create(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.backup.core import create_backup

    desk, key = _open(paths)
    try:
        info = create_backup(desk.store, paths, key)
    finally:
        desk.close()
    print(_("Sicherung {name} angelegt und geprüft ({clients} Personen).").format(name=info.name, clients=info.clients))
    return 0


def backup_list(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.backup.core import list_backups

    backups = list_backups(paths)
    if not backups:
        print(_("Es gibt noch keine Sicherung in {path}.").format(path=paths.backups))
    for info in backups:
        detail = info.problem or _("{clients} Personen").format(clients=info.clients)
        print(f"{info.name}  {info.created_at.isoformat(sep=' ')}  {detail}")
    return 0


def backup_verify(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.backup.core import find_backup, list_backups, verify_backup

    key = _unlock(paths)
    backups = [find_backup(paths, args.name)] if args.name else list_backups(paths)
    if not backups:
        raise KnownError(_("Es gibt noch keine Sicherung in {path}.").format(path=paths.backups))
    bad = 0
    for info in backups:
        problems = verify_backup(info.path, key)
        if problems:
            bad += 1
            print(f"{info.name}: " + _("FEHLER") + ": " + "; ".join(problems))
        else:
            print(f"{info.name}: " + _("in Ordnung"))
    if bad:
        raise KnownError(_("{bad} von {total} Sicherungen sind fehlerhaft.").format(bad=bad, total=len(backups)))
    return 0


def backup_restore(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk import vault
    from kim_desk.backup.core import find_backup
    from kim_desk.backup.restore import restore_backup

    info = find_backup(paths, args.name)
    # the desk's own vault when it is there; after a reinstall, the vault saved with the backup
    source = paths if paths.vault.exists() and paths.database.exists() else DataPaths(info.path)
    key = vault.unlock(source, vault.passphrase_from_environment, vault.SystemKeyring()).key
    _confirm(args, _("Die Datenbank durch die Sicherung {name} ersetzen?").format(name=info.name))
    paths.root.mkdir(parents=True, exist_ok=True)
    result = restore_backup(paths, info, key)
    print(
        _(
            "Sicherung {name} wiederhergestellt: {clients} Personen; {erased} spätere Löschungen erneut angewandt."
        ).format(name=info.name, clients=result.clients, erased=result.erasures_applied)
    )
    return 0


def client_export(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.i18n import language
    from kim_desk.privacy.export import export_client

    if args.lang:
        language(args.lang)  # an unknown code gets its clear message before anything is read
    desk, _key = _open(paths)
    try:
        files = export_client(desk.store, args.id, Path(args.output), catalog=desk.catalog, lang=args.lang)
    finally:
        desk.close()
    print(_("Auskunft geschrieben: {json} und {pdf}").format(json=files.json_path, pdf=files.pdf_path))
    return 0


def client_erase(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.privacy.erasure import erase_client
    from kim_desk.store.clients import get_client

    desk, _key = _open(paths)
    try:
        get_client(desk.store, args.id, with_household=False)  # a wrong number fails before the question
        _confirm(
            args, _("Person {id} mit allen Anträgen, Terminen und Kontakten endgültig löschen?").format(id=args.id)
        )
        erase_client(desk.store, paths, args.id)
    finally:
        desk.close()
    print(_("Person {id} wurde gelöscht.").format(id=args.id))
    return 0


def audit_verify(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.privacy.audit_check import check_trail

    desk, _key = _open(paths)
    try:
        check = check_trail(desk.store, paths)
    finally:
        desk.close()
    if not check.ok:
        raise KnownError(_("Das Zugriffsprotokoll wurde verändert:") + "\n" + "\n".join(check.problems))
    print(_("Zugriffsprotokoll in Ordnung: {n} Einträge.").format(n=check.events))
    return 0


def retention_list(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.cli import print_json
    from kim_desk.retention import due_clients, retention_years

    desk, _key = _open(paths)
    try:
        years = retention_years(desk.store)
        due = due_clients(desk.store)
    finally:
        desk.close()
    if args.json:
        print_json([{"client_id": d.client_id, "last_activity": d.last_activity, "due_since": d.due_since,
                     "cases": d.cases} for d in due])  # fmt: skip
        return 0
    print(_("Aufbewahrungsfrist: {years} Jahre nach Abschluss; fällig: {n}").format(years=years, n=len(due)))
    for d in due:
        print(f"{d.client_id:>6}  {d.last_activity.isoformat()}  {d.due_since.isoformat()}  {d.cases}")
    return 0


def retention_apply(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk import retention

    desk, _key = _open(paths)
    try:
        ids = args.ids or [d.client_id for d in retention.due_clients(desk.store)]
        if not ids:
            print(_("Keine Person ist fällig."))
            return 0
        _confirm(
            args,
            _("{n} Personen {mode}? ({ids})").format(
                n=len(ids),
                mode=_("endgültig löschen") if args.mode == "erase" else _("anonymisieren"),
                ids=", ".join(map(str, ids)),
            ),
        )
        changes = retention.apply(desk.store, paths, ids, args.mode)
    finally:
        desk.close()
    print(_("{n} Personen bearbeitet.").format(n=len(changes)))
    return 0
