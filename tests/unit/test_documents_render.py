"""The four kinds of handout, as a reader of the PDF sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kim_desk.documents import KINDS, render
from tests.unit.documents_support import PLANTED, pdf_text, planted_catalogue, qpdf_check, sample_data


@pytest.mark.parametrize("lang", ["uk", "ar"])
def test_checklist_has_name_and_every_item_in_both_languages(tmp_path: Path, lang: str) -> None:
    data = sample_data()
    pdf = render("checklist", data, lang, tmp_path / "checklist.pdf", catalogue=planted_catalogue(tmp_path, lang))
    qpdf_check(pdf)
    text = pdf_text(pdf)
    assert "Ahmad Karimi" in text
    assert "احمد کریمی" in text  # the name in its original script
    assert data.case is not None
    for line in data.case.checklist:
        assert line.label in text
        assert PLANTED[lang][line.label] in text


def test_next_steps_shows_dates_in_each_locale(tmp_path: Path) -> None:
    pdf = render("next-steps", sample_data(), "uk", tmp_path / "n.pdf", catalogue=planted_catalogue(tmp_path, "uk"))
    qpdf_check(pdf)
    text = pdf_text(pdf)
    assert "Stand am 5. März 2026: Unterlagen werden gesammelt" in text
    assert "Стан на 5 березня 2026 р.:" in text
    assert "15. April 2026 (Mittwoch)" in text  # the deadline with its weekday
    assert "WG-2026/0815" in text


def test_appointment_slip_in_arabic_has_weekday_date_and_time(tmp_path: Path) -> None:
    pdf = render("appointment", sample_data(), "ar", tmp_path / "a.pdf", catalogue=planted_catalogue(tmp_path, "ar"))
    qpdf_check(pdf)
    text = pdf_text(pdf)
    assert "Donnerstag, 12. März 2026, 10:30 Uhr" in text
    assert "Caritas Ahlen, Südstraße 41" in text


def test_application_aid_prefills_and_marks_gaps(tmp_path: Path) -> None:
    data = sample_data(birth_date=None)
    pdf = render("application-aid", data, "de", tmp_path / "aid.pdf")
    text = pdf_text(pdf)
    assert "Familienname Karimi" in text
    assert "Vorname(n) Ahmad" in text
    assert "Geburtsdatum [ Bitte ausfüllen ]" in text  # the birth date is not known
    assert "Monatliche Miete ohne Heizkosten [ Bitte ausfüllen ]" in text
    assert "Steht in der Mietbescheinigung des Vermieters." in text  # the field's explanation


def test_unreviewed_translation_is_marked_in_both_languages(tmp_path: Path) -> None:
    unreviewed = render(
        "checklist", sample_data(), "uk", tmp_path / "u.pdf", catalogue=planted_catalogue(tmp_path, "uk")
    )
    text = pdf_text(unreviewed)
    assert "Übersetzung noch nicht geprüft" in text
    assert "Переклад ще не перевірено" in text
    reviewed_catalogue = planted_catalogue(tmp_path, "uk", reviewed=True)
    reviewed = render("checklist", sample_data(), "uk", tmp_path / "r.pdf", catalogue=reviewed_catalogue)
    assert "Übersetzung noch nicht geprüft" not in pdf_text(reviewed)
    german = render("checklist", sample_data(), "de", tmp_path / "de.pdf")
    assert "Übersetzung noch nicht geprüft" not in pdf_text(german)


def test_text_without_translation_stands_in_german_with_a_dagger(tmp_path: Path) -> None:
    pdf = render("checklist", sample_data(), "uk", tmp_path / "c.pdf", catalogue=planted_catalogue(tmp_path, "uk"))
    text = pdf_text(pdf)
    assert "† Bitte noch mitbringen" in text
    assert "† noch nicht übersetzt, hier auf Deutsch" in text
    assert "† Договір оренди" not in text


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("lang", ["de", "ar", "fa", "uk", "ti"])
def test_every_kind_in_every_script_passes_qpdf(tmp_path: Path, kind: str, lang: str) -> None:
    catalogue = planted_catalogue(tmp_path, lang) if lang != "de" else None
    pdf = render(kind, sample_data(), lang, tmp_path / f"{kind}.pdf", catalogue=catalogue)
    qpdf_check(pdf)
    named = kind != "mediator-request"  # the interpreter pool's sheet names nobody
    assert ("Ahmad Karimi" in pdf_text(pdf)) is named


def test_fonts_are_embedded_as_subsets(tmp_path: Path) -> None:
    pdf = render("checklist", sample_data(), "ar", tmp_path / "c.pdf", catalogue=planted_catalogue(tmp_path, "ar"))
    import subprocess

    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    for row in rows:
        name, *_rest = row.split()
        assert "+" in name, row  # subset prefix
        assert " yes yes " in row, row  # embedded, subset
    assert pdf.stat().st_size < 120_000  # subsets, not whole fonts
