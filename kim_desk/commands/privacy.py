"""`kim-desk client export ID -o DIR | client erase ID`, `audit verify`, `retention list | apply` (GDPR)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kim_desk.commands.base import confirm, open_desk
from kim_desk.errors import KnownError
from kim_desk.i18n import _
from kim_desk.paths import DataPaths


def register(sub: argparse._SubParsersAction[Any]) -> None:
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


def client_export(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.i18n import language
    from kim_desk.privacy.export import export_client

    if args.lang:
        language(args.lang)  # an unknown code gets its clear message before anything is read
    desk = open_desk(paths)
    try:
        files = export_client(desk.store, args.id, Path(args.output), catalog=desk.catalog, lang=args.lang)
    finally:
        desk.close()
    print(_("Auskunft geschrieben: {json} und {pdf}").format(json=files.json_path, pdf=files.pdf_path))
    return 0


def client_erase(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.privacy.erasure import erase_client
    from kim_desk.store.clients import get_client

    desk = open_desk(paths)
    try:
        get_client(desk.store, args.id, with_household=False)  # a wrong number fails before the question
        confirm(args, _("Person {id} mit allen Anträgen, Terminen und Kontakten endgültig löschen?").format(id=args.id))
        erase_client(desk.store, paths, args.id)
    finally:
        desk.close()
    print(_("Person {id} wurde gelöscht.").format(id=args.id))
    return 0


def audit_verify(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.privacy.audit_check import check_trail

    desk = open_desk(paths)
    try:
        check = check_trail(desk.store, paths)
    finally:
        desk.close()
    if not check.ok:
        raise KnownError(_("Das Zugriffsprotokoll wurde verändert:") + "\n" + "\n".join(check.problems))
    print(_("Zugriffsprotokoll in Ordnung: {n} Einträge.").format(n=check.events))
    return 0


def retention_list(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.commands.base import print_json
    from kim_desk.retention import due_clients, retention_years

    desk = open_desk(paths)
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

    desk = open_desk(paths)
    try:
        ids = args.ids or [d.client_id for d in retention.due_clients(desk.store)]
        if not ids:
            print(_("Keine Person ist fällig."))
            return 0
        confirm(
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
