"""The application layer: the `kim-desk` command line; the desktop app is its default sub-command."""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from kim_desk import __version__
from kim_desk.commands.base import Parser, add_data_dir
from kim_desk.errors import KnownError, UsageError
from kim_desk.i18n import _
from kim_desk.paths import DataPaths, data_paths

log = logging.getLogger(__name__)

# Sub-commands register here: each gets the subparsers object and adds itself,
# setting `handler` to a function(args, paths) -> int.
Registrar = Callable[["argparse._SubParsersAction[Any]"], None]
SELF_CONTAINED = ("self-test",)  # commands that never touch the data folder


def _registrars() -> list[Registrar]:
    from kim_desk.commands import backup, content, i18n, printing, privacy, records, referrals, stats, sync

    return [
        records.register,
        referrals.register,
        printing.register,
        stats.register,
        sync.register,
        backup.register,
        privacy.register,
        content.register,
        i18n.register,
    ]


def app_only_parser() -> Parser:
    """What a start of the app alone accepts (`kim-desk`, `kim-desk gui`, each with `--data-dir`)."""
    parser = Parser(prog="kim-desk", add_help=False)
    add_data_dir(parser, top=True)
    parser.add_argument("command", nargs="?", choices=["gui"])
    return parser


def parse(arguments: list[str]) -> argparse.Namespace:
    """A start of the app is parsed without building every sub-command: their parsers import their
    modules (0.13-0.18 s and about 450 modules at every start). Anything else, help and errors included,
    goes to the full parser."""
    try:
        args, rest = app_only_parser().parse_known_args(arguments)
    except UsageError:
        rest = arguments
    return args if not rest else build_parser().parse_args(arguments)


def build_parser() -> Parser:
    parser = Parser(prog="kim-desk", description=_("KIM Desk – Beratung für Zugewanderte im Kreis Warendorf"))
    parser.add_argument("--version", action="version", version=f"KIM Desk {__version__}")
    add_data_dir(parser, top=True)
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    gui = sub.add_parser("gui", help=_("die Desktop-Anwendung starten (Standard)"))
    add_data_dir(gui)
    gui.set_defaults(handler=_run_gui)
    for register in _registrars():
        register(sub)
    _add_data_dir_everywhere(parser)
    return parser


def _add_data_dir_everywhere(parser: argparse.ArgumentParser) -> None:
    """Every sub-command at every depth accepts --data-dir too (`kim-desk sync run --data-dir D`)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action.choices.values():
                if not any("--data-dir" in option.option_strings for option in choice._actions):
                    add_data_dir(choice)
                _add_data_dir_everywhere(choice)


def _run_gui(args: argparse.Namespace, paths: DataPaths) -> int:
    # The start allocates much and frees little: no cyclic collections until the main window is up
    # (about 8 % of the start); kim_desk.gui.app turns the collector on again, whatever happens.
    gc.disable()
    from kim_desk.gui.app import run

    return int(run(paths, sys.argv[:1]))


def _known_database_error(exc: Exception, paths: DataPaths | None) -> KnownError | None:
    """A damaged page, a full disk or a read-only folder met while working is no bug."""
    from kim_desk.store.connection import DatabaseError, database_error

    if paths is None or not isinstance(exc, DatabaseError):
        return None
    return database_error(exc, paths.database)


def _say(exc: KnownError, paths: DataPaths | None) -> None:
    from kim_desk.errors import DatabaseMissing, NotADatabase

    text = str(exc)
    if paths is not None and isinstance(exc, NotADatabase | DatabaseMissing) and paths.vault.exists():
        from kim_desk.backup.core import restore_advice

        with contextlib.suppress(OSError):
            text += "\n" + restore_advice(paths)
    print(f"kim-desk: {text}".replace("\n", "\n  "), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    from kim_desk.logs import crash_report, setup_logging

    arguments = list(sys.argv[1:] if argv is None else argv)
    paths: DataPaths | None = None
    try:
        args = parse(arguments)
        paths = data_paths(args.data_dir or None)
        # the self-test works in temporary folders and logs there, never into a real desk's log
        if paths.root.exists() and args.command not in SELF_CONTAINED:
            setup_logging(paths.logs)
        handler = getattr(args, "handler", _run_gui)
        log.info("command", extra={"command": args.command or "gui"})
        return int(handler(args, paths))
    except KnownError as exc:
        _say(exc, paths)
        return exc.exit_code
    except BrokenPipeError:
        sys.stderr.close()  # output piped into `head`: nothing to report
        return 0
    except KeyboardInterrupt:
        print(_("kim-desk: abgebrochen"), file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the crash handler: every bug gets a report
        known = _known_database_error(exc, paths)
        if known is not None:
            _say(known, paths)
            return known.exit_code
        exc_type, exc_value, tb = sys.exc_info()
        assert exc_type is not None and exc_value is not None
        crash_report(exc_type, exc_value, tb, paths.logs if paths and paths.root.exists() else None)
        print(
            _("kim-desk: interner Fehler ({kind}); ein Fehlerbericht ohne Personendaten liegt im Log-Ordner.").format(
                kind=exc_type.__name__
            ),
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
