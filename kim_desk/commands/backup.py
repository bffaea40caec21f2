"""`kim-desk backup create | list | verify [NAME] | restore NAME [--yes]`."""

from __future__ import annotations

import argparse
from typing import Any

from kim_desk.commands.base import confirm, open_desk
from kim_desk.errors import KnownError
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


def _unlock(paths: DataPaths) -> bytes:
    from kim_desk import vault

    return vault.unlock(paths, vault.passphrase_from_environment, vault.SystemKeyring()).key


def backup_create(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.backup.core import create_backup

    desk = open_desk(paths)
    try:
        info = create_backup(desk.store, paths, desk.key)
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
    # the desk's own vault when it is there (whatever state the database is in);
    # after a reinstall, the vault saved with the backup
    source = paths if paths.vault.exists() else DataPaths(info.path)
    key = vault.unlock_key(source, vault.passphrase_from_environment, vault.SystemKeyring()).key
    confirm(args, _("Die Datenbank durch die Sicherung {name} ersetzen?").format(name=info.name))
    paths.root.mkdir(parents=True, exist_ok=True)
    result = restore_backup(paths, info, key)
    print(
        _(
            "Sicherung {name} wiederhergestellt: {clients} Personen; {erased} spätere Löschungen erneut angewandt."
        ).format(name=info.name, clients=result.clients, erased=result.erasures_applied)
    )
    return 0
