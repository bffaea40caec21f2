"""`kim-desk services | referrals | needs [--json]`, `referral add | outcome`, `need add` (DESIGN.md §7)."""

from __future__ import annotations

import argparse
from typing import Any

from kim_desk.commands.base import on_desk, open_desk, print_json, print_rows
from kim_desk.i18n import _
from kim_desk.paths import DataPaths
from kim_desk.taxonomy import REFERRAL_OUTCOMES, UNMET_NEEDS


def register(sub: argparse._SubParsersAction[Any]) -> None:
    services = sub.add_parser("services", help=_("die Angebote vor Ort auflisten"))
    services.add_argument("--municipality", help=_("nur Angebote in dieser Kommune (Code)"))
    services.add_argument("--json", action="store_true", help=_("als JSON ausgeben"))
    services.set_defaults(handler=list_services)
    for name, handler, help_text in (
        ("referrals", list_referrals, _("Vermittlungen auflisten")),
        ("needs", list_needs, _("ungedeckte Bedarfe auflisten")),
    ):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--json", action="store_true", help=_("als JSON ausgeben"))
        command.set_defaults(handler=handler)
    referral = sub.add_parser("referral", help=_("eine Vermittlung erfassen oder ihr Ergebnis eintragen"))
    actions = referral.add_subparsers(dest="referral_command", required=True)
    add = actions.add_parser("add", help=_("eine Person an ein Angebot vermitteln"))
    add.add_argument("client", type=int, help=_("Nummer der Person"))
    add.add_argument("--service", required=True, help=_("Code des Angebots (kim-desk services)"))
    add.add_argument("--case", type=int, help=_("Nummer des Antrags"))
    add.set_defaults(handler=add_referral)
    outcome = actions.add_parser("outcome", help=_("das Ergebnis einer Vermittlung eintragen"))
    outcome.add_argument("id", type=int, help=_("Nummer der Vermittlung"))
    outcome.add_argument("outcome", choices=list(REFERRAL_OUTCOMES), help=_("Ergebnis"))
    outcome.set_defaults(handler=referral_outcome)
    need = sub.add_parser("need", help=_("einen ungedeckten Bedarf erfassen"))
    need_actions = need.add_subparsers(dest="need_command", required=True)
    need_add = need_actions.add_parser("add", help=_("Bedarf ohne passendes Angebot"))
    need_add.add_argument("client", type=int, help=_("Nummer der Person"))
    need_add.add_argument("--category", required=True, choices=list(UNMET_NEEDS), help=_("Art des Bedarfs"))
    need_add.set_defaults(handler=add_need)


def list_services(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.content.active import activate
    from kim_desk.services import load_services, services_for

    activate(paths)  # the district's installed content pack, if any (public data: no unlock needed)
    found = load_services()
    chosen = services_for(found, args.municipality) if args.municipality else list(found.values())
    rows = [
        {"code": s.code, "title": s.title, "kind": s.kind, "provider": s.provider, "target_group": s.target_group,
         "municipalities": list(s.municipalities), "languages": list(s.languages), "stand": s.stand.isoformat(),
         "contact": s.contact._asdict(), "how_to_refer": s.how_to_refer}
        for s in chosen
    ]  # fmt: skip
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['code']:<26} {row['title']}")
    return 0


def list_referrals(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.store.referrals import list_referrals as listed

    rows = [
        {"id": r.id, "client_id": r.client_id, "case_id": r.case_id, "service": r.service_code,
         "referred_on": r.referred_on.isoformat(), "outcome": r.outcome,
         "outcome_on": r.outcome_on.isoformat() if r.outcome_on else None}
        for r in on_desk(paths, lambda desk: listed(desk.store))
    ]  # fmt: skip
    return print_rows(
        args,
        rows,
        lambda r: f"{r['id']:>6}  {r['client_id']:>6}  {r['referred_on']}  {r['service']:<26} {r['outcome']}",
    )


def list_needs(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.store.referrals import list_unmet_needs

    rows = [
        {"id": n.id, "client_id": n.client_id, "category": n.category, "noted_on": n.noted_on.isoformat()}
        for n in on_desk(paths, lambda desk: list_unmet_needs(desk.store))
    ]
    return print_rows(args, rows, lambda r: f"{r['id']:>6}  {r['client_id']:>6}  {r['noted_on']}  {r['category']}")


def add_referral(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.services import load_services
    from kim_desk.store.clients import get_client
    from kim_desk.store.referrals import Referral, refer

    desk = open_desk(paths)
    try:
        get_client(desk.store, args.client, with_household=False)  # a wrong number fails with its own message
        change = refer(
            desk.store,
            Referral(args.client, args.service, desk.store.today(), case_id=args.case),
            set(load_services()),
        )
    finally:
        desk.close()
    print(_("Vermittlung Nr. {id} erfasst.").format(id=change.id))
    return 0


def referral_outcome(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.store.referrals import set_outcome

    desk = open_desk(paths)
    try:
        set_outcome(desk.store, args.id, args.outcome, desk.store.today())
    finally:
        desk.close()
    print(_("Ergebnis der Vermittlung Nr. {id} eingetragen.").format(id=args.id))
    return 0


def add_need(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.store.clients import get_client
    from kim_desk.store.referrals import UnmetNeed, note_unmet_need

    desk = open_desk(paths)
    try:
        get_client(desk.store, args.client, with_household=False)
        change = note_unmet_need(desk.store, UnmetNeed(args.client, args.category, desk.store.today()))
    finally:
        desk.close()
    print(_("Ungedeckter Bedarf Nr. {id} erfasst.").format(id=change.id))
    return 0
