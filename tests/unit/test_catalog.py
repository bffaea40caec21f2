"""The application catalogue: the shipped files load; broken files are reported with file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from kim_desk.catalog import load_catalog
from kim_desk.errors import CatalogError
from kim_desk.resources import resource_dir

GOOD = """
code = "test_antrag"
title = "Testantrag"
stand = 2026-07-01
summary = "Zum Testen."
[authority]
name = "Testbehörde"
[[documents]]
code = "pass"
label = "Reisepass"
[[steps]]
text = "Abgeben."
"""


def test_shipped_catalogue_has_the_district_types() -> None:
    catalog = load_catalog()
    assert len(catalog.types) >= 10
    for code in (
        "buergergeld_erstantrag",
        "buergergeld_weiterbewilligung",
        "kindergeld",
        "kinderzuschlag",
        "wohngeld",
        "aufenthaltstitel_verlaengerung",
        "einbuergerung",
        "integrationskurs",
        "bildung_teilhabe",
        "rundfunkbeitrag_befreiung",
        "wohnsitz_anmeldung",
    ):
        app_type = catalog.get(code)
        assert app_type.documents and app_type.steps and app_type.authority.name
        assert app_type.stand.year >= 2026
    assert catalog.get("kindergeld").document("geburtsurkunde").label == "Geburtsurkunde des Kindes"


def _load(tmp_path: Path, **files: str) -> CatalogError:
    for name, text in files.items():
        (tmp_path / f"{name}.toml").write_text(text, "utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path)
    return caught.value


def test_missing_and_unknown_fields_are_named(tmp_path: Path) -> None:
    error = _load(
        tmp_path,
        broken=GOOD.replace('title = "Testantrag"\n', "").replace('label = "Reisepass"', 'lable = "Reisepass"'),
    )
    text = str(error)
    assert "broken.toml: title: Pflichtfeld fehlt" in text
    assert "broken.toml: documents[0].lable: unbekanntes Feld" in text
    assert "broken.toml: documents[0].label: Pflichtfeld fehlt" in text


def test_wrong_types_sources_and_duplicates(tmp_path: Path) -> None:
    text = GOOD.replace("stand = 2026-07-01", 'stand = "Juli"') + (
        '[[fields]]\ncode = "x"\nlabel = "X"\nsource = "client.secret"\n'
        '[[documents]]\ncode = "pass"\nlabel = "Noch ein Pass"\n'
        '[[deadlines]]\ncode = "d"\nlabel = "D"\nanchor = "birthday"\nkind = "expected"\ndays = 3\n'
    )
    problems = _load(tmp_path, wrong=text).problems
    assert "wrong.toml: stand: falscher Typ, erwartet date" in problems
    assert any(p.startswith("wrong.toml: fields[0].source: unbekannte Datenquelle") for p in problems)
    assert any("Code „pass“ kommt mehrfach vor" in p for p in problems)
    assert any(p.startswith("wrong.toml: deadlines[0].anchor") for p in problems)


def test_syntax_error_and_duplicate_codes_across_files(tmp_path: Path) -> None:
    problems = _load(tmp_path, a=GOOD, b=GOOD, c="code = [unclosed").problems
    assert any(p.startswith("b.toml: code:") and "a.toml" in p for p in problems)
    assert any(p.startswith("c.toml:") for p in problems)


def test_forms_folder_is_found_by_the_resource_locator() -> None:
    assert (resource_dir("forms") / "applications" / "kindergeld.toml").is_file()
