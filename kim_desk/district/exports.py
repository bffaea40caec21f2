"""The district picture as tables for people: a CSV for German spreadsheets, ODS and XLSX.

Same figures as the dashboard and the machine CSV (picture.csv_text), but with titles instead
of codes: one row per published non-zero cell, with its expected error.
"""

from __future__ import annotations

import csv
import io
import zipfile
from html import escape
from typing import Any

from kim_desk.district import picture
from kim_desk.district.dashboard import quarter_title
from kim_desk.district.store import DistrictStore
from kim_desk.i18n import _, format_number
from kim_desk.stats.payload import TABLES
from kim_desk.stats.render import code_title

Row = tuple[str, str, str, str, str, int | None, float]


def rows(store: DistrictStore, periods: list[str]) -> list[Row]:
    """Every non-zero figure with titles; "insgesamt" where a dimension is summed over."""
    out: list[Row] = []
    for period in periods:
        for (name, key), figure in sorted(picture.picture(store, period).items()):
            if figure.value == 0:
                continue
            dims = TABLES[name].dims
            titles = [code_title(dim, code) for dim, code in zip(dims, key, strict=True)]
            rest = [*titles[1:], "", ""][:2]
            out.append(
                (quarter_title(period), _(TABLES[name].title), titles[0], rest[0], rest[1], figure.value, figure.error)
            )
    return out


def suppressed_text() -> str:
    return _("gesperrt")


def csv_german(store: DistrictStore, periods: list[str]) -> bytes:
    """Semicolons, decimal commas and a UTF-8 byte order mark: opens in columns in German spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(picture.header())
    for *text, value, error in rows(store, periods):
        shown = suppressed_text() if value is None else str(value)
        writer.writerow([*text, shown, format_number(round(error, 1), "de")])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _sheet_rows(store: DistrictStore, periods: list[str]) -> list[list[Any]]:
    table: list[list[Any]] = [picture.header()]
    for *text, value, error in rows(store, periods):
        table.append([*text, suppressed_text() if value is None else value, round(error, 1)])
    return table


_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"'
)


def _ods_cell(value: Any) -> str:
    if isinstance(value, (int, float)):
        shown = escape(format_number(value, "de"))
        kind = f'office:value-type="float" office:value="{value}"'
        return f"<table:table-cell {kind}><text:p>{shown}</text:p></table:table-cell>"
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def ods(store: DistrictStore, periods: list[str]) -> bytes:
    """An OpenDocument spreadsheet (ODF 1.2): numbers as numbers, one sheet, first row the header."""
    body = "".join(
        "<table:table-row>" + "".join(_ods_cell(v) for v in line) + "</table:table-row>"
        for line in _sheet_rows(store, periods)
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NAMESPACES}>'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(_("Lagebild"))}">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # The mimetype comes first and uncompressed, so programs recognise the file by its first bytes.
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def xlsx(store: DistrictStore, periods: list[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Lagebild")
    for line in _sheet_rows(store, periods):
        sheet.append(line)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
