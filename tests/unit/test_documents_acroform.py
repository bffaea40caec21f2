"""Official fillable PDFs are filled from the same field map as the application aid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from kim_desk.documents import TemplateError
from kim_desk.documents.acroform import fill
from tests.unit.documents_support import qpdf_check, sample_data


def _official_form(path: Path, names: list[str]) -> Path:
    canvas = Canvas(str(path))
    for index, name in enumerate(names):
        canvas.drawString(50, 780 - index * 40, name)
        canvas.acroForm.textfield(name=name, x=200, y=770 - index * 40, width=250, height=20)
    canvas.save()
    return path


def _values(path: Path) -> dict[str, str | None]:
    fields = PdfReader(path).get_fields() or {}
    return {name: field.get("/V") for name, field in fields.items()}


def test_fields_with_the_catalogue_codes_are_filled(tmp_path: Path) -> None:
    form = _official_form(tmp_path / "wohngeld.pdf", ["name", "vorname", "geburtsdatum", "miete", "unbekannt"])
    data = sample_data()
    assert data.case is not None
    out = fill(data.case.type, data, tmp_path / "filled.pdf", form)
    qpdf_check(out)
    values = _values(out)
    assert values["name"] == "Karimi"
    assert values["vorname"] == "Ahmad"
    assert values["geburtsdatum"] == "17.05.1990"
    assert values["miete"] in (None, "")  # not known to the desk: left for the client
    assert values["unbekannt"] in (None, "")


def test_a_map_file_renames_fields(tmp_path: Path) -> None:
    form = _official_form(tmp_path / "amtlich.pdf", ["Feld_1", "Feld_2"])
    (tmp_path / "amtlich.toml").write_text('[fields]\nFeld_1 = "name"\nFeld_2 = "anschrift"\n', "utf-8")
    data = sample_data()
    assert data.case is not None
    values = _values(fill(data.case.type, data, tmp_path / "filled.pdf", form))
    assert values == {"Feld_1": "Karimi", "Feld_2": "Oststraße 12, 59227 Ahlen"}  # a complete address


def test_a_map_naming_a_missing_pdf_field_is_refused(tmp_path: Path) -> None:
    form = _official_form(tmp_path / "amtlich.pdf", ["Feld_1"])
    (tmp_path / "amtlich.toml").write_text('[fields]\nFeld_9 = "name"\n', "utf-8")
    data = sample_data()
    assert data.case is not None
    with pytest.raises(
        TemplateError, match=re.escape("Vorlage amtlich.toml, Feld „Feld_9“: dieses Feld gibt es im PDF nicht")
    ):
        fill(data.case.type, data, tmp_path / "filled.pdf", form)
    (tmp_path / "amtlich.toml").write_text('[fields]\nFeld_1 = "schuhgroesse"\n', "utf-8")
    with pytest.raises(TemplateError, match=re.escape("unbekannter Feldcode „schuhgroesse“")):
        fill(data.case.type, data, tmp_path / "filled.pdf", form)
    assert not (tmp_path / "filled.pdf").exists()


def test_a_type_without_official_form(tmp_path: Path) -> None:
    data = sample_data()
    assert data.case is not None
    kind = data.case.type._replace(acroform="")
    with pytest.raises(TemplateError, match=re.escape("kein amtliches Formular")):
        fill(kind, data, tmp_path / "x.pdf")
