"""Shared helpers of the document tests: sample data, a planted catalogue, PDF text."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from kim_desk.catalog import load_catalog
from kim_desk.documents.model import (
    AppointmentView,
    CaseView,
    ChecklistLine,
    ClientView,
    DeskInfo,
    DocumentData,
    MediatorView,
    ReferralView,
)
from kim_desk.paths import DataPaths
from kim_desk.services import load_services

BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Translations planted for the tests (not the product's catalogues, which are written elsewhere).
PLANTED = {
    "uk": {
        "Mietvertrag": "Договір оренди",
        "Ausweis oder Pass": "Посвідчення особи або паспорт",
        "Aufenthaltstitel": "Дозвіл на проживання",
        "Mietbescheinigung, vom Vermieter ausgefüllt": "Довідка про оренду від орендодавця",
        "Einkommensnachweise aller Haushaltsmitglieder der letzten zwölf Monate": "Довідки про доходи за рік",
        "Kontoauszüge der letzten drei Monate": "Банківські виписки за три місяці",
        "Stand am {date}: {status}": "Стан на {date}: {status}",
        "Übersetzung noch nicht geprüft": "Переклад ще не перевірено",
    },
    "ar": {
        "Mietvertrag": "عقد الإيجار",
        "Ausweis oder Pass": "بطاقة الهوية أو جواز السفر",
        "Aufenthaltstitel": "تصريح الإقامة",
        "Mietbescheinigung, vom Vermieter ausgefüllt": "شهادة الإيجار من المؤجر",
        "Einkommensnachweise aller Haushaltsmitglieder der letzten zwölf Monate": "إثباتات الدخل",
        "Kontoauszüge der letzten drei Monate": "كشوف الحساب",
        "Stand am {date}: {status}": "الوضع بتاريخ {date}: {status}",
        "Übersetzung noch nicht geprüft": "الترجمة لم تُراجع بعد",
    },
    "fa": {"Mietvertrag": "قرارداد اجاره", "Ausweis oder Pass": "کارت شناسایی یا پاسپورت"},
    "ps": {"Mietvertrag": "د کرایې تړون", "Ausweis oder Pass": "پېژندپاڼه یا پاسپورټ"},
    "ckb": {"Mietvertrag": "گرێبەستی کرێ", "Ausweis oder Pass": "ناسنامە یان پاسپۆرت"},
    "ti": {"Mietvertrag": "ውዕል ክራይ", "Ausweis oder Pass": "መንነት ወረቐት ወይ ፓስፖርት"},
    "ru": {"Mietvertrag": "Договор аренды"},
}


def planted_catalogue(tmp: Path, lang: str, *, reviewed: bool = False) -> Translations:
    """Compile a small .mo file the way the real catalogues are, and load it."""
    catalog = Catalog(locale=lang, domain="kim_desk")
    catalog.mime_headers  # noqa: B018 - builds the default header
    for source, text in PLANTED.get(lang, {}).items():
        catalog.add(source, text)
    folder = tmp / "translations" / lang / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kim_desk.mo"
    with path.open("wb") as handle:
        write_mo(handle, catalog)
    translations = Translations.load(str(tmp / "translations"), [lang], "kim_desk")
    translations._info["x-reviewed"] = "yes" if reviewed else "no"
    return translations


def sample_data(**client_changes: object) -> DocumentData:
    wohngeld = load_catalog().types["wohngeld"]
    values: dict[str, object] = {
        "family_name": "Karimi",
        "given_names": "Ahmad",
        "family_name_orig": "کریمی",
        "given_names_orig": "احمد",
        "birth_date": dt.date(1990, 5, 17),
        "street": "Oststraße 12",
        "postcode": "59227",
        "city": "Ahlen",
        "phone": "0176 1234567",
    }
    values.update(client_changes)
    client = ClientView(**values)  # type: ignore[arg-type]
    checklist = tuple(
        ChecklistLine(doc.label, "present" if i == 0 else "missing", doc.hint, doc.required)
        for i, doc in enumerate(wohngeld.documents)
    )
    case = CaseView(
        id=7,
        type=wohngeld,
        status="collecting",
        opened_on=dt.date(2026, 3, 1),
        deadline=dt.date(2026, 4, 15),
        deadline_label=wohngeld.deadlines[0].label,
        authority_ref="WG-2026/0815",
        checklist=checklist,
    )
    slot = AppointmentView(
        dt.datetime(2026, 3, 12, 10, 30), 45, "Caritas Ahlen, Südstraße 41", "Frau Müller", "Wohngeld"
    )
    referral = ReferralView(42, load_services()["integrationskurs"], dt.date(2026, 3, 4))
    return DocumentData(
        client, dt.date(2026, 3, 5), DeskInfo("Caritas Ahlen", "Frau Müller", "02382 8934-12"), case, slot,
        referral=referral, mediator=MediatorView(5, "ar", dt.date(2026, 3, 5)),
    )  # fmt: skip


def pdf_text(path: Path) -> str:
    """The text a reader gets out of the PDF, bidi marks removed and spaces normalised."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(BIDI_MARKS.sub("", out.stdout).split())


def qpdf_check(path: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(path)], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def run_print(argv: list[str], paths: DataPaths) -> int:
    """The `print` sub-command as kim_desk.commands registers it (parsed and run without the rest of the CLI)."""
    from kim_desk.commands.printing import register

    parser = argparse.ArgumentParser(prog="kim-desk")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.handler(args, paths))
