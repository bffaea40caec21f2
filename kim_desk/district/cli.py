"""`kim-district`: serve, desk administration, settings and committee exports."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path

from kim_desk.errors import KnownError, UsageError
from kim_desk.i18n import _
from kim_desk.logs import JsonFormatter

LOG_NAME = "district.log"


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


def _setup_logging(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(directory / LOG_NAME, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from kim_desk.district.app import create_app

    _setup_logging(data_dir(args.data_dir))
    app = create_app(_store(args))
    logging.getLogger("kim_desk.district").info("serve.start", extra={"port": args.port})
    tls = {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key} if args.tls_cert else {}
    if bool(args.tls_cert) != bool(args.tls_key):
        raise UsageError(_("--tls-cert und --tls-key gehören zusammen."))
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False, **tls)
    return 0


def cmd_desk_add(args: argparse.Namespace) -> int:
    from kim_desk.stats.periods import parse_quarter

    first = str(parse_quarter(args.first_period)) if args.first_period else None
    desk, code = _store(args).add_desk(args.name, args.municipality, first)
    print(
        _("Arbeitsplatz {name} ({desk_id}) angelegt. Einmaliger Anmeldecode:").format(name=desk.name, desk_id=desk.id),
        file=sys.stderr,
    )
    print(code)
    return 0


def cmd_desk_list(args: argparse.Namespace) -> int:
    for desk in _store(args).desks():
        state = _("angemeldet") if desk.enrolled else _("Code offen")
        print(f"{desk.id}\t{desk.municipality}\t{desk.first_period or '-'}\t{state}\t{desk.name}")
    return 0


def cmd_set_k(args: argparse.Namespace) -> int:
    _store(args).set_k(args.k)
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
    tmp.write_bytes(data)
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
    serve.set_defaults(func=cmd_serve)
    desk = sub.add_parser("desk").add_subparsers(dest="desk_command", required=True)
    add = desk.add_parser("add")
    add.add_argument("name")
    add.add_argument("--municipality", required=True)
    add.add_argument("--first-period")
    add.set_defaults(func=cmd_desk_add)
    desk_list = desk.add_parser("list")
    desk_list.set_defaults(func=cmd_desk_list)
    set_k = sub.add_parser("set-k")
    set_k.add_argument("k", type=int)
    set_k.set_defaults(func=cmd_set_k)
    report = sub.add_parser("report")
    report.add_argument("--period", required=True)
    report.add_argument("-o", "--output", required=True)
    report.set_defaults(func=cmd_report)
    from kim_desk.district import content

    for sub_parser in (serve, add, desk_list, set_k, report, *content.register(sub, data_dir)):
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


if __name__ == "__main__":
    sys.exit(main())
