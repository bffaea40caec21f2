"""`kim-desk stats preview [--period 2026Q3] [--json]`: exactly what will be (or was) sent."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kim_desk.i18n import _
from kim_desk.paths import DataPaths


def register(sub: argparse._SubParsersAction[Any]) -> None:
    stats = sub.add_parser("stats", help=_("anonymisierte Quartalszahlen"))
    actions = stats.add_subparsers(dest="stats_command", required=True)
    preview = actions.add_parser("preview", help=_("zeigen, was an den Kreis gesendet wird"))
    preview.add_argument("--period", help=_("Quartal, z. B. 2026Q3 (Standard: das letzte abgeschlossene)"))
    preview.add_argument("--json", action="store_true", help=_("die Rohdaten (JSON) ausgeben"))
    preview.set_defaults(handler=run_preview)


def run_preview(args: argparse.Namespace, paths: DataPaths) -> int:
    from kim_desk.desk import open_desk
    from kim_desk.stats.periods import last_closed_quarter, parse_quarter
    from kim_desk.stats.render import describe
    from kim_desk.sync.service import enrolment, preview

    desk = open_desk(paths)
    try:
        enrolled = enrolment(desk.store)
        quarter = parse_quarter(args.period) if args.period else last_closed_quarter(desk.store.today())
        payload = preview(desk.store, quarter, enrolled)
    finally:
        desk.close()
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
        sys.stdout.write("\n")
    else:
        print(describe(payload))
    return 0
