"""`kim-desk i18n status [--json]`: per language, the share translated and whether reviewed."""

from __future__ import annotations

import argparse
from typing import Any

from kim_desk.i18n import N_, _, format_number, ui_language
from kim_desk.paths import DataPaths

HEADINGS = (N_("Sprache"), N_("Oberfläche"), N_("Inhalte (forms/)"), N_("geprüft"), N_("davon geprüft (Inhalte)"))


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("i18n", help=_("Übersetzungen: Stand der Kataloge"))
    commands = parser.add_subparsers(dest="i18n_command", required=True)
    status = commands.add_parser("status", help=_("Anteil übersetzt und Prüfstand je Sprache"))
    status.add_argument("--json", action="store_true", help=_("als JSON ausgeben"))
    status.set_defaults(handler=_status)


def _status(args: argparse.Namespace, _paths: DataPaths) -> int:
    from kim_desk.commands.base import print_json
    from kim_desk.i18n.status import COMPLETE_CONTENT, COMPLETE_UI, catalogue_status

    rows = catalogue_status()
    if args.json:
        print_json(
            [
                row.as_dict()
                | {"complete_ui": row.code in COMPLETE_UI, "complete_content": row.code in COMPLETE_CONTENT}
                for row in rows
            ]
        )
        return 0
    lang = ui_language()
    table = [[_(heading) for heading in HEADINGS]]
    for row in rows:
        table.append(
            [
                f"{row.code:<4} {row.native_name}",
                _share(row.ui_translated, row.ui_total, lang),
                _share(row.content_translated, row.content_total, lang),
                _("ja") if row.reviewed else _("nein"),
                _share(row.content_checked, row.content_translated, lang),
            ]
        )
    widths = [max(len(line[column]) for line in table) for column in range(len(HEADINGS))]
    for line in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    return 0


def _share(done: int, total: int, lang: str) -> str:
    percent = format_number(round(100 * done / total, 1) if total else 100, lang)
    return f"{percent} % ({done}/{total})"
