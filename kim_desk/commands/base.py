"""What every sub-command module shares: the parser class, --data-dir, JSON output, opening the desk."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from kim_desk.errors import KnownError, UsageError
from kim_desk.i18n import _

if TYPE_CHECKING:
    from kim_desk.desk import Desk
    from kim_desk.paths import DataPaths

T = TypeVar("T")
Check = Callable[[Path], None]  # a self-test check: gets a fresh temporary folder, raises on failure


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} ({self.prog} --help)")


def add_data_dir(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # On sub-commands the default is SUPPRESS, so `kim-desk --data-dir X clients` keeps X.
    parser.add_argument(
        "--data-dir",
        default=None if top else argparse.SUPPRESS,
        help=_("Datenordner (sonst KIM_DESK_HOME oder der Standardordner)"),
    )


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def open_desk(paths: DataPaths) -> Desk:
    """Unlock and open the desk of a command (keyring, then the passphrase file or terminal)."""
    from kim_desk.desk import open_desk as open_

    return open_(paths)


def confirm(args: argparse.Namespace, question: str) -> None:
    if args.yes:
        return
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError(_("{question} Zum Bestätigen --yes angeben.").format(question=question))
    answer = input(_("{question} [ja/nein] ").format(question=question))
    if answer.strip().lower() not in ("ja", "j", "yes", "y"):
        raise KnownError(_("Abgebrochen; es wurde nichts geändert."))


def on_desk(paths: DataPaths, work: Callable[[Desk], T]) -> T:
    """Open the desk, do one piece of work with it, close it again (also when the work fails)."""
    desk = open_desk(paths)
    try:
        return work(desk)
    finally:
        desk.close()


def print_rows(args: argparse.Namespace, rows: list[dict[str, Any]], line: Callable[[dict[str, Any]], str]) -> int:
    """The rows as JSON (`--json`) or, one `line(row)` each, as text."""
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(line(row))
    return 0
