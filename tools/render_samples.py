"""Render every kind of handout in Arabic, Farsi, Pashto, Sorani, Tigrinya and Ukrainian as PNGs.

    .venv/bin/python tools/render_samples.py [--sample-translations] [--out renderings] [--lang ar ...]

Writes renderings/<kind>-<lang>.pdf and one PNG per page (pdftoppm, 80 dpi) for looking
at them. Uses the installed catalogues; --sample-translations uses the few sample texts in
tools/sample_translations.py instead, to judge scripts before the catalogues are written.
The data is synthetic. renderings/ is ignored by git.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kim_desk.catalog import load_catalog  # noqa: E402
from kim_desk.documents import KINDS, render  # noqa: E402
from kim_desk.documents.model import (  # noqa: E402
    AppointmentView,
    CaseView,
    ChecklistLine,
    ClientView,
    DeskInfo,
    DocumentData,
)
from kim_desk.documents.wording import DictCatalogue  # noqa: E402

LANGUAGES = ("ar", "fa", "ps", "ckb", "ti", "uk")


def sample_data() -> DocumentData:
    wohngeld = load_catalog().types["wohngeld"]
    client = ClientView(
        family_name="Karimi-Großherzogenbusch",
        given_names="Ahmad",
        family_name_orig="کریمی",
        given_names_orig="احمد",
        birth_date=dt.date(1990, 5, 17),
        street="Oststraße 12",
        postcode="59227",
        city="Ahlen",
        phone="0176 1234567",
        email="ahmad.karimi@example.de",
        nationality="AF",
        household_size=4,
        children=("Lina Karimi (03.04.2019)", "Omid Karimi (11.09.2021)"),
    )
    checklist = tuple(
        ChecklistLine(doc.label, "present" if i % 3 == 0 else "missing", doc.hint, doc.required)
        for i, doc in enumerate(wohngeld.documents)
    )
    case = CaseView(
        id=7,
        type=wohngeld,
        status="collecting",
        opened_on=dt.date(2026, 3, 1),
        deadline=dt.date(2026, 4, 15),
        deadline_label=wohngeld.deadlines[0].label,
        authority_ref="FK-2026/0815 (A)",
        next_steps="Mietbescheinigung bis Ende März vom Vermieter holen.",
        checklist=checklist,
    )
    slot = AppointmentView(
        dt.datetime(2026, 3, 12, 14, 5),
        45,
        "Caritas Ahlen, Südstraße 41, 59227 Ahlen",
        "Frau Müller",
        "Wohngeld",
        uid="appointment-41@kim-desk",
    )
    desk = DeskInfo("Caritas Ahlen – Migrationsberatung", "Frau Müller", "02382 8934-12", "Mo–Do 9–12 Uhr")
    return DocumentData(client, dt.date(2026, 3, 5), desk, case, slot, created=dt.datetime(2026, 3, 5, 9, 15))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "renderings")
    parser.add_argument("--sample-translations", action="store_true")
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument("--lang", nargs="*", default=list(LANGUAGES))
    args = parser.parse_args()
    data = sample_data()
    args.out.mkdir(parents=True, exist_ok=True)
    samples: dict[str, dict[str, str]] = {}
    if args.sample_translations:
        from sample_translations import SAMPLES

        samples = SAMPLES
    for lang in args.lang:
        catalogue = DictCatalogue(samples[lang]) if lang in samples else None
        for kind in KINDS:
            pdf = render(kind, data, lang, args.out / f"{kind}-{lang}.pdf", catalogue=catalogue)
            subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", str(pdf), str(pdf.with_suffix(""))], check=True)  # noqa: S603, S607
            print(pdf)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
