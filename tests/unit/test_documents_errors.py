"""Bad input: one clear message naming template and field, never a half-written file."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from kim_desk.catalog import FieldSpec
from kim_desk.documents import TemplateError, render
from kim_desk.errors import KnownError, UsageError
from kim_desk.resources import resource_dir
from tests.unit.documents_support import sample_data


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(resource_dir("forms") / "documents", folder)
    return folder


def _no_files_but(folder: Path, *names: str) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def test_unknown_placeholder_names_template_and_field(tmp_path: Path, templates: Path) -> None:
    path = templates / "checklist.toml"
    path.write_text(path.read_text("utf-8").replace("{application}", "{antrag}"), "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(TemplateError) as caught:
        render("checklist", sample_data(), "ar", out / "c.pdf", template_dir=templates)
    assert str(caught.value) == "Vorlage checklist.toml, Feld „intro“: unbekannter Platzhalter {antrag}"
    _no_files_but(out)


def test_missing_key_and_unknown_key_are_named(templates: Path) -> None:
    path = templates / "appointment.toml"
    text = path.read_text("utf-8")
    path.write_text(text.replace('title = "Ihr Termin"\n', ""), "utf-8")
    with pytest.raises(TemplateError, match=re.escape("Vorlage appointment.toml, Feld „title“: Pflichtfeld fehlt")):
        render("appointment", sample_data(), "de", templates / "x.pdf", template_dir=templates)
    path.write_text(text + 'farbe = "blau"\n', "utf-8")
    with pytest.raises(TemplateError, match=re.escape("Feld „farbe“: unbekanntes Feld")):
        render("appointment", sample_data(), "de", templates / "x.pdf", template_dir=templates)


def test_status_texts_must_cover_every_status(templates: Path) -> None:
    path = templates / "next_steps.toml"
    path.write_text(path.read_text("utf-8").replace('closed = "Der Antrag ist abgeschlossen."\n', ""), "utf-8")
    with pytest.raises(TemplateError, match=re.escape("Feld „status_texts.closed“")):
        render("next-steps", sample_data(), "de", templates / "x.pdf", template_dir=templates)


def test_broken_toml_is_a_known_error(templates: Path) -> None:
    (templates / "checklist.toml").write_text("title = [", "utf-8")
    with pytest.raises(TemplateError, match=re.escape("Vorlage checklist.toml")):
        render("checklist", sample_data(), "de", templates / "x.pdf", template_dir=templates)


def test_unknown_language_and_kind(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=re.escape("Unbekannte Sprache „xx“")):
        render("checklist", sample_data(), "xx", tmp_path / "c.pdf")
    with pytest.raises(UsageError, match=re.escape("Unbekannte Art von Dokument „letter“")):
        render("letter", sample_data(), "de", tmp_path / "c.pdf")
    assert list(tmp_path.iterdir()) == []


def test_unknown_field_source_names_the_field(tmp_path: Path) -> None:
    data = sample_data()
    assert data.case is not None
    kind = data.case.type._replace(fields=(FieldSpec("shoe_size", "Schuhgröße", source="client.shoe_size"),))
    broken = dataclasses.replace(data, case=dataclasses.replace(data.case, type=kind))
    with pytest.raises(KnownError, match=re.escape("Feld „shoe_size“: unbekannte Datenquelle „client.shoe_size“")):
        render("application-aid", broken, "de", tmp_path / "aid.pdf")
    assert list(tmp_path.iterdir()) == []


def test_existing_file_survives_a_failed_render(tmp_path: Path, templates: Path) -> None:
    target = tmp_path / "checklist.pdf"
    render("checklist", sample_data(), "de", target)
    before = target.read_bytes()
    (templates / "checklist.toml").write_text("kind = 'checklist'", "utf-8")
    with pytest.raises(TemplateError):
        render("checklist", sample_data(), "de", target, template_dir=templates)
    assert target.read_bytes() == before
    _no_files_but(tmp_path, "checklist.pdf", "templates")


def test_case_document_without_a_case(tmp_path: Path) -> None:
    data = dataclasses.replace(sample_data(), case=None)
    with pytest.raises(TemplateError, match=re.escape("braucht einen Antrag")):
        render("checklist", data, "de", tmp_path / "c.pdf")


def test_missing_names_still_print_with_the_gap_marked(tmp_path: Path) -> None:
    from tests.unit.documents_support import pdf_text

    data = sample_data(family_name="", given_names="", family_name_orig="", given_names_orig="")
    pdf = render("application-aid", data, "de", tmp_path / "aid.pdf")
    text = pdf_text(pdf)
    assert "Familienname [ Bitte ausfüllen ]" in text
    assert "Vorname(n) [ Bitte ausfüllen ]" in text
