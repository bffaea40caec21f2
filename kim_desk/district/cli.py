"""`kim-district`: serve, desk administration, staff accounts, settings and committee exports."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import logging
import os
import sys
from pathlib import Path

from kim_desk.errors import KnownError, UsageError
from kim_desk.i18n import _
from kim_desk.logs import JsonFormatter, crash_report

LOG_NAME = "district.log"
log = logging.getLogger("kim_desk.district")


def data_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    if os.environ.get("KIM_DISTRICT_HOME"):
        return Path(os.environ["KIM_DISTRICT_HOME"])
    base = os.environ.get("XDG_DATA_HOME") or os.environ.get("APPDATA")
    return (Path(base) if base else Path.home() / ".local" / "share") / "kim-district"


def _store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from kim_desk.district.store import DistrictStore

    return DistrictStore(data_dir(args.data_dir) / "district.sqlite3")


def _private_file(path: Path) -> None:
    """Create `path` readable by the owner only (before anything is written to it)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))


def _setup_logging(directory: Path) -> None:
    _private_file(directory / LOG_NAME)
    handler = logging.FileHandler(directory / LOG_NAME, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def cmd_serve(args: argparse.Namespace) -> int:
    from kim_desk.district.deps import is_loopback

    if bool(args.tls_cert) != bool(args.tls_key):
        raise UsageError(_("--tls-cert und --tls-key gehören zusammen."))
    plain_beyond_loopback = not args.tls_cert and not is_loopback(args.host)
    if plain_beyond_loopback and not args.insecure_http:
        raise UsageError(
            _(
                "Ohne TLS bedient kim-district nur den eigenen Rechner. Geben Sie --tls-cert und --tls-key an, "
                "stellen Sie den Dienst hinter den TLS-Proxy der Verwaltung (--host 127.0.0.1) oder erzwingen "
                "Sie unverschlüsseltes HTTP mit --insecure-http."
            )
        )
    import uvicorn

    from kim_desk.district.app import create_app

    _setup_logging(data_dir(args.data_dir))
    app = create_app(_store(args))
    from kim_desk.district.dashboard import warm_up

    warm_up()  # the catalogue's titles and the number formats: read at start, not on the first page
    scheme = "https" if args.tls_cert else "http"
    log.info("serve.start", extra={"host": args.host, "port": args.port, "scheme": scheme})
    if plain_beyond_loopback:
        log.warning("serve.insecure_http", extra={"host": args.host})
        print(
            _("WARNUNG: kim-district sendet Anmeldungen und Kennzahlen unverschlüsselt über das Netz ({host}).").format(
                host=args.host
            ),
            file=sys.stderr,
        )
    tls = {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key} if args.tls_cert else {}
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False, **tls)
    return 0


def cmd_desk_add(args: argparse.Namespace) -> int:
    from kim_desk.stats.periods import parse_quarter

    first = str(parse_quarter(args.first_period)) if args.first_period else None
    desk, code = _store(args).add_desk(args.name, args.municipality, first, args.valid_days)
    _print_code(desk.name, desk.id, code, args.valid_days)
    return 0


def _print_code(name: str, desk_id: str, code: str, days: int) -> None:
    print(
        _("Arbeitsplatz {name} ({desk_id}): einmaliger Anmeldecode, gültig {days} Tage:").format(
            name=name, desk_id=desk_id, days=days
        ),
        file=sys.stderr,
    )
    print(code)


def cmd_desk_list(args: argparse.Namespace) -> int:
    states = {
        "enrolled": _("angemeldet"),
        "code_open": _("Code offen"),
        "code_expired": _("Code abgelaufen"),
        "revoked": _("gesperrt"),
    }
    for desk in _store(args).desks():
        print(f"{desk.id}\t{desk.municipality}\t{desk.first_period or '-'}\t{states[desk.state]}\t{desk.name}")
    return 0


def cmd_desk_revoke(args: argparse.Namespace) -> int:
    desk = _store(args).revoke(args.desk)
    print(_("Arbeitsplatz {desk_id} gesperrt: sein Zugang gilt nicht mehr.").format(desk_id=desk.id), file=sys.stderr)
    return 0


def cmd_desk_reissue(args: argparse.Namespace) -> int:
    desk, code = _store(args).reissue(args.desk, args.valid_days)
    _print_code(desk.name, desk.id, code, args.valid_days)
    return 0


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")  # automation: the password on standard input
    first = getpass.getpass(_("Passwort: "))
    if getpass.getpass(_("Passwort wiederholen: ")) != first:
        raise UsageError(_("Die beiden Passwörter stimmen nicht überein."))
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    from kim_desk.district.accounts import Accounts

    Accounts(_store(args)).add(args.name, _read_password())
    print(_("Benutzer {name} angelegt.").format(name=args.name.strip().lower()), file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from kim_desk.district import picture
    from kim_desk.stats.periods import parse_quarter

    period = str(parse_quarter(args.period))
    store = _store(args)
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        data = picture.csv_text(store, [period]).encode("utf-8")
    elif suffix == ".pdf":
        from kim_desk.district.committee_pdf import committee_pdf

        data = committee_pdf(store, period, dt.date.today())
    else:
        raise UsageError(_("Die Ausgabedatei muss auf .pdf oder .csv enden."))
    tmp = out.with_name(out.name + ".part")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
    os.replace(tmp, out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kim-district")
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--tls-cert", help=_("Zertifikat (PEM) für HTTPS"))
    serve.add_argument("--tls-key", help=_("Schlüssel (PEM) zum Zertifikat"))
    serve.add_argument("--insecure-http", action="store_true", help=_("unverschlüsselt auch über das Netz"))
    serve.set_defaults(func=cmd_serve)
    desk = sub.add_parser("desk").add_subparsers(dest="desk_command", required=True)
    add = desk.add_parser("add")
    add.add_argument("name")
    add.add_argument("--municipality", required=True, help=_("Gemeinde: amtlicher Name oder Kürzel"))
    add.add_argument("--first-period")
    desk_list = desk.add_parser("list")
    desk_list.set_defaults(func=cmd_desk_list)
    revoke = desk.add_parser("revoke")
    revoke.add_argument("desk")
    revoke.set_defaults(func=cmd_desk_revoke)
    reissue = desk.add_parser("reissue")
    reissue.add_argument("desk")
    for with_code in (add, reissue):
        with_code.add_argument("--valid-days", type=int, default=14, help=_("Gültigkeit des Codes in Tagen"))
    add.set_defaults(func=cmd_desk_add)
    reissue.set_defaults(func=cmd_desk_reissue)
    user = sub.add_parser("user").add_subparsers(dest="user_command", required=True)
    user_add = user.add_parser("add")
    user_add.add_argument("name")
    user_add.set_defaults(func=cmd_user_add)
    report = sub.add_parser("report")
    report.add_argument("--period", required=True)
    report.add_argument("-o", "--output", required=True)
    report.set_defaults(func=cmd_report)
    from kim_desk.district import content

    for sub_parser in (
        serve,
        add,
        desk_list,
        revoke,
        reissue,
        user_add,
        report,
        *content.register(sub, data_dir),
    ):
        sub_parser.add_argument("--data-dir", default=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "data_dir"):
        args.data_dir = None
    try:
        return int(args.func(args))
    except KnownError as error:
        print(str(error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 - the crash path: type and stack in a report, never the message
        exc_type, exc_value, tb = sys.exc_info()
        assert exc_type is not None and exc_value is not None
        folder = data_dir(args.data_dir)
        crash_report(exc_type, exc_value, tb, folder if folder.exists() else None)
        print(
            _("kim-district: interner Fehler ({kind}); ein Fehlerbericht ohne Personendaten liegt in {folder}.").format(
                kind=exc_type.__name__, folder=folder
            ),
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
