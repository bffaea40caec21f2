"""`kim-desk contact add CLIENT_ID --channel C [...]`, `contact delete ID` and `kim-desk contacts --json`."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from kim_desk.commands.base import on_desk, open_desk, print_rows
from kim_desk.errors import UsageError
from kim_desk.i18n import _
from kim_desk.paths import DataPaths


def register(sub: argparse._SubParsersAction[Any]) -> None:
    from kim_desk.store.contacts import INTERPRETER_USE
    from kim_desk.taxonomy import CHANNELS

    contact = sub.add_parser("contact", help=_("Beratungskontakte erfassen oder löschen"))
    actions = contact.add_subparsers(dest="contact_command", required=True)
    add = actions.add_parser("add", help=_("einen Beratungskontakt erfassen"))
    add.add_argument("client_id", type=int, metavar="CLIENT_ID", help=_("Nummer der Person"))
    add.add_argument("--channel", required=True, choices=list(CHANNELS), help=_("Art des Kontakts"))
    add.add_argument("--minutes", type=int, default=30, help=_("Dauer in Minuten (Standard: 30)"))
    add.add_argument("--case", type=int, default=None, help=_("Nummer des Antrags, um den es ging"))
    add.add_argument("--date", default=None, help=_("Datum JJJJ-MM-TT (Standard: heute)"))
    add.add_argument("--language", default=None, help=_("Sprache des Gesprächs (Standard: bevorzugte Sprache)"))
    add.add_argument("--interpreter", default="no", choices=list(INTERPRETER_USE), help=_("Dolmetschung"))
    add.add_argument("--topic", action="append", default=[], help=_("Antragsart aus dem Katalog (mehrfach möglich)"))
    add.set_defaults(handler=run_add)
    delete = actions.add_parser("delete", help=_("einen Beratungskontakt löschen"))
    delete.add_argument("contact_id", type=int, metavar="ID", help=_("Nummer des Kontakts"))
    delete.set_defaults(handler=run_delete)
    listing = sub.add_parser("contacts", help=_("Beratungskontakte auflisten"))
    listing.add_argument("--json", action="store_true", help=_("als JSON ausgeben"))
    listing.set_defaults(handler=run_list)


def run_add(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.store.clients import get_client
    from kim_desk.store.contacts import Contact, record_contact

    try:
        day = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise UsageError(_("„{value}“ ist kein gültiges Datum (JJJJ-MM-TT).").format(value=args.date)) from None
    desk = open_desk(paths)
    try:
        for topic in args.topic:
            desk.catalog.get(topic)  # unknown application types are refused with their name
        client = get_client(desk.store, args.client_id, with_household=False)
        language = args.language or (client.languages[0] if client.languages else "de")
        change = record_contact(
            desk.store,
            Contact(
                client.id or 0, day or desk.store.today(), channel=args.channel, language=language,
                minutes=args.minutes, case_id=args.case, topics=args.topic, interpreter=args.interpreter,
            ),
        )  # fmt: skip
    finally:
        desk.close()
    print(_("Kontakt {id} erfasst.").format(id=change.id))
    return 0


def run_delete(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.store.contacts import delete_contact

    desk = open_desk(paths)
    try:
        delete_contact(desk.store, args.contact_id)
    finally:
        desk.close()
    print(_("Kontakt {id} gelöscht.").format(id=args.contact_id))
    return 0


def run_list(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.views import lists

    rows = on_desk(paths, lambda desk: lists.contact_records(desk.store))
    return print_rows(
        args,
        rows,
        lambda r: f"{r['id']:>6}  {r['contact_on']}  {r['client_id']:>6}  {r['channel']:<10} {r['minutes']:>3} min",
    )
