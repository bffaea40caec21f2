"""`tools/i18n.py check` holds the catalogues to the glossary: the shipped ones pass, a term rendered
otherwise, a German term dropped from its brackets, a fuzzy entry with broken placeholders and a Dari
word in the Farsi catalogue each fail it."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kim_desk.i18n import po
from kim_desk.i18n.glossary import load_glossary

ROOT = Path(__file__).resolve().parents[2]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kim_i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def translations(tmp_path: Path) -> Path:
    folder = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", folder, ignore=shutil.ignore_patterns("*.mo"))
    return folder


def _change(folder: Path, lang: str, msgid: str, text: str, *, fuzzy: bool = False) -> None:
    path = po.po_path(folder, lang)
    catalog = po.read_catalogue(path)
    message = catalog.get(msgid)
    assert message is not None
    message.string = text
    if fuzzy:
        message.flags.add("fuzzy")
    path.write_text(po.po_text(catalog), "utf-8")


def _check(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = _tool().main(["check", "--translations", str(folder)])
    return code, capsys.readouterr().out


def test_shipped_catalogues_pass_the_check(translations: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _check(translations, capsys) == (0, "")


def test_term_rendered_differently_fails(translations: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _change(translations, "en", "Wohngeld", "Rent allowance (Wohngeld)")
    code, out = _check(translations, capsys)
    assert code == 1
    assert "en/LC_MESSAGES/kim_desk.po: 'Wohngeld': „Wohngeld“ soll als „housing benefit“ übersetzt sein" in out


def test_german_term_dropped_from_brackets_fails(translations: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _change(translations, "uk", "Termin beim Bürgerbüro vereinbaren.", "Запишіться до бюро обслуговування громадян.")
    code, out = _check(translations, capsys)
    assert code == 1
    assert "„Bürgerbüro“ soll auf Deutsch in Klammern stehen: „(Bürgerbüro)“" in out
    assert out.count("\n") == 1  # only that entry


def test_fuzzy_entry_with_wrong_placeholder_fails(translations: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _change(translations, "ps", "Gespeichert als {name}.", "سپارل شوی په {date}", fuzzy=True)
    code, out = _check(translations, capsys)
    assert code == 1
    assert "unscharfer Eintrag mit falschen Platzhaltern" in out and "ps/LC_MESSAGES" in out


def test_dari_word_in_the_farsi_catalogue_fails(translations: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _change(translations, "fa", "Schulbescheinigung oder Kita-Bescheinigung", "گواهی مکتب یا گواهی کودکستان (Kita)")
    code, out = _check(translations, capsys)
    assert code == 1 and "„مکتب“ gehört nicht in diesen Katalog" in out


def test_glossary_covers_the_terms_of_issue_21() -> None:
    glossary = load_glossary(ROOT / "translations" / "glossary.toml")
    terms = {term.de: term for term in glossary.terms}
    for de in (
        "Bürgergeld", "Wohngeld", "Kindergeld", "Kinderzuschlag", "Bedarfsgemeinschaft", "Haushaltsgemeinschaft",
        "Aufenthaltstitel", "Aufenthaltserlaubnis", "Bescheid", "Widerspruch", "Einspruch",
        "Weiterbewilligungsantrag", "Wohnungsgeberbestätigung", "Bürgerbüro", "Ausländerbehörde",
        "Rundfunkbeitrag", "Vorname",
    ):  # fmt: skip
        assert de in terms, de
    assert terms["Bedarfsgemeinschaft"].render["uk"] != terms["Haushaltsgemeinschaft"].render["uk"]
    assert terms["Bedarfsgemeinschaft"].render["ru"] != terms["Haushaltsgemeinschaft"].render["ru"]
    assert "farsi_dari" in glossary.decisions and "مکتب" in glossary.avoid["fa"]


def test_catalogues_say_what_issue_21_asked() -> None:
    def text(lang: str, msgid: str) -> str:
        message = po.read_catalogue(po.po_path(ROOT / "translations", lang)).get(msgid)
        assert message is not None and not message.fuzzy
        return str(message.string)

    assert text("en", "Wohnungsgeberbestätigung beim Vermieter holen.").count("(Wohnungsgeberbestätigung)") == 1
    assert "Спільне господарство" not in text("uk", "Bedarfsgemeinschaft")
    assert "Совместное хозяйство" not in text("ru", "Bedarfsgemeinschaft")
    assert text("ti", "Alle Vornamen wie im Pass.").startswith("ኩሎም ቀዳሞት ኣስማት")
    for lang in ("ps", "kmr", "ckb", "ti", "ro", "bg", "pl", "fr"):
        catalog = po.read_catalogue(po.po_path(ROOT / "translations", lang))
        assert not [m.id for m in po.messages(catalog) if m.fuzzy], lang
