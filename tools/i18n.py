"""The translation pipeline of KIM Desk: extract, update, compile, check.

    .venv/bin/python tools/i18n.py extract   # sources, .ui files, forms/ -> translations/kim_desk.pot
    .venv/bin/python tools/i18n.py update    # .pot -> translations/<lang>/LC_MESSAGES/kim_desk.po (creates missing)
    .venv/bin/python tools/i18n.py compile   # .po -> .mo beside it (not committed; setup and wheel build do it)
    .venv/bin/python tools/i18n.py check     # msgfmt --check, placeholders (also of fuzzy entries), glossary
    .venv/bin/python tools/i18n.py all       # extract, update, compile, check
    .venv/bin/python tools/i18n.py review-pack ps --out DIR     # spreadsheet, .po and glossary for a reviewer
    .venv/bin/python tools/i18n.py review-import ps FILE.po --reviewer "Name"   # take the corrections back

Languages are those of kim_desk.i18n.LANGUAGES except German, the source language.
A catalogue is reviewed once its header field X-Reviewed-By names the reviewer and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kim_desk.i18n import LANGUAGES, SOURCE_LANGUAGE  # noqa: E402
from kim_desk.i18n import glossary as i18n_glossary  # noqa: E402
from kim_desk.i18n import po as i18n_po  # noqa: E402 - after making the checkout importable
from kim_desk.i18n import review as i18n_review  # noqa: E402
from kim_desk.i18n.extract import extract_catalog  # noqa: E402

TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / i18n_po.TEMPLATE_NAME


def extract(_args: argparse.Namespace) -> int:
    catalog = extract_catalog(ROOT, ROOT / "babel.cfg")
    written = i18n_po.write_if_changed(TEMPLATE, i18n_po.po_text(catalog))
    count = sum(1 for _message in i18n_po.messages(catalog))
    print(f"{TEMPLATE.relative_to(ROOT)}: {count} messages{'' if written else ' (unchanged)'}")
    return 0


def update(_args: argparse.Namespace) -> int:
    if not TEMPLATE.exists():
        print(f"{TEMPLATE.relative_to(ROOT)} is missing: run `tools/i18n.py extract` first", file=sys.stderr)
        return 1
    template = i18n_po.read_catalogue(TEMPLATE)
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        path = i18n_po.po_path(TRANSLATIONS, lang)
        existed = path.exists()
        if i18n_po.update_catalogue(path, template, lang):
            print(f"{path.relative_to(ROOT)}: {'updated' if existed else 'created'}")
    return 0


def compile_(args: argparse.Namespace) -> int:
    for mo in i18n_po.compile_all(TRANSLATIONS, force=args.force):
        print(f"{mo.relative_to(ROOT)}: compiled")
    return 0


def check(args: argparse.Namespace) -> int:
    translations = Path(getattr(args, "translations", None) or TRANSLATIONS)
    msgfmt = shutil.which("msgfmt")
    failures = 0
    try:
        glossary = i18n_glossary.load_glossary(translations / i18n_glossary.GLOSSARY_NAME)
    except i18n_glossary.GlossaryError as exc:
        print(exc, file=sys.stderr)
        return 1
    for lang in i18n_po.catalogue_languages(translations):
        po = i18n_po.po_path(translations, lang)
        catalog = i18n_po.read_catalogue(po)
        problems = i18n_po.placeholder_problems(catalog)
        problems += i18n_glossary.fuzzy_placeholder_problems(catalog)
        problems += i18n_glossary.term_problems(glossary, lang, i18n_po.messages(catalog))
        if msgfmt:
            result = subprocess.run(  # noqa: S603 - a fixed tool on our own files
                [msgfmt, "--check", "--output-file=/dev/null", str(po)], capture_output=True, text=True, check=False
            )
            problems += [line for line in result.stderr.splitlines() if line.strip()]
        for problem in problems:
            print(f"{po.relative_to(translations.parent)}: {problem}")
        failures += bool(problems)
    if not msgfmt:
        print("msgfmt not found (Debian package gettext): only the placeholder check ran", file=sys.stderr)
    return 1 if failures else 0


def review_pack(args: argparse.Namespace) -> int:
    glossary = i18n_glossary.load_glossary(TRANSLATIONS / i18n_glossary.GLOSSARY_NAME)
    pack = i18n_review.write_review_pack(TRANSLATIONS, glossary, args.lang, Path(args.out))
    print(f"{pack.folder}: {pack.messages} messages, {pack.ods.name}, {pack.po.name}")
    return 0


def review_import(args: argparse.Namespace) -> int:
    glossary = i18n_glossary.load_glossary(TRANSLATIONS / i18n_glossary.GLOSSARY_NAME)
    try:
        count = i18n_review.import_review(
            TRANSLATIONS, glossary, args.lang, Path(args.file), args.reviewer, dt.date.today()
        )
    except i18n_review.ReviewError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        print("nothing changed", file=sys.stderr)
        return 1
    print(f"{args.lang}: {count} messages marked reviewed by {args.reviewer}")
    return 0


def run_all(args: argparse.Namespace) -> int:
    for step in (extract, update, compile_, check):
        if step(args):
            return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, handler, text in (
        ("extract", extract, "write translations/kim_desk.pot from the sources, ui/ and forms/"),
        ("update", update, "merge the .pot into every language's .po (creating missing ones)"),
        ("compile", compile_, "compile changed .po files into .mo"),
        ("check", check, "msgfmt --check, placeholders and glossary terms of every .po"),
        ("all", run_all, "extract, update, compile and check"),
    ):
        command = sub.add_parser(name, help=text)
        command.set_defaults(handler=handler)
        command.add_argument("--force", action="store_true", help="compile even unchanged catalogues")
        if name == "check":
            command.add_argument("--translations", help="check the catalogues in this folder (default: translations/)")
    pack = sub.add_parser("review-pack", help="write the review pack of one language")
    pack.add_argument("lang")
    pack.add_argument("--out", default="review-packs", help="folder for the pack (default: review-packs)")
    pack.set_defaults(handler=review_pack)
    back = sub.add_parser("review-import", help="take a reviewer's corrected .po back")
    back.add_argument("lang")
    back.add_argument("file")
    back.add_argument("--reviewer", required=True, help="name of the person who reviewed")
    back.set_defaults(handler=review_import)
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
