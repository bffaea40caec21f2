"""The statistics page shows exactly what `kim_desk.stats` would send for the demo desk."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from kim_desk.stats.payload import TABLES
from kim_desk.stats.periods import Quarter
from kim_desk.stats.render import describe, figure
from kim_desk.sync.service import preview


def model_rows(model) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [
        [model.index(row, column).data(Qt.ItemDataRole.DisplayRole) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_page_shows_the_figures_of_the_last_closed_quarter(window, desk) -> None:  # type: ignore[no-untyped-def]
    window.show_page("statistics")
    page = window.statistics_page
    expected = preview(desk.store, Quarter(2026, 3), None)

    assert page.quarter.currentText() == "2026Q3"
    assert json.loads(page.payload_text.toPlainText()) == expected
    assert page.payload_text.isReadOnly()
    assert page.description.toPlainText() == describe(expected)
    assert "noch nicht beim Kreis angemeldet" in page.enrolment_label.text()
    assert not page.send_button.isEnabled()

    rows = model_rows(page.figures)
    totals = {table: value for table, words, value in rows if words == "insgesamt"}
    assert totals == {spec.title: figure(expected["tables"][name]["total"]) for name, spec in TABLES.items()}
    # Every figure that is not zero is a row of the table; nothing is suppressed (cell key method).
    shown = [value for _table, words, value in rows if words != "insgesamt"]
    cells = [c["value"] for t in expected["tables"].values() for c in t["cells"] if c["value"] != 0]
    assert shown == [figure(value) for value in cells]
    assert "gesperrt" not in shown and "gesperrt" not in page.description.toPlainText()
    assert "leicht verändert" in page.description.toPlainText()
    contacts = expected["tables"]["contacts_by_language_group"]["total"]
    assert ["Beratungskontakte nach Sprachgruppe", "insgesamt", str(contacts)] in rows


def test_choosing_an_earlier_quarter_shows_its_report(window, desk) -> None:  # type: ignore[no-untyped-def]
    window.show_page("statistics")
    page = window.statistics_page
    periods = [page.quarter.itemText(i) for i in range(page.quarter.count())]
    assert periods[0] == "2026Q3" and "2026Q2" in periods
    assert periods == sorted(periods, reverse=True)

    page.quarter.setCurrentIndex(periods.index("2026Q2"))
    page.quarter.activated.emit(periods.index("2026Q2"))

    shown = json.loads(page.payload_text.toPlainText())
    assert shown["period"] == "2026Q2"
    assert shown == preview(desk.store, Quarter(2026, 2), None)
    assert page.quarter_state.text() == "noch nicht gebildet (Vorschau)"
    window.show_page("today")
    window.show_page("statistics")  # a refresh keeps the chosen quarter
    assert json.loads(page.payload_text.toPlainText())["period"] == "2026Q2"
