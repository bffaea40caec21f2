"""Fill an official fillable PDF (AcroForm) from the application type's field map.

The district drops the authority's PDF into forms/official/ and names it in the catalogue
(`acroform = "wohngeld.pdf"`). Its fields are matched to the catalogue's field codes: by
equal name, or through forms/official/<name>.toml with a table `[fields]` of
"PDF field name" = "field code". Values are written as they go on a German form.
"""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from kim_desk.catalog import ApplicationType
from kim_desk.documents.fields import FIELD_MISSING, field_value, german_value
from kim_desk.documents.model import DocumentData
from kim_desk.documents.templates import TemplateError
from kim_desk.fileutil import write_atomic
from kim_desk.i18n import _
from kim_desk.resources import resource_dir


def official_dir() -> Path:
    return resource_dir("forms") / "official"


def _field_map(pdf_path: Path, pdf_fields: set[str], kind: ApplicationType) -> dict[str, str]:
    codes = {spec.code for spec in kind.fields}
    map_path = pdf_path.with_suffix(".toml")
    if not map_path.exists():
        return {name: name for name in pdf_fields if name in codes}
    try:
        data = tomllib.loads(map_path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(map_path.name, "", _("nicht lesbar ({reason})").format(reason=exc)) from None
    table = data.get("fields")
    if not isinstance(table, dict):
        raise TemplateError(map_path.name, "fields", _("Pflichtfeld fehlt"))
    mapping: dict[str, str] = {}
    for pdf_name, code in table.items():
        if pdf_name not in pdf_fields:
            raise TemplateError(map_path.name, pdf_name, _("dieses Feld gibt es im PDF nicht"))
        if code not in codes:
            raise TemplateError(map_path.name, pdf_name, _("unbekannter Feldcode „{code}“").format(code=code))
        mapping[pdf_name] = code
    return mapping


def fill_bytes(kind: ApplicationType, data: DocumentData, pdf_path: Path | None = None) -> bytes:
    """The official PDF with every field the desk knows filled in."""
    if pdf_path is None:
        if not kind.acroform:
            raise TemplateError(kind.source_file or kind.code, "acroform", _("kein amtliches Formular hinterlegt"))
        pdf_path = official_dir() / kind.acroform
    try:
        reader = PdfReader(pdf_path)
        pdf_fields = set((reader.get_fields() or {}).keys())
    except (OSError, PdfReadError) as exc:
        raise TemplateError(pdf_path.name, "", _("nicht lesbar ({reason})").format(reason=exc)) from None
    if not pdf_fields:
        raise TemplateError(pdf_path.name, "", _("das PDF hat keine ausfüllbaren Felder"))
    specs = {spec.code: spec for spec in kind.fields}
    values: dict[str, str] = {}
    for pdf_name, code in _field_map(pdf_path, pdf_fields, kind).items():
        value = field_value(specs[code], data, kind.source_file or kind.code)
        if value is not FIELD_MISSING:
            values[pdf_name] = german_value(value)
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.set_need_appearances_writer(True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fill(kind: ApplicationType, data: DocumentData, out_path: Path, pdf_path: Path | None = None) -> Path:
    write_atomic(Path(out_path), fill_bytes(kind, data, pdf_path))
    return Path(out_path)
