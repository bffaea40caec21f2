"""`kim-desk print KIND (--case ID | --appointment ID) [--lang LANG] [-o FILE]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kim_desk.documents import KINDS
from kim_desk.errors import UsageError
from kim_desk.i18n import _
from kim_desk.paths import DataPaths


def register(sub: argparse._SubParsersAction[Any]) -> None:
    command = sub.add_parser("print", help=_("ein Merkblatt als PDF erzeugen (zweisprachig)"))
    command.add_argument("kind", choices=list(KINDS), help=_("Art des Dokuments"))
    which = command.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", type=int, help=_("Nummer des Antrags"))
    which.add_argument("--appointment", type=int, help=_("Nummer des Termins"))
    command.add_argument("--lang", help=_("Sprache neben Deutsch (sonst die bevorzugte Sprache der Person)"))
    command.add_argument("--official", action="store_true", help=_("das amtliche Formular (AcroForm) ausfüllen"))
    command.add_argument("-o", "--output", type=Path, help=_("Zieldatei (.pdf)"))
    command.set_defaults(handler=run_print)


def run_print(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.desk import open_desk
    from kim_desk.documents import acroform, render
    from kim_desk.documents.adapter import client_language, document_data
    from kim_desk.i18n import language
    from kim_desk.store import audit

    if args.kind == "appointment" and args.appointment is None:
        raise UsageError(_("Der Terminzettel braucht --appointment."))
    if args.official and args.kind != "application-aid":
        raise UsageError(_("--official gibt es nur für application-aid."))
    if args.lang:
        language(args.lang)  # an unknown code fails before the database is opened
    desk = open_desk(paths)
    try:
        lang = args.lang or client_language(desk.store, case_id=args.case, appointment_id=args.appointment)
        data = document_data(desk.store, desk.catalog, case_id=args.case, appointment_id=args.appointment)
        # The file name carries only the kind, the record number and the language: no personal data.
        record = f"case-{args.case}" if args.case is not None else f"appointment-{args.appointment}"
        out = args.output or Path(f"{args.kind}-{record}-{lang}.pdf")
        if args.official:
            assert data.case is not None
            written = acroform.fill(data.case.type, data, out)
        else:
            written = render(args.kind, data, lang, out)
        with desk.store.transaction():
            entity, entity_id = ("case", args.case) if args.case is not None else ("appointment", args.appointment)
            audit.record(desk.store, "print", entity, entity_id)
    finally:
        desk.close()
    print(written)
    return 0
