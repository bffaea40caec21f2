"""`kim-desk sync enrol URL CODE | sync run | sync status`."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from kim_desk.i18n import _
from kim_desk.paths import DataPaths


def register(sub: argparse._SubParsersAction[Any]) -> None:
    sync = sub.add_parser("sync", help=_("Quartalsberichte an den Kreis senden"))
    actions = sync.add_subparsers(dest="sync_command", required=True)
    enrol = actions.add_parser("enrol", help=_("diesen Arbeitsplatz beim Kreis anmelden"))
    enrol.add_argument("url", help=_("Adresse des Kreisdienstes (https://…)"))
    enrol.add_argument("code", help=_("einmaliger Anmeldecode vom Kreis"))
    enrol.add_argument("--ca-bundle", help=_("Zertifikatsdatei der eigenen Organisation (PEM)"))
    enrol.set_defaults(handler=run_enrol)
    run = actions.add_parser("run", help=_("fällige Berichte bilden und senden"))
    run.set_defaults(handler=run_run)
    status = actions.add_parser("status", help=_("Anmeldung, Postausgang und Journal zeigen"))
    status.set_defaults(handler=run_status)


def run_enrol(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.desk import open_desk
    from kim_desk.sync.client import make_client
    from kim_desk.sync.service import enrol_desk

    desk = open_desk(paths)
    try:
        with make_client(args.url, args.ca_bundle) as client:
            result = enrol_desk(desk.store, client, args.url, args.code, desk.store.today(), args.ca_bundle)
    finally:
        desk.close()
    print(
        _("Angemeldet als {desk_id} (Gemeinde {municipality}); Berichte ab {period}.").format(
            desk_id=result.desk_id, municipality=result.municipality, period=result.first_period
        )
    )
    return 0


def run_run(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.desk import open_desk
    from kim_desk.errors import KnownError
    from kim_desk.sync.client import make_client
    from kim_desk.sync.service import require_enrolment, run_sync
    from kim_desk.views import content_job

    desk = open_desk(paths)
    try:
        enrolled = require_enrolment(desk.store)
        with make_client(enrolled.url, enrolled.ca_bundle) as client:
            summary = run_sync(desk.store, client, desk.store.today())
            # the district's content pack comes with every sync; a refused pack keeps the content in use
            ask = content_job.content_ask(desk.store, paths, enrolled.token)
            fetched = content_job.fetch_and_install(client, paths, ask, dt.datetime.now(dt.UTC))
    finally:
        desk.close()
    if fetched.text():
        print(fetched.text())
        for line in fetched.changes:
            print("  " + line)
    print(
        _(
            "Neu gebildet: {queued}; gesendet: {sent}; schon vorhanden: {already}; "
            "abgelehnt: {refused}; wartend: {pending}."
        ).format(
            queued=len(summary.queued),
            sent=len(summary.sent),
            already=len(summary.already),
            refused=len(summary.refused),
            pending=len(summary.pending),
        )
    )
    if summary.refused:
        raise KnownError(
            _("Der Kreis hat {ids} abgelehnt (anderer Inhalt unter derselben Kennung).").format(
                ids=", ".join(summary.refused)
            )
        )
    if summary.pending:
        raise KnownError(
            _("Der Dienst des Kreises ist nicht erreichbar ({reason}); die Berichte bleiben im Postausgang.").format(
                reason=summary.error
            )
        )
    return 0


def run_status(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.desk import open_desk
    from kim_desk.sync import state
    from kim_desk.sync.service import enrolment

    desk = open_desk(paths)
    try:
        enrolled = enrolment(desk.store)
        entries = state.outbox(desk.store)
        journal = state.journal_rows(desk.store, 20)
    finally:
        desk.close()
    if enrolled is None:
        print(_("Nicht angemeldet."))
    else:
        print(
            _("Angemeldet bei {url} als {desk_id}, Schutzverfahren {ptable}, Berichte ab {period}.").format(
                url=enrolled.url, desk_id=enrolled.desk_id, ptable=enrolled.ptable, period=enrolled.first_period
            )
        )
    for entry in entries:
        print(f"{entry.period}\t{entry.state}\t{entry.content_hash[:12]}\t{entry.last_error}")
    if journal:
        print(_("Journal:"))
    for at, report, event, digest, detail in journal:
        print(f"  {at}\t{report}\t{event}\t{digest[:12]}\t{detail}")
    return 0
