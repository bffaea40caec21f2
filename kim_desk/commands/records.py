"""Sub-commands for the records: demo, clients, cases, appointments, contacts (commands/contacts.py), self-test."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kim_desk.commands.base import on_desk, open_desk, print_json, print_rows
from kim_desk.errors import KnownError
from kim_desk.i18n import _
from kim_desk.paths import DataPaths


def register(sub: argparse._SubParsersAction[Any]) -> None:
    demo = sub.add_parser("demo", help=_("den Datenordner mit synthetischen Beispieldaten füllen"))
    demo.add_argument("--clients", type=int, default=200, help=_("Anzahl der Klientinnen und Klienten"))
    demo.add_argument("--seed", type=int, default=None, help=_("Startwert des Zufallsgenerators"))
    demo.set_defaults(handler=run_demo)
    for name, handler, help_text in (
        ("clients", list_clients, _("Klientinnen und Klienten auflisten")),
        ("cases", list_cases, _("Anträge auflisten")),
        ("appointments", list_appointments, _("Termine auflisten")),
    ):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--json", action="store_true", help=_("als JSON ausgeben"))
        if name == "clients":
            command.add_argument("--search", default="", help=_("nach Namen suchen (jede Schreibweise)"))
        command.set_defaults(handler=handler)
    from kim_desk.commands import contacts

    contacts.register(sub)
    self_test = sub.add_parser("self-test", help=_("die Installation ohne Bildschirm prüfen"))
    self_test.set_defaults(handler=run_self_test)


def run_demo(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk import demo, vault
    from kim_desk.desk import create_desk, open_desk
    from kim_desk.store.clients import count_clients

    if args.clients < 1 or args.clients > 1_000_000:
        raise KnownError(_("--clients muss zwischen 1 und 1000000 liegen."))
    if vault.is_initialised(paths):
        desk = open_desk(paths)
        if count_clients(desk.store):
            desk.close()
            raise KnownError(
                _("In {path} gibt es schon Daten; Beispieldaten werden nur in einen leeren Ordner geschrieben.").format(
                    path=paths.root
                )
            )
    else:
        passphrase = vault.new_passphrase_from_environment()
        desk, recovery = create_desk(paths, passphrase, vault.SystemKeyring())
        print(_("Neuer Arbeitsplatz in {path} angelegt.").format(path=paths.root))
        print(_("Wiederherstellungscode (für die IT ausdrucken und sicher verwahren): {code}").format(code=recovery))
    try:
        summary = demo.generate(desk.store, desk.catalog, args.clients, demo.SEED if args.seed is None else args.seed)
    finally:
        desk.close()
    print(
        _("Beispieldaten: {clients} Personen, {cases} Anträge, {appointments} Termine, {contacts} Kontakte.").format(
            clients=summary.clients, cases=summary.cases, appointments=summary.appointments, contacts=summary.contacts
        )
    )
    return 0


def list_clients(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.views import lists

    desk = open_desk(paths)
    try:
        # the same rows as the app's client table: the best search hits, or everyone in name order
        ids = lists.client_ids(desk.store, args.search)
        found = lists.client_rows(desk.store, ids)
    finally:
        desk.close()
    rows = [
        {"id": i, "family_name": c.family_name, "given_names": c.given_names, "family_name_orig": c.family_name_orig,
         "given_names_orig": c.given_names_orig, "birth_date": c.birth_date or None, "municipality": c.municipality,
         "languages": list(c.languages)}
        for i, c in ((i, found[i]) for i in ids if i in found)
    ]  # fmt: skip
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            name = f"{row['family_name']}, {row['given_names']}"
            print(f"{row['id']:>6}  {name}  {row['birth_date'] or ''}  {row['municipality']}")
    return 0


def list_cases(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.views import lists

    rows = on_desk(paths, lambda desk: lists.case_records(desk.store))
    return print_rows(
        args,
        rows,
        lambda r: f"{r['id']:>6}  {r['client_id']:>6}  {r['type_code']:<32} {r['status']:<20} {r['deadline'] or ''}",
    )


def list_appointments(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.views import lists

    rows = on_desk(paths, lambda desk: lists.appointment_records(desk.store))
    return print_rows(
        args,
        rows,
        lambda r: f"{r['id']:>6}  {r['starts_at']}  {r['duration_min']:>3} min  {r['client_id']:>6}  {r['status']}",
    )


def run_self_test(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.commands.selftest import run_checks

    failures = 0
    for name, problem in run_checks():
        if problem is None:
            print(f"ok    {name}")
        else:
            failures += 1
            print(f"FAIL  {name}: {problem}")
    print(_("Selbsttest: {n} Fehler").format(n=failures), file=sys.stderr if failures else sys.stdout)
    return 1 if failures else 0
