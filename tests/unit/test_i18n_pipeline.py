"""The catalogue pipeline on a small tree: extraction, update, compile, status, review state."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.support import Translations

from kim_desk.i18n.extract import extract_catalog
from kim_desk.i18n.po import (
    REVIEWED_BY,
    TEMPLATE_NAME,
    compile_all,
    compile_catalogue,
    mo_path,
    placeholder_problems,
    po_path,
    po_text,
    read_catalogue,
    update_catalogue,
    write_if_changed,
)
from kim_desk.i18n.status import catalogue_status, is_reviewed

ROOT = Path(__file__).resolve().parents[2]

PYTHON = """
from kim_desk.i18n import N_, _, ngettext, pgettext

TITLE = N_("Heute im Büro")


def greet(name: str, n: int) -> str:
    # TRANSLATORS: greeting on the start page
    first = _("Guten Tag, {name}").format(name=name)
    return first + ngettext("ein Termin", "{n} Termine", n).format(n=n) + pgettext("Menü", "Datei")
"""

UI = """<?xml version="1.0" encoding="UTF-8"?>
<ui version="4.0">
 <class>TodayPage</class>
 <widget class="QWidget" name="TodayPage">
  <property name="windowTitle">
   <string>Termine heute</string>
  </property>
  <widget class="QLabel" name="versionLabel">
   <property name="text">
    <string notr="true">v1.0</string>
   </property>
  </widget>
  <widget class="QPushButton" name="newButton">
   <property name="text">
    <string extracomment="Knopf oben rechts">Neuer Termin</string>
   </property>
  </widget>
 </widget>
</ui>
"""

APPLICATION = """code = "wohngeld"
title = "Wohngeld"
stand = 2026-07-01
summary = "Zuschuss zur Miete."
legal_basis = "Wohngeldgesetz (WoGG)"

[authority]
name = "Wohngeldstelle der Stadt"
address = "Rathaus des Wohnorts"
phone = "02581 530"

[[documents]]
code = "mietvertrag"
label = "Mietvertrag"
hint = "Alle Seiten."

[[steps]]
text = "Antrag abgeben."

[[deadlines]]
code = "objection"
label = "Widerspruchsfrist endet"
after = "decided"
days = 30

[[fields]]
code = "name"
label = "Familienname"
source = "client.family_name"
explain = "Wie im Pass."
section = "Antragstellende Person"
"""

TEMPLATE = """kind = "checklist"
title = "Checkliste: {application}"

[status_texts]
planned = "Der Antrag ist geplant."
"""


def _tree(root: Path) -> Path:
    (root / "kim_desk").mkdir(parents=True)
    (root / "kim_desk" / "today.py").write_text(PYTHON, "utf-8")
    (root / "ui").mkdir()
    (root / "ui" / "today.ui").write_text(UI, "utf-8")
    (root / "forms" / "applications").mkdir(parents=True)
    (root / "forms" / "applications" / "wohngeld.toml").write_text(APPLICATION, "utf-8")
    (root / "forms" / "documents").mkdir(parents=True)
    (root / "forms" / "documents" / "checklist.toml").write_text(TEMPLATE, "utf-8")
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    return root


def _by_id(root: Path) -> dict[object, object]:
    catalog = extract_catalog(root, root / "babel.cfg")
    return {message.id: message for message in catalog if message.id}


def test_extraction_finds_python_ui_and_forms_strings(tmp_path: Path) -> None:
    found = _by_id(_tree(tmp_path))

    assert found["Guten Tag, {name}"].locations == [("kim_desk/today.py", 9)]  # type: ignore[attr-defined]
    assert found["Guten Tag, {name}"].auto_comments == ["greeting on the start page"]  # type: ignore[attr-defined]
    assert "python-brace-format" in found["Guten Tag, {name}"].flags  # type: ignore[attr-defined]
    assert ("ein Termin", "{n} Termine") in found
    assert "Heute im Büro" in found
    assert found["Datei"].context == "Menü"  # type: ignore[attr-defined]

    assert found["Termine heute"].locations == [("ui/today.ui", 6)]  # type: ignore[attr-defined]
    assert found["Termine heute"].auto_comments == ["TodayPage.windowTitle"]  # type: ignore[attr-defined]
    assert found["Neuer Termin"].auto_comments == ["newButton.text", "Knopf oben rechts"]  # type: ignore[attr-defined]
    assert "v1.0" not in found  # notr="true"

    label = found["Mietvertrag"]
    assert label.locations == [("forms/applications/wohngeld.toml", 14)]  # type: ignore[attr-defined]
    assert label.auto_comments == ["applications/wohngeld.toml: documents[0].label"]  # type: ignore[attr-defined]
    for text in ("Wohngeld", "Zuschuss zur Miete.", "Wohngeldstelle der Stadt", "Alle Seiten.", "Antrag abgeben."):
        assert text in found
    for text in ("Widerspruchsfrist endet", "Familienname", "Wie im Pass.", "Antragstellende Person"):
        assert text in found
    # codes, addresses, phone numbers and legal citations are not text for translators
    for text in ("wohngeld", "mietvertrag", "Rathaus des Wohnorts", "02581 530", "Wohngeldgesetz (WoGG)", "decided"):
        assert text not in found

    assert "Checkliste: {application}" in found
    assert found["Der Antrag ist geplant."].auto_comments == [  # type: ignore[attr-defined]
        "documents/checklist.toml: status_texts.planned"
    ]
    assert "checklist" not in found


def _pipeline(tmp_path: Path) -> Path:
    root = _tree(tmp_path / "src")
    translations = tmp_path / "translations"
    template = extract_catalog(root, root / "babel.cfg")
    write_if_changed(translations / TEMPLATE_NAME, po_text(template))
    update_catalogue(po_path(translations, "en"), read_catalogue(translations / TEMPLATE_NAME), "en")
    return translations


def _translate(path: Path, texts: dict[object, object], reviewer: str = "") -> None:
    catalog = read_catalogue(path)
    for message in catalog:
        if message.id in texts:
            message.string = texts[message.id]
    catalog.extra_headers[REVIEWED_BY] = reviewer
    path.write_text(po_text(catalog), "utf-8")


def test_new_catalogue_is_untranslated_and_not_reviewed(tmp_path: Path) -> None:
    translations = _pipeline(tmp_path)
    po = po_path(translations, "en")

    assert po.exists()
    assert '"X-Reviewed-By: \\n"' in po.read_text("utf-8")
    assert not is_reviewed("en", translations)
    english = next(row for row in catalogue_status(translations) if row.code == "en")
    # UI: 4 Python messages and 2 from the .ui file; content: 10 from the application, 2 from the template
    assert (english.ui_total, english.ui_translated, english.content_total, english.content_translated) == (6, 0, 12, 0)
    assert english.reviewed is False
    arabic = next(row for row in catalogue_status(translations) if row.code == "ar")
    assert (arabic.ui_translated, arabic.content_translated, arabic.reviewed) == (0, 0, False)


def test_translations_compile_load_and_count(tmp_path: Path) -> None:
    translations = _pipeline(tmp_path)
    po = po_path(translations, "en")
    _translate(
        po,
        {
            "Guten Tag, {name}": "Good day, {name}",
            ("ein Termin", "{n} Termine"): ("one appointment", "{n} appointments"),
            "Mietvertrag": "Tenancy agreement (Mietvertrag)",
        },
        reviewer="Jana Beispiel, 2026-12-01",
    )
    catalog = read_catalogue(po)
    catalog.get("Neuer Termin").string = "New appointment"
    catalog.get("Neuer Termin").flags.add("fuzzy")  # a guess does not count and is not compiled
    po.write_text(po_text(catalog), "utf-8")

    assert compile_all(translations) == [mo_path(translations, "en")]
    assert compile_all(translations) == []  # nothing changed: nothing compiled
    loaded = Translations.load(str(translations), ["en"], "kim_desk")
    assert loaded.gettext("Guten Tag, {name}").format(name="Ada") == "Good day, Ada"
    assert loaded.ngettext("ein Termin", "{n} Termine", 3).format(n=3) == "3 appointments"
    assert loaded.gettext("Neuer Termin") == "Neuer Termin"
    assert loaded.info()["x-reviewed"] == "yes"

    english = next(row for row in catalogue_status(translations) if row.code == "en")
    assert (english.ui_translated, english.content_translated, english.reviewed) == (2, 1, True)
    assert is_reviewed("en", translations)


def test_update_keeps_translations_and_review_state(tmp_path: Path) -> None:
    translations = _pipeline(tmp_path)
    po = po_path(translations, "en")
    _translate(po, {"Mietvertrag": "Tenancy agreement"}, reviewer="Jana Beispiel, 2026-12-01")
    source = tmp_path / "src" / "kim_desk" / "today.py"
    source.write_text(source.read_text("utf-8") + '\nLATER = N_("Neu hinzugekommen")\n', "utf-8")
    template = extract_catalog(tmp_path / "src", tmp_path / "src" / "babel.cfg")

    assert update_catalogue(po, template, "en")
    catalog = read_catalogue(po)
    assert catalog.get("Mietvertrag").string == "Tenancy agreement"
    assert catalog.get("Neu hinzugekommen").string == ""
    assert catalog.header(REVIEWED_BY) == "Jana Beispiel, 2026-12-01"
    assert not update_catalogue(po, template, "en")  # unchanged: the file is left alone


def test_compile_is_forced_when_asked(tmp_path: Path) -> None:
    translations = _pipeline(tmp_path)
    po = po_path(translations, "en")
    assert compile_catalogue(po)
    assert not compile_catalogue(po)
    assert compile_catalogue(po, force=True)


def test_placeholder_check_names_the_wrong_translation(tmp_path: Path) -> None:
    translations = _pipeline(tmp_path)
    po = po_path(translations, "en")
    _translate(
        po,
        {
            "Guten Tag, {name}": "Good day, {nom}",
            ("ein Termin", "{n} Termine"): ("one appointment", "appointments"),
            "Checkliste: {application}": "Checklist: {application}",
        },
    )
    problems = placeholder_problems(read_catalogue(po))
    assert len(problems) == 2
    assert "Good day, {nom}" in problems[0]
    assert "appointments" in problems[1]


def test_self_test_reports_a_complete_language_without_compiled_catalogue(tmp_path: Path) -> None:
    from kim_desk.commands.selftest_i18n import check_catalogues_load
    from kim_desk.i18n.status import COMPLETE_UI

    shipped = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", shipped, ignore=shutil.ignore_patterns("*.mo"))
    compile_all(shipped)
    check_catalogues_load(tmp_path, shipped)  # every complete language loads and translates

    lang = COMPLETE_UI[0]
    mo_path(shipped, lang).unlink()
    with pytest.raises(AssertionError, match=f"{lang}: no compiled catalogue"):
        check_catalogues_load(tmp_path, shipped)
