"""`kim-desk print KIND (--case ID | --appointment ID | --referral ID) [--lang LANG] [-o FILE]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kim_desk.documents import KINDS
from kim_desk.errors import UsageError
from kim_desk.i18n import _
from kim_desk.paths import DataPaths

# What each kind is printed for; the others take a case (--case, or an appointment that belongs to one).
_NEEDS = {"appointment": ("appointment",), "mediator-request": ("appointment",), "referral": ("referral",)}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    command = sub.add_parser("print", help=_("ein Merkblatt als PDF erzeugen (zweisprachig)"))
    command.add_argument("kind", choices=list(KINDS), help=_("Art des Dokuments"))
    which = command.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", type=int, help=_("Nummer des Antrags"))
    which.add_argument("--appointment", type=int, help=_("Nummer des Termins"))
    which.add_argument("--referral", type=int, help=_("Nummer der Vermittlung"))
    command.add_argument("--lang", help=_("Sprache neben Deutsch (sonst die bevorzugte Sprache der Person)"))
    command.add_argument("--official", action="store_true", help=_("das amtliche Formular (AcroForm) ausfüllen"))
    command.add_argument("-o", "--output", "--out", type=Path, help=_("Zieldatei (.pdf)"))
    command.set_defaults(handler=run_print)


def _check_target(args: argparse.Namespace) -> None:
    need = _NEEDS.get(args.kind, ("case", "appointment"))
    given = "case" if args.case is not None else "appointment" if args.appointment is not None else "referral"
    if given in need:
        return
    if args.kind == "appointment":
        raise UsageError(_("Der Terminzettel braucht --appointment."))
    if args.kind == "mediator-request":
        raise UsageError(_("Die Anfrage an den Sprachmittlerpool braucht --appointment."))
    if args.kind == "referral":
        raise UsageError(_("Der Vermittlungszettel braucht --referral."))
    raise UsageError(_("Dieses Dokument braucht --case."))


def run_print(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.commands.base import open_desk
    from kim_desk.documents import acroform, render
    from kim_desk.documents.model import DocumentData
    from kim_desk.i18n import language
    from kim_desk.views import printing

    _check_target(args)
    if args.official and args.kind != "application-aid":
        raise UsageError(_("--official gibt es nur für application-aid."))
    if args.lang:
        language(args.lang)  # an unknown code fails before the database is opened
    desk = open_desk(paths)
    try:
        target = printing.Target("", case_id=args.case, appointment_id=args.appointment, referral_id=args.referral)
        loaded = printing.load_document(desk.store, desk.catalog, target)
        data = loaded.data
        assert isinstance(data, DocumentData)
        lang = printing.document_language(args.kind, args.lang or loaded.lang)
        if args.kind == "mediator-request" and data.mediator is None:
            raise UsageError(_("Für Termin Nr. {id} ist keine Sprachmittlung angefragt.").format(id=args.appointment))
        out = args.output or Path(printing.suggested_file_name(args.kind, target, lang))
        if args.official:
            assert data.case is not None
            written = acroform.fill(data.case.type, data, out)
        else:
            written = render(args.kind, data, lang, out)
        printing.record_print(desk.store, target)
    finally:
        desk.close()
    print(written)
    return 0
