"""The district picture as tables for people: a CSV for German spreadsheets, ODS and XLSX.

Same figures as the dashboard and the machine CSV (picture.csv_text), but with titles instead
of codes: one row per published non-zero cell, with its expected error.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from kim_desk.district import picture
from kim_desk.district.dashboard import quarter_title
from kim_desk.district.store import DistrictStore
from kim_desk.i18n import _, format_number
from kim_desk.stats.payload import TABLES
from kim_desk.stats.render import code_title

Row = tuple[str, str, str, str, str, int | None, float]


def header() -> list[str]:
    return [
        _("Quartal"),
        _("Tabelle"),
        _("Gemeinde"),
        _("Merkmal 1"),
        _("Merkmal 2"),
        _("Anzahl"),
        _("Erwarteter Fehler (±)"),
    ]


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
    writer.writerow(header())
    for *text, value, error in rows(store, periods):
        shown = suppressed_text() if value is None else str(value)
        writer.writerow([*text, shown, format_number(round(error, 1), "de")])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _sheet_rows(store: DistrictStore, periods: list[str]) -> list[list[Any]]:
    table: list[list[Any]] = [header()]
    for *text, value, error in rows(store, periods):
        table.append([*text, suppressed_text() if value is None else value, round(error, 1)])
    return table


def ods(store: DistrictStore, periods: list[str]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    sheet = Table(name=_("Lagebild"))
    for line in _sheet_rows(store, periods):
        row = TableRow()
        for value in line:
            if isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=format_number(value, "de")))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            row.addElement(cell)
        sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    out = io.BytesIO()
    document.write(out)
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
